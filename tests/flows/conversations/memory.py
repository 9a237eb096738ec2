"""An in-memory `Workspace` and a tiny chat driver, for testing the conversations without a database."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from support.journey import Answer

from bot.services.response_reading import read_letter_file
from flows.case import Case, CaseEvent, CodeChoice
from flows.conversations.engine import ConversationState, Turn
from flows.conversations.router import respond
from flows.conversations.types import Button, Document, Incoming, IncomingFile, Reply
from flows.conversations.workspace import (
    Advocate,
    CaseRecord,
    EmailLimit,
    EmailPreview,
    EvidenceRecord,
    EvidenceRejected,
    Letter,
    LetterText,
    Organisation,
    Redemption,
)
from flows.i18n import Translator, translator
from flows.mail_replies import MailReply
from flows.working_days import Nation


@dataclass
class MemoryWorkspace:
    language: str = "en"
    role: str | None = None
    stored_profile: dict[str, Any] = field(default_factory=dict)
    records: dict[str, CaseRecord] = field(default_factory=dict)
    deleted: bool = False
    today: date = date(2026, 3, 2)
    corrections: list[tuple[str, CaseEvent, str]] = field(default_factory=list)
    mail: dict[int, MailReply] = field(default_factory=dict)
    mail_settled: list[tuple[str, int, bool]] = field(default_factory=list)

    def set_language(self, language: str) -> None:
        self.language = language

    def set_role(self, role: str) -> None:
        self.role = role

    def profile(self) -> dict[str, Any]:
        return dict(self.stored_profile)

    def update_profile(self, values: dict[str, Any]) -> None:
        self.stored_profile.update(values)

    def cases(self) -> list[CaseRecord]:
        return list(self.records.values())

    def case(self, ref: str) -> CaseRecord | None:
        return self.records.get(ref)

    def open_case(
        self,
        *,
        nation: str,
        landlord_type: str | None,
        landlord_name: str,
        subject: str | None,
        details: dict[str, Any],
    ) -> str:
        ref = f"FS{len(self.records) + 1:04d}"
        case = Case((), Nation(nation), CodeChoice.AUTO, landlord_type=landlord_type, subject=subject)
        self.records[ref] = CaseRecord(ref, case, landlord_name, dict(details))
        return ref

    def update_case_details(self, ref: str, values: dict[str, Any]) -> None:
        record = self.records[ref]
        self.records[ref] = replace(record, details={**record.details, **values})

    def record_event(self, ref: str, event: CaseEvent) -> None:
        record = self.records[ref]
        events = sorted([*record.case.events, event], key=lambda e: e.date)
        self.records[ref] = replace(record, case=replace(record.case, events=tuple(events)))

    def mail_reply(self, ref: str, email_id: int) -> MailReply | None:
        reply = self.mail.get(email_id)
        return reply if reply is not None and ref in self.records else None

    def settle_mail_reply(self, ref: str, email_id: int, *, confirmed: bool) -> None:
        self.mail[email_id] = replace(self.mail[email_id], settled=True)
        self.mail_settled.append((ref, email_id, confirmed))

    def correct_event(self, ref: str, event: CaseEvent, how: str) -> None:
        record = self.records[ref]
        if how == "disputed":
            self.records[ref] = replace(record, disputed=record.disputed | {event})
            return
        assert event not in record.landlord_recorded, "what the landlord recorded is disputed, not changed"
        events = list(record.case.events)
        events.remove(event)
        if how != "removed":
            events.append(replace(event, date=date.fromisoformat(how)))
        events.sort(key=lambda e: e.date)
        self.records[ref] = replace(record, case=replace(record.case, events=tuple(events)))
        self.corrections.append((ref, event, how))

    def add_evidence(self, ref: str, file: IncomingFile) -> EvidenceRecord:
        if len(file.data) > 1_000_000:
            raise EvidenceRejected("too_large")
        if file.mime_type not in {"image/jpeg", "image/png", "application/pdf", "audio/ogg"}:
            raise EvidenceRejected("unsupported_type")
        digest = hashlib.sha256(file.data).hexdigest()
        record = self.records[ref]
        item = EvidenceRecord(digest, file.name, file.mime_type, len(file.data), self.today)
        self.records[ref] = replace(record, evidence=(*record.evidence, item))
        return item

    def read_letter(self, file: IncomingFile) -> LetterText:
        return read_letter_file(file.data)

    def render_pdf(self, letter: Letter) -> Document:
        return Document(letter.filename, b"%PDF-1.4 " + letter.body.encode(), "application/pdf")

    def referral_pack(self, ref: str, summary: Letter) -> Document:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as pack:
            pack.writestr("summary.txt", summary.body)
        return Document(f"ombudsman-pack-{ref}.zip", buffer.getvalue(), "application/zip")

    def export_all(self) -> Document:
        data = {"profile": self.stored_profile, "cases": sorted(self.records)}
        return Document("fairsay-export.json", json.dumps(data).encode(), "application/json")

    def delete_everything(self) -> None:
        self.deleted = True
        self.records.clear()
        self.stored_profile.clear()


@dataclass
class MemoryPeople:
    """`People` in memory for one person: codes they made, helpers, an organisation. Enough to drive
    every flow; the real permission checks are tested against the database in tests/bot."""

    workspace: MemoryWorkspace
    role_names: set[str] = field(default_factory=lambda: {"resident"})
    name: str | None = None
    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (ref, scope)
    linked: list[Advocate] = field(default_factory=list)
    helping: dict[str, CaseRecord] = field(default_factory=dict)
    hour: int | None = None
    proposals: list[tuple[str, str]] = field(default_factory=list)
    delivered: list[tuple[str, int]] = field(default_factory=list)
    org: Organisation | None = None
    registered: dict[str, Any] = field(default_factory=dict)
    received: dict[str, CaseRecord] = field(default_factory=dict)
    actions: list[tuple[str, str]] = field(default_factory=list)
    calls_asked: list[int] = field(default_factory=list)
    emailing: bool = False  # "Email it for me" offered (SMTP and a reply domain set up)
    email_limit: EmailLimit | None = None  # the limit email_letter reports, if any
    emailed: list[tuple[str, int, str]] = field(default_factory=list)

    def roles(self) -> frozenset[str]:
        return frozenset(self.role_names | ({self.workspace.role} if self.workspace.role else set()))

    def display_name(self) -> str | None:
        return self.name

    def set_display_name(self, name: str) -> None:
        self.name = name

    def share_code(self, ref: str, scope: str) -> str:
        code = f"CODE{len(self.codes):06d}"
        self.codes[code] = (ref, scope)
        return code

    def advocates(self) -> list[Advocate]:
        return list(self.linked)

    def remove_advocate(self, link_id: int) -> bool:
        before = len(self.linked)
        self.linked = [h for h in self.linked if h.link_id != link_id]
        return len(self.linked) < before

    def ask_advocate_to_call(self, link_id: int) -> bool:
        if not any(h.link_id == link_id for h in self.linked):
            return False
        self.calls_asked.append(link_id)
        return True

    def role_on(self, ref: str) -> str | None:
        if ref in self.workspace.records:
            return "owner"
        if ref in self.received:
            return "landlord"
        return "act" if ref in self.helping else None

    def redeem_code(self, code: str) -> Redemption:
        return Redemption("unknown")

    def caseload(self) -> list[CaseRecord]:
        return list(self.helping.values())

    def digest_hour(self) -> int | None:
        return self.hour

    def set_digest_hour(self, hour: int | None) -> None:
        self.hour = hour

    def ask_resident(self, ref: str, what: str) -> None:
        self.proposals.append((ref, what))

    def delivers_to(self, ref: str) -> str | None:
        return None

    def can_email(self, ref: str) -> bool:
        return self.emailing

    def is_own_address(self, address: str) -> bool:
        return address.lower().endswith("@replies.fairsay.example")

    def email_preview(self, ref: str, stage: int, to: str) -> EmailPreview:
        return EmailPreview(
            to,
            "Fair Say <complaints@fairsay.example>",
            "case-abc@replies.fairsay.example",
            f"Formal complaint (stage {stage}), ref {ref}",
            ("complaint.pdf", "photo.jpg"),
            ("video.mp4",),
            "I, Test Resident, authorise Fair Say to send this complaint on my behalf and to receive your replies "
            "at case-abc@replies.fairsay.example.",
        )

    def email_letter(self, ref: str, stage: int, to: str) -> EmailLimit | None:
        if self.email_limit is not None:
            return self.email_limit
        self.emailed.append((ref, stage, to))
        return None

    def deliver(self, ref: str, stage: int) -> bool:
        self.delivered.append((ref, stage))
        return False

    def organisation(self) -> Organisation | None:
        return self.org

    def register_organisation(self, values: dict[str, Any]) -> str | None:
        self.registered = dict(values)
        self.org = Organisation(str(values["name"]), approved=False, admin=True)
        self.role_names.add("landlord_staff")
        return None

    def invite_colleague(self, role: str) -> str:
        return "INVITE0001"

    def inbox(self) -> list[CaseRecord]:
        return list(self.received.values())

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
        if ref not in self.received:
            return "not_found"
        self.actions.append((ref, action))
        return None

    def landlord_files(self, ref: str) -> list[Document] | None:
        if ref not in self.received:
            return None
        return [Document(f"complaint-{ref}.pdf", b"%PDF-1.4 letter", "application/pdf")]

    def compliance(self) -> tuple[str, Document] | None:
        return ("CH01 / CH02", Document("complaints.csv", b"ref,stage\n", "text/csv")) if self.org else None

    def portal_link(self) -> tuple[str, str | None]:
        if not (self.roles() & {"landlord_staff", "advocate", "operator"}):
            return "not_for_you", None
        return "ok", "https://fairsay.test/portal/sign-in/TOKEN"


class Chat:
    """Drives `respond` like a resident would: send text, press buttons by label, upload files."""

    def __init__(
        self,
        workspace: MemoryWorkspace | None = None,
        today: date = date(2026, 3, 2),
        translator_for: Callable[[str], Translator] = translator,
    ) -> None:
        self.translator_for = translator_for
        self.workspace = workspace or MemoryWorkspace(today=today)
        self.people = MemoryPeople(self.workspace)
        self.today = today
        self.state: ConversationState | None = None
        self.replies: list[Reply] = []
        self.said: list[Reply] = []  # every reply of the chat, for `transcript`
        self.now: datetime | None = None  # the moment of each update; noon of `today` when unset

    def _turn(self) -> Turn:
        return Turn(
            self.translator_for(self.workspace.language),
            self.today,
            self.now or datetime(self.today.year, self.today.month, self.today.day, 12),
            self.workspace,
            people=self.people,
        )

    def send(self, incoming: Incoming | str) -> list[Reply]:
        if isinstance(incoming, str):
            incoming = Incoming(text=incoming)
        turn = self._turn()
        self.state = respond(self.state, incoming, turn)
        self.replies = turn.replies
        self.said += turn.replies
        return turn.replies

    @property
    def buttons(self) -> list[Button]:
        return [button for reply in self.replies for row in reply.buttons for button in row]

    def press(self, label: str) -> list[Reply]:
        for button in self.buttons:
            if button.label == label:
                return self.send(Incoming(button=button.data))
        raise AssertionError(f"no button {label!r}; buttons: {[b.label for b in self.buttons]}")

    def choose(self, choice_id: str) -> list[Reply]:
        """Press the button for a choice by its id: the same in every language."""
        for button in self.buttons:
            if button.data.split(":", 1)[1] == choice_id:
                return self.send(Incoming(button=button.data))
        raise AssertionError(f"no choice {choice_id!r}; buttons: {[b.data for b in self.buttons]}")

    def play(self, answers: Sequence[Answer]) -> list[Reply]:
        """Answer each question in turn (support.journey), checking it is the one being asked."""
        seen: list[Reply] = []
        for answer in answers:
            assert self.where == (answer.flow, answer.step), (
                f"at {self.where}, not {answer.flow}.{answer.step}"
            )
            if answer.file is not None:
                seen += self.send(Incoming(file=answer.file))
            elif answer.choice is not None:
                seen += self.choose(answer.choice)
            else:
                seen += self.send(answer.text or "")
        return seen

    def upload(self, name: str, data: bytes, mime_type: str, kind: str = "document") -> list[Reply]:
        return self.send(Incoming(file=IncomingFile(name, mime_type, data, kind)))

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    def transcript(self) -> str:
        """Everything the chat has said so far."""
        return "\n".join(reply.text for reply in self.said)

    @property
    def where(self) -> tuple[str, str]:
        assert self.state is not None
        return self.state.flow, self.state.state
