"""What a landlord can do with a complaint it received through Fair Say, as case events.

The same four actions come from the Telegram buttons, the web portal and the landlord's own systems
(HTTP API): acknowledge, extend (a new date and the reason, both required: Code 6.4 asks for reasons
and 6.5 for the resident to be told), respond (the stage's response letter), and decline (a reason is
required, and the resident is told they may take the decision to the Ombudsman, citing the Code that
governs the refused stage: flows.refusals.decline_rule). Each action is checked against where the complaint stands, so a
landlord cannot acknowledge a stage that is not open or "extend" to a date already past.

Some actions are allowed but need the landlord to confirm them after a warning (`cautions`): declining a
stage 2 request made within the landlord's own time limit, or with no limit known (a complaint not
resolved at stage 1 must go to stage 2: Code 6.10; 2022 Code 5.9), and an extension past the Code's cap
(Code 6.4 at stage 1, 6.15 at stage 2: more needs a good reason, explained to the resident). Every channel
(chat, portal, API) gets `Problem.CONFIRMATION_NEEDED` with the cautions until the action says
`confirmed`; the resident's notice of an over-cap extension says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flows.case import Case, CaseEvent, EventKind
from flows.code_rules import CodeVersion
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.history import order_clash
from flows.i18n import N_, Translator
from flows.lifecycle import State
from flows.messages import next_step_message
from flows.refusals import decline_rule
from flows.text import without_hidden_controls
from flows.time_limits import TimeLimitId
from flows.timeline import Timeline, build_timeline, early_stage2_rule
from flows.working_days import calendar_for

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
    CONFIRMATION_NEEDED = "confirmation_needed"  # allowed, after the landlord has read the cautions
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
    Problem.CONFIRMATION_NEEDED: N_("Please read the warning and confirm that you want to go ahead."),
    Problem.OUT_OF_ORDER: N_(
        "That date is before something already recorded on this complaint that has to come first, such as "
        "its acknowledgement. Please check the date."
    ),
}


class CautionId(StrEnum):
    DECLINE_IN_TIME = "decline_in_time"  # a stage 2 request made within the landlord's own limit
    DECLINE_STAGE2 = "decline_escalation"  # a stage 2 request, no limit known (value: in the API output)
    EXTENSION_OVER_CAP = "extension_over_cap"


@dataclass(frozen=True, slots=True)
class Caution:
    id: CautionId
    rule: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LandlordAction:
    kind: ActionKind
    on: date  # when the landlord did it (today, unless its system reports an earlier day)
    new_due: date | None = None  # extend
    reason: str | None = None  # extend, decline
    confirmed: bool = False  # the landlord has read the cautions and goes ahead

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
    if order_clash(case.events, event) is not None:
        return Problem.OUT_OF_ORDER
    if (
        action.kind in (ActionKind.EXTEND, ActionKind.DECLINE)
        and not action.confirmed
        and cautions(case, action, today)
    ):
        return Problem.CONFIRMATION_NEEDED
    return event


def new_due_problem(case: Case, new_due: date, today: date) -> Problem | None:
    """Whether an extension to `new_due` can be taken, checked before its reason is asked."""
    timeline = build_timeline(case, today)
    waiting = open_stage(timeline)
    if waiting is None:
        return Problem.NOT_OPEN
    due = response_due(timeline, waiting[0])
    if new_due <= today or (due is not None and new_due <= due):
        return Problem.DATE_NOT_LATER
    return None


def extension_over_cap(case: Case, stage: int, new_due: date, today: date) -> Caution | None:
    """A new date past the Code's response date plus the Code's cap (Code 6.4; 6.15; 2022 Code 5.1). The
    Code's date is the one the clocks use (flows.deadlines): the latest date from the request when a late
    acknowledgement would have stretched it, so the caution agrees with `met_extension_over_limit`."""
    timeline = build_timeline(case, today)
    deadline = timeline.facts.deadline(_RESPONSE[stage])
    if deadline.code_due is None or not deadline.extension_cap_working_days:
        return None
    code_due = deadline.code_due
    if deadline.counted_from_request and deadline.max_from_request_due is not None:
        code_due = deadline.max_from_request_due
    calendar = calendar_for(case.nation, case.extra_holidays)
    cap = deadline.extension_cap_working_days
    if new_due <= calendar.add_working_days(code_due, cap):
        return None
    rules = timeline.facts.stage_rules[stage - 1]
    clock = rules.stage1 if stage == 1 else rules.stage2
    return Caution(
        CautionId.EXTENSION_OVER_CAP,
        clock.extension_rule.citation,
        {
            "new_due": new_due,
            "code_due": code_due,
            "extended_working_days": calendar.working_days_between(code_due, new_due),
            "cap_working_days": cap,
        },
    )


def cautions(case: Case, action: LandlordAction, today: date) -> list[Caution]:
    """What the landlord should read before this action goes ahead (nothing for most actions)."""
    timeline = build_timeline(case, today)
    waiting = open_stage(timeline)
    if waiting is None:
        return []
    stage, acknowledged = waiting
    if action.kind is ActionKind.EXTEND and action.new_due is not None:
        over = extension_over_cap(case, stage, action.new_due, today)
        return [over] if over is not None else []
    if action.kind is ActionKind.DECLINE and stage == 2 and not acknowledged:
        requested = next(
            (e for e in reversed(timeline.facts.events) if e.kind is EventKind.ESCALATION_REQUESTED), None
        )
        if requested is None:
            return []
        version = timeline.facts.stage_rules[1].version
        rule = "Code 6.10 (2024)" if version is CodeVersion.V2024 else "Code 5.9 (2022)"
        answered = timeline.facts.index.get(EventKind.STAGE1_RESPONSE)
        if answered is None or answered.date > requested.date:
            # Asked before stage 1 was answered: the Code governing stage 1 decides whether that may go to
            # stage 2 (2024 Code 6.10 yes; 2022 Code 5.11 only once stage 1 is complete, unless the
            # landlord's policy allows it). Where it may not, declining is not refusing a due escalation.
            early = early_stage2_rule(timeline.facts)
            if early is None:
                return []
            return [Caution(CautionId.DECLINE_STAGE2, early, {"requested_on": requested.date})]
        window = timeline.facts.time_limit(TimeLimitId.STAGE2_REQUEST_WINDOW)
        if window.ends is None:
            return [Caution(CautionId.DECLINE_STAGE2, rule, {"requested_on": requested.date})]
        if requested.date <= window.ends:
            return [
                Caution(
                    CautionId.DECLINE_IN_TIME, rule, {"requested_on": requested.date, "ends": window.ends}
                )
            ]
    return []


def caution_message(caution: Caution, t: Translator) -> str:
    """A caution in the landlord's language."""
    p, rule = caution.params, caution.rule
    match caution.id:
        case CautionId.DECLINE_IN_TIME:
            return t.gettext(
                "The resident asked for stage 2 on {requested_on}, within your own time limit, which ended on "
                "{ends}. A complaint not resolved at stage 1 must go to stage 2 unless you have a valid reason "
                "({rule}): refusing a request made in time is likely to be a complaint-handling failure, and the "
                "resident is told so."
            ).format(requested_on=t.format_date(p["requested_on"]), ends=t.format_date(p["ends"]), rule=rule)
        case CautionId.DECLINE_STAGE2:
            return t.gettext(
                "The resident asked for stage 2 on {requested_on}. A complaint not resolved at stage 1 must go to "
                "stage 2 unless you have a valid reason, which the resident must be given in writing with their "
                "right to go to the Housing Ombudsman ({rule})."
            ).format(requested_on=t.format_date(p["requested_on"]), rule=rule)
        case CautionId.EXTENSION_OVER_CAP:
            return t.ngettext(
                "{new_due} is {n} working day after the Code's date of {code_due}. Without a good reason an "
                "extension should be no more than {cap} working days, and the reasons must be explained to the "
                "resident ({rule}). The resident is told it is longer than the Code allows.",
                "{new_due} is {n} working days after the Code's date of {code_due}. Without a good reason an "
                "extension should be no more than {cap} working days, and the reasons must be explained to the "
                "resident ({rule}). The resident is told it is longer than the Code allows.",
                p["extended_working_days"],
            ).format(
                new_due=t.format_date(p["new_due"]),
                n=t.format_number(p["extended_working_days"]),
                code_due=t.format_date(p["code_due"]),
                cap=t.format_number(p["cap_working_days"]),
                rule=rule,
            )
    raise ValueError(f"no message for caution {caution.id}")  # pragma: no cover - every id is handled


def stage_of(event: CaseEvent) -> int:
    return 2 if event.kind.value.startswith("stage2") else 1


# --- what the resident (and their advocates) are told ------------------------------------------------


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
        over = extension_over_cap(case_after, stage_of(event), event.new_due, today)
        if over is not None:
            text += "\n\n" + t.ngettext(
                "This is {n} working day past the Code's date of {code_due}: longer than the {cap} working days the "
                "Code allows without a good reason ({rule}). You can ask your landlord for its reason in writing, "
                "or contact the Housing Ombudsman.",
                "This is {n} working days past the Code's date of {code_due}: longer than the {cap} working days "
                "the Code allows without a good reason ({rule}). You can ask your landlord for its reason in "
                "writing, or contact the Housing Ombudsman.",
                over.params["extended_working_days"],
            ).format(
                n=t.format_number(over.params["extended_working_days"]),
                code_due=t.format_date(over.params["code_due"]),
                cap=t.format_number(over.params["cap_working_days"]),
                rule=over.rule,
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
            "If you disagree, you have the right to take this decision to the Housing Ombudsman ({rule}). "
            "I can help you prepare that: open the complaint and choose what to do next."
        ).format(rule=decline_rule(timeline, event.date))
    steps = [next_step_message(step, t) for step in timeline.next_steps[:1]]
    return "\n\n".join([text, *steps])
