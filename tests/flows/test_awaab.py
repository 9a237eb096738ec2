"""Awaab's Law for those it covers: scope by landlord type and tenure, the emergency route when there is
risk now, and the clocks from the real time of the report (or the end of its day)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from flows.awaab import (
    Scope,
    awaab_scope,
    deadline_lines,
    hazard_details,
    hazard_level,
    is_risk_now,
    letter_paragraph,
    not_covered_text,
    read_time,
    report_message,
    time_problem,
)
from flows.hazards import ClockStatus, HazardLevel, tracked_deadlines
from flows.i18n import translator
from flows.reminders import hazard_reminder_text
from flows.tenure import Tenure

LONDON = ZoneInfo("Europe/London")
EN = translator("en")
SOCIAL = ("housing_association", "council", "registered_provider")
PRIVATE = ("private_landlord", "letting_agent")

# What each tenure means for a social landlord's resident, and for one whose landlord type is unknown.
BY_TENURE = {
    Tenure.SECURE: (Scope.COVERED, Scope.COVERED),
    Tenure.ASSURED: (Scope.COVERED, Scope.COVERED),
    Tenure.PRIVATE_RENTER: (Scope.PRIVATE_RENTING, Scope.PRIVATE_RENTING),
    Tenure.LEASEHOLDER: (Scope.OWNERSHIP, Scope.OWNERSHIP),
    Tenure.SHARED_OWNER: (Scope.OWNERSHIP, Scope.OWNERSHIP),
    Tenure.TEMPORARY: (Scope.OTHER_HOUSING, Scope.OTHER_HOUSING),
    Tenure.SUPPORTED: (Scope.OTHER_HOUSING, Scope.OTHER_HOUSING),
    Tenure.NOT_SURE: (Scope.COVERED, Scope.UNSETTLED),
}


@pytest.mark.parametrize("landlord_type", [*SOCIAL, "unknown", None])
@pytest.mark.parametrize("tenure", list(Tenure))
def test_scope_for_each_landlord_type_and_tenure(landlord_type: str | None, tenure: Tenure) -> None:
    social, unknown = BY_TENURE[tenure]
    expected = social if landlord_type in SOCIAL else unknown
    assert awaab_scope("england", landlord_type, tenure.value) is expected


@pytest.mark.parametrize("landlord_type", [*SOCIAL, "unknown", None])
def test_the_tenure_is_asked_where_the_landlord_type_does_not_settle_it(landlord_type: str | None) -> None:
    assert awaab_scope("england", landlord_type, None) is Scope.ASK_TENURE


@pytest.mark.parametrize("landlord_type", PRIVATE)
@pytest.mark.parametrize("tenure", [None, *Tenure])
def test_private_renting_is_never_covered_whatever_is_claimed(
    landlord_type: str, tenure: Tenure | None
) -> None:
    assert awaab_scope("england", landlord_type, tenure) is Scope.PRIVATE_RENTING


@pytest.mark.parametrize("nation", ["wales", "scotland", "northern_ireland", None])
@pytest.mark.parametrize("landlord_type", [*SOCIAL, *PRIVATE])
def test_outside_england_is_not_covered(nation: str | None, landlord_type: str) -> None:
    assert awaab_scope(nation, landlord_type, Tenure.ASSURED.value) is Scope.OUTSIDE_ENGLAND


@pytest.mark.parametrize(
    "scope", [Scope.PRIVATE_RENTING, Scope.OWNERSHIP, Scope.OTHER_HOUSING, Scope.UNSETTLED]
)
def test_those_not_covered_are_told_what_applies_instead_with_its_source(scope: Scope) -> None:
    text = not_covered_text(scope, EN)
    assert "won't count them" in text and "https://" in text
    if scope is not Scope.UNSETTLED:
        assert "environmental health" in text


def test_private_renters_are_told_the_extension_has_no_date_and_how_sure_we_are() -> None:
    text = not_covered_text(Scope.PRIVATE_RENTING, EN)
    assert "no date has been set" in text and "Renters' Rights Act 2025, s.60" in text
    assert "check it with your landlord or an adviser" in text  # a secondary source


def test_a_covered_home_gets_no_instead_text() -> None:
    assert not_covered_text(Scope.COVERED, EN) == ""


@pytest.mark.parametrize(
    ("people", "health", "extent", "risk"),
    [
        ("no", "hospital", "small", True),  # urgent medical care: always offered
        ("yes", "symptoms", "small", True),  # someone vulnerable is unwell
        ("no", "symptoms", "wide", True),  # someone unwell with widespread mould
        ("yes", "no", "wide", True),  # someone vulnerable with widespread mould
        ("yes", "no", "room", False),
        ("no", "symptoms", "room", False),
        ("no", "no", "wide", False),
        ("no", "no", "small", False),
        (None, None, None, False),
    ],
)
def test_the_emergency_route_is_offered_when_there_is_risk_now(
    people: str | None, health: str | None, extent: str | None, risk: bool
) -> None:
    answers = {"risk_people": people, "risk_health": health, "risk_extent": extent}
    assert is_risk_now(answers) is risk


def test_the_emergency_track_needs_the_residents_choice_and_a_risk_that_fits() -> None:
    fits = {"risk_people": "yes", "risk_health": "hospital", "risk_extent": "room"}
    assert hazard_level({**fits, "hazard_level": "emergency"}) is HazardLevel.EMERGENCY
    assert hazard_level({**fits, "hazard_level": "significant"}) is HazardLevel.SIGNIFICANT
    # A choice kept from before the answers changed does not count once they no longer fit.
    assert hazard_level({**fits, "risk_health": "no", "hazard_level": "emergency"}) is HazardLevel.SIGNIFICANT
    assert hazard_level({"urgent": "danger"}) is HazardLevel.EMERGENCY  # "someone is in danger at home"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("9:05", time(9, 5)),
        ("2:30pm", time(14, 30)),
        ("2 PM", time(14)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("9 a.m.", time(9)),
        ("14", time(14)),
        ("24:00", None),
        ("13pm", None),
        ("9:75", None),
        ("half past two", None),
        ("", None),
    ],
)
def test_report_times_as_residents_type_them(typed: str, expected: time | None) -> None:
    assert read_time(typed) == expected


def test_a_report_time_later_today_is_refused_and_earlier_days_are_not() -> None:
    now = datetime(2026, 3, 2, 15, 0, tzinfo=LONDON)
    assert time_problem("16:00", "2026-03-02", now, EN) is not None
    assert time_problem("14:59", "2026-03-02", now, EN) is None
    assert time_problem("23:00", "2026-03-01", now, EN) is None


def test_the_24_hours_count_from_the_time_of_the_report() -> None:
    hazard = {"reported_on": "2026-03-02", "level": "emergency", "reported_at": "09:15"}
    before = tracked_deadlines(hazard, datetime(2026, 3, 3, 9, 14, tzinfo=LONDON))
    after = tracked_deadlines(hazard, datetime(2026, 3, 3, 9, 16, tzinfo=LONDON))
    assert before is not None and after is not None
    assert before[0].due == datetime(2026, 3, 3, 9, 15, tzinfo=LONDON)
    assert before[0].status is ClockStatus.PENDING and after[0].status is ClockStatus.MISSED


def test_an_unknown_time_counts_from_the_end_of_the_day_never_a_guessed_morning() -> None:
    """Not 09:00 (which called the clock missed up to 15 hours early): 23:59, the latest the landlord knew."""
    hazard = {"reported_on": "2026-03-02", "level": "emergency"}
    at_noon = tracked_deadlines(hazard, datetime(2026, 3, 3, 12, 0, tzinfo=LONDON))
    assert at_noon is not None
    assert at_noon[0].due == datetime(2026, 3, 3, 23, 59, tzinfo=LONDON)
    assert at_noon[0].status is ClockStatus.PENDING


def test_the_working_day_clocks_still_count_from_the_day_of_the_report() -> None:
    late = tracked_deadlines(
        {"reported_on": "2026-02-02", "level": "significant"}, datetime(2026, 3, 2, 8, 0)
    )
    assert late is not None and late[0].due == date(2026, 2, 16)


def test_a_case_keeps_the_time_only_on_the_emergency_track_and_only_where_covered() -> None:
    answers = {
        "nation": "england",
        "landlord_type": "council",
        "tenure": "assured",
        "subject": "damp_mould",
        "risk_people": "yes",
        "risk_health": "hospital",
        "risk_extent": "wide",
        "hazard_level": "emergency",
        "hazard_reported": "2026-03-02",
        "hazard_time": "2:30pm",
    }
    assert hazard_details(answers) == {
        "reported_on": "2026-03-02",
        "level": "emergency",
        "reported_at": "14:30",
    }
    assert hazard_details({**answers, "hazard_level": "significant"}) == {
        "reported_on": "2026-03-02",
        "level": "significant",
    }
    for tenure in ("leaseholder", "shared_owner", "private_renter", "temporary", "supported"):
        assert hazard_details({**answers, "tenure": tenure}) is None
    assert hazard_details({**answers, "landlord_type": "private_landlord", "tenure": None}) is None
    # A conversation stored before the tenure was asked: a social landlord's resident keeps the clocks.
    assert hazard_details({**answers, "tenure": None}) is not None


def test_the_message_to_the_landlord_names_the_clocks_of_the_track() -> None:
    covered = {
        "nation": "england",
        "landlord_type": "council",
        "tenure": "assured",
        "subject": "damp_mould",
    }
    assert "within 10 working days of this report" in report_message(covered, EN)
    emergency = {**covered, "risk_health": "hospital", "hazard_level": "emergency"}
    assert "within 24 hours of this report" in report_message(emergency, EN)
    assert "Awaab" not in report_message({**covered, "tenure": "leaseholder"}, EN)
    assert "Awaab" not in report_message({**covered, "subject": "repairs"}, EN)


def test_a_letter_calls_nothing_missed_before_the_day_it_is_written() -> None:
    details = {"hazard": {"reported_on": "2026-03-02", "level": "emergency", "reported_at": "09:15"}}
    same_day = letter_paragraph(details, "england", "council", date(2026, 3, 3), EN)
    next_day = letter_paragraph(details, "england", "council", date(2026, 3, 4), EN)
    assert same_day is not None and next_day is not None
    assert "09:15 on Tuesday, 3 March 2026, not due yet" in same_day
    assert "09:15 on Tuesday, 3 March 2026, the date has passed: please tell me" in next_day
    assert "Damp and mould first reported to the landlord: 09:15 on Monday, 2 March 2026." in next_day


def test_no_awaab_lines_for_cases_it_does_not_cover() -> None:
    hazard = {"reported_on": "2026-02-02", "level": "significant"}
    now = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
    assert deadline_lines({"hazard": hazard}, "england", "housing_association", now, EN)
    assert deadline_lines({"hazard": hazard}, "england", None, now, EN)  # opened before the tenure was asked
    assert not deadline_lines({"hazard": hazard}, "england", "private_landlord", now, EN)
    assert not deadline_lines({"hazard": hazard, "tenure": "shared_owner"}, "england", "council", now, EN)
    assert not deadline_lines({"hazard": hazard}, "wales", "council", now, EN)
    assert not deadline_lines({}, "england", "council", now, EN)
    early = {"reported_on": "2025-10-01", "level": "significant"}  # before Awaab's Law applied
    assert not deadline_lines({"hazard": early}, "england", "council", now, EN)


def test_a_letter_never_calls_a_clock_missed_that_nobody_said_was_not_done() -> None:
    """Only the investigation's date is ever recorded (/status, "They inspected"): a letter must not tell
    the landlord it missed making the home safe, the written summary or the safety work, which it may
    well have done, nor the investigation before the resident said when (or whether) it happened."""
    emergency = {"hazard": {"reported_on": "2026-03-02", "level": "emergency", "reported_at": "09:15"}}
    letter = letter_paragraph(emergency, "england", "council", date(2026, 3, 10), EN)
    assert letter is not None and "missed" not in letter
    assert (
        "- Make the home safe (24 hours): due 09:15 on Tuesday, 3 March 2026, the date has passed: "
        "please tell me whether and when you did this." in letter
    )
    significant = {
        "hazard": {"reported_on": "2026-01-05", "level": "significant"},
        "hazard_investigated": "2026-01-26",  # 5 working days late
    }
    letter = letter_paragraph(significant, "england", "council", date(2026, 3, 2), EN)
    assert letter is not None
    assert (
        "- Investigate the hazard (10 working days): due Monday, 19 January 2026, missed by 5 working days."
        in letter
    )
    assert (
        "- Written summary of the investigation (3 working days after it): due Thursday, 29 January 2026, the date "
        "has passed: please tell me whether and when you did this." in letter
    )
    assert "missed by" not in letter.split("Written summary")[1]
    # The portal and the referral pack say the same without speaking for the resident.
    lines = deadline_lines(significant, "england", "council", datetime(2026, 3, 2, 12, 0, tzinfo=LONDON), EN)
    assert (
        "- Safety work (5 working days after the investigation): due Monday, 2 February 2026, the date has "
        "passed, not recorded as done." in lines
    )


@pytest.mark.parametrize("typed", ["2.30", "2:30", "9", "11:45"])
def test_a_time_that_could_be_morning_or_afternoon_is_asked_again(typed: str) -> None:
    """ "2.30" read as 02:30 would put the 24-hour deadline 12 hours early, calling it missed too soon."""
    now = datetime(2026, 3, 3, 15, 0, tzinfo=LONDON)
    problem = time_problem(typed, "2026-03-02", now, EN)
    assert problem is not None and "morning or the afternoon" in problem


@pytest.mark.parametrize(
    "typed", ["02:30", "09:15", "14:30", "2:30pm", "9am", "12:15", "0:30", "noon", "Midday"]
)
def test_an_unambiguous_time_is_taken(typed: str) -> None:
    now = datetime(2026, 3, 3, 15, 0, tzinfo=LONDON)
    assert time_problem(typed, "2026-03-02", now, EN) is None


def test_a_leading_zero_in_arabic_digits_settles_the_morning_too() -> None:
    now = datetime(2026, 3, 3, 15, 0, tzinfo=LONDON)
    assert time_problem("٠٩:١٥", "2026-03-02", now, EN) is None
    assert read_time("٠٩:١٥") == time(9, 15)
    assert time_problem("٩:١٥", "2026-03-02", now, EN) is not None


def test_noon_and_midday_are_twelve_o_clock() -> None:
    assert read_time("noon") == read_time("midday") == read_time("12 noon") == time(12)


def test_a_morning_time_is_taken_when_the_afternoon_has_not_come_yet_on_the_day_of_the_report() -> None:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    assert time_problem("9:15", "2026-03-02", now, EN) is None
    assert read_time("9:15") == time(9, 15)


def test_no_clocks_for_a_report_the_resident_took_back_or_another_subject() -> None:
    """Answers left behind by /back: the repair not reported after all, or the complaint not about damp."""
    answers = {
        "nation": "england",
        "landlord_type": "council",
        "tenure": "secure",
        "subject": "damp_mould",
        "reported": "yes",
        "hazard_reported": "2026-03-02",
    }
    assert hazard_details(answers) is not None
    assert hazard_details({**answers, "reported": "no"}) is None
    assert hazard_details({**answers, "subject": "repairs"}) is None


def test_a_letter_says_why_the_24_hours_end_at_23_59_when_the_time_of_the_report_is_not_known() -> None:
    """Without it, "due 23:59" looks made up to the landlord reading the letter."""
    details = {"hazard": {"reported_on": "2026-03-02", "level": "emergency"}}
    letter = letter_paragraph(details, "england", "council", date(2026, 3, 3), EN)
    assert letter is not None
    assert "counted from the end of that day (23:59)" in letter
    assert "due 23:59 on Tuesday, 3 March 2026, not due yet" in letter
    timed = {"hazard": {**details["hazard"], "reported_at": "09:15"}}
    assert "end of that day" not in (
        letter_paragraph(timed, "england", "council", date(2026, 3, 3), EN) or ""
    )


def test_the_reminder_after_a_clock_passes_does_not_say_a_duty_nobody_recorded_was_missed() -> None:
    """Making the home safe can never be recorded as done: the landlord may have done it within the hour."""
    hazard = {"reported_on": "2026-03-02", "level": "emergency", "reported_at": "09:15"}
    deadlines = tracked_deadlines(hazard, datetime(2026, 3, 4, 10, 0, tzinfo=LONDON), "2026-03-02")
    text = hazard_reminder_text("emergency_make_safe", deadlines, "FS0001", EN)
    assert text is not None and "missed" not in text
    assert "has passed" in text and "If your landlord hasn't done it" in text
    # The investigation, recorded as done on the day: no reminder at all.
    assert hazard_reminder_text("emergency_investigation", deadlines, "FS0001", EN) is None
