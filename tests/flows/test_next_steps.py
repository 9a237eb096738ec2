"""What the resident can do next, from what the history shows (issue 22).

A later event implies the earlier stages happened; an answer already given is never chased; an
unanswered stage 1 gets chase, complain about the delay and the Ombudsman, and stage 2 only where the
Code governing stage 1 (2024 Code 6.10, not 2022 Code 5.11) or the landlord's policy allows it.
"""

from __future__ import annotations

from datetime import date, timedelta

from builders import case, ev
from hypothesis import example, given
from hypothesis import strategies as st

from flows.case import EventKind
from flows.i18n import translator
from flows.lifecycle import State
from flows.messages import next_step_message
from flows.timeline import NextStepId, Timeline, build_timeline

D = date.fromisoformat


def timeline(*events: object, as_of: str, **options: object) -> Timeline:
    return build_timeline(case(*events, **options), D(as_of))  # type: ignore[arg-type]


def step_ids(t: Timeline) -> list[str]:
    return [s.id.value for s in t.next_steps]


def test_a_final_response_with_earlier_events_missing_means_the_ombudsman_next() -> None:
    t = timeline(ev("2025-03-03", "complaint_made"), ev("2025-06-02", "stage2_response"), as_of="2025-06-10")
    assert t.state is State.FINAL_RESPONSE
    assert "unexpected_event" not in [f.id for f in t.findings]
    assert step_ids(t) == ["refer_to_ombudsman"]
    refer = t.next_steps[0]
    assert (refer.params["ends"], refer.params["days_left"]) == (D("2026-06-02"), 357)


def test_a_stage2_acknowledgement_after_stage1_events_means_waiting_for_the_final_answer() -> None:
    t = timeline(
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-29", "stage2_acknowledged"),  # 20 WD later: Fri 29 May (4 and 25 May skipped)
        as_of="2026-05-01",
    )
    assert t.state is State.STAGE2_WAITING_RESPONSE
    assert step_ids(t) == ["wait_for_landlord"]
    assert t.next_steps[0].params["due"] == D("2026-05-29")


def test_unanswered_stage1_under_the_2024_code() -> None:
    # Acknowledged Wed 1 Apr 2026: answer due Fri 17 Apr (Easter skipped); as of Fri 24 Apr, 5 WD late.
    t = timeline(ev("2026-04-01", "complaint_made"), ev("2026-04-01", "acknowledged"), as_of="2026-04-24")
    assert step_ids(t) == [
        "chase_landlord",
        "complain_about_delay",
        "ask_for_stage2",
        "ask_ombudsman_to_intervene",
    ]
    stage2 = t.next_steps[2]
    assert stage2.params == {"after_no_response": True, "rule": "Code 6.10 (2024)"}
    text = next_step_message(stage2, translator("en"))
    assert "(Code 6.10 (2024))" in text
    ombudsman = next_step_message(t.next_steps[3], translator("en"))
    assert "Complaint Handling Failure Order" in ombudsman


def test_unanswered_stage1_under_the_2022_code_does_not_suggest_stage2() -> None:
    # Acknowledged Thu 1 Jun 2023: answer due Thu 15 Jun (10 WD); 2022 Code 5.11: stage 2 once stage 1 is complete.
    events = (ev("2023-06-01", "complaint_made"), ev("2023-06-01", "acknowledged"))
    for as_of in ("2023-06-30", "2026-06-30"):  # even now that the 2024 Code is in force
        t = timeline(*events, as_of=as_of)
        assert step_ids(t) == ["chase_landlord", "complain_about_delay", "ask_ombudsman_to_intervene"]


def test_unanswered_stage1_under_the_2022_code_with_a_policy_that_allows_stage2() -> None:
    t = timeline(
        ev("2023-06-01", "complaint_made"),
        ev("2023-06-01", "acknowledged"),
        as_of="2023-06-30",
        policy={"stage2_when_stage1_late": True},
    )
    assert step_ids(t) == [
        "chase_landlord",
        "complain_about_delay",
        "ask_for_stage2",
        "ask_ombudsman_to_intervene",
    ]
    text = next_step_message(t.next_steps[2], translator("en"))
    assert "policy" in text and "Code 6.10" not in text


def test_stage1_not_yet_due_is_waited_for() -> None:
    t = timeline(ev("2026-04-01", "complaint_made"), ev("2026-04-01", "acknowledged"), as_of="2026-04-10")
    assert step_ids(t) == ["wait_for_landlord"]


_ANSWERS = {
    "stage1_acknowledgement": {"acknowledged", "stage1_extension", "stage1_response"},
    "stage1_response": {"stage1_response"},
    "stage2_acknowledgement": {"stage2_acknowledged", "stage2_extension", "stage2_response"},
    "stage2_response": {"stage2_response"},
}
_LANDLORD_STAGE2 = {"stage2_acknowledged", "stage2_extension", "stage2_response"}


@given(
    kinds=st.lists(st.sampled_from([k for k in EventKind if k is not EventKind.ISSUE_STARTED]), max_size=6),
    gaps=st.lists(st.integers(0, 40), min_size=6, max_size=6),
    tail=st.integers(0, 200),
)
# The review's case: a final response with the earlier events missing was chased as stage 1.
@example(kinds=[EventKind.COMPLAINT_MADE, EventKind.STAGE2_RESPONSE], gaps=[0, 40, 0, 0, 0, 0], tail=10)
@example(kinds=[EventKind.COMPLAINT_MADE, EventKind.STAGE2_ACKNOWLEDGED], gaps=[0, 30, 0, 0, 0, 0], tail=2)
@example(  # asked again after a decline: the new request's acknowledgement is the one to chase
    kinds=[EventKind.STAGE2_EXTENSION, EventKind.LANDLORD_DECLINED, EventKind.ESCALATION_REQUESTED],
    gaps=[0, 0, 0, 0, 0, 0],
    tail=8,
)
def test_an_answer_already_given_is_never_chased(kinds: list[EventKind], gaps: list[int], tail: int) -> None:
    day = date(2025, 1, 6)
    events = []
    for kind, gap in zip(kinds, gaps, strict=False):
        day += timedelta(days=gap)
        events.append(ev(day.isoformat(), kind.value))
    t = build_timeline(case(*events), day + timedelta(days=tail))
    given_kinds = {e.kind.value for e in events}
    # A stage 2 request made again after the landlord's stage 2 events (a decline, then a new request):
    # the new request's acknowledgement may be chased; only what answered the last request counts.
    requests = [i for i, e in enumerate(events) if e.kind is EventKind.ESCALATION_REQUESTED]
    since_request = {e.kind.value for e in events[requests[-1] :]} if requests else given_kinds
    for step in t.next_steps:
        if step.id is NextStepId.CHASE_LANDLORD:
            deadline = step.params["deadline"].value
            answered = since_request if deadline.startswith("stage2") else given_kinds
            assert not (_ANSWERS[deadline] & answered)
            if deadline.startswith("stage1"):
                assert not (_LANDLORD_STAGE2 & given_kinds)  # a later stage implies stage 1 ended
        if "stage2_response" in given_kinds:
            assert step.id not in (NextStepId.CHASE_LANDLORD, NextStepId.ASK_FOR_STAGE2)


def test_the_new_warnings_say_what_the_resident_needs_to_hear() -> None:
    from flows.messages import finding_message

    en = translator("en")
    over = timeline(
        ev("2026-04-22", "escalation_requested"),
        ev("2026-04-29", "stage2_acknowledged"),
        ev("2026-05-20", "stage2_extension", new_due="2026-07-03", reasons_given=True),
        ev("2026-07-01", "stage2_response"),
        as_of="2026-07-02",
    )
    texts = {f.id.value: finding_message(f, en) for f in over.findings}
    assert "Friday, 26 June 2026" in texts["answered_after_code_limit"]
    assert "3 working days after it" in texts["answered_after_code_limit"]
    assert "for the Housing Ombudsman to judge" in texts["answered_after_code_limit"]
    assert over.deadlines[3].status == "met_extension_over_limit"
    assert step_ids(over) == ["refer_to_ombudsman"]

    no_date = timeline(
        ev("2026-04-22", "escalation_requested"),
        ev("2026-05-20", "stage2_extension", reasons_given=True),
        as_of="2026-05-21",
    )
    text = finding_message(next(f for f in no_date.findings if f.id == "extension_without_date"), en)
    assert "gave no new date" in text and "Friday, 29 May 2026" in text

    old = build_timeline(case(ev("2019-11-18", "complaint_made")), D("2019-11-19"))
    text = finding_message(next(f for f in old.findings if f.id == "before_first_code"), en)
    assert "July 2020" in text and "no Code applied" in text


def test_no_reasons_needed_is_cited_only_where_the_2024_code_governs_stage2() -> None:
    en = translator("en")
    answered_2023 = timeline(
        ev("2023-06-01", "complaint_made"), ev("2023-06-08", "stage1_response"), as_of="2023-06-09"
    )
    text = next_step_message(answered_2023.next_steps[0], en)
    assert "Code 6.12" not in text and "ask for stage 2" in text
    # Asked for now, stage 2 falls under the 2024 Code, whose 6.12 says no reasons are needed.
    answered_now = timeline(
        ev("2023-06-01", "complaint_made"), ev("2023-06-08", "stage1_response"), as_of="2026-06-09"
    )
    assert "(Code 6.12)" in next_step_message(answered_now.next_steps[0], en)


def test_no_reasons_needed_is_not_cited_outside_england() -> None:
    """The Housing Ombudsman's Code does not apply in Wales, Scotland or Northern Ireland."""
    en = translator("en")
    for nation in ("wales", "scotland", "northern_ireland"):
        answered = timeline(
            ev("2026-03-02", "complaint_made"),
            ev("2026-03-13", "stage1_response"),
            as_of="2026-03-16",
            nation=nation,
        )
        ask = next(step for step in answered.next_steps if step.id is NextStepId.ASK_FOR_STAGE2)
        text = next_step_message(ask, en)
        assert "Code 6.12" not in text and "ask for stage 2" in text, nation


def test_outside_england_the_next_steps_never_send_the_resident_to_the_housing_ombudsman() -> None:
    """In Wales, Scotland and Northern Ireland another ombudsman handles social housing (domain.md 4.2-4.4)
    and the Housing Ombudsman's Code does not apply: no Housing Ombudsman, no 12-month countdown to it,
    no Code paragraph to escalate by. The resident is pointed to their own nation's body."""
    histories = {
        # Complaint Mon 2 Mar 2026, nothing since: as of Fri 1 May, long overdue.
        "unanswered": ((ev("2026-03-02", "complaint_made"),), State.STAGE1_WAITING_ACKNOWLEDGEMENT),
        "final": (
            (
                ev("2026-03-02", "complaint_made"),
                ev("2026-03-13", "stage1_response"),
                ev("2026-03-16", "escalation_requested"),
                ev("2026-04-20", "stage2_response"),
            ),
            State.FINAL_RESPONSE,
        ),
        "refused": (
            (
                ev("2026-03-02", "complaint_made"),
                ev("2026-03-13", "stage1_response"),
                ev("2026-03-16", "escalation_requested"),
                ev("2026-03-20", "landlord_declined"),
            ),
            State.DECLINED,
        ),
    }
    en = translator("en")
    for nation, body in (("wales", "psow"), ("scotland", "spso"), ("northern_ireland", "nipso")):
        for name, (events, state) in histories.items():
            t = timeline(*events, as_of="2026-05-01", nation=nation)
            assert t.state is state, (nation, name)
            ids = step_ids(t)
            assert ids[0] == "contact_other_body" and t.next_steps[0].params["body"] == body, (nation, name)
            for step in t.next_steps:
                text = next_step_message(step, en)
                assert "Housing Ombudsman" not in text and "Code 6." not in text, (nation, name, text)
            if name == "unanswered":
                assert "chase_landlord" in ids


def test_waiting_past_the_codes_limit_on_an_over_long_extension_says_the_ombudsman_can_judge_it() -> None:
    # Acknowledged Wed 1 Apr 2026: answer due Fri 17 Apr (Good Friday 3 and Easter Monday 6 Apr skipped);
    # the Code's limit with the longest extension allowed without good reason, 10 WD more: Fri 1 May.
    # On 10 Apr the landlord, giving reasons, moved its date to Tue 30 Jun.
    events = (
        ev("2026-04-01", "complaint_made"),
        ev("2026-04-01", "acknowledged"),
        ev("2026-04-10", "stage1_extension", new_due="2026-06-30", reasons_given=True),
    )
    en = translator("en")
    on_the_limit = timeline(*events, as_of="2026-05-01")
    assert step_ids(on_the_limit) == ["wait_for_landlord"]
    assert "Ombudsman" not in next_step_message(on_the_limit.next_steps[0], en)
    past_it = timeline(*events, as_of="2026-06-01")
    assert step_ids(past_it) == ["wait_for_landlord"]
    text = next_step_message(past_it.next_steps[0], en)
    assert "Tuesday, 30 June 2026" in text and "Friday, 1 May 2026" in text
    assert "for the Housing Ombudsman to judge" in text and "contact the Ombudsman now" in text
