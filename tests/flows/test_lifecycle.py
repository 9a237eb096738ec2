"""The lifecycle machine: every event from every state is either a move or a reported problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import case, ev
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.case import CaseEvent, EventKind
from flows.lifecycle import MACHINE, State, mermaid_diagram, replay
from flows.timeline import build_timeline

DOCS = Path(__file__).resolve().parents[2] / "docs"

# One event list that reaches each state (dates far apart so guards see the deadlines passed).
REACH = {
    State.DRAFTING: [],
    State.STAGE1_WAITING_ACKNOWLEDGEMENT: ["complaint_made"],
    State.STAGE1_WAITING_RESPONSE: ["complaint_made", "acknowledged"],
    State.STAGE1_ANSWERED: ["complaint_made", "acknowledged", "stage1_response"],
    State.STAGE2_WAITING_ACKNOWLEDGEMENT: ["complaint_made", "stage1_response", "escalation_requested"],
    State.STAGE2_WAITING_RESPONSE: ["escalation_requested", "stage2_acknowledged"],
    State.FINAL_RESPONSE: ["escalation_requested", "stage2_response"],
    State.DECLINED: ["complaint_made", "landlord_declined"],
    State.REFERRED: ["stage2_response", "referred_to_ombudsman"],
    State.CLOSED: ["complaint_made", "withdrawn"],
}


def on_day(kinds: list[str], start: int = 0) -> list[CaseEvent]:
    return [
        ev(date.fromordinal(date(2025, 1, 6).toordinal() + 7 * (start + i)).isoformat(), kind)
        for i, kind in enumerate(kinds)
    ]


@pytest.mark.parametrize("state", list(State))
def test_each_state_is_reachable(state: State) -> None:
    assert replay(on_day(REACH[state])).state is state


# The oracle, written out from the Code (../shared/domain.md), not from the machine's TRANSITIONS: for
# each state, the events that move the case (to the state given; the same state for a repeat) or that a
# guard refuses without the dates that would allow them (the guard's name). Any other event is out of
# order: the state stays and the event is reported.
E, S = EventKind, State
_NOT_OVERDUE = "landlord_not_overdue"  # 1.12: the Ombudsman steps in early only once a deadline passed
_NOT_ANSWERED = "stage1_not_answered"  # 1.6, Code 6.10: stage 2 after the stage 1 answer or its deadline
# A landlord's stage 2 step implies stage 2 was asked for (1.6, 6.11-6.14), so it ends stage 1 however
# much of stage 1 the history recorded; the resident may end the complaint from any open state.
_STAGE2_BY_LANDLORD = {
    E.STAGE2_ACKNOWLEDGED: S.STAGE2_WAITING_RESPONSE,
    E.STAGE2_EXTENSION: S.STAGE2_WAITING_RESPONSE,
    E.STAGE2_RESPONSE: S.FINAL_RESPONSE,
}
_ENDS = {E.RESOLVED: S.CLOSED, E.WITHDRAWN: S.CLOSED}
ORACLE: dict[State, dict[EventKind, State | str]] = {
    # A case may start anywhere: a resident arrives mid-way, with what they remember.
    S.DRAFTING: {
        E.ISSUE_STARTED: S.DRAFTING,
        E.COMPLAINT_MADE: S.STAGE1_WAITING_ACKNOWLEDGEMENT,
        E.ACKNOWLEDGED: S.STAGE1_WAITING_RESPONSE,
        E.STAGE1_EXTENSION: S.STAGE1_WAITING_RESPONSE,
        E.STAGE1_RESPONSE: S.STAGE1_ANSWERED,
        E.ESCALATION_REQUESTED: S.STAGE2_WAITING_ACKNOWLEDGEMENT,
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,
        E.REFERRED_TO_OMBUDSMAN: S.REFERRED,
        **_ENDS,
    },
    # 1.5, Code 6.2: the landlord acknowledges within 5 working days; 6.3-6.4: it answers, or extends.
    S.STAGE1_WAITING_ACKNOWLEDGEMENT: {
        E.COMPLAINT_MADE: S.STAGE1_WAITING_ACKNOWLEDGEMENT,  # a repeat: the first one counts
        E.ACKNOWLEDGED: S.STAGE1_WAITING_RESPONSE,
        E.STAGE1_EXTENSION: S.STAGE1_WAITING_RESPONSE,  # an extension implies the acknowledgement
        E.STAGE1_RESPONSE: S.STAGE1_ANSWERED,
        E.ESCALATION_REQUESTED: _NOT_ANSWERED,
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,  # 1.3, Code 2.1-2.4: a complaint may be refused, with reasons
        E.REFERRED_TO_OMBUDSMAN: _NOT_OVERDUE,
        **_ENDS,
    },
    S.STAGE1_WAITING_RESPONSE: {
        E.ACKNOWLEDGED: S.STAGE1_WAITING_RESPONSE,
        E.STAGE1_EXTENSION: S.STAGE1_WAITING_RESPONSE,  # 6.4: more than one extension is possible
        E.STAGE1_RESPONSE: S.STAGE1_ANSWERED,
        E.ESCALATION_REQUESTED: _NOT_ANSWERED,
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,
        E.REFERRED_TO_OMBUDSMAN: _NOT_OVERDUE,
        **_ENDS,
    },
    # 1.6, Code 6.10: after the stage 1 answer the resident may ask for stage 2. The Ombudsman needs
    # both stages complete (1.12), so going there now is out of order.
    S.STAGE1_ANSWERED: {
        E.STAGE1_RESPONSE: S.STAGE1_ANSWERED,
        E.ESCALATION_REQUESTED: S.STAGE2_WAITING_ACKNOWLEDGEMENT,
        **_STAGE2_BY_LANDLORD,
        **_ENDS,
    },
    # 1.6, Code 6.11: acknowledged within 5 working days of the request; 1.7: or refused, with reasons.
    S.STAGE2_WAITING_ACKNOWLEDGEMENT: {
        E.ESCALATION_REQUESTED: S.STAGE2_WAITING_ACKNOWLEDGEMENT,
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,
        E.REFERRED_TO_OMBUDSMAN: _NOT_OVERDUE,
        **_ENDS,
    },
    # 1.6, Code 6.14-6.15: the final response within 20 working days, or an extension.
    S.STAGE2_WAITING_RESPONSE: {
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,
        E.REFERRED_TO_OMBUDSMAN: _NOT_OVERDUE,
        **_ENDS,
    },
    # 1.12: after the final response the resident may go to the Ombudsman.
    S.FINAL_RESPONSE: {
        E.STAGE2_RESPONSE: S.FINAL_RESPONSE,
        E.REFERRED_TO_OMBUDSMAN: S.REFERRED,
        **_ENDS,
    },
    # 1.3 (Code 2.4, HOS guidance): a refusal can be taken to the Ombudsman; 1.7: a refusal to escalate
    # can be challenged, and the landlord may yet take stage 2.
    S.DECLINED: {
        E.ESCALATION_REQUESTED: S.STAGE2_WAITING_ACKNOWLEDGEMENT,
        **_STAGE2_BY_LANDLORD,
        E.LANDLORD_DECLINED: S.DECLINED,
        E.REFERRED_TO_OMBUDSMAN: S.REFERRED,
        **_ENDS,
    },
    S.REFERRED: {E.REFERRED_TO_OMBUDSMAN: S.REFERRED, **_ENDS},
    S.CLOSED: {},  # nothing follows the end of a complaint
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_from_every_state_moves_or_is_reported(state: State, kind: EventKind) -> None:
    events = on_day(REACH[state])
    nxt = on_day([kind.value], start=len(events))[0]
    result = replay([*events, nxt])  # never raises
    expected = ORACLE[state].get(kind, "out_of_order")
    if isinstance(expected, State):
        assert (result.state, result.unexpected) == (expected, ())
    else:
        assert result.state is state
        assert [(u.event, u.reason) for u in result.unexpected] == [(nxt, expected)]


def test_going_back_a_stage_is_unexpected_and_the_state_stays() -> None:
    result = replay(on_day(["escalation_requested", "stage2_response", "stage1_response"]))
    assert result.state is State.FINAL_RESPONSE
    assert [(u.index, u.state, u.reason) for u in result.unexpected] == [
        (2, State.FINAL_RESPONSE, "out_of_order")
    ]


def test_stage2_before_a_stage1_answer_needs_the_deadline_passed() -> None:
    early = build_timeline(
        case(
            ev("2026-04-01", "complaint_made"),
            ev("2026-04-02", "acknowledged"),
            ev("2026-04-07", "escalation_requested"),
        ),
        date(2026, 4, 8),
    )
    assert early.state is State.STAGE1_WAITING_RESPONSE
    assert [f.params["reason"] for f in early.findings if f.id == "unexpected_event"] == [
        "stage1_not_answered"
    ]

    late = build_timeline(
        case(
            ev("2026-04-01", "complaint_made"),
            ev("2026-04-02", "acknowledged"),
            ev("2026-05-07", "escalation_requested"),
        ),
        date(2026, 5, 8),
    )
    assert late.state is State.STAGE2_WAITING_ACKNOWLEDGEMENT
    assert not [f for f in late.findings if f.id == "unexpected_event"]


def test_going_to_the_ombudsman_while_waiting_needs_the_landlord_to_be_late() -> None:
    early = build_timeline(
        case(ev("2026-04-01", "complaint_made"), ev("2026-04-02", "referred_to_ombudsman")), date(2026, 4, 3)
    )
    assert early.state is State.STAGE1_WAITING_ACKNOWLEDGEMENT
    assert [f.params["reason"] for f in early.findings if f.id == "unexpected_event"] == [
        "landlord_not_overdue"
    ]

    late = build_timeline(
        case(ev("2026-04-01", "complaint_made"), ev("2026-04-20", "referred_to_ombudsman")), date(2026, 4, 21)
    )
    assert late.state is State.REFERRED


def test_a_partial_history_can_start_at_any_event() -> None:
    for kind in EventKind:
        assert not replay([ev("2026-01-05", kind.value)]).unexpected


def test_repeats_are_accepted() -> None:
    result = replay(
        on_day(
            [
                "complaint_made",
                "acknowledged",
                "stage1_extension",
                "stage1_extension",
                "acknowledged",
                "stage1_response",
                "stage1_response",
            ]
        )
    )
    assert result.state is State.STAGE1_ANSWERED
    assert result.unexpected == ()


def test_the_shared_machine_holds_no_models() -> None:
    replay(on_day(["complaint_made", "acknowledged"]))
    assert MACHINE.models == []


@settings(max_examples=200)
@given(st.lists(st.sampled_from(list(EventKind)), max_size=12))
def test_any_sequence_replays_without_raising(kinds: list[EventKind]) -> None:
    result = replay(on_day([k.value for k in kinds]))
    assert isinstance(result.state, State)
    assert all(0 <= u.index < len(kinds) for u in result.unexpected)


def test_committed_diagram_is_current() -> None:
    assert (DOCS / "lifecycle.mmd").read_text(encoding="utf-8") == mermaid_diagram() + "\n"


def test_a_landlords_stage2_event_implies_the_earlier_stages() -> None:
    # Issue 22: a final response with earlier events missing is not "unexpected": stage 2 was asked for.
    for earlier in (["complaint_made"], ["complaint_made", "acknowledged"], ["stage1_response"]):
        result = replay(on_day([*earlier, "stage2_response"]))
        assert (result.state, result.unexpected) == (State.FINAL_RESPONSE, ())
        result = replay(on_day([*earlier, "stage2_acknowledged"]))
        assert (result.state, result.unexpected) == (State.STAGE2_WAITING_RESPONSE, ())
