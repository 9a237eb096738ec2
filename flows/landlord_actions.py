"""What a landlord can do with a complaint it received through Fair Say, as case events.

The same four actions come from the Telegram buttons, the web portal and the landlord's own systems
(HTTP API): acknowledge, extend (a new date and the reason, both required: Code 6.4 asks for reasons
and 6.5 for the resident to be told), respond (the stage's response letter), and decline (a reason is
required, and the resident is told they may take the decision to the Ombudsman: Code 2.4 and the
Ombudsman's guidance, domain.md 1.3). Each action is checked against where the complaint stands, so a
landlord cannot acknowledge a stage that is not open or "extend" to a date already past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flows.case import Case, CaseEvent, EventKind
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.history import order_clash
from flows.i18n import N_, Translator
from flows.lifecycle import State
from flows.messages import next_step_message
from flows.text import without_hidden_controls
from flows.timeline import Timeline, build_timeline

MAX_REASON = 2_000


class ActionKind(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    EXTEND = "extend"
    RESPOND = "respond"
    DECLINE = "decline"


class Problem(StrEnum):
    NOT_OPEN = "not_open"  # no stage is waiting for the landlord
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    REASON_REQUIRED = "reason_required"
    REASON_TOO_LONG = "reason_too_long"
    DATE_REQUIRED = "date_required"
    DATE_NOT_LATER = "date_not_later"  # an extension must move the date on, and into the future
    DATE_IN_FUTURE = "date_in_future"  # an action cannot be dated after today
    DATE_TOO_EARLY = "date_too_early"  # before the stage began
    OUT_OF_ORDER = "out_of_order"  # before something recorded that must come first (flows.history)


PROBLEM_TEXT = {
    Problem.NOT_OPEN: N_("This complaint is not waiting for an answer from the landlord at the moment."),
    Problem.ALREADY_ACKNOWLEDGED: N_("This stage has already been acknowledged."),
    Problem.REASON_REQUIRED: N_("Please give the reason: the resident is told it."),
    Problem.REASON_TOO_LONG: N_("Please keep the reason under 2,000 characters."),
    Problem.DATE_REQUIRED: N_("Please give the new date you will respond by."),
    Problem.DATE_NOT_LATER: N_("The new date must be after today and after the date currently due."),
    Problem.DATE_IN_FUTURE: N_("That date is in the future: an action is dated the day it happened."),
    Problem.DATE_TOO_EARLY: N_("That date is before this stage of the complaint began."),
    Problem.OUT_OF_ORDER: N_(
        "That date is before something already recorded on this complaint that has to come first, such as "
        "its acknowledgement. Please check the date."
    ),
}


@dataclass(frozen=True, slots=True)
class LandlordAction:
    kind: ActionKind
    on: date  # when the landlord did it (today, unless its system reports an earlier day)
    new_due: date | None = None  # extend
    reason: str | None = None  # extend, decline

    def __post_init__(self) -> None:  # the portal's and the API's text enters here
        if self.reason is not None:
            object.__setattr__(self, "reason", without_hidden_controls(self.reason))


_WAITING = {
    State.STAGE1_WAITING_ACKNOWLEDGEMENT: (1, False),
    State.STAGE1_WAITING_RESPONSE: (1, True),
    State.STAGE2_WAITING_ACKNOWLEDGEMENT: (2, False),
    State.STAGE2_WAITING_RESPONSE: (2, True),
}
_EVENTS = {
    (ActionKind.ACKNOWLEDGE, 1): EventKind.ACKNOWLEDGED,
    (ActionKind.ACKNOWLEDGE, 2): EventKind.STAGE2_ACKNOWLEDGED,
    (ActionKind.EXTEND, 1): EventKind.STAGE1_EXTENSION,
    (ActionKind.EXTEND, 2): EventKind.STAGE2_EXTENSION,
    (ActionKind.RESPOND, 1): EventKind.STAGE1_RESPONSE,
    (ActionKind.RESPOND, 2): EventKind.STAGE2_RESPONSE,
    (ActionKind.DECLINE, 1): EventKind.LANDLORD_DECLINED,
    (ActionKind.DECLINE, 2): EventKind.LANDLORD_DECLINED,
}
_STAGE_START = {1: EventKind.COMPLAINT_MADE, 2: EventKind.ESCALATION_REQUESTED}
_RESPONSE = {1: DeadlineId.STAGE1_RESPONSE, 2: DeadlineId.STAGE2_RESPONSE}


def open_stage(timeline: Timeline) -> tuple[int, bool] | None:
    """The stage waiting for the landlord, and whether it has been acknowledged; None if none is."""
    return _WAITING.get(timeline.state)


def response_due(timeline: Timeline, stage: int) -> date | None:
    deadline = timeline.facts.deadline(_RESPONSE[stage])
    return deadline.due if deadline.status is not DeadlineStatus.NOT_APPLICABLE else None


def event_for(case: Case, action: LandlordAction, today: date) -> CaseEvent | Problem:
    """The event this action records, or why it cannot be taken now."""
    timeline = build_timeline(case, today)
    waiting = open_stage(timeline)
    if waiting is None:
        return Problem.NOT_OPEN
    stage, acknowledged = waiting
    if action.on > today:
        return Problem.DATE_IN_FUTURE
    started = max((e.date for e in case.events if e.kind == _STAGE_START[stage]), default=None)
    if started is not None and action.on < started:
        return Problem.DATE_TOO_EARLY
    reason = (action.reason or "").strip()
    if action.kind in (ActionKind.EXTEND, ActionKind.DECLINE):
        if not reason:
            return Problem.REASON_REQUIRED
        if len(reason) > MAX_REASON:
            return Problem.REASON_TOO_LONG
    if action.kind is ActionKind.ACKNOWLEDGE and acknowledged:
        return Problem.ALREADY_ACKNOWLEDGED
    if action.kind is ActionKind.EXTEND:
        if action.new_due is None:
            return Problem.DATE_REQUIRED
        due = response_due(timeline, stage)
        if action.new_due <= today or (due is not None and action.new_due <= due):
            return Problem.DATE_NOT_LATER
        event = CaseEvent(action.on, _EVENTS[action.kind, stage], new_due=action.new_due, reasons_given=True)
    else:
        event = CaseEvent(action.on, _EVENTS[action.kind, stage])
    # The same order as the resident's own records (flows.history): a response dated before the
    # acknowledgement already recorded would make the timeline count from a history that cannot be.
    return Problem.OUT_OF_ORDER if order_clash(case.events, event) is not None else event


def stage_of(event: CaseEvent) -> int:
    return 2 if event.kind.value.startswith("stage2") else 1


# --- what the resident (and their helpers) are told ------------------------------------------------


def update_message(
    event: CaseEvent,
    landlord: str,
    ref: str,
    reason: str | None,
    case_after: Case,
    today: date,
    t: Translator,
) -> str:
    """The resident's news, in their language: what the landlord did, and what they can do now."""
    timeline = build_timeline(case_after, today)
    values = {"landlord": landlord, "ref": ref}
    kind = event.kind
    if kind in (EventKind.ACKNOWLEDGED, EventKind.STAGE2_ACKNOWLEDGED):
        due = response_due(timeline, stage_of(event))
        text = t.gettext("{landlord} has acknowledged your complaint {ref} (stage {stage}).").format(
            stage=t.format_number(stage_of(event)), **values
        )
        if due is not None:
            text += " " + t.gettext("Its response is due by {date}.").format(date=t.format_date(due))
    elif kind in (EventKind.STAGE1_EXTENSION, EventKind.STAGE2_EXTENSION):
        assert event.new_due is not None
        text = t.gettext(
            "{landlord} has asked for more time on your complaint {ref}. It now says it will respond by {date}. "
            "Its reason: “{reason}”."
        ).format(date=t.format_date(event.new_due), reason=reason or "", **values)
        text += "\n\n" + t.gettext(
            "A landlord must explain an extension and tell you that you can contact the Housing Ombudsman if "
            "you are unhappy with it (Code 6.5). I've moved your dates; I'll still tell you if it is late."
        )
    elif kind in (EventKind.STAGE1_RESPONSE, EventKind.STAGE2_RESPONSE):
        text = t.gettext("{landlord} has sent its stage {stage} response to your complaint {ref}.").format(
            stage=t.format_number(stage_of(event)), **values
        )
    else:  # declined
        text = t.gettext("{landlord} has declined your complaint {ref}. Its reason: “{reason}”.").format(
            reason=reason or "", **values
        )
        text += "\n\n" + t.gettext(
            "If you disagree, you have the right to take this decision to the Housing Ombudsman (Code 2.4). "
            "I can help you prepare that: open the complaint and choose what to do next."
        )
    steps = [next_step_message(step, t) for step in timeline.next_steps[:1]]
    return "\n\n".join([text, *steps])
