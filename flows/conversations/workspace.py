"""What a conversation may read and change of the resident's data, as a protocol.

The bot implements it over the database, inside the one transaction of the update being handled;
the flows' tests implement it in memory. Flows never see a session, a row or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from flows.case import Case, CaseEvent
from flows.conversations.types import Document, IncomingFile

if TYPE_CHECKING:
    from flows.mail_replies import MailReply


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    sha256: str
    name: str
    mime_type: str
    size: int
    added_on: date | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One of the resident's complaints: the domain case plus what the letters need."""

    ref: str
    case: Case
    landlord_name: str
    details: dict[str, Any] = field(default_factory=dict)
    evidence: tuple[EvidenceRecord, ...] = ()
    landlord_recorded: frozenset[CaseEvent] = frozenset()  # told us by the landlord: disputed, not removed
    disputed: frozenset[CaseEvent] = frozenset()  # the resident disputes these (the landlord's)
    # Sent to the landlord through Fair Say (the complaint, the stage 2 request): Fair Say knows the day it
    # went, so it is not the resident's to re-date or remove (the landlord's clocks run from it).
    delivered: frozenset[CaseEvent] = frozenset()


@dataclass(frozen=True, slots=True)
class EmailPreview:
    """Exactly what Fair Say will email for the resident, shown before they agree."""

    to: str
    mail_from: str
    reply_to: str
    subject: str
    attached: tuple[str, ...]
    left_out: tuple[str, ...]  # evidence over the size limit: listed in the mail as available on request
    authority: str  # the resident's written authority, as the mail says it (English)


@dataclass(frozen=True, slots=True)
class EmailLimit:
    """A sending limit reached: which ("resident" or "recipient"), and from when to try again (local time)."""

    which: str
    again_at: datetime


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter to the landlord (always in English) or a pack for the Ombudsman."""

    title: str
    body: str  # plain text, paragraphs separated by blank lines
    filename: str


@dataclass(frozen=True, slots=True)
class LetterText:
    """A landlord's letter read by the adapter (bot/services/response_reading.py): its text, or why not
    ("empty", "too_large", "unsupported_type", "encrypted", "too_many_pages", "damaged", "no_text",
    "ocr_unavailable")."""

    text: str | None
    unreadable: str | None = None


class EvidenceRejected(Exception):
    def __init__(self, reason: str) -> None:  # "too_large" or "unsupported_type"
        super().__init__(reason)
        self.reason = reason


class Workspace(Protocol):
    """The resident's data, as one update sees it."""

    @property
    def language(self) -> str: ...

    def set_language(self, language: str) -> None: ...

    def set_role(self, role: str) -> None: ...

    def profile(self) -> dict[str, Any]:
        """Details asked once and reused: name, address, tenancy reference, how to be contacted."""
        ...

    def update_profile(self, values: dict[str, Any]) -> None: ...

    def cases(self) -> list[CaseRecord]: ...

    def case(self, ref: str) -> CaseRecord | None: ...

    def open_case(
        self,
        *,
        nation: str,
        landlord_type: str | None,
        landlord_name: str,
        subject: str | None,
        details: dict[str, Any],
    ) -> str:
        """A new complaint, not sent yet (no events); returns its reference."""
        ...

    def update_case_details(self, ref: str, values: dict[str, Any]) -> None: ...

    def record_event(self, ref: str, event: CaseEvent) -> None: ...

    def mail_reply(self, ref: str, email_id: int) -> MailReply | None:
        """An email that came back to the case's reply address (bot.mail), if it is this case's."""
        ...

    def settle_mail_reply(self, ref: str, email_id: int, *, confirmed: bool) -> None:
        """The resident's tap on it: confirmed (its event recorded) or dismissed (kept, nothing recorded)."""
        ...

    def correct_event(self, ref: str, event: CaseEvent, how: str) -> None:
        """A correction, itself an event (audited): `how` is "removed", "disputed" (for what the
        landlord recorded), or an ISO date: the same event on that day."""
        ...

    def add_evidence(self, ref: str, file: IncomingFile) -> EvidenceRecord:
        """Store a file for a case (content-addressed); raises `EvidenceRejected`."""
        ...

    def read_letter(self, file: IncomingFile) -> LetterText:
        """The text of a letter the resident sent (PDF, Word, photo by OCR), for checking it."""
        ...

    def render_pdf(self, letter: Letter) -> Document: ...

    def referral_pack(self, ref: str, summary: Letter) -> Document:
        """One zip: the summary as PDF, the letters, and the evidence files with their hashes."""
        ...

    def export_all(self) -> Document: ...

    def delete_everything(self) -> None: ...


# --- other people: advocates, landlords -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Advocate:
    """Someone the resident let see (or act on) one complaint."""

    link_id: int
    ref: str
    name: str
    scope: str  # "view" or "act"
    since: date


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: str  # "linked", "joined", "unknown", "slow_down", "own_case"
    ref: str | None = None  # linked: the complaint
    landlord: str | None = None  # joined: the organisation


@dataclass(frozen=True, slots=True)
class Organisation:
    """The landlord a member of staff works for."""

    name: str
    approved: bool
    admin: bool


class People(Protocol):
    """Everything beyond one resident's own data: sharing with advocates, an advocate's caseload, and a
    landlord's complaints team. The bot checks every permission; the flows only ask."""

    def roles(self) -> frozenset[str]: ...

    def display_name(self) -> str | None: ...

    def set_display_name(self, name: str) -> None: ...

    # A resident sharing their complaints.
    def share_code(self, ref: str, scope: str) -> str:
        """A one-time code the resident gives their advocate (shown once)."""
        ...

    def advocates(self) -> list[Advocate]:
        """Everyone who can see one of the resident's complaints now."""
        ...

    def remove_advocate(self, link_id: int) -> bool: ...

    def ask_advocate_to_call(self, link_id: int) -> bool:
        """Tell one of the resident's advocates, with the resident's consent, that they would like to talk
        (nothing else); False when that advocate is not linked any more."""
        ...

    def role_on(self, ref: str) -> str | None:
        """ "owner", "act", "view", "landlord", or None when the person may not see the complaint."""
        ...

    # An advocate.
    def redeem_code(self, code: str) -> Redemption: ...

    def caseload(self) -> list[CaseRecord]:
        """The complaints the advocate is linked to now."""
        ...

    def digest_hour(self) -> int | None: ...

    def set_digest_hour(self, hour: int | None) -> None: ...

    def ask_resident(self, ref: str, what: str) -> None:
        """An advocate with "act" consent proposes a step ("stage2", "referral"); the resident approves it."""
        ...

    # A resident sending through Fair Say to an onboarded landlord.
    def delivers_to(self, ref: str) -> str | None:
        """The name of the onboarded landlord this complaint can be delivered to, if any."""
        ...

    def deliver(self, ref: str, stage: int) -> bool: ...

    # A resident having Fair Say email the letter to any landlord's complaints address.
    def can_email(self, ref: str) -> bool:
        """The resident's own complaint, and this service is set up to send mail and receive replies."""
        ...

    def is_own_address(self, address: str) -> bool:
        """Fair Say's own (a case's reply address, its From, its abuse desk): never a landlord's."""
        ...

    def email_preview(self, ref: str, stage: int, to: str) -> EmailPreview: ...

    def email_letter(self, ref: str, stage: int, to: str) -> EmailLimit | None:
        """Queue it, with the resident's consent (recorded); None when queued, else the limit reached."""
        ...

    # A landlord's complaints team.
    def organisation(self) -> Organisation | None: ...

    def register_organisation(self, values: dict[str, Any]) -> str | None:
        """None when registered; "number_taken" if that registered provider number is already here."""
        ...

    def invite_colleague(self, role: str) -> str: ...

    def inbox(self) -> list[CaseRecord]: ...

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
        """Do it; None when done, else the problem ("not_found", a flows.landlord_actions.Problem value,
        "too_large", "unsupported_type"). `confirmed`: the landlord has read the cautions and goes ahead."""
        ...

    def landlord_files(self, ref: str) -> list[Document] | None:
        """A complaint delivered to the team's landlord: its latest letter (PDF) and the evidence files;
        None when it is not theirs (the same as a made-up reference)."""
        ...

    def compliance(self) -> tuple[str, Document] | None:
        """The team's CH01/CH02 figures for the financial year to date, and the same as CSV."""
        ...

    def portal_link(self) -> tuple[str, str | None]:
        """A one-time sign-in link to the web portal: ("ok", url), or ("not_for_you" | "off" |
        "slow_down", None)."""
        ...
