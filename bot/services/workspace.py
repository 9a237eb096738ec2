"""The resident's data for the conversation flows, over the database (flows.conversations.workspace).

Everything goes through the update's one unit of work. A case is reached by its owner, or by a
advocate the owner linked to it (seeing it; changing it only with "act" consent, recorded as the
advocate's doing). A reference that belongs to anyone else is treated as unknown: nothing is disclosed.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from bot.mail.notices import mail_reply_of_case, settle
from bot.services import documents
from bot.services.case_records import case_record
from bot.services.response_reading import read_letter_file
from bot.storage import errors as storage_errors
from bot.storage.records import AdvocateScope, CaseSummary, EventSource, Role, User
from bot.storage.unit_of_work import UnitOfWork
from flows.case import CaseEvent
from flows.conversations.types import Document, IncomingFile
from flows.conversations.workspace import CaseRecord, EvidenceRecord, EvidenceRejected, Letter, LetterText
from flows.history import LANDLORD_ACTS
from flows.i18n import translator
from flows.letters import sent_letters
from flows.mail_replies import MailReply
from flows.working_days import Nation

_ROLES = {"resident": Role.RESIDENT, "advocate": Role.ADVOCATE, "landlord_staff": Role.LANDLORD_STAFF}


class DbWorkspace:
    def __init__(
        self,
        uow: UnitOfWork,
        user: User,
        today: date,
        max_file_bytes: int,
        letters_read: dict[str, LetterText] | None = None,
    ) -> None:
        self.uow = uow
        # Letters read before the transaction began (bot.services.chat_service): OCR takes seconds.
        self.letters_read = letters_read or {}
        self.user = user
        self.today = today
        self.max_file_bytes = max_file_bytes
        self._language = user.language
        self.changed_cases: dict[int, str] = {}  # id -> ref: their reminders need planning again
        self.deleted = False
        self.files_to_forget: set[str] = set()

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        self.uow.set_language(self.user.id, language)
        self._language = language

    def set_role(self, role: str) -> None:
        if role in _ROLES:
            self.uow.add_role(self.user.id, _ROLES[role])

    def profile(self) -> dict[str, Any]:
        return self.uow.profile(self.user.id)

    def update_profile(self, values: dict[str, Any]) -> None:
        self.uow.update_profile(self.user.id, values)

    # --- cases --------------------------------------------------------------------------------------

    def _visible(self, ref: str, *, act: bool = False) -> CaseSummary | None:
        """The case if this person owns it or an advocate's link lets them see it (`act`: change it)."""
        summary = self.uow.case_by_ref(ref)
        if summary is None:
            return None
        if summary.owner_user_id == self.user.id:
            return summary
        scope = self.uow.access.advocate_scope(summary.id, self.user.id)
        if scope is None or (act and scope is not AdvocateScope.ACT):
            return None
        return summary

    def _own(self, ref: str) -> CaseSummary | None:
        summary = self._visible(ref)
        return summary if summary is not None and summary.owner_user_id == self.user.id else None

    def record_of(self, case_id: int) -> CaseRecord:
        """The case as the flows see it (no permission check: callers have made it)."""
        return self._record(self.uow.case_summary(case_id))

    def _record(self, summary: CaseSummary) -> CaseRecord:
        """The case record, naming the advocates who act with the resident's consent for the letters."""
        record = case_record(self.uow, summary.id)
        representatives = [
            {"name": link.advocate_name or "", "since": link.consent_given_at.date().isoformat()}
            for link in self.uow.access.links_of_case(summary.id)
            if link.scope is AdvocateScope.ACT and link.advocate_name
        ]
        if not representatives:
            return record
        return replace(record, details={**record.details, "representatives": representatives})

    def cases(self) -> list[CaseRecord]:
        return [self._record(summary) for summary in self.uow.cases_of(self.user.id)]

    def case(self, ref: str) -> CaseRecord | None:
        summary = self._visible(ref)
        return self._record(summary) if summary is not None else None

    def _id(self, ref: str) -> int:
        """The id of a case this person may change (theirs, or one they act on with consent)."""
        summary = self._visible(ref, act=True)
        if summary is None:
            raise KeyError(ref)
        return summary.id

    def _source(self, ref: str) -> EventSource:
        return EventSource.RESIDENT if self._own(ref) is not None else EventSource.ADVOCATE

    def open_case(
        self,
        *,
        nation: str,
        landlord_type: str | None,
        landlord_name: str,
        subject: str | None,
        details: dict[str, Any],
    ) -> str:
        onboarded = self.uow.access.matching_landlord(landlord_name)  # receives complaints through Fair Say
        ref = self.uow.create_case(
            self.user.id,
            landlord_id=onboarded.id if onboarded is not None else None,
            nation=Nation(nation),
            landlord_type=None if landlord_type == "unknown" else landlord_type,
            subject=subject,
            # The onboarded landlord's registered name, not the resident's typing ("brookside  homes");
            # otherwise their words with the spacing tidied, as they go into "Dear ...," in letters.
            landlord_name=onboarded.name if onboarded is not None else " ".join(landlord_name.split()),
            details={key: value for key, value in details.items() if value is not None},
        )
        if details.get("hazard"):
            self.changed_cases[self._id(ref)] = (
                ref  # Awaab's Law clocks run from the report, before any letter
            )
        return ref

    def update_case_details(self, ref: str, values: dict[str, Any]) -> None:
        case_id = self._id(ref)
        self.uow.update_case_details(case_id, values)
        if "hazard" in values or "hazard_investigated" in values:
            self.changed_cases[case_id] = ref  # the Awaab's Law clocks moved: plan their reminders again

    def record_event(self, ref: str, event: CaseEvent) -> None:
        case_id = self._id(ref)
        self.uow.append_event(case_id, event, self._source(ref), self.user.id)
        self.changed_cases[case_id] = ref

    def mail_reply(self, ref: str, email_id: int) -> MailReply | None:
        # Only for whoever may change the case: its buttons record and settle (a view-only helper with
        # a forwarded button is told it is not there, rather than failing on the change).
        summary = self._visible(ref, act=True)
        if summary is None:
            return None
        return mail_reply_of_case(self.uow, summary.id, email_id, self.user.time_zone)

    def settle_mail_reply(self, ref: str, email_id: int, *, confirmed: bool) -> None:
        settle(self.uow, self._id(ref), email_id, confirmed=confirmed, by_user_id=self.user.id)

    def correct_event(self, ref: str, event: CaseEvent, how: str) -> None:
        case_id = self._id(ref)
        if self._own(ref) is None and event.kind not in LANDLORD_ACTS:
            # An advocate corrects what the landlord did, as they may record it; the resident's own steps
            # (the complaint, stage 2, the referral, closing it) are the resident's.
            raise PermissionError("an advocate corrects only what the landlord did")
        self.uow.correct_event(case_id, event, how, self._source(ref), self.user.id)
        self.changed_cases[case_id] = ref

    # --- files --------------------------------------------------------------------------------------

    def add_evidence(self, ref: str, file: IncomingFile) -> EvidenceRecord:
        if (file.size or 0) > self.max_file_bytes or not file.data:
            raise EvidenceRejected(
                "too_large" if (file.size or 0) > self.max_file_bytes else "unsupported_type"
            )
        try:
            stored = self.uow.store_evidence(
                self._id(ref), file.data, file.name, file.telegram_file_id, by_user_id=self.user.id
            )
        except storage_errors.EvidenceRejected as rejected:
            raise EvidenceRejected(rejected.reason) from None
        return EvidenceRecord(stored.sha256, stored.original_name or file.name, stored.mime_type, stored.size)

    def read_letter(self, file: IncomingFile) -> LetterText:
        read = self.letters_read.get(hashlib.sha256(file.data).hexdigest())
        # Not read ahead (the conversation moved on in between): read now, in the transaction.
        return read if read is not None else read_letter_file(file.data, self.max_file_bytes)

    def render_pdf(self, letter: Letter) -> Document:
        return documents.render_pdf(letter)

    def referral_pack(self, ref: str, summary: Letter) -> Document:
        """The summary, the letters the resident sent (in English), and the evidence, with fingerprints."""
        record = self.case(ref)
        assert record is not None
        english = translator("en")
        profile = self.profile()
        files = [documents.PackFile("01-summary-for-the-ombudsman.pdf", documents.render_pdf(summary).data)]
        # Each letter as sent: dated that day, saying what was true then (not today's findings).
        for number, letter in enumerate(sent_letters(record, profile, english), start=2):
            files.append(
                documents.PackFile(f"{number:02d}-" + letter.filename, documents.render_pdf(letter).data)
            )
        for number, item in enumerate(self.uow.evidence_of(self._id(ref)), start=1):
            name = f"evidence/{number:02d}-{item.original_name or item.sha256[:12]}"
            files.append(documents.PackFile(name, self.uow.evidence.read(item.stored_path)))
        manifest = {"case": ref, "landlord": record.landlord_name, "prepared_on": self.today.isoformat()}
        return documents.zip_files(f"ombudsman-pack-{ref}.zip", files, manifest=manifest)

    def export_all(self) -> Document:
        return Document("fairsay-my-data.zip", self.uow.export_everything(self.user.id), documents.ZIP)

    def delete_everything(self) -> None:
        self.files_to_forget = self.uow.delete_user(self.user.id)
        self.deleted = True
