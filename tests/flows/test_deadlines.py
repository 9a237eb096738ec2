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
from flows.timeline import Facts, compute_facts
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


def test_extension_without_a_date_moves_nothing() -> None:
    f = facts(case(*STAGE2_2024, ev("2026-05-20", "stage2_extension", reasons_given=True)), "2026-05-21")
    assert f.deadline(RESP2).due == D("2026-05-29")
    assert f.findings == []


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
        assert calendar.working_days_between(d.clock_start, d.due) == d.working_days
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
