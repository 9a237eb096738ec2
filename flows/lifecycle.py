"""The complaint lifecycle as a `transitions` state machine, driven by replaying a case's events.

States are named in the Code's words (Alaveteli-style: what the resident is waiting for). Every
event kind is a trigger. A case may start anywhere (a resident arriving mid-way), so from `drafting`
any event is accepted; after that, events must follow the Code's order, skipping is allowed (a date
the resident does not know), going back is not. A later event implies the earlier stages happened:
the landlord's stage 2 acknowledgement, extension or final response means stage 2 was asked for (and
so stage 1 ended), whatever the history left out. Guards encode the Code:

* stage 2 is asked for once stage 1 is answered, or once the landlord has missed the stage 1
  response deadline (Code 6.10: a complaint not resolved at stage 1 must go to stage 2);
* the resident can go to the Ombudsman after the final response or a refusal, or while the landlord
  is past a deadline (domain.md 1.12: the Ombudsman can tell the landlord to respond).

An event the machine does not expect is reported (`UnexpectedEvent`), never raised: the timeline is
still computed. One Machine is shared by every replay; models are plain objects, not database rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from transitions import EventData, Machine, MachineError

from flows.case import CaseEvent, EventKind


class State(StrEnum):
    DRAFTING = "drafting"
    STAGE1_WAITING_ACKNOWLEDGEMENT = "stage1_waiting_acknowledgement"
    STAGE1_WAITING_RESPONSE = "stage1_waiting_response"
    STAGE1_ANSWERED = "stage1_answered"
    STAGE2_WAITING_ACKNOWLEDGEMENT = "stage2_waiting_acknowledgement"
    STAGE2_WAITING_RESPONSE = "stage2_waiting_response"
    FINAL_RESPONSE = "final_response"
    DECLINED = "declined"
    REFERRED = "referred"
    CLOSED = "closed"


_S = State
_WAITING = [
    _S.STAGE1_WAITING_ACKNOWLEDGEMENT,
    _S.STAGE1_WAITING_RESPONSE,
    _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
    _S.STAGE2_WAITING_RESPONSE,
]
_OPEN = [s for s in State if s is not _S.CLOSED]
# Stage 1 states a landlord's stage 2 event moves on from: it implies the request for stage 2.
_STAGE1 = [_S.STAGE1_WAITING_ACKNOWLEDGEMENT, _S.STAGE1_WAITING_RESPONSE, _S.STAGE1_ANSWERED]

# Transitions as data (the transitions README's idiom). A trigger listed with its own destination as
# a source is a repeat (a second acknowledgement, a second extension): accepted, first one counts.
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": EventKind.ISSUE_STARTED, "source": _S.DRAFTING, "dest": None},
    {
        "trigger": EventKind.COMPLAINT_MADE,
        "source": [_S.DRAFTING, _S.STAGE1_WAITING_ACKNOWLEDGEMENT],
        "dest": _S.STAGE1_WAITING_ACKNOWLEDGEMENT,
    },
    {
        "trigger": EventKind.ACKNOWLEDGED,
        "source": [_S.DRAFTING, _S.STAGE1_WAITING_ACKNOWLEDGEMENT, _S.STAGE1_WAITING_RESPONSE],
        "dest": _S.STAGE1_WAITING_RESPONSE,
    },
    {
        "trigger": EventKind.STAGE1_EXTENSION,
        "source": [_S.DRAFTING, _S.STAGE1_WAITING_ACKNOWLEDGEMENT, _S.STAGE1_WAITING_RESPONSE],
        "dest": _S.STAGE1_WAITING_RESPONSE,
    },
    {
        "trigger": EventKind.STAGE1_RESPONSE,
        "source": [
            _S.DRAFTING,
            _S.STAGE1_WAITING_ACKNOWLEDGEMENT,
            _S.STAGE1_WAITING_RESPONSE,
            _S.STAGE1_ANSWERED,
        ],
        "dest": _S.STAGE1_ANSWERED,
    },
    {
        "trigger": EventKind.ESCALATION_REQUESTED,
        "source": [_S.DRAFTING, _S.STAGE1_ANSWERED, _S.STAGE2_WAITING_ACKNOWLEDGEMENT, _S.DECLINED],
        "dest": _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
    },
    {
        "trigger": EventKind.ESCALATION_REQUESTED,
        "source": [_S.STAGE1_WAITING_ACKNOWLEDGEMENT, _S.STAGE1_WAITING_RESPONSE],
        "dest": _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
        "conditions": "is_stage1_response_overdue",
    },
    {
        "trigger": EventKind.STAGE2_ACKNOWLEDGED,
        "source": [
            _S.DRAFTING,
            *_STAGE1,
            _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
            _S.STAGE2_WAITING_RESPONSE,
            _S.DECLINED,
        ],
        "dest": _S.STAGE2_WAITING_RESPONSE,
    },
    {
        "trigger": EventKind.STAGE2_EXTENSION,
        "source": [
            _S.DRAFTING,
            *_STAGE1,
            _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
            _S.STAGE2_WAITING_RESPONSE,
            _S.DECLINED,
        ],
        "dest": _S.STAGE2_WAITING_RESPONSE,
    },
    {
        "trigger": EventKind.STAGE2_RESPONSE,
        "source": [
            _S.DRAFTING,
            *_STAGE1,
            _S.STAGE2_WAITING_ACKNOWLEDGEMENT,
            _S.STAGE2_WAITING_RESPONSE,
            _S.FINAL_RESPONSE,
            _S.DECLINED,
        ],
        "dest": _S.FINAL_RESPONSE,
    },
    {
        "trigger": EventKind.LANDLORD_DECLINED,
        "source": [_S.DRAFTING, *_WAITING, _S.DECLINED],
        "dest": _S.DECLINED,
    },
    {
        "trigger": EventKind.REFERRED_TO_OMBUDSMAN,
        "source": [_S.DRAFTING, _S.FINAL_RESPONSE, _S.DECLINED, _S.REFERRED],
        "dest": _S.REFERRED,
    },
    {
        "trigger": EventKind.REFERRED_TO_OMBUDSMAN,
        "source": _WAITING,
        "dest": _S.REFERRED,
        "conditions": "is_landlord_overdue",
    },
    {"trigger": EventKind.RESOLVED, "source": _OPEN, "dest": _S.CLOSED},
    {"trigger": EventKind.WITHDRAWN, "source": _OPEN, "dest": _S.CLOSED},
]


class CaseProgress:
    """The machine's model: where a replayed case stands, and the due dates its guards consult."""

    def __init__(self, due_while_waiting: dict[State, date | None], stage1_response_due: date | None) -> None:
        self.state: str = State.DRAFTING.value
        self.due_while_waiting = due_while_waiting
        self.stage1_response_due = stage1_response_due

    def is_stage1_response_overdue(self, event_data: EventData) -> bool:
        event: CaseEvent = event_data.kwargs["event"]
        return self.stage1_response_due is not None and event.date > self.stage1_response_due

    def is_landlord_overdue(self, event_data: EventData) -> bool:
        event: CaseEvent = event_data.kwargs["event"]
        due = self.due_while_waiting.get(State(self.state))
        return due is not None and event.date > due


def _plain(value: Any) -> Any:
    """Enum members as their string values: transitions would otherwise name states by `Enum.name`."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _build_machine(machine_class: type[Machine] = Machine, model: object = None, **options: Any) -> Machine:
    return machine_class(
        model=model,
        states=[state.value for state in State],
        transitions=[{key: _plain(value) for key, value in t.items()} for t in TRANSITIONS],
        initial=State.DRAFTING.value,
        auto_transitions=False,
        send_event=True,
        **options,
    )


MACHINE = _build_machine()


@dataclass(frozen=True, slots=True)
class UnexpectedEvent:
    index: int
    event: CaseEvent
    state: State  # where the case stood when the event came
    reason: str  # "out_of_order" (not possible from this state) or a guard that failed


@dataclass(frozen=True, slots=True)
class Replay:
    state: State
    unexpected: tuple[UnexpectedEvent, ...]


def replay(
    events: Sequence[CaseEvent],
    due_while_waiting: dict[State, date | None] | None = None,
    stage1_response_due: date | None = None,
) -> Replay:
    """Drive the shared machine with a case's events, in order."""
    progress = CaseProgress(due_while_waiting or {}, stage1_response_due)
    unexpected: list[UnexpectedEvent] = []
    events_by_trigger = MACHINE.events
    for index, event in enumerate(events):
        before = State(progress.state)
        try:
            moved = events_by_trigger[event.kind].trigger(progress, event=event)
        except MachineError:
            unexpected.append(UnexpectedEvent(index, event, before, "out_of_order"))
            continue
        if not moved:
            guard = (
                "landlord_not_overdue"
                if event.kind is EventKind.REFERRED_TO_OMBUDSMAN
                else "stage1_not_answered"
            )
            unexpected.append(UnexpectedEvent(index, event, before, guard))
    return Replay(State(progress.state), tuple(unexpected))


def mermaid_diagram(title: str = "Complaint lifecycle") -> str:
    """The machine as a Mermaid state diagram, drawn by transitions' own diagram extension."""
    from transitions.extensions import GraphMachine

    drawn = CaseProgress({}, None)
    machine = _build_machine(GraphMachine, drawn, graph_engine="mermaid", title=title, show_conditions=True)
    source: str = machine.get_graph().draw(None)
    return source
