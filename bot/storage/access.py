"""Who may see and act on what: one-time codes (a resident's consent for an advocate, a landlord's
invitation to a colleague), advocates' links to cases, landlord organisations and their staff, and
the submissions delivered to landlords. Used through `UnitOfWork.access`, inside an update's
transaction.

Codes are 10 characters from an unambiguous alphabet (about 50 bits), kept only as SHA-256 hashes,
single use, and short-lived; a person who types five wrong codes in an hour is refused for the rest
of the hour, so guessing is hopeless (the times are in flows.access_times).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.storage.column_types import utcnow
from bot.storage.models import (
    AdvocateLinkRow,
    CaseRow,
    CodeAttemptRow,
    InviteRow,
    LandlordRow,
    SubmissionRow,
    UserRow,
)
from bot.storage.records import AdvocateScope, Role
from flows.access_times import (
    CONSENT_CODE_LIFETIME,
    FAILED_CODES_PER_WINDOW,
    FAILED_CODES_WINDOW,
    STAFF_CODE_LIFETIME,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10


class CodeKind(StrEnum):
    CONSENT = "consent"
    STAFF = "staff"


class Redeemed(StrEnum):
    LINKED = "linked"  # consent: the advocate is linked to the case
    JOINED = "joined"  # staff: the person joined the landlord
    UNKNOWN = "unknown"  # no such code, or used, or expired: deliberately the same answer
    SLOW_DOWN = "slow_down"  # too many wrong codes lately
    OWN_CASE = "own_case"  # a resident cannot be their own advocate


@dataclass(frozen=True, slots=True)
class Landlord:
    id: int
    name: str
    landlord_type: str
    registered_provider_number: str | None
    council_name: str | None
    policy: dict[str, Any]
    contact_routes: dict[str, Any]
    approved: bool
    homes: int | None
    complaint_email: str | None
    webhook_url: str | None
    webhook_secret: str | None


@dataclass(frozen=True, slots=True)
class AdvocateLink:
    id: int
    case_id: int
    case_ref: str
    advocate_user_id: int
    advocate_name: str | None
    scope: AdvocateScope
    consent_given_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Submission:
    id: int
    case_id: int
    landlord_id: int
    stage: int
    channel: str
    idempotency_key: str
    status: str
    attempts: int


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_hash(typed: str) -> str:
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).replace("O", "0").replace("I", "1")
    return hashlib.sha256(cleaned.encode()).hexdigest()


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _landlord(row: LandlordRow) -> Landlord:
    assert row.id is not None
    return Landlord(
        row.id,
        row.name,
        row.landlord_type,
        row.registered_provider_number,
        row.council_name,
        dict(row.policy),
        dict(row.contact_routes),
        row.approved_at is not None,
        row.homes,
        row.complaint_email,
        row.webhook_url,
        row.webhook_secret,
    )


def _submission(row: SubmissionRow) -> Submission:
    assert row.id is not None
    return Submission(
        row.id,
        row.case_id,
        row.landlord_id,
        row.stage,
        row.channel,
        row.idempotency_key,
        row.status,
        row.attempts,
    )


class Audit(Protocol):
    def __call__(
        self,
        action: str,
        *,
        case_id: int | None = None,
        actor_user_id: int | None = None,
        **detail: int | str | bool | None,
    ) -> None: ...


class Access:
    def __init__(self, session: Session, audit: Audit) -> None:
        self.session = session
        self.audit = audit

    # --- codes ----------------------------------------------------------------------------------------

    def create_code(
        self,
        kind: CodeKind,
        by_user_id: int,
        *,
        case_id: int | None = None,
        landlord_id: int | None = None,
        scope: str,
        now: datetime | None = None,
    ) -> str:
        """A new one-time code (shown once; only its hash is kept)."""
        now = now or utcnow()
        lifetime = CONSENT_CODE_LIFETIME if kind is CodeKind.CONSENT else STAFF_CODE_LIFETIME
        code = new_code()
        self.session.add(
            InviteRow(
                code_hash=code_hash(code),
                kind=kind.value,
                case_id=case_id,
                landlord_id=landlord_id,
                scope=scope,
                created_by_user_id=by_user_id,
                created_at=now,
                expires_at=now + lifetime,
            )
        )
        self.session.flush()
        return code

    def failed_attempts(self, user_id: int, now: datetime | None = None) -> int:
        since = (now or utcnow()) - FAILED_CODES_WINDOW
        query = (
            select(func.count())
            .select_from(CodeAttemptRow)
            .where(col(CodeAttemptRow.user_id) == user_id, col(CodeAttemptRow.at) >= since)
        )
        return int(self.session.exec(query).one())

    def redeem(
        self, typed: str, user_id: int, now: datetime | None = None
    ) -> tuple[Redeemed, InviteRow | None]:
        """Use a code. Unknown, used and expired codes get the same answer, so nothing is disclosed."""
        now = now or utcnow()
        if self.failed_attempts(user_id, now) >= FAILED_CODES_PER_WINDOW:
            return Redeemed.SLOW_DOWN, None
        row = self.session.exec(
            select(InviteRow).where(col(InviteRow.code_hash) == code_hash(typed)).with_for_update()
        ).first()
        expired = row is not None and row.expires_at <= now
        if row is None or row.used_at is not None or expired:
            self.session.add(CodeAttemptRow(user_id=user_id, at=now))
            self.session.flush()
            return Redeemed.UNKNOWN, None
        if row.kind == CodeKind.CONSENT:
            case = self.session.get(CaseRow, row.case_id)
            if case is None:
                return Redeemed.UNKNOWN, None
            if case.owner_user_id == user_id:
                return Redeemed.OWN_CASE, None
            row.used_at, row.used_by_user_id = now, user_id
            assert row.case_id is not None and row.scope is not None
            self.link(row.case_id, user_id, AdvocateScope(row.scope), now)
            user = self.session.get(UserRow, user_id)
            if user is not None:
                user.roles = frozenset({*user.roles, Role.ADVOCATE})
            return Redeemed.LINKED, row
        row.used_at, row.used_by_user_id = now, user_id
        user = self.session.get(UserRow, user_id)
        if user is not None:
            user.landlord_id = row.landlord_id
            user.staff_role = row.scope or "member"
            user.roles = frozenset({*user.roles, Role.LANDLORD_STAFF})
        return Redeemed.JOINED, row

    # --- advocates ------------------------------------------------------------------------------------

    def link(
        self, case_id: int, advocate_user_id: int, scope: AdvocateScope, now: datetime | None = None
    ) -> int:
        existing = self.session.exec(
            select(AdvocateLinkRow).where(
                col(AdvocateLinkRow.case_id) == case_id,
                col(AdvocateLinkRow.advocate_user_id) == advocate_user_id,
                col(AdvocateLinkRow.revoked_at).is_(None),
            )
        ).first()
        if existing is not None:
            existing.scope = AdvocateScope(scope).value
            row = existing
        else:
            row = AdvocateLinkRow(
                case_id=case_id,
                advocate_user_id=advocate_user_id,
                scope=AdvocateScope(scope).value,
                consent_given_at=now or utcnow(),
            )
            self.session.add(row)
            self.session.flush()
        assert row.id is not None
        self.audit(
            "advocate_linked",
            case_id=case_id,
            actor_user_id=advocate_user_id,
            link_id=row.id,
            scope=row.scope,
        )
        return row.id

    def _links(self, *conditions: Any) -> list[AdvocateLink]:
        query = (
            select(AdvocateLinkRow, CaseRow.public_ref, UserRow.display_name)
            .join(CaseRow, col(CaseRow.id) == col(AdvocateLinkRow.case_id))
            .join(UserRow, col(UserRow.id) == col(AdvocateLinkRow.advocate_user_id))
            .where(*conditions)
            .order_by(col(AdvocateLinkRow.id))
        )
        return [
            AdvocateLink(
                link.id,
                link.case_id,
                ref,
                link.advocate_user_id,
                name,
                AdvocateScope(link.scope),
                link.consent_given_at,
                link.revoked_at,
            )
            for link, ref, name in self.session.exec(query)
            if link.id is not None
        ]

    def links_of_case(self, case_id: int, *, active_only: bool = True) -> list[AdvocateLink]:
        conditions = [col(AdvocateLinkRow.case_id) == case_id]
        if active_only:
            conditions.append(col(AdvocateLinkRow.revoked_at).is_(None))
        return self._links(*conditions)

    def links_of_advocate(self, advocate_user_id: int) -> list[AdvocateLink]:
        return self._links(
            col(AdvocateLinkRow.advocate_user_id) == advocate_user_id,
            col(AdvocateLinkRow.revoked_at).is_(None),
        )

    def revoke(self, link_id: int, case_owner_id: int, now: datetime | None = None) -> bool:
        """Only the case's owner can revoke; it takes effect at once."""
        link = self.session.get(AdvocateLinkRow, link_id)
        if link is None or link.revoked_at is not None:
            return False
        case = self.session.get(CaseRow, link.case_id)
        if case is None or case.owner_user_id != case_owner_id:
            return False
        link.revoked_at = now or utcnow()
        self.audit("advocate_revoked", case_id=link.case_id, actor_user_id=case_owner_id, link_id=link_id)
        return True

    def advocate_scope(self, case_id: int, user_id: int) -> AdvocateScope | None:
        """The scope an active link gives this user on the case, if any."""
        link = self.session.exec(
            select(AdvocateLinkRow).where(
                col(AdvocateLinkRow.case_id) == case_id,
                col(AdvocateLinkRow.advocate_user_id) == user_id,
                col(AdvocateLinkRow.revoked_at).is_(None),
            )
        ).first()
        return AdvocateScope(link.scope) if link is not None else None

    # --- landlords ------------------------------------------------------------------------------------

    def register_landlord(
        self,
        registrant_id: int,
        *,
        name: str,
        landlord_type: str,
        registered_provider_number: str | None,
        council_name: str | None,
        complaint_email: str | None,
        homes: int | None,
        policy: dict[str, Any] | None = None,
    ) -> int:
        """A landlord waiting for an operator's approval; its registrant becomes its first admin."""
        row = LandlordRow(
            name=name,
            landlord_type=landlord_type,
            registered_provider_number=registered_provider_number,
            council_name=council_name,
            complaint_email=complaint_email,
            homes=homes,
            policy=policy or {},
            contact_routes={"telegram": True, "email": bool(complaint_email)},
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        user = self.session.get(UserRow, registrant_id)
        if user is not None:
            user.landlord_id, user.staff_role = row.id, "admin"
            user.roles = frozenset({*user.roles, Role.LANDLORD_STAFF})
        return row.id

    def approve_landlord(self, landlord_id: int, now: datetime | None = None) -> bool:
        row = self.session.get(LandlordRow, landlord_id)
        if row is None:
            return False
        row.approved_at = row.approved_at or now or utcnow()
        return True

    def landlord(self, landlord_id: int) -> Landlord | None:
        row = self.session.get(LandlordRow, landlord_id)
        return _landlord(row) if row is not None else None

    def landlords(self, *, approved: bool | None = None) -> list[Landlord]:
        query = select(LandlordRow).order_by(col(LandlordRow.id))
        if approved is True:
            query = query.where(col(LandlordRow.approved_at).is_not(None))
        elif approved is False:
            query = query.where(col(LandlordRow.approved_at).is_(None))
        return [_landlord(row) for row in self.session.exec(query)]

    def matching_landlord(self, typed_name: str) -> Landlord | None:
        """The approved landlord a resident named, if the name matches one exactly (case aside)."""
        name = " ".join(typed_name.split()).lower()
        for landlord in self.landlords(approved=True):
            if " ".join(landlord.name.split()).lower() == name:
                return landlord
        return None

    def update_landlord(self, landlord_id: int, **values: Any) -> None:
        row = self.session.get(LandlordRow, landlord_id)
        if row is None:
            raise KeyError(landlord_id)
        for key, value in values.items():
            setattr(row, key, value)

    def set_api_key(self, landlord_id: int) -> str:
        """A new API key for the landlord's systems (shown once; only its hash is kept)."""
        key = "fs_" + secrets.token_urlsafe(32)
        self.update_landlord(landlord_id, api_key_hash=api_key_hash(key))
        return key

    def landlord_by_api_key(self, key: str) -> Landlord | None:
        row = self.session.exec(
            select(LandlordRow).where(col(LandlordRow.api_key_hash) == api_key_hash(key))
        ).first()
        return _landlord(row) if row is not None and row.approved_at is not None else None

    def staff_of(self, landlord_id: int) -> list[UserRow]:
        return list(self.session.exec(select(UserRow).where(col(UserRow.landlord_id) == landlord_id)))

    def cases_of_landlord(self, landlord_id: int) -> list[CaseRow]:
        return list(
            self.session.exec(
                select(CaseRow).where(col(CaseRow.landlord_id) == landlord_id).order_by(col(CaseRow.id))
            )
        )

    # --- submissions ----------------------------------------------------------------------------------

    def submit(
        self, case_id: int, landlord_id: int, stage: int, channels: list[str], now: datetime | None = None
    ) -> list[int]:
        """One submission per route the landlord chose; each delivered (and retried) on its own, due
        from `now`."""
        case = self.session.get(CaseRow, case_id)
        if case is not None:
            case.landlord_id = landlord_id
        ids = []
        for channel in channels:
            row = SubmissionRow(
                case_id=case_id,
                landlord_id=landlord_id,
                stage=stage,
                channel=channel,
                idempotency_key=secrets.token_hex(16),
                next_attempt_at=now or utcnow(),
                created_at=now or utcnow(),
            )
            self.session.add(row)
            self.session.flush()
            assert row.id is not None
            ids.append(row.id)
        return ids

    def due_submissions(
        self, now: datetime, limit: int = 50, channels: tuple[str, ...] | None = None
    ) -> list[Submission]:
        query = (
            select(SubmissionRow)
            .where(col(SubmissionRow.status) == "pending", col(SubmissionRow.next_attempt_at) <= now)
            .order_by(col(SubmissionRow.next_attempt_at), col(SubmissionRow.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if channels is not None:
            query = query.where(col(SubmissionRow.channel).in_(channels))
        return [_submission(row) for row in self.session.exec(query)]

    def claim_submissions(
        self, now: datetime, lease: timedelta, channels: tuple[str, ...], limit: int = 50
    ) -> list[Submission]:
        """Due submissions, leased: not due again until now + lease, so another sender passes them by
        while this one sends (and takes them up again if this one dies before saying how it went)."""
        claimed = self.due_submissions(now, limit, channels)
        for submission in claimed:
            row = self.session.get(SubmissionRow, submission.id)  # already loaded (and locked) above
            assert row is not None
            row.next_attempt_at = now + lease
        self.session.flush()
        return claimed

    def submission(self, submission_id: int) -> Submission | None:
        row = self.session.get(SubmissionRow, submission_id)
        return _submission(row) if row is not None else None

    def submissions_of_case(self, case_id: int) -> list[Submission]:
        query = (
            select(SubmissionRow).where(col(SubmissionRow.case_id) == case_id).order_by(col(SubmissionRow.id))
        )
        return [_submission(row) for row in self.session.exec(query)]

    def submission_done(self, submission_id: int, now: datetime | None = None) -> bool:
        """Marked delivered; False when it is gone (its case deleted while it was being sent)."""
        row = self.session.get(SubmissionRow, submission_id)
        if row is None:
            return False
        row.status, row.delivered_at, row.attempts = "delivered", now or utcnow(), row.attempts + 1
        return True

    def submission_failed(
        self, submission_id: int, error: str, now: datetime | None = None, give_up_after: int = 8
    ) -> None:
        """Tried again after 1, 2, 4 ... minutes (at most 6 hours apart), given up after `give_up_after`."""
        row = self.session.get(SubmissionRow, submission_id)
        if row is None:
            return
        row.attempts += 1
        row.last_error = error[:200]
        if row.attempts >= give_up_after:
            row.status = "failed"
        else:
            pause = min(timedelta(minutes=2 ** (row.attempts - 1)), timedelta(hours=6))
            row.next_attempt_at = (now or utcnow()) + pause
