"""Extra bank holidays (EXTRA_BANK_HOLIDAYS) reach the calendar as a parameter, on the Case: flows/
keeps no process-wide setting, so two holiday sets can count side by side in one process."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from flows.case import Case, CaseEvent, EventKind
from flows.clocks import clocks_stamp
from flows.deadlines import DeadlineId
from flows.hazards import tracked_deadlines
from flows.timeline import build_timeline, compute_facts
from flows.working_days import Nation, calendar_for

FLOWS = Path(__file__).resolve().parents[2] / "flows"
MADE = date(2027, 6, 1)  # a Tuesday; acknowledgement due 5 working days later
ACK = DeadlineId.STAGE1_ACKNOWLEDGEMENT


def _due(case: Case) -> date | None:
    return compute_facts(case, date(2027, 6, 2)).deadline(ACK).due


def test_two_holiday_sets_side_by_side_give_their_own_deadlines() -> None:
    plain = Case((CaseEvent(MADE, EventKind.COMPLAINT_MADE),))
    one_extra = replace(plain, extra_holidays=frozenset({date(2027, 6, 4)}))
    two_extra = replace(plain, extra_holidays=frozenset({date(2027, 6, 4), date(2027, 6, 7)}))
    # Interleaved, each more than once: none leaks into another (no cache keyed on less than the set).
    dues = [_due(case) for case in (one_extra, plain, two_extra, plain, one_extra, two_extra)]
    one, none, two = date(2027, 6, 9), date(2027, 6, 8), date(2027, 6, 10)
    assert dues == [one, none, two, none, one, two]
    assert build_timeline(plain, date(2027, 6, 2)).facts.deadline(ACK).due == date(2027, 6, 8)


def test_calendars_with_different_extra_holidays_do_not_affect_each_other() -> None:
    plain = calendar_for(Nation.ENGLAND)
    extra = calendar_for(Nation.ENGLAND, {date(2027, 6, 4)})
    assert extra.add_working_days(MADE, 5) == date(2027, 6, 9)
    assert plain.add_working_days(MADE, 5) == date(2027, 6, 8)
    assert calendar_for(Nation.ENGLAND).add_working_days(MADE, 5) == date(2027, 6, 8)


def test_the_clocks_stamp_names_the_holidays_it_is_given() -> None:
    assert clocks_stamp({}, ()) == clocks_stamp({}, frozenset())
    assert clocks_stamp({}, {date(2027, 6, 4)}) != clocks_stamp({}, ())
    assert clocks_stamp({}, [date(2027, 6, 4)]) == clocks_stamp({}, {date(2027, 6, 4)})


def test_flows_keeps_no_module_level_mutable_configuration() -> None:
    """No `global` rebinding anywhere in flows/, and no configure_*/set_* hook to change module state."""
    offenders = []
    for path in sorted(FLOWS.rglob("*.py")):
        text = path.read_text()
        for number, line in enumerate(text.splitlines(), 1):
            if re.match(r"\s*global\s+\w", line) or re.match(r"def (configure|set)_\w+\(", line):
                offenders.append(f"{path.relative_to(FLOWS.parent)}:{number}: {line.strip()}")
    assert offenders == []


def test_awaabs_working_day_clocks_count_the_extra_holidays_they_are_given() -> None:
    significant = {"reported_on": "2026-02-02", "level": "significant"}
    now = datetime(2026, 3, 2, 8, 0)
    plain = tracked_deadlines(significant, now)
    extra = tracked_deadlines(significant, now, extra_holidays={date(2026, 2, 10)})
    assert plain is not None and extra is not None
    assert (plain[0].due, extra[0].due) == (date(2026, 2, 16), date(2026, 2, 17))


def test_a_complaint_not_stored_yet_counts_the_turns_extra_holidays() -> None:
    """While a complaint is drafted there is no case to carry the holidays: the turn carries them."""
    from dataclasses import replace

    from flows.conversations.new_complaint import hazard_text
    from tests.flows.conversations.memory import Chat

    significant = {"reported_on": "2026-02-02", "level": "significant"}
    turn = Chat(today=date(2026, 3, 2))._turn()
    plain = hazard_text(significant, turn)
    extra = hazard_text(significant, replace(turn, extra_holidays=frozenset({date(2026, 2, 10)})))
    assert plain != extra
    assert hazard_text(significant, turn, extra_holidays={date(2026, 2, 10)}) == extra
