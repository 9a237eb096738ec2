"""The resident's time limits: 12 months to complain, the landlord's stage 2 window, 12 months to refer."""

from __future__ import annotations

from datetime import date

import pytest
from builders import case, ev

from flows.findings import WarningId
from flows.time_limits import TimeLimit, TimeLimitId, TimeLimitStatus, twelve_months_after
from flows.timeline import compute_facts

D = date.fromisoformat
OPEN, CLOSING, CLOSED = TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING, TimeLimitStatus.CLOSED
USED, NA = TimeLimitStatus.USED, TimeLimitStatus.NOT_APPLICABLE


def limit(events: tuple[object, ...], as_of: str, limit_id: TimeLimitId, **options: object) -> TimeLimit:
    return compute_facts(case(*events, **options), D(as_of)).time_limit(limit_id)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("as_of", "days_left", "status"),
    [
        ("2025-03-10", 365, OPEN),
        ("2026-02-09", 29, OPEN),
        ("2026-02-10", 28, CLOSING),
        ("2026-03-10", 0, CLOSING),
        ("2026-03-11", -1, CLOSED),
    ],
)
def test_complaint_window_counts_twelve_calendar_months(
    as_of: str, days_left: int, status: TimeLimitStatus
) -> None:
    got = limit((ev("2025-03-10", "issue_started"),), as_of, TimeLimitId.COMPLAINT_WINDOW)
    assert (got.starts, got.ends, got.days_left, got.status) == (
        D("2025-03-10"),
        D("2026-03-10"),
        days_left,
        status,
    )


def test_twelve_months_from_29_february_ends_on_28_february() -> None:
    got = limit((ev("2024-02-29", "issue_started"),), "2024-03-01", TimeLimitId.COMPLAINT_WINDOW)
    assert got.ends == D("2025-02-28")


def test_complaint_window_is_used_by_the_complaint_and_warns_when_late() -> None:
    f = compute_facts(
        case(ev("2024-01-15", "issue_started"), ev("2025-02-01", "complaint_made")), D("2025-02-02")
    )
    window = f.time_limit(TimeLimitId.COMPLAINT_WINDOW)
    assert (window.status, window.used_on, window.days_left) == (USED, D("2025-02-01"), None)
    late = [x for x in f.findings if x.id is WarningId.COMPLAINT_OUTSIDE_12_MONTHS]
    assert len(late) == 1 and late[0].rule == "Code 2.3 (2024)"


def test_complaint_window_closing_warns() -> None:
    f = compute_facts(case(ev("2025-03-10", "issue_started")), D("2026-03-01"))
    assert [x.id for x in f.findings] == [WarningId.COMPLAINT_WINDOW_CLOSING]


def test_without_issue_started_the_complaint_window_is_not_applicable() -> None:
    got = limit((ev("2025-03-10", "complaint_made"),), "2025-03-11", TimeLimitId.COMPLAINT_WINDOW)
    assert (got.status, got.starts, got.ends, got.days_left) == (NA, None, None, None)


STAGE1_ANSWERED = (ev("2026-04-01", "complaint_made"), ev("2026-04-10", "stage1_response"))


def test_stage2_window_needs_the_landlords_policy() -> None:
    got = limit(STAGE1_ANSWERED, "2026-04-11", TimeLimitId.STAGE2_REQUEST_WINDOW)
    assert got.status is NA


def test_stage2_window_from_the_stage1_response_in_calendar_days() -> None:
    got = limit(
        STAGE1_ANSWERED,
        "2026-04-11",
        TimeLimitId.STAGE2_REQUEST_WINDOW,
        policy={"escalation_window_days": 28},
    )
    assert (got.starts, got.ends, got.days_left, got.status) == (
        D("2026-04-10"),
        D("2026-05-08"),
        27,
        CLOSING,
    )


def test_stage2_request_after_the_window_is_used_but_warned() -> None:
    f = compute_facts(
        case(
            *STAGE1_ANSWERED, ev("2026-05-20", "escalation_requested"), policy={"escalation_window_days": 28}
        ),
        D("2026-05-21"),
    )
    assert f.time_limit(TimeLimitId.STAGE2_REQUEST_WINDOW).status is USED
    assert WarningId.STAGE2_REQUEST_AFTER_WINDOW in [x.id for x in f.findings]


def test_referral_window_runs_from_the_final_response() -> None:
    got = limit((ev("2025-06-02", "stage2_response"),), "2026-05-20", TimeLimitId.OMBUDSMAN_REFERRAL)
    assert (got.starts, got.ends, got.days_left, got.status) == (
        D("2025-06-02"),
        D("2026-06-02"),
        13,
        CLOSING,
    )


def test_referral_window_runs_from_a_refusal_when_there_is_no_final_response() -> None:
    got = limit((ev("2025-06-02", "landlord_declined"),), "2025-06-03", TimeLimitId.OMBUDSMAN_REFERRAL)
    assert (got.ends, got.status) == (D("2026-06-02"), OPEN)


def test_referral_window_closing_and_closed_warn() -> None:
    closing = compute_facts(case(ev("2025-06-02", "stage2_response")), D("2026-05-20"))
    assert [x.id for x in closing.findings] == [WarningId.REFERRAL_WINDOW_CLOSING]
    closed = compute_facts(case(ev("2025-06-02", "stage2_response")), D("2026-06-03"))
    assert [x.id for x in closed.findings] == [WarningId.REFERRAL_WINDOW_CLOSED]


def test_referral_used() -> None:
    got = limit(
        (ev("2025-06-02", "stage2_response"), ev("2025-07-01", "referred_to_ombudsman")),
        "2026-07-01",
        TimeLimitId.OMBUDSMAN_REFERRAL,
    )
    assert (got.status, got.used_on) == (USED, D("2025-07-01"))


# --- stage 2 asked for long after the stage 1 answer, the landlord's limit unknown (issue 22) -------


def test_stage2_asked_three_months_after_the_answer_with_no_known_limit_warns() -> None:
    from flows.time_limits import months_after

    answered = ev("2025-01-15", "stage1_response")
    late = compute_facts(case(answered, ev("2025-04-15", "escalation_requested")), date(2025, 4, 16))
    warned = [f for f in late.findings if f.id == "stage2_request_long_after_response"]
    assert [(f.params["requested_on"], f.params["stage1_response"], f.params["months"]) for f in warned] == [
        (date(2025, 4, 15), date(2025, 1, 15), 3)
    ]
    sooner = compute_facts(case(answered, ev("2025-04-14", "escalation_requested")), date(2025, 4, 16))
    assert "stage2_request_long_after_response" not in [f.id for f in sooner.findings]
    # A known limit has its own warning instead.
    known = compute_facts(
        case(answered, ev("2025-04-15", "escalation_requested"), policy={"escalation_window_days": 28}),
        date(2025, 4, 16),
    )
    assert [f.id for f in known.findings] == ["stage2_request_after_window"]
    assert months_after(date(2024, 11, 30), 3) == date(2025, 2, 28)  # no 30 February


def test_twelve_months_after_29_february_is_28_february() -> None:
    assert twelve_months_after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert twelve_months_after(date(2024, 3, 31)) == date(2025, 3, 31)
