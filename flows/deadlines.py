"""The landlord's deadlines under the Complaint Handling Code, computed from a case's dated events.

Four clocks (WD = working days, day 1 = first working day after the start date):

* stage 1 acknowledgement: 5 WD from `complaint_made` (Code 6.2);
* stage 1 response: 10 WD from `acknowledged`, or from the acknowledgement's due date if none came
  (Code 6.3; 2022 Code 5.1 "of the complaint being logged");
* stage 2 acknowledgement: 5 WD from `escalation_requested` (Code 6.11);
* stage 2 response: 2024 Code, 20 WD from `stage2_acknowledged` or its due date (6.14); 2022 Code,
  20 WD from `escalation_requested`.

A late acknowledgement cannot stretch a response clock: under the 2024 Code the response is also due
at the latest the acknowledgement and response times added up after the request itself (5 + 10 = 15 WD
after `complaint_made`, 6.2-6.3; 5 + 20 = 25 WD after `escalation_requested`, 6.11 and 6.14), and the
earlier of the two dates counts (domain.md 1.5, 1.6; the Ombudsman counts delay from when a complaint
"should have been escalated", 1.7). The 2022 Code's stage 2 clock already counts from the request.

Each stage follows the Code version in force when its first event happened (or the one the case
names). Extensions move a response deadline within the Code's cap (+10 WD at stage 1; +10 (2022) or
+20 (2024) at stage 2, counted from the Code's due date and added up across extensions); beyond it
only with reasons, and then a response by the landlord's date but after the Code's limit is
`met_extension_over_limit`: whether the reason was good is the Ombudsman's call, not the landlord's.
An extension with no new date moves nothing and is reported. A landlord's own longer timescale is
reported beside the Code's, never instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import attrgetter

from flows.case import STAGE2_KINDS, Case, CaseEvent, EventIndex, EventKind, LandlordPolicy
from flows.code_rules import CODES, CodeRules, CodeVersion, Rule, StageClock, code_for_stage
from flows.findings import Finding, WarningId, new_finding
from flows.frozen import constructor
from flows.working_days import WorkingCalendar


class DeadlineId(StrEnum):
    STAGE1_ACKNOWLEDGEMENT = "stage1_acknowledgement"
    STAGE1_RESPONSE = "stage1_response"
    STAGE2_ACKNOWLEDGEMENT = "stage2_acknowledgement"
    STAGE2_RESPONSE = "stage2_response"


class DeadlineStatus(StrEnum):
    MET = "met"
    # Met by the landlord's extended date, but that extension went beyond what the Code allows without
    # good reason, and the answer came after the Code's own limit (Code 6.4 / 6.15; 2022 Code 5.1).
    MET_EXTENSION_OVER_LIMIT = "met_extension_over_limit"
    MISSED = "missed"
    PENDING = "pending"
    NOT_APPLICABLE = "not_applicable"


# Where a clock started, for "how we counted".
class ClockStart(StrEnum):
    COMPLAINT_MADE = "complaint_made"
    ACKNOWLEDGED = "acknowledged"
    ACKNOWLEDGEMENT_DUE = "acknowledgement_due"
    ESCALATION_REQUESTED = "escalation_requested"
    STAGE2_ACKNOWLEDGED = "stage2_acknowledged"
    STAGE2_ACKNOWLEDGEMENT_DUE = "stage2_acknowledgement_due"


_ENDINGS = frozenset({EventKind.LANDLORD_DECLINED, EventKind.RESOLVED, EventKind.WITHDRAWN})

# An absent event is "overtaken" by a later event of its stage or the next stage (or by the complaint
# ending): it will not come any more, and was missed only if that later event came after the due date,
# and, for stage 1, was not the landlord's own stage 2 step (which means stage 1's events are missing).
_OVERTAKEN_BY = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: frozenset(
        {EventKind.STAGE1_EXTENSION, EventKind.STAGE1_RESPONSE} | STAGE2_KINDS | _ENDINGS
    ),
    DeadlineId.STAGE1_RESPONSE: STAGE2_KINDS | _ENDINGS,
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: frozenset({EventKind.STAGE2_EXTENSION, EventKind.STAGE2_RESPONSE})
    | _ENDINGS,
    DeadlineId.STAGE2_RESPONSE: _ENDINGS,
}


_STAGE1 = frozenset({DeadlineId.STAGE1_ACKNOWLEDGEMENT, DeadlineId.STAGE1_RESPONSE})
_LANDLORD_STAGE2 = STAGE2_KINDS - {EventKind.ESCALATION_REQUESTED}
_LANDLORD_STAGE2_OR_REFERRAL = _LANDLORD_STAGE2 | {EventKind.REFERRED_TO_OMBUDSMAN}


@dataclass(frozen=True, slots=True)
class ExtensionOutcome:
    """What one extension did to a response deadline."""

    event: CaseEvent
    requested_due: date | None  # None: the landlord asked for time but named no date
    over_limit: bool
    after_due: bool
    moved_due_to: date | None  # the due date it set, if it moved it
    capped: bool  # beyond the cap without reasons: moved only as far as the cap


@dataclass(frozen=True, slots=True)
class Deadline:
    id: DeadlineId
    code_version: CodeVersion | None
    rule: Rule | None
    working_days: int
    clock_start: date | None
    clock_start_kind: ClockStart | None
    code_due: date | None  # the Code's date before any extension
    due: date | None
    done_on: date | None
    done_by: EventKind | None  # the event that met the deadline, or overtook it
    status: DeadlineStatus
    working_days_late: int | None
    extensions: tuple[ExtensionOutcome, ...] = ()
    extension_cap_working_days: int = 0
    landlord_due: date | None = None  # the landlord's own policy date, reported beside the Code's
    # The Code's latest date counted from the request itself (2024 Code: acknowledgement and response
    # times added), with the request's date and that count; None where no such date applies.
    request_date: date | None = None
    max_from_request_working_days: int | None = None
    max_from_request_due: date | None = None
    max_from_request_rule: Rule | None = None
    # Set when an extension with reasons went beyond the Code's cap: the Code's own latest date (the
    # Code's date plus the cap) and how many working days after it the answer came (or as_of, if none).
    code_limit_due: date | None = None
    working_days_beyond_code_limit: int | None = None

    @property
    def counted_from_request(self) -> bool:
        """True when the Code's latest date from the request came first (a late acknowledgement)."""
        return (
            self.max_from_request_due is not None
            and self.code_due is not None
            and self.max_from_request_due < self.code_due
        )

    @property
    def due_rule(self) -> Rule | None:
        """The rule that sets `due` before extensions: the latest date from the request when it came first."""
        if self.max_from_request_rule is not None and self.counted_from_request:
            return self.max_from_request_rule
        return self.rule

    @property
    def is_open(self) -> bool:
        return self.status is DeadlineStatus.PENDING or (
            self.status is DeadlineStatus.MISSED and self.done_on is None
        )


# Built without the frozen dataclass's per-field cost: four deadlines a case (flows/frozen.py).
_new_deadline = constructor(Deadline)
_new_outcome = constructor(ExtensionOutcome)

# Enum members the hot path names, bound once: on Python 3.11 `Enum.MEMBER` goes through EnumType's
# `__getattr__` hook, about ten times the cost of reading a global.
_MET = DeadlineStatus.MET
_MET_EXTENSION_OVER_LIMIT = DeadlineStatus.MET_EXTENSION_OVER_LIMIT
_MISSED = DeadlineStatus.MISSED
_PENDING = DeadlineStatus.PENDING


@dataclass(frozen=True, slots=True)
class _Clock:
    """One deadline under one Code version, with the deadlines that need nothing from the case built once:
    not applicable because its clock never started, or because the event it waits for was overtaken."""

    id: DeadlineId
    version: CodeVersion
    rule: Rule
    working_days: int
    overtaken_by: frozenset[EventKind]
    stage1: bool
    absent: Deadline
    overtaken: dict[EventKind, Deadline]


def _clock(deadline_id: DeadlineId, version: CodeVersion, rule: Rule, days: int) -> _Clock:
    def not_applicable(done_by: EventKind | None) -> Deadline:
        return Deadline(
            deadline_id,
            version,
            rule,
            days,
            None,
            None,
            None,
            None,
            None,
            done_by,
            DeadlineStatus.NOT_APPLICABLE,
            None,
        )

    return _Clock(
        deadline_id,
        version,
        rule,
        days,
        _OVERTAKEN_BY[deadline_id],
        deadline_id in _STAGE1,
        not_applicable(None),
        {kind: not_applicable(kind) for kind in EventKind},
    )


def _settle(
    clock: _Clock,
    trigger: CaseEvent,
    clock_start: date,
    clock_start_kind: ClockStart,
    code_due: date,
    due: date,
    done: CaseEvent | None,
    index: EventIndex,
    as_of: date,
    calendar: WorkingCalendar,
    extensions: tuple[ExtensionOutcome, ...] = (),
    cap: int = 0,
    landlord_due: date | None = None,
    cap_due: date | None = None,
    request: tuple[date, int, date, Rule | None] | None = None,
) -> Deadline:
    done_by = done
    if done_by is None:
        done_by = index.later(trigger, clock.overtaken_by)
        if done_by is not None and (
            done_by.date <= due
            or (
                clock.stage1
                and done_by.kind in _LANDLORD_STAGE2
                and index.later(trigger, _LANDLORD_STAGE2_OR_REFERRAL) is done_by
            )
        ):
            # Overtaken in time: the step was no longer owed. Or the landlord was at stage 2 with no
            # request for it (nor a referral while stage 1 was unanswered) before: stage 1 was answered
            # and stage 2 asked for, their events missing from the history, which does not show stage 1
            # late, still less by how much.
            return clock.overtaken[done_by.kind]
    if done_by is not None:
        done_on: date | None = done_by.date
        if done_by.date <= due:
            status, late = _MET, 0
        else:
            status, late = _MISSED, calendar.working_days_between(due, done_by.date)
    elif as_of > due:
        status, late, done_on = _MISSED, calendar.working_days_between(due, as_of), None
    else:
        status, late, done_on = _PENDING, 0, None
    code_limit_due: date | None = None
    beyond: int | None = None
    if cap_due is not None and due > cap_due:
        # An extension with reasons moved the date past the Code's cap: keep the Code's own limit beside it.
        code_limit_due = cap_due
        end = done_on if done_on is not None else as_of
        if end > cap_due:
            beyond = calendar.working_days_between(cap_due, end)
            if status is _MET:
                status = _MET_EXTENSION_OVER_LIMIT
    if request is None:
        request_date = request_days = request_due = request_rule = None
    else:
        request_date, request_days, request_due, request_rule = request
    return _new_deadline(
        clock.id,
        clock.version,
        clock.rule,
        clock.working_days,
        clock_start,
        clock_start_kind,
        code_due,
        due,
        done_on,
        done_by.kind if done_by is not None else None,
        status,
        late,
        extensions,
        cap,
        landlord_due,
        request_date,
        request_days,
        request_due,
        request_rule,
        code_limit_due,
        beyond,
    )


def _apply_extensions(
    code_due: date,
    clock: StageClock,
    extension_events: list[CaseEvent],
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> tuple[date, tuple[ExtensionOutcome, ...], date | None]:
    cap_due = calendar.add_working_days(code_due, clock.extension_cap_working_days)
    citation = clock.extension_rule.citation
    due = code_due
    outcomes = []
    for event in extension_events:
        if event.new_due is not None:
            requested: date | None = event.new_due
        elif event.extra_working_days is not None:
            requested = calendar.add_working_days(due, event.extra_working_days)
        else:
            requested = None
        if requested is None and event.date <= due:
            findings.append(
                new_finding(
                    WarningId.EXTENSION_WITHOUT_DATE,
                    citation,
                    {"given_on": event.date, "due": due},
                    event.date,
                )
            )
        if not event.reasons_given:
            findings.append(
                new_finding(
                    WarningId.EXTENSION_WITHOUT_REASONS,
                    citation,
                    {"given_on": event.date, "new_due": requested},
                    event.date,
                )
            )
        over_limit = requested is not None and requested > cap_due
        if over_limit:
            assert requested is not None
            findings.append(
                new_finding(
                    WarningId.EXTENSION_OVER_LIMIT,
                    citation,
                    {
                        "given_on": event.date,
                        "new_due": requested,
                        "cap_due": cap_due,
                        "cap_working_days": clock.extension_cap_working_days,
                        "extended_working_days": calendar.working_days_between(code_due, requested),
                        "reasons_given": event.reasons_given,
                    },
                    event.date,
                )
            )
        after_due = event.date > due
        moved_to: date | None = None
        capped = False
        if after_due:
            findings.append(
                new_finding(
                    WarningId.EXTENSION_AFTER_DUE,
                    citation,
                    {"given_on": event.date, "due": due, "new_due": requested},
                    event.date,
                )
            )
        elif requested is not None and requested > due:
            if over_limit and not event.reasons_given:
                capped = cap_due > due
                moved_to = cap_due if capped else None
            else:
                moved_to = requested
            if moved_to is not None:
                due = moved_to
        outcomes.append(_new_outcome(event, requested, over_limit, after_due, moved_to, capped))
    return due, tuple(outcomes), cap_due


@dataclass(frozen=True, slots=True)
class _Stage:
    """What tells one stage's two clocks apart: its deadlines, events and clock starts."""

    acknowledgement: DeadlineId
    response: DeadlineId
    request: EventKind
    acknowledged: EventKind
    extension: EventKind
    answered: EventKind
    request_start: ClockStart
    acknowledged_start: ClockStart
    acknowledgement_due_start: ClockStart
    policy_days: Callable[[LandlordPolicy], int | None]


_STAGE1_CLOCKS = _Stage(
    DeadlineId.STAGE1_ACKNOWLEDGEMENT,
    DeadlineId.STAGE1_RESPONSE,
    EventKind.COMPLAINT_MADE,
    EventKind.ACKNOWLEDGED,
    EventKind.STAGE1_EXTENSION,
    EventKind.STAGE1_RESPONSE,
    ClockStart.COMPLAINT_MADE,
    ClockStart.ACKNOWLEDGED,
    ClockStart.ACKNOWLEDGEMENT_DUE,
    attrgetter("stage1_response_working_days"),
)
_STAGE2_CLOCKS = _Stage(
    DeadlineId.STAGE2_ACKNOWLEDGEMENT,
    DeadlineId.STAGE2_RESPONSE,
    EventKind.ESCALATION_REQUESTED,
    EventKind.STAGE2_ACKNOWLEDGED,
    EventKind.STAGE2_EXTENSION,
    EventKind.STAGE2_RESPONSE,
    ClockStart.ESCALATION_REQUESTED,
    ClockStart.STAGE2_ACKNOWLEDGED,
    ClockStart.STAGE2_ACKNOWLEDGEMENT_DUE,
    attrgetter("stage2_response_working_days"),
)


@dataclass(frozen=True, slots=True)
class _StagePlan:
    """One stage under one Code version: what `_stage_deadlines` needs, built once per process."""

    stage: _Stage
    rules: CodeRules
    clock: StageClock
    acknowledgement: _Clock
    response: _Clock


def _plan(stage: _Stage, rules: CodeRules, clock: StageClock) -> _StagePlan:
    return _StagePlan(
        stage,
        rules,
        clock,
        _clock(
            stage.acknowledgement,
            rules.version,
            clock.acknowledgement_rule,
            clock.acknowledgement_working_days,
        ),
        _clock(stage.response, rules.version, clock.response_rule, clock.response_working_days),
    )


_STAGE1_PLANS = {rules.version: _plan(_STAGE1_CLOCKS, rules, rules.stage1) for rules in CODES.values()}
_STAGE2_PLANS = {rules.version: _plan(_STAGE2_CLOCKS, rules, rules.stage2) for rules in CODES.values()}


def _stage_deadlines(
    plan: _StagePlan,
    case: Case,
    index: EventIndex,
    as_of: date,
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> tuple[Deadline, Deadline]:
    """One stage's acknowledgement and response deadlines, in that order."""
    stage, clock = plan.stage, plan.clock
    first = index.first
    request = first.get(stage.request)
    acknowledged = first.get(stage.acknowledged)

    ack_due: date | None = None
    if request is None:
        acknowledgement = plan.acknowledgement.absent
    else:
        ack_due = calendar.add_working_days(request.date, clock.acknowledgement_working_days)
        acknowledgement = _settle(
            plan.acknowledgement,
            request,
            request.date,
            stage.request_start,
            ack_due,
            ack_due,
            acknowledged,
            index,
            as_of,
            calendar,
        )

    # The response clock starts at the acknowledgement, or at its due date if none came; under the
    # 2022 Code's stage 2, at the request itself.
    if not clock.response_counts_from_acknowledgement:
        if request is None:
            return acknowledgement, plan.response.absent
        trigger, start, start_kind = request, request.date, stage.request_start
    elif acknowledged is not None:
        trigger, start, start_kind = acknowledged, acknowledged.date, stage.acknowledged_start
    elif request is not None and ack_due is not None:
        trigger, start, start_kind = request, ack_due, stage.acknowledgement_due_start
    else:
        return acknowledgement, plan.response.absent
    response_days = clock.response_working_days
    code_due = calendar.add_working_days(start, response_days)
    landlord_due: date | None = None
    policy_days = stage.policy_days(case.landlord_policy)
    if policy_days is not None:
        if policy_days > response_days:
            findings.append(
                new_finding(
                    WarningId.POLICY_LONGER_THAN_CODE,
                    clock.response_rule.citation,
                    {"policy_working_days": policy_days, "code_working_days": response_days},
                    start,
                )
            )
        landlord_due = calendar.add_working_days(start, policy_days)
    # The request's date, the Code's working days from it to the latest response, that date, the rule.
    from_request: tuple[date, int, date, Rule | None] | None = None
    due = code_due
    if request is not None and clock.max_from_request_working_days is not None:
        days = clock.max_from_request_working_days
        latest = calendar.add_working_days(request.date, days)
        from_request = (request.date, days, latest, clock.max_from_request_rule)
        if latest < due:
            due = latest
    outcomes: tuple[ExtensionOutcome, ...] = ()
    cap_due: date | None = None
    if stage.extension in first:
        due, outcomes, cap_due = _apply_extensions(
            due, clock, index.all_of(stage.extension), calendar, findings
        )
    response = _settle(
        plan.response,
        trigger,
        start,
        start_kind,
        code_due,
        due,
        first.get(stage.answered),
        index,
        as_of,
        calendar,
        outcomes,
        clock.extension_cap_working_days,
        landlord_due,
        cap_due,
        from_request,
    )
    return acknowledgement, response


def compute_deadlines(
    case: Case,
    index: EventIndex,
    as_of: date,
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> tuple[list[Deadline], tuple[CodeRules, CodeRules]]:
    """The four deadlines, in order; appends extension and policy findings to `findings`."""
    stage1 = code_for_stage(case.code, index.stage1_began, as_of)
    stage2 = code_for_stage(case.code, index.stage2_began, as_of)
    plan1, plan2 = _STAGE1_PLANS[stage1.version], _STAGE2_PLANS[stage2.version]
    # Rules other than the Code's own (none so far) are planned when met.
    if plan1.rules is not stage1:
        plan1 = _plan(_STAGE1_CLOCKS, stage1, stage1.stage1)
    if plan2.rules is not stage2:
        plan2 = _plan(_STAGE2_CLOCKS, stage2, stage2.stage2)
    stage1_ack, stage1_response = _stage_deadlines(plan1, case, index, as_of, calendar, findings)
    stage2_ack, stage2_response = _stage_deadlines(plan2, case, index, as_of, calendar, findings)
    return [stage1_ack, stage1_response, stage2_ack, stage2_response], (stage1, stage2)
