"""What a conversation may read and change of the resident's data, as a protocol.

The bot implements it over the database, inside the one transaction of the update being handled;
the flows' tests implement it in memory. Flows never see a session, a row or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from flows.case import Case, CaseEvent
from flows.conversations.engine import Document, IncomingFile


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


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter to the landlord (always in English) or a pack for the Ombudsman."""

    title: str
    body: str  # plain text, paragraphs separated by blank lines
    filename: str


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

    def add_evidence(self, ref: str, file: IncomingFile) -> EvidenceRecord:
        """Store a file for a case (content-addressed); raises `EvidenceRejected`."""
        ...

    def evidence_file(self, ref: str, sha256: str) -> bytes | None: ...

    def render_pdf(self, letter: Letter) -> Document: ...

    def referral_pack(self, ref: str, summary: Letter) -> Document:
        """One zip: the summary as PDF, the letters, and the evidence files with their hashes."""
        ...

    def export_all(self) -> Document: ...

    def delete_everything(self) -> None: ...
