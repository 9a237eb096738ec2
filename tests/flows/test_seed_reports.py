"""Regression cases from the two Ombudsman reports in ../shared/seeds/ (shipped in flows/examples/).

Westlea 201911525: the resident's call inside the landlord's four-week window should have been taken
as a stage 2 request; the landlord refused to escalate months later (service failure).
Portsmouth 202224228: a 15-working-day policy against the Code's 10, and two extensions without
reasons, the second beyond the Code's limit (maladministration in complaint handling).
"""

from __future__ import annotations

from datetime import date
from importlib import resources

from flows.contract import parse_case
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.findings import WarningId
from flows.lifecycle import State
from flows.time_limits import TimeLimitId, TimeLimitStatus
from flows.timeline import NextStepId, Timeline, build_timeline

D = date.fromisoformat


def example(name: str) -> Timeline:
    case_in = parse_case((resources.files("flows") / "examples" / name).read_bytes())
    assert case_in.as_of is not None
    return build_timeline(case_in.to_case(), case_in.as_of)


def test_westlea_refused_escalation_inside_the_landlords_own_window() -> None:
    timeline = example("westlea-201911525.json")
    deadlines = {d.id: d for d in timeline.deadlines}

    assert timeline.state is State.DECLINED
    assert timeline.facts.code_version == "2022"

    # Stage 1 was handled on time: acknowledged 20 Nov, answered 28 Nov, due 4 Dec (as the landlord said).
    assert deadlines[DeadlineId.STAGE1_ACKNOWLEDGEMENT].status is DeadlineStatus.MET
    assert deadlines[DeadlineId.STAGE1_RESPONSE].due == D("2019-12-04")
    assert deadlines[DeadlineId.STAGE1_RESPONSE].status is DeadlineStatus.MET

    # The call on Saturday 14 December started the stage 2 clocks; the refusal overtook both, late.
    ack2 = deadlines[DeadlineId.STAGE2_ACKNOWLEDGEMENT]
    assert (ack2.clock_start, ack2.due, ack2.done_on) == (D("2019-12-14"), D("2019-12-20"), D("2020-04-29"))
    assert (ack2.status, ack2.working_days_late) == (DeadlineStatus.MISSED, 88)
    final = deadlines[DeadlineId.STAGE2_RESPONSE]
    assert (final.due, final.status, final.working_days_late) == (D("2020-01-15"), DeadlineStatus.MISSED, 73)

    window = timeline.facts.time_limit(TimeLimitId.STAGE2_REQUEST_WINDOW)
    assert (window.starts, window.ends, window.status) == (
        D("2019-11-28"),
        D("2019-12-26"),
        TimeLimitStatus.USED,
    )
    # 11 working days, 16 calendar days after the response (domain.md 5.4): well inside four weeks
    assert (window.used_on - window.starts).days == 16  # type: ignore[operator]

    refused = [f for f in timeline.findings if f.id is WarningId.ESCALATION_REFUSED]
    assert len(refused) == 1
    assert refused[0].params["within_window"] is True
    assert refused[0].rule == "Code 5.9 (2022)"
    assert WarningId.CODE_VERSION_ASSUMED in [f.id for f in timeline.findings]
    # Issue 22: a complaint of November 2019 had no Code at all (the first was published in July 2020).
    assert "before_first_code" in [f.id for f in timeline.findings]

    referral = timeline.facts.time_limit(TimeLimitId.OMBUDSMAN_REFERRAL)
    assert (referral.starts, referral.ends, referral.status) == (
        D("2020-04-29"),
        D("2021-04-29"),
        TimeLimitStatus.OPEN,
    )
    assert [s.id for s in timeline.next_steps] == [
        NextStepId.CHALLENGE_REFUSAL,
        NextStepId.REFER_TO_OMBUDSMAN,
    ]


def test_portsmouth_policy_longer_than_code_and_extensions_without_reasons() -> None:
    timeline = example("portsmouth-202224228.json")
    deadlines = {d.id: d for d in timeline.deadlines}
    ids = [f.id for f in timeline.findings]

    response = deadlines[DeadlineId.STAGE1_RESPONSE]
    assert response.code_version == "2022"
    assert response.code_due == D("2022-11-02")  # 10 working days from logging on 19 October
    assert response.landlord_due == D("2022-11-09")  # the policy's 15, on the Ombudsman's counting
    # Both extensions came after the Code's date had passed, so neither moved it.
    assert response.due == D("2022-11-02")
    assert [o.after_due for o in response.extensions] == [True, True]
    assert (response.status, response.working_days_late) == (DeadlineStatus.MISSED, 10)

    assert ids.count(WarningId.POLICY_LONGER_THAN_CODE) == 1
    assert ids.count(WarningId.EXTENSION_WITHOUT_REASONS) == 2
    # 15 November (working day 19 from logging) is inside the Code's 20; 22 November (24) is beyond it.
    over = [f for f in timeline.findings if f.id is WarningId.EXTENSION_OVER_LIMIT]
    assert [f.params["new_due"] for f in over] == [D("2022-11-22")]
    assert over[0].params["cap_due"] == D("2022-11-16")

    final = deadlines[DeadlineId.STAGE2_RESPONSE]
    assert (final.due, final.status) == (
        D("2023-01-06"),
        DeadlineStatus.MET,
    )  # "within the appropriate timeframe"
    assert timeline.state is State.FINAL_RESPONSE
    assert [s.id for s in timeline.next_steps] == [NextStepId.REFER_TO_OMBUDSMAN]


def test_a_complaint_under_the_first_code_is_not_said_to_have_had_none() -> None:
    from builders import case, ev

    from flows.timeline import compute_facts

    ids = [f.id for f in compute_facts(case(ev("2021-03-01", "complaint_made")), D("2021-03-02")).findings]
    assert ids == [WarningId.CODE_VERSION_ASSUMED]
    before = compute_facts(case(ev("2020-06-30", "complaint_made")), D("2020-07-01")).findings
    assert [f.id for f in before] == [WarningId.CODE_VERSION_ASSUMED, "before_first_code"]
