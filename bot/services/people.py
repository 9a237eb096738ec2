"""`People` over the database: sharing a complaint with an advocate, an advocate's caseload, and a landlord's
complaints team, for one person in one update's unit of work.

Every permission is checked here, against the database as it is now: a revoked link, another
landlord's complaint, or a guessed reference is "not yours" in the same words as "does not exist".
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.delivery import resident_sending
from bot.services import documents, landlord_actions
from bot.services.case_records import case_record, stage_letter
from bot.services.compliance_report import compliance_for_chat
from bot.services.notices import NoticeKind, queue, schedule_digest
from bot.services.workspace import DbWorkspace
from bot.settings import Settings
from bot.storage.access import Access, CodeKind, Redeemed
from bot.storage.records import AdvocateScope, CaseSummary, Role, User
from bot.storage.unit_of_work import UnitOfWork
from flows.case import EventKind, LandlordType
from flows.conversations.types import Document, IncomingFile
from flows.conversations.workspace import (
    Advocate,
    CaseRecord,
    EmailLimit,
    EmailPreview,
    Organisation,
    Redemption,
)
from flows.i18n import Translator
from flows.landlord_actions import ActionKind, LandlordAction


class DbPeople:
    def __init__(
        self,
        uow: UnitOfWork,
        user: User,
        workspace: DbWorkspace,
        now: datetime,
        t: Translator,
        portal_url: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.uow = uow
        self.user = user
        self.workspace = workspace
        self.now = now
        self.t = t
        self.portal_url = portal_url  # the web portal's public address, when it is offered
        self.settings = settings  # for emailing complaints for the resident (SMTP, reply domain, limits)

    @property
    def access(self) -> Access:
        return self.uow.access

    def _fresh_user(self) -> User:
        user = self.uow.user(self.user.id)
        assert user is not None
        return user

    def roles(self) -> frozenset[str]:
        return frozenset(role.value for role in self._fresh_user().roles)

    def display_name(self) -> str | None:
        return self._fresh_user().display_name

    def set_display_name(self, name: str) -> None:
        self.uow.set_display_name(self.user.id, name.strip()[:120])

    # --- a resident sharing ----------------------------------------------------------------------------

    def _owned(self, ref: str) -> CaseSummary | None:
        summary = self.uow.case_by_ref(ref)
        return summary if summary is not None and summary.owner_user_id == self.user.id else None

    def share_code(self, ref: str, scope: str) -> str:
        summary = self._owned(ref)
        if summary is None:
            raise KeyError(ref)
        code = self.access.create_code(
            CodeKind.CONSENT, self.user.id, case_id=summary.id, scope=AdvocateScope(scope).value, now=self.now
        )
        self.uow.audit("consent_code_created", case_id=summary.id, actor_user_id=self.user.id, scope=scope)
        return code

    def advocates(self) -> list[Advocate]:
        advocates = []
        for summary in self.uow.cases_of(self.user.id):
            for link in self.access.links_of_case(summary.id):
                advocates.append(
                    Advocate(
                        link.id,
                        link.case_ref,
                        link.advocate_name or self.t.gettext("Your helper"),
                        link.scope.value,
                        link.consent_given_at.date(),
                    )
                )
        return advocates

    def remove_advocate(self, link_id: int) -> bool:
        return self.access.revoke(link_id, self.user.id, self.now)

    def ask_advocate_to_call(self, link_id: int) -> bool:
        """The resident asked (a button: their consent) that this advocate be told they'd like to talk."""
        for summary in self.uow.cases_of(self.user.id):
            for link in self.access.links_of_case(summary.id):
                if link.id == link_id:
                    queue(
                        self.uow,
                        link.advocate_user_id,
                        NoticeKind.CALL_ME,
                        f"{summary.public_ref}:{self.now.isoformat()}",
                        self.now,
                        case_id=summary.id,
                        payload={"case": summary.public_ref},
                    )
                    self.uow.audit("helper_asked_to_call", case_id=summary.id, actor_user_id=self.user.id)
                    return True
        return False

    def role_on(self, ref: str) -> str | None:
        summary = self.uow.case_by_ref(ref)
        if summary is None:
            return None
        if summary.owner_user_id == self.user.id:
            return "owner"
        user = self._fresh_user()
        if user.landlord_id is not None and summary.landlord_id == user.landlord_id:
            return "landlord"
        scope = self.access.advocate_scope(summary.id, self.user.id)
        return scope.value if scope is not None else None

    # --- an advocate -------------------------------------------------------------------------------------

    def redeem_code(self, code: str) -> Redemption:
        outcome, invite = self.access.redeem(code, self.user.id, self.now)
        self.uow.audit("code_entered", actor_user_id=self.user.id, outcome=outcome.value)
        if outcome is Redeemed.LINKED and invite is not None and invite.case_id is not None:
            summary = self.uow.case_summary(invite.case_id)
            queue(
                self.uow,
                summary.owner_user_id,
                NoticeKind.ADVOCATE_LINKED,
                f"{summary.public_ref}:{invite.id}",
                self.now,
                case_id=summary.id,
                payload={"case": summary.public_ref, "helper": self.user.id, "scope": invite.scope},
            )
            return Redemption("linked", ref=summary.public_ref)
        if outcome is Redeemed.JOINED and invite is not None and invite.landlord_id is not None:
            landlord = self.access.landlord(invite.landlord_id)
            return Redemption("joined", landlord=landlord.name if landlord else None)
        return Redemption(outcome.value)

    def caseload(self) -> list[CaseRecord]:
        records = []
        for link in self.access.links_of_advocate(self.user.id):
            record = self.workspace.case(link.case_ref)
            if record is not None:
                records.append(record)
        return records

    def digest_hour(self) -> int | None:
        return self._fresh_user().digest_hour

    def set_digest_hour(self, hour: int | None) -> None:
        self.uow.set_digest_hour(self.user.id, hour)
        if hour is not None:
            schedule_digest(self.uow, self._fresh_user(), self.now)
        self.uow.add_role(self.user.id, Role.ADVOCATE)

    def portal_link(self) -> tuple[str, str | None]:
        return portal_link(self.uow, self._fresh_user(), self.portal_url, self.now)

    def ask_resident(self, ref: str, what: str) -> None:
        ask_resident(self.uow, self.user.id, ref, what, self.now)

    # --- a resident sending through Fair Say ----------------------------------------------------------

    def delivers_to(self, ref: str) -> str | None:
        summary = self._owned(ref)
        if summary is None or summary.landlord_id is None:
            return None
        landlord = self.access.landlord(summary.landlord_id)
        return landlord.name if landlord is not None and landlord.approved else None

    def deliver(self, ref: str, stage: int) -> bool:
        summary = self._owned(ref)
        return summary is not None and bool(landlord_actions.deliver(self.uow, summary.id, stage, self.now))

    def can_email(self, ref: str) -> bool:
        settings = self.settings
        ready = settings is not None and bool(settings.smtp_host and settings.mail_reply_domain)
        return ready and self._owned(ref) is not None

    def is_own_address(self, address: str) -> bool:
        return self.settings is not None and resident_sending.is_own_address(address, self.settings)

    def email_preview(self, ref: str, stage: int, to: str) -> EmailPreview:
        summary = self._owned(ref)
        assert summary is not None and self.settings is not None
        p = resident_sending.preview(self.uow, summary.id, stage, to, self.settings, self.workspace.today)
        return EmailPreview(p.to, p.mail_from, p.reply_to, p.subject, p.attached, p.left_out, p.authority)

    def email_letter(self, ref: str, stage: int, to: str) -> EmailLimit | None:
        summary = self._owned(ref)
        assert summary is not None and self.settings is not None
        queued = resident_sending.queue_send(
            self.uow, summary.id, self.user.id, stage, to, self.settings, self.now
        )
        if isinstance(queued, resident_sending.LimitReached):
            return EmailLimit(queued.which, queued.again_at.astimezone(ZoneInfo(self.user.time_zone)))
        return None

    # --- a landlord's complaints team -----------------------------------------------------------------

    def organisation(self) -> Organisation | None:
        user = self._fresh_user()
        if user.landlord_id is None:
            return None
        landlord = self.access.landlord(user.landlord_id)
        if landlord is None:
            return None
        return Organisation(landlord.name, landlord.approved, user.staff_role == "admin")

    def register_organisation(self, values: dict[str, Any]) -> str | None:
        policy = {
            key: values[key]
            for key in (
                "stage1_response_working_days",
                "stage2_response_working_days",
                "escalation_window_days",
            )
            if values.get(key)
        }
        number = values.get("registered_provider_number")
        if number and any(ll.registered_provider_number == number for ll in self.access.landlords()):
            return "number_taken"  # public information (the Regulator's list), so saying so discloses nothing
        landlord_id = self.access.register_landlord(
            self.user.id,
            name=values["name"],
            landlord_type=values["landlord_type"],
            registered_provider_number=values.get("registered_provider_number"),
            council_name=values["name"] if values["landlord_type"] == LandlordType.COUNCIL else None,
            complaint_email=values.get("complaint_email"),
            homes=values.get("homes"),
            policy=policy,
        )
        self.uow.audit("landlord_registered", actor_user_id=self.user.id, landlord_id=landlord_id)
        return None

    def invite_colleague(self, role: str) -> str:
        user = self._fresh_user()
        if user.landlord_id is None or user.staff_role != "admin":
            raise PermissionError("only a landlord's administrators invite colleagues")
        scope = "admin" if role == "admin" else "member"
        code = self.access.create_code(
            CodeKind.STAFF, self.user.id, landlord_id=user.landlord_id, scope=scope, now=self.now
        )
        self.uow.audit("staff_invited", actor_user_id=self.user.id, landlord_id=user.landlord_id, role=scope)
        return code

    def _landlord_id(self) -> int | None:
        user = self._fresh_user()
        if user.landlord_id is None:
            return None
        landlord = self.access.landlord(user.landlord_id)
        return landlord.id if landlord is not None and landlord.approved else None

    def inbox(self) -> list[CaseRecord]:
        landlord_id = self._landlord_id()
        if landlord_id is None:
            return []
        return [
            self.workspace.record_of(row.id)
            for row in self.access.cases_of_landlord(landlord_id)
            if row.id is not None and row.closed_at is None
        ]

    def landlord_act(
        self,
        ref: str,
        action: str,
        *,
        new_due: date | None = None,
        reason: str | None = None,
        response: IncomingFile | None = None,
        confirmed: bool = False,
    ) -> str | None:
        landlord_id = self._landlord_id()
        if landlord_id is None:
            return "not_found"
        today = landlord_actions.landlord_today(self.now)
        file = None
        if response is not None:
            read_ahead = self.workspace.letters_read.get(hashlib.sha256(response.data).hexdigest())
            file = landlord_actions.ResponseFile(response.name, response.data, read_ahead)
        if response is not None and (
            not response.data or (response.size or 0) > self.workspace.max_file_bytes
        ):
            return "too_large" if (response.size or 0) > self.workspace.max_file_bytes else "unsupported_type"
        outcome = landlord_actions.act(
            self.uow,
            landlord_id,
            self.user.id,
            ref,
            LandlordAction(ActionKind(action), today, new_due=new_due, reason=reason, confirmed=confirmed),
            self.now,
            file,
        )
        if outcome.not_found:
            return "not_found"
        if outcome.problem is not None:
            return outcome.problem.value
        return outcome.file_problem

    def landlord_files(self, ref: str) -> list[Document] | None:
        landlord_id = self._landlord_id()
        summary = (
            landlord_actions.landlord_case(self.uow, landlord_id, ref) if landlord_id is not None else None
        )
        if summary is None:
            return None
        record = case_record(self.uow, summary.id)
        stage = 2 if any(e.kind is EventKind.ESCALATION_REQUESTED for e in record.case.events) else 1
        letter = stage_letter(record, self.uow.profile(summary.owner_user_id), stage)
        files = [documents.render_pdf(letter)]
        for item in self.uow.evidence_of(summary.id):
            name = item.original_name or f"evidence-{item.sha256[:12]}"
            files.append(Document(name, self.uow.evidence.read(item.stored_path), item.mime_type))
        return files

    def compliance(self) -> tuple[str, Document] | None:
        landlord_id = self._landlord_id()
        if landlord_id is None:
            return None
        today = landlord_actions.landlord_today(self.now)
        text, csv = compliance_for_chat(self.uow, landlord_id, today, self.t)
        return text, Document(f"complaints-{today.isoformat()}.csv", csv, "text/csv")


def portal_link(uow: UnitOfWork, user: User, portal_url: str | None, now: datetime) -> tuple[str, str | None]:
    """A one-time sign-in link for a landlord's staff member, an advocate or an operator, asked for in
    their own chat or by the operator's CLI: never refused for asking often (the chat has its flood
    limit), nor for links others asked to be emailed."""
    if portal_url is None:
        return "off", None
    if not may_use_portal(user):
        return "not_for_you", None
    return "ok", f"{portal_url}/sign-in/{uow.sign_ins.new_link(user.id, now)}"


def may_use_portal(user: User) -> bool:
    return bool(user.roles & {Role.LANDLORD_STAFF, Role.ADVOCATE, Role.OPERATOR})


def ask_resident(uow: UnitOfWork, advocate_user_id: int, ref: str, what: str, now: datetime) -> bool:
    """An advocate who may act proposes a step ("stage2", "referral"): the resident gets a notice with
    a button to approve it, and nothing is sent until they do. False when the advocate may not act."""
    summary = uow.case_by_ref(ref)
    if summary is None or uow.access.advocate_scope(summary.id, advocate_user_id) is not AdvocateScope.ACT:
        return False
    queue(
        uow,
        summary.owner_user_id,
        NoticeKind.APPROVAL,
        f"{ref}:{what}:{now.date().isoformat()}",
        now,
        case_id=summary.id,
        payload={"case": ref, "what": what, "helper": advocate_user_id},
    )
    uow.audit("helper_proposed", case_id=summary.id, actor_user_id=advocate_user_id, what=what)
    return True
