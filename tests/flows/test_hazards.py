"""Awaab's Law clocks on real dates: Christmas 2026, Easter 2026, a weekend, a clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.code_rules import Standing
from flows.hazards import (
    AWAABS_LAW_FROM,
    ClockStatus,
    CountsFrom,
    HazardDeadline,
    HazardKind,
    HazardLevel,
    hazard_clocks,
    hazard_deadlines,
    in_force_from,
    in_scope,
    render_hazard_deadlines,
)
from flows.i18n import Translator, translator
from flows.working_days import Nation, calendar_for

ENGLAND = calendar_for(Nation.ENGLAND)
LONDON = ZoneInfo("Europe/London")


def _by_id(deadlines: list[HazardDeadline]) -> dict[str, HazardDeadline]:
    return {deadline.clock.id: deadline for deadline in deadlines}


# --- working-day clocks across bank holidays --------------------------------------------------------


def test_a_christmas_eve_report_skips_christmas_boxing_day_observed_and_new_year() -> None:
    # Thu 24 Dec 2026 is day 0. Skipped: Fri 25 (Christmas), Sat/Sun, Mon 28 (Boxing Day observed),
    # Fri 1 Jan 2027. Working days 1-10: 29, 30, 31 Dec, 4, 5, 6, 7, 8, 11, 12 Jan.
    deadlines = hazard_deadlines(
        HazardLevel.SIGNIFICANT,
        datetime(2026, 12, 24, 10, 0),
        ENGLAND,
        as_of=datetime(2026, 12, 31, 9, 0),
    )
    assert [d.clock.id for d in deadlines] == ["investigation"]  # the rest wait for the investigation
    investigation = deadlines[0]
    assert investigation.starts == date(2026, 12, 24)
    assert investigation.due == date(2027, 1, 12)
    assert investigation.status is ClockStatus.PENDING
    assert investigation.late_working_days is None


def test_a_christmas_investigation_pushes_the_summary_and_safety_work_into_january() -> None:
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.SIGNIFICANT,
            datetime(2026, 12, 21, 14, 0),
            ENGLAND,
            investigated_on=date(2026, 12, 24),
            as_of=datetime(2026, 12, 24, 17, 0),
        )
    )
    assert deadlines["investigation"].status is ClockStatus.MET
    assert deadlines["written_summary"].due == date(2026, 12, 31)  # 29, 30, 31 Dec
    assert deadlines["safety_work"].due == date(2027, 1, 5)  # 29, 30, 31 Dec, 4, 5 Jan
    assert deadlines["preventative_work"].due == date(2027, 3, 18)  # 12 weeks after 24 Dec 2026


def test_easter_2026_good_friday_and_easter_monday_do_not_count() -> None:
    # Reported Mon 23 Mar 2026: 24, 25, 26, 27, 30, 31 Mar, 1, 2, [3 and 6 Apr skipped], 7, 8 Apr.
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.SIGNIFICANT,
            datetime(2026, 3, 23, 9, 30),
            ENGLAND,
            investigated_on=date(2026, 4, 1),
            as_of=datetime(2026, 4, 2, 12, 0),
        )
    )
    assert deadlines["investigation"].due == date(2026, 4, 8)
    assert deadlines["investigation"].status is ClockStatus.MET
    # Investigation ended Wed 1 Apr: Thu 2, [Fri 3, Mon 6 skipped], Tue 7, Wed 8.
    assert deadlines["written_summary"].starts == date(2026, 4, 1)
    assert deadlines["written_summary"].due == date(2026, 4, 8)
    assert deadlines["safety_work"].due == date(2026, 4, 10)  # ... Thu 9, Fri 10
    assert deadlines["preventative_work"].due == date(2026, 6, 24)


# --- statuses -------------------------------------------------------------------------------------


def test_met_missed_and_pending_with_working_days_late() -> None:
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.SIGNIFICANT,
            datetime(2026, 3, 23, 9, 30),
            ENGLAND,
            investigated_on=date(2026, 4, 1),
            summary_sent_on=date(2026, 4, 8),  # the due day itself: on time
            as_of=datetime(2026, 4, 16, 12, 0),
        )
    )
    assert deadlines["written_summary"].status is ClockStatus.MET
    assert deadlines["written_summary"].late_working_days is None
    safety = deadlines["safety_work"]  # due Fri 10 Apr, not done by Thu 16 Apr
    assert safety.status is ClockStatus.MISSED
    assert safety.late_working_days == 4  # Mon 13, Tue 14, Wed 15, Thu 16
    assert deadlines["preventative_work"].status is ClockStatus.PENDING


def test_work_done_late_counts_the_working_days_to_the_day_it_was_done() -> None:
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.SIGNIFICANT,
            datetime(2026, 12, 24, 10, 0),
            ENGLAND,
            investigated_on=date(2027, 1, 14),  # due Tue 12 Jan: Wed 13, Thu 14
            as_of=datetime(2027, 1, 20, 12, 0),
        )
    )
    assert deadlines["investigation"].status is ClockStatus.MISSED
    assert deadlines["investigation"].late_working_days == 2


def test_missed_over_a_weekend_is_zero_working_days_late_but_still_missed() -> None:
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.SIGNIFICANT,
            datetime(2026, 3, 23, 9, 30),
            ENGLAND,
            investigated_on=date(2026, 4, 1),
            as_of=datetime(2026, 4, 11, 10, 0),  # the Saturday after the safety work was due
        )
    )
    assert deadlines["safety_work"].status is ClockStatus.MISSED
    assert deadlines["safety_work"].late_working_days == 0


# --- the 24-hour clocks ---------------------------------------------------------------------------


def test_the_emergency_clock_runs_through_the_weekend() -> None:
    reported = datetime(2026, 10, 16, 17, 30)  # a Friday evening
    pending = _by_id(hazard_deadlines(HazardLevel.EMERGENCY, reported, ENGLAND, as_of=reported))
    assert set(pending) == {"emergency_investigation", "emergency_make_safe"}
    assert pending["emergency_make_safe"].due == datetime(2026, 10, 17, 17, 30)  # Saturday, not Monday
    assert pending["emergency_make_safe"].status is ClockStatus.PENDING

    missed = _by_id(
        hazard_deadlines(
            HazardLevel.EMERGENCY,
            reported,
            ENGLAND,
            investigated_on=datetime(2026, 10, 16, 21, 0),
            as_of=datetime(2026, 10, 19, 9, 0),  # Monday morning, nothing made safe
        )
    )
    assert missed["emergency_investigation"].status is ClockStatus.MET
    assert missed["emergency_make_safe"].status is ClockStatus.MISSED
    assert missed["emergency_make_safe"].late_working_days is None

    made_safe = _by_id(
        hazard_deadlines(
            HazardLevel.EMERGENCY,
            reported,
            ENGLAND,
            safety_work_done_on=datetime(2026, 10, 17, 18, 0),  # 30 minutes too late
            as_of=datetime(2026, 10, 19, 9, 0),
        )
    )
    assert made_safe["emergency_make_safe"].status is ClockStatus.MISSED


def test_24_hours_are_elapsed_hours_across_the_october_clock_change() -> None:
    # Clocks go back at 02:00 on Sun 25 Oct 2026: 24 hours from 12:00 BST Saturday is 11:00 GMT Sunday.
    reported = datetime(2026, 10, 24, 12, 0, tzinfo=LONDON)
    due = _by_id(hazard_deadlines(HazardLevel.EMERGENCY, reported, ENGLAND, as_of=reported))[
        "emergency_make_safe"
    ].due
    assert due == datetime(2026, 10, 25, 11, 0, tzinfo=LONDON)
    assert isinstance(due, datetime)
    # Same-zone subtraction in Python is wall-clock time; in UTC it is the elapsed time.
    assert (due.astimezone(UTC) - reported.astimezone(UTC)).total_seconds() == 24 * 3600
    naive = hazard_deadlines(HazardLevel.EMERGENCY, reported.replace(tzinfo=None), ENGLAND, as_of=reported)
    assert naive[1].due == datetime(2026, 10, 25, 11, 0)  # a naive time is read as London time


def test_a_day_without_a_time_gets_the_benefit_of_the_doubt_on_the_due_day() -> None:
    reported = datetime(2026, 10, 16, 17, 30)
    deadlines = _by_id(
        hazard_deadlines(
            HazardLevel.EMERGENCY,
            reported,
            ENGLAND,
            investigated_on=date(2026, 10, 17),
            safety_work_done_on=date(2026, 10, 18),
            as_of=datetime(2026, 10, 19, 9, 0),
        )
    )
    assert deadlines["emergency_investigation"].status is ClockStatus.MET
    assert deadlines["emergency_make_safe"].status is ClockStatus.MISSED


# --- scope ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(HazardLevel))
def test_nothing_is_in_scope_before_27_october_2025(level: HazardLevel) -> None:
    for kind in HazardKind:
        assert not in_scope(kind, level, date(2025, 10, 26))


def test_phase_one_emergency_hazards_of_all_kinds_and_significant_damp_and_mould() -> None:
    assert date(2025, 10, 27) == AWAABS_LAW_FROM
    assert in_scope(HazardKind.DAMP_MOULD, HazardLevel.SIGNIFICANT, date(2025, 10, 27))
    assert in_scope(HazardKind.DAMP_MOULD, HazardLevel.EMERGENCY, date(2025, 10, 27))
    assert in_scope(HazardKind.FIRE_ELECTRICAL, HazardLevel.EMERGENCY, date(2025, 10, 27))
    assert in_scope(HazardKind.OTHER, HazardLevel.EMERGENCY, datetime(2026, 1, 5, 8, 0))
    assert not in_scope(HazardKind.EXCESS_COLD_HEAT, HazardLevel.SIGNIFICANT, date(2026, 1, 5))
    assert not in_scope(HazardKind.OTHER, HazardLevel.SIGNIFICANT, date(2026, 1, 5))


def test_overcrowding_is_never_in_scope() -> None:
    for level in HazardLevel:
        assert in_force_from(HazardKind.OVERCROWDING, level) is None
        assert not in_scope(HazardKind.OVERCROWDING, level, date(2030, 1, 1), phase_3_from=date(2027, 1, 1))


def test_later_phases_wait_for_a_confirmed_start_date() -> None:
    # The guidance says only "in 2026" and "in 2027": no day is assumed until one is given.
    assert in_force_from(HazardKind.FALLS, HazardLevel.SIGNIFICANT) is None
    start = date(2026, 11, 30)  # an example date, passed in as configuration
    assert not in_scope(HazardKind.FALLS, HazardLevel.SIGNIFICANT, date(2026, 11, 29), phase_2_from=start)
    assert in_scope(HazardKind.FALLS, HazardLevel.SIGNIFICANT, date(2026, 11, 30), phase_2_from=start)
    assert not in_scope(HazardKind.OTHER, HazardLevel.SIGNIFICANT, date(2026, 12, 1), phase_2_from=start)


# --- citations ------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(HazardLevel))
def test_every_clock_has_a_citation_an_https_source_a_standing_and_one_unit(level: HazardLevel) -> None:
    for clock in hazard_clocks(level):
        assert clock.rule.citation
        assert clock.rule.source.startswith("https://")
        assert clock.rule.standing in set(Standing)
        units = [clock.hours, clock.working_days, clock.weeks]
        assert sum(unit is not None for unit in units) == 1
        assert clock.counts_from in set(CountsFrom)


def test_the_clocks_are_the_reported_timescales() -> None:
    significant = {clock.id: clock for clock in hazard_clocks(HazardLevel.SIGNIFICANT)}
    assert significant["investigation"].working_days == 10
    assert significant["investigation"].counts_from is CountsFrom.LANDLORD_AWARE
    assert significant["written_summary"].working_days == 3
    assert significant["safety_work"].working_days == 5
    assert significant["preventative_work"].weeks == 12
    for clock_id in ("written_summary", "safety_work", "preventative_work"):
        assert significant[clock_id].counts_from is CountsFrom.INVESTIGATION_CONCLUDED
    assert {clock.hours for clock in hazard_clocks(HazardLevel.EMERGENCY)} == {24}


# --- rendering ------------------------------------------------------------------------------------


def _deadlines_with_everything() -> list[HazardDeadline]:
    return hazard_deadlines(
        HazardLevel.SIGNIFICANT,
        datetime(2026, 3, 23, 9, 30),
        ENGLAND,
        investigated_on=date(2026, 4, 1),
        summary_sent_on=date(2026, 4, 9),
        as_of=datetime(2026, 4, 16, 12, 0),
    )


@pytest.mark.parametrize(
    "deadlines",
    [
        _deadlines_with_everything(),
        hazard_deadlines(
            HazardLevel.SIGNIFICANT, datetime(2026, 12, 24, 10, 0), ENGLAND, as_of=datetime(2027, 1, 20)
        ),
        hazard_deadlines(
            HazardLevel.EMERGENCY,
            datetime(2026, 10, 16, 17, 30),
            ENGLAND,
            investigated_on=datetime(2026, 10, 16, 21, 0),
            as_of=datetime(2026, 10, 19, 9, 0),
        ),
    ],
)
def test_every_line_but_the_urls_goes_through_the_translator(
    deadlines: list[HazardDeadline], wrapping: Translator
) -> None:
    text = render_hazard_deadlines(deadlines, wrapping)
    lines = [line for line in text.splitlines() if line]
    assert lines
    for line in lines:
        if line.startswith("https://"):
            continue
        assert line.startswith("«") and line.endswith("»"), line


def test_the_english_text_names_the_weekday_the_lateness_and_the_way_out() -> None:
    text = render_hazard_deadlines(_deadlines_with_everything(), translator("en"))
    assert "Due by Wednesday, 8 April 2026." in text
    assert "Done on Thursday, 9 April 2026: 1 working day late." in text
    assert "Not done yet: 4 working days late so far." in text
    assert "That day is day 0 and does not count." in text
    assert "check it with your landlord or an adviser" in text
    assert "alternative accommodation" in text
    assert "Housing Ombudsman" in text
    assert "all reasonable endeavours" in text
    assert "https://www.legislation.gov.uk/ukpga/1985/70/section/10A/data.html" in text


def test_the_emergency_text_gives_the_time_and_says_the_clock_runs_at_weekends() -> None:
    deadlines = hazard_deadlines(
        HazardLevel.EMERGENCY, datetime(2026, 10, 16, 17, 30), ENGLAND, as_of=datetime(2026, 10, 16, 18)
    )
    text = render_hazard_deadlines(deadlines, translator("en"))
    assert "Due by 17:30 on Saturday, 17 October 2026." in text
    assert "These hours run through nights, weekends and bank holidays." in text
    assert "If your landlord misses a deadline, you can:" in text


def test_before_the_investigation_the_later_clocks_are_described_not_dated() -> None:
    deadlines = hazard_deadlines(
        HazardLevel.SIGNIFICANT, datetime(2026, 12, 24, 10, 0), ENGLAND, as_of=datetime(2026, 12, 29)
    )
    text = render_hazard_deadlines(deadlines, translator("en"))
    assert "Due by Tuesday, 12 January 2027." in text
    assert "Once the investigation is finished, these deadlines start:" in text
    assert "within 3 working days of finishing it" in text
