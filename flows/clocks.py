"""A case's clocks as they are kept on the case (issue 28): the open deadlines' due dates, and each
stage's figures for the compliance report, computed once when an event is recorded instead of on
every page.

Everything here depends on the events and the rules, not on the day it is read: a deadline is open
until an event meets or overtakes it, and its due date moves only with events. What does change
with the day ("missed", working days left or late) is worked out by the reader from the due date
(`due < today`), never kept.

The `clocks_stamp` names what the dates were computed with (the Code's rules, the bank-holiday data
and EXTRA_BANK_HOLIDAYS, the landlord's approved timescales, and `CLOCKS_FORMAT`); a case whose stamp
differs is computed again before its clocks are read (bot.storage.clocks).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from typing import Any

from flows.case import Case, CaseEvent, EventKind
from flows.code_rules import CODES
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.timeline import Facts, compute_facts

# Bump when flows/deadlines.py or flows/timeline.py change how a due date or a status is worked out:
# every stamp changes with it, and every case is computed again.
CLOCKS_FORMAT = 1

HOLIDAYS_DATA = version("holidays")  # the package's bank-holiday data comes with its releases

# A stage's response, as kept: the statuses that do not depend on the day ("open" stands for pending
# and missed-but-unanswered alike; which one is `due < today`).
OPEN = "open"


@dataclass(frozen=True, slots=True)
class KeptClock:
    """An open deadline: due on `due` under `citation` (the Code's paragraph)."""

    deadline: DeadlineId
    due: date
    citation: str


@dataclass(frozen=True, slots=True)
class KeptStage:
    """One complaint stage, for the compliance report (flows.compliance.ComplaintStage less the day)."""

    stage: int
    began_on: date | None
    received_on: date | None
    acknowledged_on: date | None
    responded_on: date | None
    response_due: date | None
    response_status: str  # a DeadlineStatus value, or OPEN
    working_days_late: int | None  # once answered (or overtaken); None while open


@dataclass(frozen=True, slots=True)
class KeptClocks:
    clocks: tuple[KeptClock, ...]  # soonest first
    stages: tuple[KeptStage, KeptStage]

    @property
    def next_due(self) -> date | None:
        return self.clocks[0].due if self.clocks else None


_NOT_BEGUN = DeadlineStatus.NOT_APPLICABLE.value
NOTHING_KEPT = KeptClocks(  # a case with no events yet
    (),
    (
        KeptStage(1, None, None, None, None, None, _NOT_BEGUN, None),
        KeptStage(2, None, None, None, None, None, _NOT_BEGUN, None),
    ),
)

_STAGE_KINDS = {
    1: (
        EventKind.COMPLAINT_MADE,
        EventKind.ACKNOWLEDGED,
        EventKind.STAGE1_RESPONSE,
        DeadlineId.STAGE1_RESPONSE,
    ),
    2: (
        EventKind.ESCALATION_REQUESTED,
        EventKind.STAGE2_ACKNOWLEDGED,
        EventKind.STAGE2_RESPONSE,
        DeadlineId.STAGE2_RESPONSE,
    ),
}


def kept_clocks(case: Case, facts: Facts | None = None) -> KeptClocks:
    """The clocks of `case` counting every event it has. `facts`: already computed as of its last event
    (or any later day), to save computing them twice."""
    if facts is None:
        if not case.events:
            return NOTHING_KEPT
        facts = compute_facts(case, case.events[-1].date)
    clocks = sorted(
        (
            KeptClock(d.id, d.due, d.due_rule.citation if d.due_rule is not None else "")
            for d in facts.deadlines
            if d.is_open and d.due is not None
        ),
        key=lambda clock: (clock.due, clock.deadline),
    )
    stage1, stage2 = (_stage(facts, number) for number in (1, 2))
    return KeptClocks(tuple(clocks), (stage1, stage2))


def _stage(facts: Facts, number: int) -> KeptStage:
    received, acknowledged, responded, deadline_id = _STAGE_KINDS[number]
    index = facts.index
    deadline = facts.deadline(deadline_id)
    is_open = deadline.is_open and deadline.due is not None
    status = OPEN if is_open else deadline.status.value
    late = None
    if not is_open and deadline.status in (
        DeadlineStatus.MET,
        DeadlineStatus.MET_EXTENSION_OVER_LIMIT,
        DeadlineStatus.MISSED,
    ):
        late = deadline.working_days_late
    return KeptStage(
        number,
        index.stage1_began if number == 1 else index.stage2_began,
        _date_of(index.get(received)),
        _date_of(index.get(acknowledged)),
        _date_of(index.get(responded)),
        deadline.due,
        status,
        late,
    )


def _date_of(event: CaseEvent | None) -> date | None:
    return event.date if event is not None else None


def clocks_stamp(approved_policy: Mapping[str, Any], extra_holidays: Iterable[date]) -> str:
    """What the kept clocks of a case whose landlord approved `approved_policy` were computed with,
    counting `extra_holidays` (EXTRA_BANK_HOLIDAYS, as on the Case)."""
    policy = json.dumps(dict(approved_policy), sort_keys=True, default=str)
    return _stamp(policy, frozenset(extra_holidays))


@lru_cache(maxsize=256)  # every append asks: a few landlords' policies, one holiday set
def _stamp(policy: str, extra_holidays: frozenset[date]) -> str:
    rules = {
        "format": CLOCKS_FORMAT,
        "codes": repr(sorted(CODES.items())),  # every clock's days and paragraphs
        "holidays": HOLIDAYS_DATA,
        "extra_holidays": sorted(day.isoformat() for day in extra_holidays),
        "policy": policy,
    }
    text = json.dumps(rules, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
