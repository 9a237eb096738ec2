"""The lifecycle machine: every event from every state is either a move or a reported problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import case, ev
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.case import CaseEvent, EventKind
from flows.lifecycle import MACHINE, State, expected_triggers, mermaid_diagram, replay
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


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("kind", list(EventKind))
def test_every_event_from_every_state_moves_or_is_reported(state: State, kind: EventKind) -> None:
    events = on_day(REACH[state])
    nxt = on_day([kind.value], start=len(events))[0]
    result = replay([*events, nxt])  # never raises
    if kind in expected_triggers(state):
        assert not result.unexpected or result.unexpected[-1].event is nxt
    else:
        assert result.state is state
        assert [u.event for u in result.unexpected] == [nxt]
        assert result.unexpected[0].reason == "out_of_order"


def test_going_back_a_stage_is_unexpected_and_the_state_stays() -> None:
    result = replay(on_day(["escalation_requested", "stage2_response", "stage1_response"]))
    assert result.state is State.FINAL_RESPONSE
    assert [(u.index, u.state, u.reason) for u in result.unexpected] == [
        (2, State.FINAL_RESPONSE, "out_of_order")
    ]


def test_closed_accepts_nothing() -> None:
    assert expected_triggers(State.CLOSED) == []


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
