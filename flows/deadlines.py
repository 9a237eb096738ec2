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

from flows.case import STAGE2_KINDS, Case, CaseEvent, EventIndex, EventKind, LandlordPolicy
from flows.code_rules import CodeRules, CodeVersion, Rule, StageClock, code_for_stage
from flows.findings import Finding, WarningId
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
        if self.counted_from_request and self.max_from_request_rule is not None:
            return self.max_from_request_rule
        return self.rule

    @property
    def is_open(self) -> bool:
        return self.status is DeadlineStatus.PENDING or (
            self.status is DeadlineStatus.MISSED and self.done_on is None
        )


def _not_applicable(
    deadline_id: DeadlineId, rules: CodeRules | None, rule: Rule | None, days: int
) -> Deadline:
    return Deadline(
        deadline_id,
        rules.version if rules else None,
        rule,
        days,
        None,
        None,
        None,
        None,
        None,
        None,
        DeadlineStatus.NOT_APPLICABLE,
        None,
    )


def _settle(
    deadline_id: DeadlineId,
    rules: CodeRules,
    rule: Rule,
    days: int,
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
        done_by = index.later(trigger, _OVERTAKEN_BY[deadline_id])
        if done_by is not None and (
            done_by.date <= due
            or (
                deadline_id in _STAGE1
                and done_by.kind in _LANDLORD_STAGE2
                and index.later(trigger, _LANDLORD_STAGE2 | {EventKind.REFERRED_TO_OMBUDSMAN}) is done_by
            )
        ):
            # Overtaken in time: the step was no longer owed. Or the landlord was at stage 2 with no
            # request for it (nor a referral while stage 1 was unanswered) before: stage 1 was answered
            # and stage 2 asked for, their events missing from the history, which does not show stage 1
            # late, still less by how much.
            return Deadline(
                deadline_id,
                rules.version,
                rule,
                days,
                None,
                None,
                None,
                None,
                None,
                done_by.kind,
                DeadlineStatus.NOT_APPLICABLE,
                None,
            )
    if done_by is not None:
        if done_by.date <= due:
            status, late = DeadlineStatus.MET, 0
        else:
            status, late = DeadlineStatus.MISSED, calendar.working_days_between(due, done_by.date)
        done_on: date | None = done_by.date
    elif as_of > due:
        status, late, done_on = DeadlineStatus.MISSED, calendar.working_days_between(due, as_of), None
    else:
        status, late, done_on = DeadlineStatus.PENDING, 0, None
    code_limit_due: date | None = None
    beyond: int | None = None
    if cap_due is not None and due > cap_due:
        # An extension with reasons moved the date past the Code's cap: keep the Code's own limit beside it.
        code_limit_due = cap_due
        end = done_on if done_on is not None else as_of
        if end > cap_due:
            beyond = calendar.working_days_between(cap_due, end)
            if status is DeadlineStatus.MET:
                status = DeadlineStatus.MET_EXTENSION_OVER_LIMIT
    return Deadline(
        deadline_id,
        rules.version,
        rule,
        days,
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
        request[0] if request else None,
        request[1] if request else None,
        request[2] if request else None,
        request[3] if request else None,
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
    if not extension_events:
        return code_due, (), None
    cap_due = calendar.add_working_days(code_due, clock.extension_cap_working_days)
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
                Finding(
                    WarningId.EXTENSION_WITHOUT_DATE,
                    clock.extension_rule.citation,
                    {"given_on": event.date, "due": due},
                    event.date,
                )
            )
        if not event.reasons_given:
            findings.append(
                Finding(
                    WarningId.EXTENSION_WITHOUT_REASONS,
                    clock.extension_rule.citation,
                    {"given_on": event.date, "new_due": requested},
                    event.date,
                )
            )
        over_limit = requested is not None and requested > cap_due
        if over_limit:
            assert requested is not None
            findings.append(
                Finding(
                    WarningId.EXTENSION_OVER_LIMIT,
                    clock.extension_rule.citation,
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
                Finding(
                    WarningId.EXTENSION_AFTER_DUE,
                    clock.extension_rule.citation,
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
        outcomes.append(ExtensionOutcome(event, requested, over_limit, after_due, moved_to, capped))
    return due, tuple(outcomes), cap_due


def _max_from_request(
    request: CaseEvent | None, clock: StageClock, calendar: WorkingCalendar
) -> tuple[date, int, date, Rule | None] | None:
    """The request's date, the Code's working days from it to the latest response, that date, the rule."""
    days = clock.max_from_request_working_days
    if request is None or days is None:
        return None
    return request.date, days, calendar.add_working_days(request.date, days), clock.max_from_request_rule


def _policy_due(
    clock_start: date,
    policy_days: int | None,
    code_days: int,
    rule: Rule,
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> date | None:
    if policy_days is None:
        return None
    if policy_days > code_days:
        findings.append(
            Finding(
                WarningId.POLICY_LONGER_THAN_CODE,
                rule.citation,
                {"policy_working_days": policy_days, "code_working_days": code_days},
                clock_start,
            )
        )
    return calendar.add_working_days(clock_start, policy_days)


def stage_rules(case: Case, index: EventIndex, as_of: date) -> tuple[CodeRules, CodeRules]:
    return (
        code_for_stage(case.code, index.stage1_began, as_of),
        code_for_stage(case.code, index.stage2_began, as_of),
    )


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
    lambda policy: policy.stage1_response_working_days,
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
    lambda policy: policy.stage2_response_working_days,
)


def _stage_deadlines(
    stage: _Stage,
    rules: CodeRules,
    clock: StageClock,
    case: Case,
    index: EventIndex,
    as_of: date,
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> list[Deadline]:
    """One stage's acknowledgement and response deadlines, in that order."""
    first = index.first
    request = first.get(stage.request)
    acknowledged = first.get(stage.acknowledged)

    ack_due: date | None = None
    if request is None:
        acknowledgement = _not_applicable(
            stage.acknowledgement, rules, clock.acknowledgement_rule, clock.acknowledgement_working_days
        )
    else:
        ack_due = calendar.add_working_days(request.date, clock.acknowledgement_working_days)
        acknowledgement = _settle(
            stage.acknowledgement,
            rules,
            clock.acknowledgement_rule,
            clock.acknowledgement_working_days,
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
    start: date | None = None
    if not clock.response_counts_from_acknowledgement:
        if request is not None:
            trigger, start, start_kind = request, request.date, stage.request_start
    elif acknowledged is not None:
        trigger, start, start_kind = acknowledged, acknowledged.date, stage.acknowledged_start
    elif request is not None and ack_due is not None:
        trigger, start, start_kind = request, ack_due, stage.acknowledgement_due_start
    if start is None:
        return [
            acknowledgement,
            _not_applicable(stage.response, rules, clock.response_rule, clock.response_working_days),
        ]
    code_due = calendar.add_working_days(start, clock.response_working_days)
    landlord_due = _policy_due(
        start,
        stage.policy_days(case.landlord_policy),
        clock.response_working_days,
        clock.response_rule,
        calendar,
        findings,
    )
    from_request = _max_from_request(request, clock, calendar)
    base = min(code_due, from_request[2]) if from_request else code_due
    due, outcomes, cap_due = _apply_extensions(base, clock, index.all_of(stage.extension), calendar, findings)
    response = _settle(
        stage.response,
        rules,
        clock.response_rule,
        clock.response_working_days,
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
    return [acknowledgement, response]


def compute_deadlines(
    case: Case,
    index: EventIndex,
    as_of: date,
    calendar: WorkingCalendar,
    findings: list[Finding],
) -> tuple[list[Deadline], tuple[CodeRules, CodeRules]]:
    """The four deadlines, in order; appends extension and policy findings to `findings`."""
    stage1, stage2 = stage_rules(case, index, as_of)
    deadlines = _stage_deadlines(
        _STAGE1_CLOCKS, stage1, stage1.stage1, case, index, as_of, calendar, findings
    )
    deadlines += _stage_deadlines(
        _STAGE2_CLOCKS, stage2, stage2.stage2, case, index, as_of, calendar, findings
    )
    return deadlines, (stage1, stage2)
