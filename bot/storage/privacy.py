"""A person's rights over their data: a copy of everything (export), erasure, and retention.

Deleting removes the user's row and lets the database's ON DELETE rules remove what hangs from it
(cases, events, evidence records, the cases' emails and reply addresses, reminders, the conversation,
advocate links) and blank the
references others keep (events they recorded on someone else's case, audit entries). Files on disk
are removed afterwards, each in its own short transaction holding the file's hash lock, and only
when no other case refers to the same file. On SQLite all of this needs foreign keys on, which the
engine checks on every connection (`db._require_foreign_keys`); `repair` finishes erasures that once
ran without them.
"""

from __future__ import annotations

import calendar
import io
import json
import logging
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from bot.storage import inbox
from bot.storage.column_types import utcnow
from bot.storage.dialects import lock_file_hash
from bot.storage.errors import NotFound
from bot.storage.evidence import ACCEPTED_TYPES, EvidenceStore
from bot.storage.mapping import in_case_order
from bot.storage.models import (
    AdvocateLinkRow,
    AuditEntryRow,
    CaseEmailAttachmentRow,
    CaseEmailRow,
    CaseEmailSendRow,
    CaseEventRow,
    CaseReplyAddressRow,
    CaseRow,
    CodeAttemptRow,
    ConversationRow,
    EvidenceFileRow,
    InviteRow,
    PortalSignInRow,
    ReminderRow,
    SubmissionRow,
    TableBase,
    UserRow,
)

EXPORT_FORMAT = "fairsay-export-1"
log = logging.getLogger(__name__)
SessionFactory = Callable[[], Session]


def _plain(row: TableBase) -> dict[str, Any]:
    """A row as JSON values, its columns in the order the table declares them."""
    dumped = row.model_dump(mode="json")
    return {name: dumped[name] for name in type(row).model_fields}


def export_user(session: Session, evidence: EvidenceStore, user_id: int) -> bytes:
    """A zip: data.json (everything held about the user) and evidence/<sha256>.<ext> for their files."""
    user = session.get(UserRow, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    cases = list(
        session.exec(select(CaseRow).where(col(CaseRow.owner_user_id) == user_id).order_by(col(CaseRow.id)))
    )
    case_ids = [case.id for case in cases]
    files: dict[str, str] = {}  # zip entry -> stored path
    exported_cases = []
    for case in cases:
        events = session.exec(select(CaseEventRow).where(col(CaseEventRow.case_id) == case.id))
        evidence_rows = session.exec(select(EvidenceFileRow).where(col(EvidenceFileRow.case_id) == case.id))
        links = session.exec(select(AdvocateLinkRow).where(col(AdvocateLinkRow.case_id) == case.id))
        submissions = session.exec(select(SubmissionRow).where(col(SubmissionRow.case_id) == case.id))
        emails = session.exec(
            select(CaseEmailRow).where(col(CaseEmailRow.case_id) == case.id).order_by(col(CaseEmailRow.id))
        )
        reply_address = session.exec(
            select(CaseReplyAddressRow).where(col(CaseReplyAddressRow.case_id) == case.id)
        ).first()
        evidence_items = []
        for row in evidence_rows:
            entry = f"evidence/{row.sha256}.{ACCEPTED_TYPES.get(row.mime_type, 'bin')}"
            files[entry] = row.stored_path
            evidence_items.append({**_plain(row), "file_in_this_zip": entry})
        exported_cases.append(
            {
                **_plain(case),
                "events": [_plain(event) for event in in_case_order(events)],
                "evidence": evidence_items,
                "advocates": [_plain(link) for link in links],
                "sent_to_landlord": [_plain(row) for row in submissions],
                "reply_address": _plain(reply_address) if reply_address is not None else None,
                # Both ways: what was sent for the resident and what came back, with the SHA-256 of each
                # message and of each attachment (the attachments are in "evidence").
                "emails": [_email(session, row) for row in emails],
            }
        )
    conversation = session.exec(
        select(ConversationRow).where(col(ConversationRow.user_id) == user_id)
    ).first()
    reminders = session.exec(
        select(ReminderRow).where(col(ReminderRow.user_id) == user_id).order_by(col(ReminderRow.id))
    )
    advocating = session.exec(select(AdvocateLinkRow).where(col(AdvocateLinkRow.advocate_user_id) == user_id))
    codes = session.exec(select(InviteRow).where(col(InviteRow.created_by_user_id) == user_id))
    failed_codes = session.exec(select(CodeAttemptRow).where(col(CodeAttemptRow.user_id) == user_id))
    sign_ins = session.exec(select(PortalSignInRow).where(col(PortalSignInRow.user_id) == user_id))
    audit = session.exec(
        select(AuditEntryRow)
        .where(or_(col(AuditEntryRow.actor_user_id) == user_id, col(AuditEntryRow.case_id).in_(case_ids)))
        .order_by(col(AuditEntryRow.id))
    )
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "user": _plain(user),
        "conversation": _plain(conversation) if conversation is not None else None,
        "cases": exported_cases,
        "reminders": [_plain(reminder) for reminder in reminders],
        "advocate_for": [_plain(link) for link in advocating],
        # Codes made: their hashes are left out (a hash of a live code is as good as the code).
        "codes_created": [{k: v for k, v in _plain(code).items() if k != "code_hash"} for code in codes],
        "codes_that_did_not_work": [_plain(attempt) for attempt in failed_codes],
        "portal_sign_ins": [{k: v for k, v in _plain(row).items() if k != "token_hash"} for row in sign_ins],
        "audit_log": [_plain(entry) for entry in audit],
    }
    session.add(AuditEntryRow(actor_user_id=user_id, action="user_exported"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for entry, stored_path in sorted(files.items()):
            archive.writestr(entry, evidence.read(stored_path))
    return buffer.getvalue()


def _email(session: Session, row: CaseEmailRow) -> dict[str, Any]:
    attachments = session.exec(
        select(EvidenceFileRow.id, EvidenceFileRow.sha256, EvidenceFileRow.original_name)
        .join(CaseEmailAttachmentRow, col(CaseEmailAttachmentRow.evidence_id) == col(EvidenceFileRow.id))
        .where(col(CaseEmailAttachmentRow.email_id) == row.id)
        .order_by(col(CaseEmailAttachmentRow.position))
    )
    sending = session.get(CaseEmailSendRow, row.id)  # sent for the resident: their consent, the attempts
    return {
        **_plain(row),
        "attachments": [{"evidence_id": i, "sha256": h, "name": n} for i, h, n in attachments],
        **({"sending": _plain(sending)} if sending is not None else {}),
    }


def delete_user(session: Session, user_id: int, by_user_id: int | None) -> set[str]:
    """Delete the user and everything of theirs; returns the hashes of files that may now be unused.
    One audit entry stays, with counts only (it names no one: the user is gone)."""
    # Locked first (PostgreSQL): a transaction adding a case or a file for them finishes before the
    # files are listed, so its file is on the list (the cascade takes its record all the same).
    session.exec(select(UserRow.id).where(col(UserRow.id) == user_id).with_for_update()).all()
    owned_cases = select(CaseRow.id).where(col(CaseRow.owner_user_id) == user_id)
    case_count = len(session.exec(owned_cases.with_for_update()).all())
    hashes = _file_hashes(session, col(EvidenceFileRow.case_id).in_(owned_cases))
    telegram_id = session.exec(select(UserRow.telegram_id).where(col(UserRow.id) == user_id)).first()
    if session.exec(delete(UserRow).where(col(UserRow.id) == user_id)).rowcount != 1:
        raise NotFound(f"user {user_id}")
    if telegram_id is not None:  # their messages wait in the inbox, our answers in the outbox
        inbox.erase(session, telegram_id)
    actor = by_user_id if by_user_id != user_id else None
    session.add(AuditEntryRow(actor_user_id=actor, action="user_deleted", detail={"cases": case_count}))
    return hashes


def purge_closed_cases(session: Session, older_than_months: int, now: datetime) -> tuple[int, set[str]]:
    """Delete cases closed more than that many calendar months before `now`: how many, and the
    hashes of files that may now be unused."""
    closed_before = months_before(now, older_than_months)
    expired = select(CaseRow.id).where(col(CaseRow.closed_at) < closed_before)
    session.exec(expired.with_for_update()).all()  # as in delete_user: files being added are listed
    hashes = _file_hashes(session, col(EvidenceFileRow.case_id).in_(expired))
    purged = session.exec(delete(CaseRow).where(col(CaseRow.closed_at) < closed_before)).rowcount
    if purged:
        session.add(
            AuditEntryRow(action="cases_purged", detail={"cases": purged, "months": older_than_months})
        )
    return purged, hashes


def unreferenced_files(session: Session, evidence: EvidenceStore) -> set[str]:
    """Hashes of files on disk no evidence record names: an erasure's files whose removal was cut
    short (the process killed after the commit). `forget_unused_files` checks each again, locked."""
    on_disk = evidence.stored_hashes()
    if not on_disk:
        return set()
    return on_disk - set(session.exec(select(EvidenceFileRow.sha256).distinct()).all())


def forget_unused_files(sessions: SessionFactory, evidence: EvidenceStore, hashes: Iterable[str]) -> int:
    """Remove each file no evidence record refers to any more; how many were removed."""
    removed = 0
    for sha256 in sorted(hashes):
        with sessions() as session, session.begin():
            lock_file_hash(session, sha256)
            in_use = session.exec(
                select(EvidenceFileRow.id).where(col(EvidenceFileRow.sha256) == sha256)
            ).first()
            if in_use is None:
                try:
                    removed += evidence.remove(sha256)
                except OSError as error:  # the erasure has committed: the next start tries again
                    log.warning("an unused evidence file could not be removed: %s", error.strerror)
    return removed


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March less 1 month is 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _file_hashes(session: Session, which: Any) -> set[str]:
    return set(session.exec(select(EvidenceFileRow.sha256).where(which)).all())
