"""Plain-language names for the domain's ids (event kinds, states, deadlines, time limits).

One name per concept from the Code to the message id; these are the words the resident sees.
"""

from __future__ import annotations

from flows.case import EventKind
from flows.deadlines import ClockStart, DeadlineId
from flows.i18n import N_, Translator
from flows.lifecycle import State
from flows.time_limits import TimeLimitId

EVENT_LABELS: dict[EventKind, str] = {
    EventKind.ISSUE_STARTED: N_("the problem started"),
    EventKind.COMPLAINT_MADE: N_("you made your complaint"),
    EventKind.ACKNOWLEDGED: N_("the landlord acknowledged your complaint"),
    EventKind.STAGE1_EXTENSION: N_("the landlord asked for more time at stage 1"),
    EventKind.STAGE1_RESPONSE: N_("the landlord's stage 1 answer"),
    EventKind.ESCALATION_REQUESTED: N_("you asked for stage 2"),
    EventKind.STAGE2_ACKNOWLEDGED: N_("the landlord acknowledged your stage 2 request"),
    EventKind.STAGE2_EXTENSION: N_("the landlord asked for more time at stage 2"),
    EventKind.STAGE2_RESPONSE: N_("the landlord's final answer (stage 2)"),
    EventKind.LANDLORD_DECLINED: N_("the landlord refused"),
    EventKind.REFERRED_TO_OMBUDSMAN: N_("you went to the Housing Ombudsman"),
    EventKind.RESOLVED: N_("the complaint was resolved"),
    EventKind.WITHDRAWN: N_("you withdrew the complaint"),
}

STATE_LABELS: dict[State, str] = {
    State.DRAFTING: N_("not sent yet"),
    State.STAGE1_WAITING_ACKNOWLEDGEMENT: N_("stage 1: waiting for the landlord to acknowledge it"),
    State.STAGE1_WAITING_RESPONSE: N_("stage 1: waiting for the landlord's answer"),
    State.STAGE1_ANSWERED: N_("stage 1: answered"),
    State.STAGE2_WAITING_ACKNOWLEDGEMENT: N_("stage 2: waiting for the landlord to acknowledge it"),
    State.STAGE2_WAITING_RESPONSE: N_("stage 2: waiting for the landlord's final answer"),
    State.FINAL_RESPONSE: N_("final answer received"),
    State.DECLINED: N_("refused by the landlord"),
    State.REFERRED: N_("with the Housing Ombudsman"),
    State.CLOSED: N_("closed"),
}

DEADLINE_LABELS: dict[DeadlineId, str] = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("Acknowledging your complaint (stage 1)"),
    DeadlineId.STAGE1_RESPONSE: N_("Answering your complaint (stage 1)"),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("Acknowledging your stage 2 request"),
    DeadlineId.STAGE2_RESPONSE: N_("Final answer (stage 2)"),
}

CLOCK_START_LABELS: dict[ClockStart, str] = {
    ClockStart.COMPLAINT_MADE: N_("the day you made your complaint"),
    ClockStart.ACKNOWLEDGED: N_("the day the landlord acknowledged it"),
    ClockStart.ACKNOWLEDGEMENT_DUE: N_("the day the acknowledgement was due, as none came"),
    ClockStart.ESCALATION_REQUESTED: N_("the day you asked for stage 2"),
    ClockStart.STAGE2_ACKNOWLEDGED: N_("the day the landlord acknowledged your stage 2 request"),
    ClockStart.STAGE2_ACKNOWLEDGEMENT_DUE: N_("the day the stage 2 acknowledgement was due, as none came"),
}

TIME_LIMIT_LABELS: dict[TimeLimitId, str] = {
    TimeLimitId.COMPLAINT_WINDOW: N_("Time to complain to your landlord"),
    TimeLimitId.STAGE2_REQUEST_WINDOW: N_("Time to ask for stage 2 (your landlord's policy)"),
    TimeLimitId.OMBUDSMAN_REFERRAL: N_("Time to go to the Housing Ombudsman"),
}


def event_label(kind: EventKind, t: Translator) -> str:
    return t.gettext(EVENT_LABELS[kind])


def state_label(state: State, t: Translator) -> str:
    return t.gettext(STATE_LABELS[state])


def deadline_label(deadline_id: DeadlineId, t: Translator) -> str:
    return t.gettext(DEADLINE_LABELS[deadline_id])


def time_limit_label(limit_id: TimeLimitId, t: Translator) -> str:
    return t.gettext(TIME_LIMIT_LABELS[limit_id])
