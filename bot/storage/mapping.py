"""Rows to the domain's plain objects (`flows.case`) and storage's records, and back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar

from bot.holidays import configured_extra_holidays
from bot.storage.models import CaseRow, EvidenceFileRow
from bot.storage.records import CaseSummary, Conversation, StoredEvidence, User
from flows.case import Case, CaseEvent, CodeChoice, EventKind, LandlordPolicy
from flows.lifecycle import State
from flows.timeline import compute_facts, replay_lifecycle
from flows.working_days import Nation

_POLICY_FIELDS = frozenset(field.name for field in dataclasses.fields(LandlordPolicy))


def policy_to_json(policy: LandlordPolicy) -> dict[str, Any]:
    """Only the timescales known: an absent key means "the Code's"."""
    return {key: value for key, value in dataclasses.asdict(policy).items() if value is not None}


def policy_from_json(*layers: Mapping[str, Any]) -> LandlordPolicy:
    """A policy from JSON documents, later layers winning; keys this version does not know are ignored."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update((key, value) for key, value in layer.items() if key in _POLICY_FIELDS)
    return LandlordPolicy(**merged)


class EventColumns(Protocol):
    """A stored event's columns: an ORM row or a plain result row."""

    position: int
    date: dt.date
    kind: str
    new_due: dt.date | None
    extra_working_days: int | None
    reasons_given: bool


class RecordedColumns(EventColumns, Protocol):
    """A stored event with who recorded it and what it corrects, if anything."""

    source: str
    replaces: int | None


REMOVED, DISPUTED = "removed", "disputed"  # correction kinds (`CaseEventRow.replaces`)


AnyEvent = TypeVar("AnyEvent", bound=EventColumns)


class CaseColumns(Protocol):
    nation: str
    code_choice: str
    landlord_type: str | None
    subject: str | None
    landlord_policy: dict[str, Any]


def to_case_event(row: EventColumns) -> CaseEvent:
    return CaseEvent(
        date=row.date,
        kind=EventKind(row.kind),
        new_due=row.new_due,
        extra_working_days=row.extra_working_days,
        reasons_given=row.reasons_given,
    )


AnyRecorded = TypeVar("AnyRecorded", bound=RecordedColumns)


def effective_events(rows: Iterable[AnyRecorded]) -> tuple[list[AnyRecorded], set[int]]:
    """The events as corrected, in recording order, and the positions of those the resident disputes.

    Every row stays (the history is append-only and audited); a correction takes the place of the
    event it names: a new date (same kind), "removed", or "disputed" (kept, and marked)."""
    by_position: dict[int, AnyRecorded] = {}
    disputed: set[int] = set()
    origin: dict[int, int] = {}  # a correction's position -> the original event's position
    for row in sorted(rows, key=lambda r: r.position):
        if row.replaces is None:
            by_position[row.position] = row
            origin[row.position] = row.position
            continue
        original = origin.get(row.replaces, row.replaces)
        if row.kind == DISPUTED:
            disputed.add(original)
        elif row.kind == REMOVED:
            by_position.pop(original, None)
        elif original in by_position:
            by_position[original] = row
            origin[row.position] = original
    return [by_position[p] for p in sorted(by_position)], disputed


def recorded_events(rows: Iterable[RecordedColumns]) -> list[tuple[int, CaseEvent]]:
    """(position, event) pairs as corrected: the order of recording next to each event."""
    kept, _ = effective_events(rows)
    return [(row.position, to_case_event(row)) for row in kept]


def in_case_order(rows: Iterable[AnyEvent]) -> list[AnyEvent]:
    """By date; events on the same day in the order they were recorded."""
    return sorted(rows, key=lambda row: (row.date, row.position))


def to_case(
    row: CaseColumns, events: Iterable[tuple[int, CaseEvent]], landlord_policy: Mapping[str, Any]
) -> Case:
    """`events`: (position, event) pairs, sorted here by date then position. `landlord_policy`: an
    approved landlord's own timescales; what the resident told us wins."""
    ordered = sorted(events, key=lambda pair: (pair[1].date, pair[0]))
    return Case(
        events=tuple(event for _, event in ordered),
        nation=Nation(row.nation),
        code=CodeChoice(row.code_choice),
        landlord_policy=policy_from_json(landlord_policy, row.landlord_policy),
        landlord_type=row.landlord_type,
        subject=row.subject,
        extra_holidays=configured_extra_holidays(),
    )


def lifecycle_state_of(case: Case) -> State:
    if not case.events:
        return State.DRAFTING
    # As of the last event: every event counts, and the state depends on nothing later.
    return replay_lifecycle(compute_facts(case, case.events[-1].date)).state


def to_user(row: Any) -> User:
    """From the ORM row or a plain result row of the users table."""
    return User(
        row.id,
        row.telegram_id,
        row.email,
        row.language,
        row.time_zone,
        row.roles,
        row.created_at,
        row.display_name,
        row.landlord_id,
        row.staff_role,
        row.digest_hour,
    )


def to_case_summary(row: CaseRow) -> CaseSummary:
    assert row.id is not None
    return CaseSummary(
        id=row.id,
        public_ref=row.public_ref,
        owner_user_id=row.owner_user_id,
        landlord_id=row.landlord_id,
        landlord_name=row.landlord_name,
        subject=row.subject,
        lifecycle_state=row.lifecycle_state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
    )


def to_conversation(row: Any) -> Conversation:
    """From a result row of CONVERSATION_OF (its answers are a fresh dict, the caller's to edit)."""
    return Conversation(row.user_id, row.flow, row.state, row.answers, row.case_id, row.version)


def to_evidence(row: EvidenceFileRow) -> StoredEvidence:
    assert row.id is not None
    return StoredEvidence(
        row.id, row.case_id, row.sha256, row.size, row.mime_type, row.original_name, row.stored_path
    )
