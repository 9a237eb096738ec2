"""A landlord's refusal, answered: what reason it gave, and whether the resident asked in time.

The resident tells us the reason the landlord gave and, for "out of time", the landlord's own time limit
for asking for stage 2 (unless an onboarded landlord registered it). The answer rests on:

- Code 2.4 (2024; VERIFIED in part, domain.md 1.3) and the Ombudsman's guidance on exclusions (VERIFIED,
  domain.md 1.3): a landlord that will not accept a complaint explains why in writing and tells the resident
  they can take the decision to the Housing Ombudsman;
- 2022 Code 5.9 (VERIFIED, domain.md 1.7) and 2024 Code 6.10 (VERIFIED): a complaint not resolved at stage 1
  must go to stage 2 (the 2022 Code: unless an exclusion ground now applies);
- the landlord's own time limit for asking for stage 2 (domain.md 1.7: landlords set their own; the Code
  names none). Before the 2022 Code (Westlea, 2019) no Code applied, so the answer rests on that limit alone.

The reason and the limit are kept in the case's details (`refusal`); the limit counts as the landlord's
`escalation_window_days` when the case knows no other.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any

from flows.case import Case, CaseEvent, CodeChoice, EventKind
from flows.code_rules import EARLIEST_MODELLED, CodeVersion
from flows.findings import Finding, WarningId
from flows.i18n import N_, Translator
from flows.time_limits import TimeLimitId
from flows.timeline import COMPLAINT_REFUSED_GUIDANCE, Timeline, build_timeline
from flows.working_days import OutOfRange, calendar_for

# in a case's details: {"reason": RefusalReason, "limit_days": int | None, "working_days": true (only if so)}
REFUSAL_KEY = "refusal"
MAX_LIMIT_DAYS = 366


class RefusalReason(StrEnum):
    OUT_OF_TIME = "out_of_time"
    NOT_A_COMPLAINT = "not_a_complaint"
    IN_COURT = "in_court"
    NO_REASON = "no_reason"
    OTHER = "other"


REASON_LABELS = {
    RefusalReason.OUT_OF_TIME: N_("Out of time: asked too late"),
    RefusalReason.NOT_A_COMPLAINT: N_("It isn't a complaint"),
    RefusalReason.IN_COURT: N_("It's going to court"),
    RefusalReason.NO_REASON: N_("No reason given"),
    RefusalReason.OTHER: N_("Another reason"),
}


def refusal_of(details: dict[str, Any]) -> dict[str, Any]:
    value = details.get(REFUSAL_KEY)
    return value if isinstance(value, dict) else {}


def with_refusal_limit(case: Case, details: dict[str, Any]) -> Case:
    """The case with the limit the resident told us as the landlord's stage 2 window, when it has none. A limit
    in working days ("15 working days", as at Vivid: domain.md 1.7) becomes the calendar days to the date of
    that working day after the stage 1 answer (domain.md 1.9: that answer is day 0)."""
    refusal = refusal_of(details)
    limit = refusal.get("limit_days")
    if not isinstance(limit, int) or case.landlord_policy.escalation_window_days is not None:
        return case
    if refusal.get("working_days") is True:
        answered = next((e.date for e in case.events if e.kind is EventKind.STAGE1_RESPONSE), None)
        if answered is None:
            return case
        try:
            limit = (
                calendar_for(case.nation, case.extra_holidays).add_working_days(answered, limit) - answered
            ).days
        except OutOfRange:
            return case  # beyond the calendar: no limit rather than a wrong one
    policy = dataclasses.replace(case.landlord_policy, escalation_window_days=limit)
    return dataclasses.replace(case, landlord_policy=policy)


def stage2_pending(case: Case) -> bool:
    """Stage 2 was asked for and not yet acknowledged: a refusal now refuses the escalation."""
    pending = False
    for event in case.events:
        if event.kind is EventKind.ESCALATION_REQUESTED:
            pending = True
        elif event.kind in (EventKind.STAGE2_ACKNOWLEDGED, EventKind.LANDLORD_DECLINED):
            pending = False
    return pending


def _finding(timeline: Timeline, warning: WarningId) -> Finding | None:
    return next((f for f in timeline.findings if f.id is warning), None)


def decline_rule(timeline: Timeline, declined_on: date) -> str:
    """What the resident's right to take a decline on `declined_on` to the Ombudsman rests on: the rule of the
    `escalation_refused` warning (a stage 2 request declined: 2024 Code 6.10, 2022 Code 5.9) or of the
    `complaint_refused` one (Code 2.4 under the 2024 Code; the Ombudsman's guidance on exclusions under an
    earlier Code or none), so the notice cites the Code that governs the refused stage (domain.md 1.1, 1.3, 1.7)."""
    for warning in (WarningId.ESCALATION_REFUSED, WarningId.COMPLAINT_REFUSED):
        for finding in timeline.findings:
            if finding.id is warning and finding.params["declined_on"] == declined_on and finding.rule:
                return finding.rule
    return COMPLAINT_REFUSED_GUIDANCE


def decline_rule_if_declined(case: Case, on: date) -> str:
    """`decline_rule` for a decline not yet recorded: the case as it would be, declined on `on`."""
    declined = dataclasses.replace(case, events=(*case.events, CaseEvent(on, EventKind.LANDLORD_DECLINED)))
    return decline_rule(build_timeline(declined, on), on)


def _before_any_code(case: Case, on: date) -> bool:
    return case.code is CodeChoice.AUTO and on < EARLIEST_MODELLED


def _under_2024_code(timeline: Timeline, escalation: Finding | None, complaint: Finding | None) -> bool:
    """The refused stage is under the 2024 Code, whose clauses 1.2 and 2.2 the answer cites (statutory from 1
    April 2024, domain.md 1.1): not under the 2022 Code, nor before any Code (Westlea, 2019)."""
    stage = 2 if escalation is not None or (complaint is not None and complaint.params["stage"] == 2) else 1
    return timeline.facts.stage_rules[stage - 1].version is CodeVersion.V2024


def refusal_answer(timeline: Timeline, details: dict[str, Any], t: Translator) -> str | None:
    """Whether the resident asked in time, and what the refusal means; None when nothing was refused."""
    refusal = refusal_of(details)
    reason = refusal.get("reason")
    escalation = _finding(timeline, WarningId.ESCALATION_REFUSED)
    complaint = _finding(timeline, WarningId.COMPLAINT_REFUSED)
    if escalation is None and complaint is None:
        return None
    parts: list[str] = []
    if escalation is not None:
        p = escalation.params
        requested_on, ends = p["requested_on"], p["window_ends"]
        no_code = _before_any_code(timeline.facts.case, requested_on)
        if ends is not None and requested_on <= ends:
            parts.append(
                t.gettext(
                    "You asked for stage 2 on {requested_on}, within your landlord's own time limit, which ended on "
                    "{ends}: you asked in time."
                ).format(requested_on=t.format_date(requested_on), ends=t.format_date(ends))
            )
            if no_code:
                parts.append(
                    t.gettext(
                        "No Complaint Handling Code applied then, so this rests on your landlord's own time limit: "
                        "refusing a request made within it was a failure in how your complaint was handled."
                    )
                )
            elif reason == RefusalReason.IN_COURT:
                # Court proceedings are an exclusion ground (Code 2.2; 2022 Code 5.9 "unless an exclusion ground
                # now applies", domain.md 1.3, 1.7): in time, the refusal may still stand, with reasons.
                parts.append(
                    t.gettext(
                        "A complaint that is not resolved at stage 1 must go to stage 2 unless your landlord has a "
                        "valid reason, which it must give you in writing ({rule})."
                    ).format(rule=escalation.rule)
                )
            else:
                parts.append(
                    t.gettext(
                        "Refusing it was a failure in how your complaint was handled: a complaint that is not "
                        "resolved at stage 1 must go to stage 2 ({rule})."
                    ).format(rule=escalation.rule)
                )
        elif ends is not None:
            parts.append(
                t.gettext(
                    "You asked for stage 2 on {requested_on}, after your landlord's own time limit ended on {ends}: "
                    "you did not ask in time."
                ).format(requested_on=t.format_date(requested_on), ends=t.format_date(ends))
            )
            if no_code:
                parts.append(
                    t.gettext(
                        "No Complaint Handling Code applied then, so this rests on your landlord's own time limit. "
                        "Your landlord could refuse for that reason, but it should still tell you why in writing."
                    )
                )
            else:
                # Reasons in writing and the right to go to the Ombudsman: 2022 Code 5.9 says both; under the 2024
                # Code, 6.10 does not (its clause on refusing to escalate is UNVERIFIED, domain.md 1.7), the
                # Ombudsman's guidance on exclusions does (VERIFIED, domain.md 1.3).
                v2024 = timeline.facts.stage_rules[1].version is CodeVersion.V2024
                parts.append(
                    t.gettext(
                        "Your landlord may refuse for that reason, but it must tell you why in writing and that you "
                        "can go to the Housing Ombudsman ({rule})."
                    ).format(rule=COMPLAINT_REFUSED_GUIDANCE if v2024 else escalation.rule)
                )
        else:
            parts.append(
                t.gettext(
                    "I don't know your landlord's time limit for asking for stage 2, so I can't tell whether your "
                    "request was in time: its complaints policy says how long you have."
                )
            )
            if no_code:
                parts.append(t.gettext("No Complaint Handling Code applied then."))
            else:
                parts.append(
                    t.gettext(
                        "A complaint that is not resolved at stage 1 must go to stage 2 unless your landlord has a "
                        "valid reason, which it must give you in writing ({rule})."
                    ).format(rule=escalation.rule)
                )
    elif complaint is not None and not _before_any_code(timeline.facts.case, complaint.params["declined_on"]):
        window = timeline.facts.time_limit(TimeLimitId.COMPLAINT_WINDOW)
        if reason == RefusalReason.OUT_OF_TIME and window.ends is not None and window.used_on is not None:
            if window.used_on <= window.ends:
                parts.append(
                    t.gettext(
                        "You complained on {complaint_made}, within 12 months of the problem starting: you complained "
                        "in time. Landlords must accept complaints made within 12 months ({rule})."
                    ).format(complaint_made=t.format_date(window.used_on), rule=window.rule)
                )
            else:
                parts.append(
                    t.gettext(
                        "You complained on {complaint_made}, more than 12 months after the problem started. Your "
                        "landlord may refuse for that reason, but it should consider whether to look at it anyway "
                        "({rule})."
                    ).format(complaint_made=t.format_date(window.used_on), rule=window.rule)
                )
        parts.append(
            t.gettext(
                "A landlord that does not accept a complaint must explain its reasons in writing and tell you that "
                "you can take its decision to the Housing Ombudsman ({rule})."
            ).format(rule=complaint.rule)
        )
    if reason == RefusalReason.NO_REASON:
        parts.append(
            t.gettext("Your landlord gave you no reason: it must give its reasons in writing. Ask it to.")
        )
    elif reason == RefusalReason.IN_COURT and _under_2024_code(timeline, escalation, complaint):
        parts.append(
            t.gettext(
                "A landlord may leave out a complaint once court proceedings have started (a claim filed at court) "
                "(Code 2.2)."
            )
        )
    elif reason == RefusalReason.NOT_A_COMPLAINT and _under_2024_code(timeline, escalation, complaint):
        parts.append(
            t.gettext(
                "If you told your landlord you are unhappy with its service, that is a complaint, however you said "
                "it (Code 1.2)."
            )
        )
    parts.append(
        t.gettext(
            "Your next step is the Housing Ombudsman: you can take the refusal to it now. It is free. Open your "
            "complaint and tap “Go to the Housing Ombudsman”."
        )
    )
    return " ".join(parts)


def reason_label(details: dict[str, Any], t: Translator) -> str | None:
    reason = refusal_of(details).get("reason")
    if reason not in REASON_LABELS:
        return None
    return t.gettext(REASON_LABELS[RefusalReason(reason)])
