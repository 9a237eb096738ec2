"""The staff view of a complaint (inbox, caseload): the Code's clocks in working days with their paragraph, the order
of an inbox, and the words a landlord's team or an advice worker reads."""

from __future__ import annotations

from datetime import date

from builders import case, ev

from flows.case import Case, CaseEvent, EventKind
from flows.deadlines import DeadlineId
from flows.i18n import translator
from flows.staff_view import (
    about_text,
    clock_text,
    event_text,
    open_clocks,
    row_order,
    subject_text,
    timeline_row,
)
from flows.submissions import duty_lines
from flows.timeline import build_timeline

EN = translator("en")
MADE = date(2026, 3, 9)  # Monday: acknowledge by Monday 16 March (Code 6.2)


def made(on: date = MADE, *more: CaseEvent) -> Case:
    return Case(events=(CaseEvent(on, EventKind.COMPLAINT_MADE), *more))


def test_open_clocks_count_working_days_soonest_first() -> None:
    case = made()
    clocks = open_clocks(case, build_timeline(case, date(2026, 3, 10)))
    assert [(c.deadline, c.due, c.working_days_left, c.missed) for c in clocks] == [
        (DeadlineId.STAGE1_ACKNOWLEDGEMENT, date(2026, 3, 16), 4, False),
        (DeadlineId.STAGE1_RESPONSE, date(2026, 3, 30), 14, False),  # 10 days from the due acknowledgement
    ]
    assert clocks[0].citation.startswith("Code 6.2")


def test_a_missed_clock_says_how_late_and_which_paragraph() -> None:
    case = made()
    clock = open_clocks(case, build_timeline(case, date(2026, 3, 18)))[0]
    assert clock.missed and clock.working_days_left == -2
    assert clock_text(clock, EN) == (
        f"Missed: it was due Monday, 16 March 2026, under {clock.citation}; 2 working days ago."
    )


def test_clock_words_for_today_and_for_one_day_left() -> None:
    case = made()
    today = open_clocks(case, build_timeline(case, date(2026, 3, 16)))[0]
    assert clock_text(today, EN) == f"Due today, Monday, 16 March 2026, under {today.citation}."
    one = open_clocks(case, build_timeline(case, date(2026, 3, 13)))[0]
    assert clock_text(one, EN).endswith(": 1 working day left.")


def test_acknowledging_stops_that_clock() -> None:
    case = made(MADE, CaseEvent(date(2026, 3, 10), EventKind.ACKNOWLEDGED))
    clocks = open_clocks(case, build_timeline(case, date(2026, 3, 11)))
    assert [c.deadline for c in clocks] == [DeadlineId.STAGE1_RESPONSE]


def test_the_inbox_puts_missed_and_soonest_first_and_nothing_due_last() -> None:
    as_of = date(2026, 3, 18)
    late = timeline_row("LATE0001", made(date(2026, 3, 2)), as_of)
    soon = timeline_row("SOON0001", made(date(2026, 3, 17)), as_of)
    answered = timeline_row(
        "DONE0001",
        made(
            date(2026, 3, 2),
            CaseEvent(date(2026, 3, 3), EventKind.ACKNOWLEDGED),
            CaseEvent(date(2026, 3, 4), EventKind.STAGE1_RESPONSE),
        ),
        as_of,
    )
    ordered = sorted([answered, soon, late], key=row_order)
    assert [row.ref for row in ordered] == ["LATE0001", "SOON0001", "DONE0001"]
    assert late.overdue and not soon.overdue and answered.next_due is None


def test_staff_words_for_events_and_subjects() -> None:
    extension = CaseEvent(
        date(2026, 3, 12), EventKind.STAGE1_EXTENSION, new_due=date(2026, 4, 7), reasons_given=True
    )
    assert event_text(extension, EN) == "Extension (stage 1): new date Tuesday, 7 April 2026"
    assert event_text(CaseEvent(MADE, EventKind.ACKNOWLEDGED), EN) == "Acknowledged (stage 1)"
    assert subject_text("damp_mould", EN) == "Damp and mould"
    assert subject_text("The lift", EN) == "The lift"
    assert subject_text(None, EN) == ""


def test_a_late_acknowledgement_shows_the_landlord_the_date_from_the_request_and_its_rule() -> None:
    # Issue 22: asked Mon 20 Jan 2025, acknowledged late Fri 14 Feb: due Mon 24 Feb (25 WD after the
    # request, 6.11 and 6.14), not Fri 14 Mar (20 WD after the acknowledgement).
    c = case(ev("2025-01-20", "escalation_requested"), ev("2025-02-14", "stage2_acknowledged"))
    row = timeline_row("ABCD2345", c, date(2025, 2, 17))
    [clock] = row.clocks
    assert (clock.due, clock.citation) == (date(2025, 2, 24), "Code 6.11 and 6.14 (2024)")
    lines = duty_lines(row.timeline, translator("en"))
    assert any("Monday, 24 February 2025" in line and "Code 6.11 and 6.14 (2024)" in line for line in lines)


def test_about_names_the_landlords_parts_or_else_the_subject() -> None:
    routing = {
        "parts": [
            {"topic": "allocations", "aspect": "whole", "to_landlord": False},
            {"topic": "repairs", "aspect": "whole", "to_landlord": True},
            {"topic": "grants_adaptations", "aspect": "works", "to_landlord": True},
            {"topic": "grants_adaptations", "aspect": "assessment", "to_landlord": False},
        ]
    }
    assert about_text({"routing": routing}, "repairs", EN) == "Repairs; Adaptations: the works to your home"
    assert about_text({}, "damp_mould", EN) == "Damp and mould"
