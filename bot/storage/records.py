"""The plain objects storage hands to handlers (never live database rows), and the vocabularies
stored in text columns. The complaint itself is the domain's `flows.case.Case`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from flows.case import CaseEvent


class Role(StrEnum):
    RESIDENT = "resident"
    ADVOCATE = "advocate"
    LANDLORD_STAFF = "landlord_staff"
    OPERATOR = "operator"


class EventSource(StrEnum):
    """Who told us about an event."""

    RESIDENT = "resident"
    ADVOCATE = "advocate"
    LANDLORD = "landlord"


class AdvocateScope(StrEnum):
    VIEW = "view"
    ACT = "act"  # may also record events and write to the landlord for the resident


@dataclass(frozen=True, slots=True)
class User:
    id: int
    telegram_id: int | None
    email: str | None
    language: str
    time_zone: str
    roles: frozenset[Role]
    created_at: datetime
    display_name: str | None = None
    landlord_id: int | None = None  # landlord staff: their organisation
    staff_role: str | None = None  # "admin" or "member"
    digest_hour: int | None = None

    def has_role(self, role: Role) -> bool:
        return role in self.roles


# A conversation with no flow under way.
IDLE = "idle"


@dataclass(slots=True)
class Conversation:
    """Where a user's conversation stands. Change `flow`, `state`, `answers` or `case_id`, then
    `save_conversation`: it succeeds only if nobody saved since this copy was read (`version`)."""

    user_id: int
    flow: str = IDLE
    state: str = IDLE
    answers: dict[str, Any] = field(default_factory=dict)
    case_id: int | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: int
    public_ref: str
    owner_user_id: int
    landlord_id: int | None
    landlord_name: str | None
    subject: str | None
    lifecycle_state: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder claimed for sending: send it, then `mark_reminder_sent`, or `release_reminder`."""

    id: int
    user_id: int
    case_id: int | None
    kind: str
    due_at: datetime
    payload: dict[str, Any]
    dedupe_key: str
    attempts: int  # including this one
    claimed_until: datetime


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    id: int
    case_id: int
    sha256: str
    size: int
    mime_type: str
    original_name: str | None
    stored_path: str  # relative to EVIDENCE_DIR


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    event: CaseEvent
    source: EventSource
    note: str | None  # the landlord's reason for an extension or a refusal
    disputed: bool = False  # the resident disputes it (what the landlord recorded): shown beside it
