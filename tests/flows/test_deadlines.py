"""The Code's deadlines, exactly as the `fairsay timeline` contract states them (issue 3)."""

from __future__ import annotations

from datetime import date

import pytest
from builders import case, ev
from hypothesis import given
from hypothesis import strategies as st

from flows.case import Case
from flows.deadlines import ClockStart, Deadline, DeadlineId, DeadlineStatus
from flows.findings import WarningId
from flows.timeline import Facts, build_timeline, compute_facts
from flows.working_days import Nation, calendar_for

D = date.fromisoformat
ACK1, RESP1 = DeadlineId.STAGE1_ACKNOWLEDGEMENT, DeadlineId.STAGE1_RESPONSE
ACK2, RESP2 = DeadlineId.STAGE2_ACKNOWLEDGEMENT, DeadlineId.STAGE2_RESPONSE
MET, MISSED = DeadlineStatus.MET, DeadlineStatus.MISSED
PENDING, NA = DeadlineStatus.PENDING, DeadlineStatus.NOT_APPLICABLE


def facts(c: Case, as_of: str) -> Facts:
    return compute_facts(c, D(as_of))


def deadline(c: Case, as_of: str, deadline_id: DeadlineId) -> Deadline:
    return facts(c, as_of).deadline(deadline_id)


def warning_ids(f: Facts) -> list[WarningId]:
    return [finding.id for finding in f.findings]


# A 2024-Code case through both stages (dates from domain.md 5.4 and the 2026 bank holidays).
FULL_2024 = case(
    ev("2026-03-25", "complaint_made"),  # ack due: 5 WD -> Wed 1 Apr
    ev("2026-04-01", "acknowledged"),  # response due: 10 WD -> Fri 17 Apr (Easter skipped)
    ev("2026-04-20", "stage1_response"),  # 1 working day late
    ev("2026-04-22", "escalation_requested"),  # stage 2 ack due: Wed 29 Apr
    ev("2026-04-29", "stage2_acknowledged"),  # final due: 20 WD -> Fri 29 May (4 and 25 May skipped)
    ev("2026-05-29", "stage2_response"),
)


def test_full_2024_case_dates_and_statuses() -> None:
    f = facts(FULL_2024, "2026-06-01")
    got = {d.id: (d.clock_start, d.due, d.done_on, d.status, d.working_days_late) for d in f.deadlines}
    assert got == {
        ACK1: (D("2026-03-25"), D("2026-04-01"), D("2026-04-01"), MET, 0),
        RESP1: (D("2026-04-01"), D("2026-04-17"), D("2026-04-20"), MISSED, 1),
        ACK2: (D("2026-04-22"), D("2026-04-29"), D("2026-04-29"), MET, 0),
        RESP2: (D("2026-04-29"), D("2026-05-29"), D("2026-05-29"), MET, 0),
    }
    assert all(d.code_version == "2024" for d in f.deadlines)
    assert [d.rule.citation for d in f.deadlines if d.rule] == [
        "Code 6.2 (2024)",
        "Code 6.3 (2024)",
        "Code 6.11 (2024)",
        "Code 6.14 (2024)",
    ]
    assert f.code_version == "2024"
    missed = [(x.id, x.rule, x.params["deadline"], x.params["working_days_late"]) for x in f.findings]
    assert missed == [(WarningId.DEADLINE_MISSED, "Code 6.3 (2024)", RESP1, 1)]


def test_pending_until_the_due_date_then_missed_counting_to_as_of() -> None:
    c = case(ev("2025-12-22", "complaint_made"))
    on_due = deadline(c, "2025-12-31", ACK1)
    assert (on_due.due, on_due.status, on_due.working_days_late) == (D("2025-12-31"), PENDING, 0)
    later = deadline(c, "2026-01-05", ACK1)  # New Year's Day skipped: Fri 2 and Mon 5 January
    assert (later.status, later.working_days_late, later.done_on) == (MISSED, 2, None)


def test_stage1_response_counts_from_the_acknowledgement_due_date_when_none_came() -> None:
    d = deadline(case(ev("2025-12-22", "complaint_made")), "2026-01-05", RESP1)
    assert d.clock_start == D("2025-12-31")
    assert d.clock_start_kind is ClockStart.ACKNOWLEDGEMENT_DUE
    assert d.due == D("2026-01-15")
    assert d.status is PENDING


def test_clocks_that_never_started_are_not_applicable_with_null_fields() -> None:
    f = facts(case(ev("2026-01-05", "issue_started")), "2026-02-01")
    for d in f.deadlines:
        assert d.status is NA
        assert (d.clock_start, d.due, d.done_on, d.working_days_late) == (None, None, None, None)


def test_absent_acknowledgement_overtaken_in_time_is_not_applicable() -> None:
    c = case(ev("2026-04-01", "complaint_made"), ev("2026-04-08", "stage1_response"))
    assert deadline(c, "2026-05-01", ACK1).status is NA  # answered before the ack was due (10 Apr)
    assert deadline(c, "2026-05-01", RESP1).status is MET


def test_absent_acknowledgement_overtaken_late_is_missed_counted_to_that_event() -> None:
    c = case(ev("2026-04-01", "complaint_made"), ev("2026-04-15", "stage1_response"))
    d = deadline(c, "2026-05-01", ACK1)
    assert (d.status, d.due, d.done_on, d.working_days_late) == (MISSED, D("2026-04-10"), D("2026-04-15"), 3)


def test_absent_stage1_response_overtaken_by_escalation_after_due_is_missed() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),
        ev("2026-04-24", "escalation_requested"),
    )
    d = deadline(c, "2026-06-01", RESP1)
    assert (d.status, d.due, d.done_on, d.working_days_late) == (MISSED, D("2026-04-17"), D("2026-04-24"), 5)


@pytest.mark.parametrize("kind", ["stage2_acknowledged", "stage2_extension", "stage2_response"])
def test_stage1_overtaken_by_the_landlords_stage2_is_not_counted_as_missed(kind: str) -> None:
    """A landlord at stage 2 implies stage 1 was answered and stage 2 asked for: the stage 1 events are
    missing from the history, not shown to be late, so no "late by N" is counted to the stage 2 date."""
    # Complaint Mon 3 Mar 2025: ack due Mon 10 Mar, answer due Mon 24 Mar (15 WD); stage 2 on Mon 2 Jun.
    c = case(ev("2025-03-03", "complaint_made"), ev("2025-06-02", kind))
    f = facts(c, "2025-06-10")
    for deadline_id in (ACK1, RESP1):
        d = f.deadline(deadline_id)
        assert (d.status, d.working_days_late, d.done_by) == (NA, None, kind), deadline_id
    assert WarningId.DEADLINE_MISSED not in warning_ids(f)


def test_stage1_unanswered_when_the_resident_went_to_the_ombudsman_stays_missed() -> None:
    """A referral while stage 1 was unanswered shows it was: the landlord's later final answer does not
    make stage 1 "not applicable", nor the referral unexpected."""
    c = case(
        ev("2025-03-03", "complaint_made"),  # answer due Mon 24 Mar 2025 (15 WD)
        ev("2025-05-01", "referred_to_ombudsman"),
        ev("2025-06-02", "stage2_response"),
    )
    t = build_timeline(c, D("2025-06-10"))
    assert t.facts.deadline(RESP1).status is MISSED
    unexpected = [f.params["kind"] for f in t.findings if f.id is WarningId.UNEXPECTED_EVENT]
    assert "referred_to_ombudsman" not in unexpected  # the landlord was overdue when the resident went


def test_stage1_overtaken_by_the_residents_late_escalation_is_still_missed() -> None:
    # The resident asked for stage 2 on Tue 29 Apr 2025 with no stage 1 answer (due Mon 24 Mar): 24 WD
    # late (25-28 Mar: 4; 31 Mar-4 Apr: 9; 7-11 Apr: 14; 14-17 Apr: 18, Good Friday 18th skipped;
    # 22-25 Apr: 22, Easter Monday 21st skipped; 28-29 Apr: 24). The landlord's final answer later does not change that.
    c = case(
        ev("2025-03-03", "complaint_made"),
        ev("2025-04-29", "escalation_requested"),
        ev("2025-06-02", "stage2_response"),
    )
    d = deadline(c, "2025-06-10", RESP1)
    assert (d.status, d.done_on, d.working_days_late) == (MISSED, D("2025-04-29"), 24)


def test_first_of_a_repeated_kind_starts_the_clock() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-08", "complaint_made"),
        ev("2026-04-09", "acknowledged"),
        ev("2026-04-20", "acknowledged"),
    )
    f = facts(c, "2026-04-21")
    assert f.deadline(ACK1).clock_start == D("2026-04-01")
    assert f.deadline(RESP1).clock_start == D("2026-04-09")


def test_a_response_on_a_weekend_after_a_friday_due_is_missed_by_zero_working_days() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),
        ev("2026-04-18", "stage1_response"),
    )  # due Fri 17 Apr, answered Sat 18 Apr
    d = deadline(c, "2026-05-01", RESP1)
    assert (d.status, d.working_days_late) == (MISSED, 0)


# --- extensions -----------------------------------------------------------------------------------

STAGE2_2024 = (
    ev("2026-04-22", "escalation_requested"),
    ev("2026-04-29", "stage2_acknowledged"),  # final due Fri 29 May; the +20 WD cap is Fri 26 June
)


def test_extension_within_the_cap_moves_the_due_date_and_warns_without_reasons() -> None:
    f = facts(case(*STAGE2_2024, ev("2026-05-20", "stage2_extension", new_due="2026-06-26")), "2026-06-01")
    d = f.deadline(RESP2)
    assert d.due == D("2026-06-26")
    assert d.code_due == D("2026-05-29")
    assert d.status is PENDING
    assert warning_ids(f) == [WarningId.EXTENSION_WITHOUT_REASONS]


def test_extension_beyond_the_cap_without_reasons_is_capped() -> None:
    f = facts(case(*STAGE2_2024, ev("2026-05-20", "stage2_extension", new_due="2026-07-03")), "2026-06-29")
    d = f.deadline(RESP2)
    assert d.due == D("2026-06-26")
    assert (d.status, d.working_days_late) == (MISSED, 1)
    assert sorted(warning_ids(f)) == sorted(
        [WarningId.EXTENSION_WITHOUT_REASONS, WarningId.EXTENSION_OVER_LIMIT, WarningId.DEADLINE_MISSED]
    )
    over = next(x for x in f.findings if x.id is WarningId.EXTENSION_OVER_LIMIT)
    assert over.params["extended_working_days"] == 25
    assert over.params["cap_working_days"] == 20
    assert over.rule == "Code 6.15 (2024)"


def test_extension_beyond_the_cap_with_reasons_moves_the_date_but_still_warns() -> None:
    f = facts(
        case(*STAGE2_2024, ev("2026-05-20", "stage2_extension", new_due="2026-07-03", reasons_given=True)),
        "2026-06-29",
    )
    assert f.deadline(RESP2).due == D("2026-07-03")
    assert warning_ids(f) == [WarningId.EXTENSION_OVER_LIMIT]


def test_extension_given_after_the_due_date_moves_nothing() -> None:
    f = facts(
        case(*STAGE2_2024, ev("2026-06-01", "stage2_extension", new_due="2026-06-12", reasons_given=True)),
        "2026-06-02",
    )
    d = f.deadline(RESP2)
    assert d.due == D("2026-05-29")
    assert (d.status, d.working_days_late) == (MISSED, 2)
    assert warning_ids(f) == [WarningId.DEADLINE_MISSED, WarningId.EXTENSION_AFTER_DUE]


def test_extension_on_the_due_date_itself_still_counts() -> None:
    f = facts(
        case(*STAGE2_2024, ev("2026-05-29", "stage2_extension", extra_working_days=5, reasons_given=True)),
        "2026-06-02",
    )
    assert f.deadline(RESP2).due == D("2026-06-05")


def test_extensions_add_up_against_one_cap() -> None:
    f = facts(
        case(
            *STAGE2_2024,
            ev("2026-05-20", "stage2_extension", new_due="2026-06-12", reasons_given=True),  # +10 WD
            ev("2026-06-10", "stage2_extension", extra_working_days=15, reasons_given=False),  # +25 in all
        ),
        "2026-06-15",
    )
    d = f.deadline(RESP2)
    assert d.due == D("2026-06-26")  # capped at +20
    assert [o.capped for o in d.extensions] == [False, True]
    assert sorted(warning_ids(f)) == sorted(
        [WarningId.EXTENSION_WITHOUT_REASONS, WarningId.EXTENSION_OVER_LIMIT]
    )


def test_extension_without_a_date_moves_nothing_and_is_reported() -> None:
    f = facts(case(*STAGE2_2024, ev("2026-05-20", "stage2_extension", reasons_given=True)), "2026-05-21")
    assert f.deadline(RESP2).due == D("2026-05-29")
    # Issue 22: no longer ignored silently; the Code says the landlord must give the expected timescale.
    assert [(x.id, x.rule, x.params) for x in f.findings] == [
        (
            WarningId.EXTENSION_WITHOUT_DATE,
            "Code 6.15 (2024)",
            {"given_on": D("2026-05-20"), "due": D("2026-05-29")},
        )
    ]


def test_stage1_extension_cap_is_ten_working_days() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),  # due Fri 17 Apr
        ev("2026-04-16", "stage1_extension", new_due="2026-05-15"),
    )
    d = deadline(c, "2026-04-20", RESP1)
    assert d.due == D("2026-05-01")  # 10 WD after 17 April; 4 May is a bank holiday, so not reached
    assert d.extension_cap_working_days == 10


def test_2022_code_stage2_counts_from_the_request_with_a_ten_day_cap() -> None:
    c = case(
        ev("2023-06-01", "escalation_requested"),
        ev("2023-06-05", "stage2_acknowledged"),
        ev("2023-06-06", "stage2_extension", extra_working_days=15),
    )
    f = facts(c, "2023-06-07")
    d = f.deadline(RESP2)
    assert d.code_version == "2022"
    assert d.clock_start == D("2023-06-01")
    assert d.clock_start_kind is ClockStart.ESCALATION_REQUESTED
    assert d.code_due == D("2023-06-29")
    assert d.due == calendar_for(Nation.ENGLAND).add_working_days(D("2023-06-29"), 10)
    assert WarningId.EXTENSION_OVER_LIMIT in warning_ids(f)


def test_each_stage_follows_the_code_in_force_when_it_began() -> None:
    c = case(
        ev("2024-03-20", "complaint_made"),
        ev("2024-03-21", "acknowledged"),
        ev("2024-03-28", "stage1_response"),
        ev("2024-04-02", "escalation_requested"),
    )
    f = facts(c, "2024-04-03")
    versions = {d.id: d.code_version for d in f.deadlines}
    assert versions == {ACK1: "2022", RESP1: "2022", ACK2: "2024", RESP2: "2024"}
    assert f.code_version == "2024"
    # 2024 Code: counted from the stage 2 acknowledgement's due date, not from the request
    assert f.deadline(RESP2).clock_start_kind is ClockStart.STAGE2_ACKNOWLEDGEMENT_DUE


def test_a_named_code_version_applies_to_every_stage() -> None:
    c = case(ev("2024-03-20", "complaint_made"), ev("2024-05-01", "escalation_requested"), code="2022")
    assert {d.code_version for d in facts(c, "2024-05-02").deadlines} == {"2022"}


def test_landlord_policy_is_reported_beside_the_code_and_warns_when_longer() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),
        policy={"stage1_response_working_days": 15, "stage2_response_working_days": 20},
    )
    f = facts(c, "2026-04-02")
    d = f.deadline(RESP1)
    assert d.due == D("2026-04-17")  # the Code is the floor
    assert d.landlord_due == D("2026-04-24")
    assert warning_ids(f) == [WarningId.POLICY_LONGER_THAN_CODE]


def test_a_shorter_landlord_policy_is_reported_without_warning() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),
        policy={"stage1_response_working_days": 5},
    )
    f = facts(c, "2026-04-02")
    assert f.deadline(RESP1).landlord_due == D("2026-04-10")
    assert f.findings == []


def test_events_after_as_of_are_left_out_and_reported() -> None:
    f = facts(FULL_2024, "2026-04-21")
    assert f.deadline(ACK2).status is NA
    assert warning_ids(f).count(WarningId.EVENT_AFTER_AS_OF) == 3


# --- properties -----------------------------------------------------------------------------------

event_days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@given(complained=event_days, ack_after=st.integers(0, 30), as_of_after=st.integers(0, 120))
def test_code_due_dates_are_working_days_and_late_counts_are_consistent(
    complained: date, ack_after: int, as_of_after: int
) -> None:
    from datetime import timedelta

    calendar = calendar_for(Nation.ENGLAND)
    acknowledged = complained + timedelta(days=ack_after)
    as_of = complained + timedelta(days=as_of_after)
    c = case(ev(complained.isoformat(), "complaint_made"), ev(acknowledged.isoformat(), "acknowledged"))
    for d in compute_facts(c, as_of).deadlines:
        if d.due is None:
            continue
        assert calendar.is_working_day(d.due)
        assert d.clock_start is not None
        if d.counted_from_request:
            # A late acknowledgement: the Code's latest date from the request came first (issue 22).
            assert d.request_date is not None and d.max_from_request_working_days is not None
            assert calendar.working_days_between(d.request_date, d.due) == d.max_from_request_working_days
            assert calendar.working_days_between(d.clock_start, d.due) < d.working_days
        else:
            assert calendar.working_days_between(d.clock_start, d.due) == d.working_days
        # Neither clock stretches past the other: the due date is never after the request's maximum.
        if d.max_from_request_due is not None:
            assert d.due <= d.max_from_request_due
        if d.status is MISSED:
            end = d.done_on or as_of
            assert d.working_days_late == calendar.working_days_between(d.due, end)
        elif d.status is MET:
            assert d.done_on is not None and d.done_on <= d.due


@pytest.mark.parametrize("nation", list(Nation))
def test_each_nation_counts_with_its_own_bank_holidays(nation: Nation) -> None:
    c = case(ev("2025-12-31", "complaint_made"), nation=nation.value)
    due = deadline(c, "2026-01-01", ACK1).due
    # 2 January is a bank holiday only in Scotland
    assert due == (D("2026-01-09") if nation is Nation.SCOTLAND else D("2026-01-08"))


# --- a late acknowledgement cannot stretch the response clock (issue 22) ---------------------------


def test_late_stage2_acknowledgement_does_not_stretch_the_final_response() -> None:
    # The review's case. Request Mon 20 Jan 2025; acknowledgement due 5 WD later, Mon 27 Jan.
    c = case(
        ev("2025-01-20", "escalation_requested"),
        ev("2025-02-14", "stage2_acknowledged"),  # 14 WD late: 28 Jan .. 14 Feb
        ev("2025-03-12", "stage2_response"),  # 37 WD after the request
    )
    f = facts(c, "2025-04-01")
    d = f.deadline(RESP2)
    assert d.code_due == D("2025-03-14")  # 20 WD after Fri 14 Feb: 17 Feb .. 14 Mar
    assert d.max_from_request_due == D("2025-02-24")  # 25 WD after Mon 20 Jan (5 + 20, 6.11 and 6.14)
    assert d.counted_from_request
    assert d.due == D("2025-02-24")
    # 25 Feb .. 12 Mar: 4 + 5 + 3 = 12 working days late (shown "met" before issue 22)
    assert (d.status, d.working_days_late, d.done_on) == ("missed", 12, D("2025-03-12"))
    missed = [x for x in f.findings if x.id == "deadline_missed" and x.params["deadline"] is RESP2]
    assert [(x.rule, x.params["due"]) for x in missed] == [("Code 6.11 and 6.14 (2024)", D("2025-02-24"))]


def test_late_stage1_acknowledgement_does_not_stretch_the_stage1_response() -> None:
    c = case(
        ev("2025-06-02", "complaint_made"),  # ack due Mon 9 Jun (5 WD)
        ev("2025-06-16", "acknowledged"),  # 5 WD late
        ev("2025-06-27", "stage1_response"),
    )
    d = deadline(c, "2025-07-01", RESP1)
    assert d.code_due == D("2025-06-30")  # 10 WD after Mon 16 Jun
    assert d.max_from_request_due == D("2025-06-23")  # 15 WD after Mon 2 Jun (6.2 + 6.3)
    assert d.due == D("2025-06-23")
    assert (d.status, d.working_days_late) == ("missed", 4)  # 24, 25, 26, 27 June


def test_an_acknowledgement_in_time_keeps_the_clock_from_the_acknowledgement() -> None:
    c = case(
        ev("2026-04-22", "escalation_requested"),  # 25 WD later: Fri 29 May (4 and 25 May skipped)
        ev("2026-04-29", "stage2_acknowledged"),  # day 5, in time: 20 WD later, Fri 29 May too
    )
    d = deadline(c, "2026-05-01", RESP2)
    assert (d.code_due, d.max_from_request_due, d.due) == (D("2026-05-29"), D("2026-05-29"), D("2026-05-29"))
    assert not d.counted_from_request
    early = deadline(
        case(ev("2026-04-22", "escalation_requested"), ev("2026-04-23", "stage2_acknowledged")),
        "2026-05-01",
        RESP2,
    )
    assert early.due == D("2026-05-22")  # 20 WD after Thu 23 Apr (4 May skipped): earlier than the maximum


def test_the_2022_code_stage2_counts_from_the_request_already() -> None:
    c = case(
        ev("2023-06-01", "escalation_requested"),
        ev("2023-06-20", "stage2_acknowledged"),  # late
        ev("2023-06-30", "stage2_response"),
    )
    d = deadline(c, "2023-07-03", RESP2)
    assert d.max_from_request_due is None
    assert d.due == D("2023-06-29")  # 20 WD after Thu 1 Jun 2023
    assert (d.status, d.working_days_late) == ("missed", 1)


def test_the_how_we_counted_shows_both_counts() -> None:
    from flows.i18n import translator
    from flows.messages import how_counted

    c = case(ev("2025-01-20", "escalation_requested"), ev("2025-02-14", "stage2_acknowledged"))
    d = deadline(c, "2025-02-17", RESP2)
    text = how_counted(d, calendar_for(Nation.ENGLAND), translator("en"))
    assert text is not None
    assert "20 working days later is Friday, 14 March 2025" in text
    assert "the day you asked for stage 2 (Monday, 20 January 2025): 25 working days later" in text
    assert "so we use Monday, 24 February 2025" in text


@given(
    requested=st.dates(min_value=date(2024, 4, 1), max_value=date(2030, 12, 31)),
    ack_after=st.integers(0, 60),
    answer_after=st.integers(0, 120),
)
def test_no_acknowledgement_date_moves_the_final_response_past_25_working_days(
    requested: date, ack_after: int, answer_after: int
) -> None:
    from datetime import timedelta

    calendar = calendar_for(Nation.ENGLAND)
    acknowledged = requested + timedelta(days=ack_after)
    answered = acknowledged + timedelta(days=answer_after)
    c = case(
        ev(requested.isoformat(), "escalation_requested"),
        ev(acknowledged.isoformat(), "stage2_acknowledged"),
        ev(answered.isoformat(), "stage2_response"),
    )
    d = compute_facts(c, answered).deadline(RESP2)
    assert d.due is not None
    assert calendar.working_days_between(requested, d.due) <= 25
    late_against_request = calendar.working_days_between(requested, answered) > 25
    assert (d.status == "missed") == (late_against_request or answered > d.due)


# --- extensions beyond the Code's limit (issue 22) ------------------------------------------------

OVER_LIMIT_WITH_REASONS = ev("2026-05-20", "stage2_extension", new_due="2026-07-03", reasons_given=True)


def test_met_by_an_extension_beyond_the_code_limit_is_not_plain_met() -> None:
    # Final due Fri 29 May 2026; the Code's +20 WD limit is Fri 26 June; the landlord named Fri 3 July.
    f = facts(case(*STAGE2_2024, OVER_LIMIT_WITH_REASONS, ev("2026-07-01", "stage2_response")), "2026-07-02")
    d = f.deadline(RESP2)
    assert d.due == D("2026-07-03")
    assert d.status == "met_extension_over_limit"
    assert d.working_days_late == 0  # against the landlord's own date
    assert d.code_limit_due == D("2026-06-26")
    assert d.working_days_beyond_code_limit == 3  # 29, 30 June, 1 July
    after = [x for x in f.findings if x.id == "answered_after_code_limit"]
    assert [
        (x.rule, x.params["code_limit_due"], x.params["working_days_beyond_code_limit"]) for x in after
    ] == [("Code 6.15 (2024)", D("2026-06-26"), 3)]


def test_answered_inside_the_code_limit_despite_a_long_extension_is_met() -> None:
    f = facts(case(*STAGE2_2024, OVER_LIMIT_WITH_REASONS, ev("2026-06-26", "stage2_response")), "2026-07-02")
    d = f.deadline(RESP2)
    assert (d.status, d.code_limit_due, d.working_days_beyond_code_limit) == (MET, D("2026-06-26"), None)
    assert "answered_after_code_limit" not in warning_ids(f)


def test_missing_the_landlords_own_long_date_is_missed_and_late_against_both() -> None:
    f = facts(case(*STAGE2_2024, OVER_LIMIT_WITH_REASONS, ev("2026-07-06", "stage2_response")), "2026-07-07")
    d = f.deadline(RESP2)
    assert (d.status, d.working_days_late) == (MISSED, 1)  # Mon 6 July, after Fri 3 July
    assert d.working_days_beyond_code_limit == 6  # 29 Jun .. 6 Jul


def test_stage1_extension_of_many_weeks_with_reasons_met_is_flagged_with_bank_holidays_skipped() -> None:
    c = case(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),  # due Fri 17 Apr; +10 WD limit Fri 1 May
        ev("2026-04-15", "stage1_extension", new_due="2026-05-29", reasons_given=True),
        ev("2026-05-28", "stage1_response"),
    )
    d = deadline(c, "2026-06-01", RESP1)
    assert d.status == "met_extension_over_limit"
    assert d.code_limit_due == D("2026-05-01")
    # 5-8 May (4 May bank holiday), 11-15, 18-22, 26-28 May (25 May bank holiday): 4 + 5 + 5 + 3
    assert d.working_days_beyond_code_limit == 17
    pending = deadline(c, "2026-05-15", RESP1)  # no answer yet: still the landlord's date to come
    assert (pending.status, pending.working_days_beyond_code_limit) == (PENDING, 9)


def test_an_extension_after_the_due_date_without_a_date_is_reported_once() -> None:
    f = facts(case(*STAGE2_2024, ev("2026-06-01", "stage2_extension", reasons_given=True)), "2026-06-02")
    assert warning_ids(f) == [WarningId.DEADLINE_MISSED, WarningId.EXTENSION_AFTER_DUE]


def test_the_2024_stage2_paragraph_is_marked_unverified() -> None:
    d = deadline(FULL_2024, "2026-06-01", RESP2)
    assert d.rule is not None
    assert (d.rule.citation, d.rule.standing) == ("Code 6.14 (2024)", "unverified")


@given(
    extra=st.integers(1, 60),
    reasons=st.booleans(),
    answered_after=st.integers(0, 100),
)
def test_an_extension_beyond_the_limit_is_met_only_against_the_landlords_date(
    extra: int, reasons: bool, answered_after: int
) -> None:
    from datetime import timedelta

    calendar = calendar_for(Nation.ENGLAND)
    # Final due Fri 29 May 2026; the Code's +20 WD limit is Fri 26 June 2026.
    answered = D("2026-05-20") + timedelta(days=answered_after)
    c = case(
        *STAGE2_2024,
        ev("2026-05-20", "stage2_extension", extra_working_days=extra, reasons_given=reasons),
        ev(answered.isoformat(), "stage2_response"),
    )
    d = compute_facts(c, answered).deadline(RESP2)
    assert d.due is not None
    if d.code_limit_due is not None:  # only an extension with reasons goes past the limit
        assert reasons and extra > 20 and d.code_limit_due == D("2026-06-26") and d.due > d.code_limit_due
    if d.status == "met_extension_over_limit":
        assert d.code_limit_due is not None and d.code_limit_due < answered <= d.due
        assert d.working_days_beyond_code_limit == calendar.working_days_between(d.code_limit_due, answered)
    elif d.status is MET:
        assert answered <= d.due and (d.code_limit_due is None or answered <= d.code_limit_due)
    else:
        assert d.status is MISSED and answered > d.due
