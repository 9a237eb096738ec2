"""A case's timeline: its deadlines, time limits, findings, lifecycle state and next steps.

Computed in three separately measurable steps (see benchmarks/timeline.py):

1. `compute_facts`: deadlines, time limits and findings, from validated events (the hot path);
2. `build_timeline`: adds the lifecycle state (replaying the `transitions` machine), the route and
   the next steps;
3. `flows.messages.render_timeline`: the text, in the resident's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flows.case import Case, CaseEvent, CodeChoice, EventIndex, EventKind
from flows.code_rules import (
    CODES,
    EARLIEST_MODELLED,
    EARLY_STAGE2,
    FIRST_CODE_PUBLISHED,
    CodeRules,
    CodeVersion,
)
from flows.deadlines import Deadline, DeadlineId, DeadlineStatus, compute_deadlines
from flows.findings import Finding, WarningId, new_finding
from flows.frozen import constructor
from flows.lifecycle import Replay, State, replay
from flows.time_limits import (
    STAGE2_WINDOW_RULE,
    TimeLimit,
    TimeLimitId,
    TimeLimitStatus,
    compute_time_limits,
)
from flows.triage.grounds import Body
from flows.triage.routes import Route, route_for
from flows.working_days import Nation, WorkingCalendar, calendar_for


class NextStepId(StrEnum):
    CONTACT_OTHER_BODY = "contact_other_body"
    MAKE_COMPLAINT = "make_complaint"
    WAIT_FOR_LANDLORD = "wait_for_landlord"
    CHASE_LANDLORD = "chase_landlord"
    COMPLAIN_ABOUT_DELAY = "complain_about_delay"
    ASK_OMBUDSMAN_TO_INTERVENE = "ask_ombudsman_to_intervene"
    ASK_FOR_STAGE2 = "ask_for_stage2"
    CHALLENGE_REFUSAL = "challenge_refusal"
    REFER_TO_OMBUDSMAN = "refer_to_ombudsman"
    WAIT_FOR_OMBUDSMAN = "wait_for_ombudsman"
    CASE_CLOSED = "case_closed"


@dataclass(frozen=True, slots=True)
class NextStep:
    id: NextStepId
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Facts:
    case: Case
    as_of: date
    events: tuple[CaseEvent, ...]  # the events up to `as_of`
    index: EventIndex
    stage_rules: tuple[CodeRules, CodeRules]
    deadlines: list[Deadline]
    time_limits: list[TimeLimit]
    findings: list[Finding]

    @property
    def code_version(self) -> CodeVersion:
        """The version of the stage the case has reached (stage 2 once any stage 2 event exists)."""
        stage1, stage2 = self.stage_rules
        return (stage2 if self.index.stage2_began is not None else stage1).version

    def deadline(self, deadline_id: DeadlineId) -> Deadline:
        return next(d for d in self.deadlines if d.id is deadline_id)

    def time_limit(self, limit_id: TimeLimitId) -> TimeLimit:
        return next(limit for limit in self.time_limits if limit.id is limit_id)


@dataclass(frozen=True, slots=True)
class Timeline:
    facts: Facts
    state: State
    route: Route
    findings: list[Finding]  # the facts' findings plus the lifecycle's and the route's
    next_steps: list[NextStep]

    @property
    def deadlines(self) -> list[Deadline]:
        return self.facts.deadlines

    @property
    def time_limits(self) -> list[TimeLimit]:
        return self.facts.time_limits


# Built without the frozen dataclass's per-field cost (flows/frozen.py).
_new_facts = constructor(Facts)

# Enum members compute_facts names, bound once: on Python 3.11 `Enum.MEMBER` goes through EnumType's
# `__getattr__` hook, about ten times the cost of reading a global.
_MISSED = DeadlineStatus.MISSED
_MET_EXTENSION_OVER_LIMIT = DeadlineStatus.MET_EXTENSION_OVER_LIMIT
_LANDLORD_DECLINED = EventKind.LANDLORD_DECLINED
_AUTO = CodeChoice.AUTO
_DEADLINE_MISSED = WarningId.DEADLINE_MISSED


def compute_facts(case: Case, as_of: date, calendar: WorkingCalendar | None = None) -> Facts:
    calendar = calendar or calendar_for(case.nation, case.extra_holidays)
    findings: list[Finding] = []
    events = case.events
    if events and events[-1].date > as_of:
        events = tuple(event for event in events if event.date <= as_of)
        for event in case.events[len(events) :]:
            findings.append(
                new_finding(
                    WarningId.EVENT_AFTER_AS_OF, None, {"kind": event.kind, "date": event.date}, event.date
                )
            )
    index = EventIndex(events)
    deadlines, stage_rules = compute_deadlines(case, index, as_of, calendar, findings)
    time_limits = compute_time_limits(case, index, as_of, findings)
    for deadline in deadlines:
        status = deadline.status
        if status is _MISSED:
            findings.append(_missed(deadline))
        elif status is _MET_EXTENSION_OVER_LIMIT:
            findings.append(_after_code_limit(deadline))
    if _LANDLORD_DECLINED in index.first:
        _check_escalation_refused(events, stage_rules[1], time_limits, findings)
        _check_complaint_refused(events, stage_rules, findings)
    if case.code is _AUTO and index.began is not None and index.began < EARLIEST_MODELLED:
        findings.append(
            new_finding(WarningId.CODE_VERSION_ASSUMED, None, {"stage_began": index.began}, index.began)
        )
        if index.began < FIRST_CODE_PUBLISHED:
            findings.append(
                new_finding(WarningId.BEFORE_FIRST_CODE, None, {"stage_began": index.began}, index.began)
            )
    if len(findings) > 1:
        findings.sort(key=lambda finding: finding.on or as_of)
    return _new_facts(case, as_of, events, index, stage_rules, deadlines, time_limits, findings)


def _check_escalation_refused(
    events: tuple[CaseEvent, ...], stage2: CodeRules, time_limits: list[TimeLimit], findings: list[Finding]
) -> None:
    """`landlord_declined` after `escalation_requested` with no `stage2_acknowledged` between."""
    requested: CaseEvent | None = None
    for event in events:
        if event.kind is EventKind.ESCALATION_REQUESTED and requested is None:
            requested = event
        elif event.kind is EventKind.STAGE2_ACKNOWLEDGED:
            requested = None
        elif event.kind is EventKind.LANDLORD_DECLINED and requested is not None:
            window = next(limit for limit in time_limits if limit.id is TimeLimitId.STAGE2_REQUEST_WINDOW)
            within_window = (
                window.ends is not None
                and window.status is TimeLimitStatus.USED
                and requested.date <= window.ends
            )
            rule = "Code 6.10 (2024)" if stage2.version is CodeVersion.V2024 else "Code 5.9 (2022)"
            findings.append(
                new_finding(
                    WarningId.ESCALATION_REFUSED,
                    rule,
                    {
                        "requested_on": requested.date,
                        "declined_on": event.date,
                        "within_window": within_window,
                        "window_ends": window.ends,
                    },
                    event.date,
                )
            )
            return


def _after_code_limit(deadline: Deadline) -> Finding:
    """Answered by the landlord's own extended date, but after the Code's limit for extensions."""
    assert deadline.code_limit_due is not None and deadline.code_version is not None
    rules = CODES[deadline.code_version]
    clock = rules.stage1 if deadline.id is DeadlineId.STAGE1_RESPONSE else rules.stage2
    return new_finding(
        WarningId.ANSWERED_AFTER_CODE_LIMIT,
        clock.extension_rule.citation,
        {
            "deadline": deadline.id,
            "due": deadline.due,
            "done_on": deadline.done_on,
            "code_limit_due": deadline.code_limit_due,
            "cap_working_days": deadline.extension_cap_working_days,
            "working_days_beyond_code_limit": deadline.working_days_beyond_code_limit,
        },
        deadline.done_on,
    )


# Code 2.4 (VERIFIED in part, domain.md 1.3) and the Ombudsman's guidance on exclusions (VERIFIED, domain.md
# 1.3): a landlord that will not accept a complaint explains why in writing and tells the resident they can go
# to the Housing Ombudsman. Code 2.4 is a 2024 clause (statutory from 1 April 2024, domain.md 1.1): a stage
# under an earlier Code (or none) rests on the guidance alone.
COMPLAINT_REFUSED_RULE = "Code 2.4"
COMPLAINT_REFUSED_GUIDANCE = "Housing Ombudsman guidance on exclusions"


def _check_complaint_refused(
    events: tuple[CaseEvent, ...], stage_rules: tuple[CodeRules, CodeRules], findings: list[Finding]
) -> None:
    """The first `landlord_declined` that is not a refusal to escalate: at stage 1 (before any request for
    stage 2), or after the landlord acknowledged stage 2 (it took the request, then refused the complaint)."""
    stage = 1
    for event in events:
        if event.kind is EventKind.ESCALATION_REQUESTED:
            stage = 0  # asked for stage 2, not yet acknowledged: a decline now refuses the escalation
        elif event.kind is EventKind.STAGE2_ACKNOWLEDGED:
            stage = 2
        elif event.kind is EventKind.LANDLORD_DECLINED and stage:
            v2024 = stage_rules[stage - 1].version is CodeVersion.V2024
            findings.append(
                new_finding(
                    WarningId.COMPLAINT_REFUSED,
                    COMPLAINT_REFUSED_RULE if v2024 else COMPLAINT_REFUSED_GUIDANCE,
                    {"declined_on": event.date, "stage": stage},
                    event.date,
                )
            )
            return


def _missed(deadline: Deadline) -> Finding:
    rule = deadline.due_rule  # a late acknowledgement did not move the date: the request's rule
    assert deadline.due is not None and rule is not None
    return new_finding(
        _DEADLINE_MISSED,
        rule.citation,
        {
            "deadline": deadline.id,
            "due": deadline.due,
            "done_on": deadline.done_on,
            "done_by": deadline.done_by,
            "working_days_late": deadline.working_days_late,
        },
        deadline.due,
    )


# While the case waits in one of these states, this deadline is the one the landlord owes.
OWED_WHILE = {
    State.STAGE1_WAITING_ACKNOWLEDGEMENT: DeadlineId.STAGE1_ACKNOWLEDGEMENT,
    State.STAGE1_WAITING_RESPONSE: DeadlineId.STAGE1_RESPONSE,
    State.STAGE2_WAITING_ACKNOWLEDGEMENT: DeadlineId.STAGE2_ACKNOWLEDGEMENT,
    State.STAGE2_WAITING_RESPONSE: DeadlineId.STAGE2_RESPONSE,
}


def replay_lifecycle(facts: Facts) -> Replay:
    due = {d.id: d.due for d in facts.deadlines}
    due_while_waiting = {state: due[deadline_id] for state, deadline_id in OWED_WHILE.items()}
    # Stage 1 is overdue once the response deadline passes; if the acknowledgement is the one missing,
    # its due date is the soonest stage 1 could be called unanswered.
    stage1_due = due[DeadlineId.STAGE1_RESPONSE] or due[DeadlineId.STAGE1_ACKNOWLEDGEMENT]
    return replay(facts.events, due_while_waiting, stage1_due)


def build_timeline(case: Case, as_of: date, calendar: WorkingCalendar | None = None) -> Timeline:
    facts = compute_facts(case, as_of, calendar)
    return timeline_from_facts(facts)


def timeline_from_facts(facts: Facts) -> Timeline:
    replayed = replay_lifecycle(facts)
    findings = list(facts.findings)
    for unexpected in replayed.unexpected:
        findings.append(
            Finding(
                WarningId.UNEXPECTED_EVENT,
                None,
                {
                    "kind": unexpected.event.kind,
                    "date": unexpected.event.date,
                    "state": unexpected.state,
                    "reason": unexpected.reason,
                    "index": unexpected.index,
                },
                unexpected.event.date,
            )
        )
    case = facts.case
    route = route_for(case.nation, case.landlord_type, case.subject)
    if route.outside_housing_ombudsman:
        findings.append(
            Finding(
                WarningId.OUTSIDE_OMBUDSMAN_REMIT,
                ", ".join(f"Scheme {g.paragraph} ({g.scheme_version})" for g in route.grounds) or None,
                {"body": route.body, "reason": route.reason, "grounds": [g.id for g in route.grounds]},
                None,
            )
        )
    findings.sort(key=lambda finding: finding.on or facts.as_of)
    return Timeline(
        facts, replayed.state, route, findings, next_steps(facts, replayed.state, route, findings)
    )


def early_stage2_rule(facts: Facts) -> str | None:
    """Where the resident may ask for stage 2 while stage 1 is unanswered, what allows it; else None.

    The Code that governs stage 1 decides: the 2024 Code progresses a complaint not resolved at stage 1
    (6.10); the 2022 Code escalates only once stage one is complete (5.11), unless the landlord's own
    policy allows it.
    """
    early = EARLY_STAGE2[facts.stage_rules[0].version]
    if early.allowed:
        return early.rule.citation
    if facts.case.landlord_policy.stage2_when_stage1_late:
        return STAGE2_WINDOW_RULE
    return None


def next_steps(facts: Facts, state: State, route: Route, findings: list[Finding]) -> list[NextStep]:
    """What the resident can do now, most useful first."""
    steps: list[NextStep] = []
    if route.body is not Body.HOUSING_OMBUDSMAN:
        steps.append(NextStep(NextStepId.CONTACT_OTHER_BODY, {"body": route.body}))
    # Outside England another ombudsman handles social housing and the Housing Ombudsman's Code does not
    # apply (domain.md 4.2-4.4): no step that sends the resident to the Housing Ombudsman or cites its Code.
    hos_code = facts.case.nation is Nation.ENGLAND

    if state is State.CLOSED:
        return [*steps, NextStep(NextStepId.CASE_CLOSED)]
    if state is State.REFERRED:
        return [*steps, NextStep(NextStepId.WAIT_FOR_OMBUDSMAN)]

    if state is State.DRAFTING:
        window = facts.time_limit(TimeLimitId.COMPLAINT_WINDOW)
        steps.append(
            NextStep(
                NextStepId.MAKE_COMPLAINT,
                {"ends": window.ends, "status": window.status, "days_left": window.days_left},
            )
        )
        return steps

    owed = OWED_WHILE.get(state)
    if owed is not None:
        deadline = facts.deadline(owed)
        if deadline.done_on is not None:
            return steps  # answered (or overtaken): never chase an answer already given
        if deadline.status is DeadlineStatus.MISSED:
            params = {
                "deadline": deadline.id,
                "due": deadline.due,
                "working_days_late": deadline.working_days_late,
            }
            steps.append(NextStep(NextStepId.CHASE_LANDLORD, params))
            if not hos_code:
                return steps
            if owed in (DeadlineId.STAGE1_ACKNOWLEDGEMENT, DeadlineId.STAGE1_RESPONSE):
                steps.append(NextStep(NextStepId.COMPLAIN_ABOUT_DELAY, params))
                stage1 = facts.deadline(DeadlineId.STAGE1_RESPONSE)
                rule = early_stage2_rule(facts)
                if stage1.status is DeadlineStatus.MISSED and rule is not None:
                    steps.append(
                        NextStep(NextStepId.ASK_FOR_STAGE2, {"after_no_response": True, "rule": rule})
                    )
            steps.append(NextStep(NextStepId.ASK_OMBUDSMAN_TO_INTERVENE, params))
        elif deadline.due is not None:
            wait = {"deadline": deadline.id, "due": deadline.due, "landlord_due": deadline.landlord_due}
            if hos_code and deadline.code_limit_due is not None and facts.as_of > deadline.code_limit_due:
                # An extension with reasons beyond the Code's cap, and the Code's own limit has passed:
                # whether the reason is good is the Ombudsman's call (Code 6.4, 6.5: the landlord gives
                # its contact details with an extension), not something to wait out in silence.
                wait["code_limit_due"] = deadline.code_limit_due
            steps.append(NextStep(NextStepId.WAIT_FOR_LANDLORD, wait))
        return steps

    if state is State.STAGE1_ANSWERED:
        window = facts.time_limit(TimeLimitId.STAGE2_REQUEST_WINDOW)
        steps.append(
            NextStep(
                NextStepId.ASK_FOR_STAGE2,
                {
                    "after_no_response": False,
                    # No reasons needed is the 2024 Code's (6.12); the 2022 Code has no such paragraph, and
                    # outside England no Housing Ombudsman Code applies.
                    "no_reasons_needed": facts.stage_rules[1].version is CodeVersion.V2024 and hos_code,
                    "ends": window.ends,
                    "days_left": window.days_left,
                    "status": window.status,
                },
            )
        )
        return steps

    # FINAL_RESPONSE or DECLINED
    if not hos_code:
        return steps
    refused = next((f for f in findings if f.id is WarningId.ESCALATION_REFUSED), None)
    if state is State.DECLINED and refused is not None:
        steps.append(NextStep(NextStepId.CHALLENGE_REFUSAL, dict(refused.params)))
    referral = facts.time_limit(TimeLimitId.OMBUDSMAN_REFERRAL)
    steps.append(
        NextStep(
            NextStepId.REFER_TO_OMBUDSMAN,
            {
                "ends": referral.ends,
                "days_left": referral.days_left,
                "status": referral.status,
                "declined": state is State.DECLINED,
            },
        )
    )
    return steps
