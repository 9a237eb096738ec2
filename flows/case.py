"""A complaint as the resident knows it: an append-only list of dated events.

Everything else (deadlines, time limits, the lifecycle state, what to do next) is computed from
these events, so the history is the single source of truth and a partial history (a resident who
arrives mid-way, or does not know a date) is simply a shorter list.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from flows.working_days import Nation


class EventKind(StrEnum):
    ISSUE_STARTED = "issue_started"  # the problem began, or the resident became aware of it
    COMPLAINT_MADE = "complaint_made"
    ACKNOWLEDGED = "acknowledged"
    STAGE1_EXTENSION = "stage1_extension"
    STAGE1_RESPONSE = "stage1_response"
    ESCALATION_REQUESTED = "escalation_requested"
    STAGE2_ACKNOWLEDGED = "stage2_acknowledged"
    STAGE2_EXTENSION = "stage2_extension"
    STAGE2_RESPONSE = "stage2_response"
    LANDLORD_DECLINED = "landlord_declined"  # refused to accept the complaint, or to escalate it
    REFERRED_TO_OMBUDSMAN = "referred_to_ombudsman"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"


EXTENSION_KINDS = frozenset({EventKind.STAGE1_EXTENSION, EventKind.STAGE2_EXTENSION})
STAGE1_KINDS = frozenset(
    {EventKind.COMPLAINT_MADE, EventKind.ACKNOWLEDGED, EventKind.STAGE1_EXTENSION, EventKind.STAGE1_RESPONSE}
)
STAGE2_KINDS = frozenset(
    {
        EventKind.ESCALATION_REQUESTED,
        EventKind.STAGE2_ACKNOWLEDGED,
        EventKind.STAGE2_EXTENSION,
        EventKind.STAGE2_RESPONSE,
    }
)


class CodeChoice(StrEnum):
    AUTO = "auto"  # each stage follows the Code in force when it began
    V2022 = "2022"
    V2024 = "2024"


class LandlordType(StrEnum):
    HOUSING_ASSOCIATION = "housing_association"
    REGISTERED_PROVIDER = "registered_provider"  # any other registered provider of social housing
    COUNCIL = "council"
    ALMO = "almo"  # arm's-length management organisation running council homes
    PRIVATE_LANDLORD = "private_landlord"
    LETTING_AGENT = "letting_agent"


@dataclass(frozen=True, slots=True)
class CaseEvent:
    date: datetime.date
    kind: EventKind
    # Extensions only: the new date promised, or a number of extra working days from the current due
    # date; and whether the landlord explained why (Code 6.4 requires the reasons).
    new_due: datetime.date | None = None
    extra_working_days: int | None = None
    reasons_given: bool = False


@dataclass(frozen=True, slots=True)
class LandlordPolicy:
    """A landlord's own timescales, where the resident knows them. The Code stays the floor."""

    stage1_response_working_days: int | None = None
    stage2_response_working_days: int | None = None
    escalation_window_days: int | None = None  # calendar days after the stage 1 response
    # Whether the landlord's policy lets a resident ask for stage 2 once the stage 1 answer is late
    # (None: not known). Matters only where the Code in force does not (2022 Code 5.11).
    stage2_when_stage1_late: bool | None = None


@dataclass(frozen=True, slots=True)
class Case:
    events: tuple[CaseEvent, ...]
    nation: Nation = Nation.ENGLAND
    code: CodeChoice = CodeChoice.AUTO
    landlord_policy: LandlordPolicy = field(default_factory=LandlordPolicy)
    landlord_type: str | None = None  # a LandlordType value, or free text the triage cannot place
    subject: str | None = None  # a triage subject id, or the resident's own words
    # One-off bank holidays announced after a release (EXTRA_BANK_HOLIDAYS), set by the adapter that
    # builds the case: its deadlines count them, so flows/ needs no process-wide setting.
    extra_holidays: frozenset[datetime.date] = frozenset()


@dataclass(frozen=True, slots=True)
class OrderProblem:
    index: int
    event: CaseEvent
    previous: CaseEvent


def first_out_of_order(events: tuple[CaseEvent, ...] | list[CaseEvent]) -> OrderProblem | None:
    """The first event dated before the one listed ahead of it (equal dates keep list order)."""
    for index in range(1, len(events)):
        if events[index].date < events[index - 1].date:
            return OrderProblem(index, events[index], events[index - 1])
    return None


# Bound once: on Python 3.11 `Enum.MEMBER` goes through EnumType's `__getattr__` hook (slow).
_ISSUE_STARTED = EventKind.ISSUE_STARTED


class EventIndex:
    """One pass over a history: the first event of each kind, where it stands, when each stage began.

    When a kind repeats, the first one counts (it starts or stops the clock).
    """

    __slots__ = ("began", "events", "first", "position", "stage1_began", "stage2_began")

    def __init__(self, events: Sequence[CaseEvent]) -> None:
        self.events = events
        first: dict[EventKind, CaseEvent] = {}
        position: dict[EventKind, int] = {}
        began = stage1_began = stage2_began = None
        for index, event in enumerate(events):
            kind = event.kind
            if kind not in first:
                first[kind] = event
                position[kind] = index
            if began is None and kind is not _ISSUE_STARTED:
                began = event.date
            if stage1_began is None and kind in STAGE1_KINDS:
                stage1_began = event.date
            elif stage2_began is None and kind in STAGE2_KINDS:
                stage2_began = event.date
        self.first = first
        self.position = position
        self.began: datetime.date | None = began  # the first event other than `issue_started`
        self.stage1_began: datetime.date | None = stage1_began
        self.stage2_began: datetime.date | None = stage2_began

    def get(self, kind: EventKind) -> CaseEvent | None:
        return self.first.get(kind)

    def later(self, start: CaseEvent, kinds: frozenset[EventKind]) -> CaseEvent | None:
        """The first event of one of `kinds` listed after `start` (the first of its kind)."""
        for event in self.events[self.position[start.kind] + 1 :]:
            if event.kind in kinds:
                return event
        return None

    def all_of(self, kind: EventKind) -> list[CaseEvent]:
        if kind not in self.first:
            return []
        return [event for event in self.events[self.position[kind] :] if event.kind is kind]
