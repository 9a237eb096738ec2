"""The resident's own time limits, in calendar days.

* complaint_window: 12 months from when the issue arose (or the resident became aware), within which
  the landlord must accept a complaint (Code 2.3; older issues are at the landlord's discretion).
* stage2_request_window: the landlord's own window to ask for stage 2, where the resident knows it
  (calendar days after the stage 1 response). The Code sets none (domain.md 1.7); in the Westlea case
  a resident's expression of dissatisfaction inside such a window should have counted as a request.
* ombudsman_referral: 12 months from the stage 2 (final) response, or from the landlord's refusal,
  to bring the complaint to the Housing Ombudsman (domain.md 2.3; the Scheme's letter for it is
  unverified).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from flows.case import Case, CaseEvent, EventIndex, EventKind
from flows.findings import Finding, WarningId

CLOSING_DAYS = 28  # "closing" once this many calendar days or fewer are left
# Stage 2 asked for this many calendar months or more after the stage 1 response, with the landlord's
# own limit unknown: landlords' policies often set one (28 days, 15 working days: domain.md 1.7), so
# the resident is told the landlord may refuse and what it must do then. The Code's position on such
# limits is unverified (domain.md 1.7, 7.2).
STAGE2_REQUEST_LATE_MONTHS = 3

COMPLAINT_WINDOW_RULE = "Code 2.3 (2024)"
STAGE2_WINDOW_RULE = "landlord complaints policy"
REFERRAL_RULE = "Housing Ombudsman: 12 months after the final response"
_STAGE2_REQUEST = frozenset({EventKind.ESCALATION_REQUESTED})
_REFERRAL = frozenset({EventKind.REFERRED_TO_OMBUDSMAN})


class TimeLimitId(StrEnum):
    COMPLAINT_WINDOW = "complaint_window"
    STAGE2_REQUEST_WINDOW = "stage2_request_window"
    OMBUDSMAN_REFERRAL = "ombudsman_referral"


class TimeLimitStatus(StrEnum):
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"
    USED = "used"
    NOT_APPLICABLE = "not_applicable"


class WindowStart(StrEnum):
    ISSUE_STARTED = "issue_started"
    STAGE1_RESPONSE = "stage1_response"
    STAGE2_RESPONSE = "stage2_response"
    LANDLORD_DECLINED = "landlord_declined"


def months_after(start: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day if it has no such day."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    for day in (start.day, 30, 29, 28):
        try:
            return start.replace(year=year, month=month, day=min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - every month has a 28th


def twelve_months_after(start: date) -> date:
    """The same day a year later; 29 February gives 28 February."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return start.replace(year=start.year + 1, day=28)


@dataclass(frozen=True, slots=True)
class TimeLimit:
    id: TimeLimitId
    rule: str
    starts: date | None
    starts_with: WindowStart | None
    ends: date | None
    days_left: int | None
    status: TimeLimitStatus
    used_on: date | None = None


def _window(
    limit_id: TimeLimitId,
    rule: str,
    starts: date,
    starts_with: WindowStart,
    ends: date,
    used: CaseEvent | None,
    as_of: date,
) -> TimeLimit:
    if used is not None:
        return TimeLimit(limit_id, rule, starts, starts_with, ends, None, TimeLimitStatus.USED, used.date)
    days_left = (ends - as_of).days
    if days_left < 0:
        status = TimeLimitStatus.CLOSED
    elif days_left <= CLOSING_DAYS:
        status = TimeLimitStatus.CLOSING
    else:
        status = TimeLimitStatus.OPEN
    return TimeLimit(limit_id, rule, starts, starts_with, ends, days_left, status)


def compute_time_limits(
    case: Case,
    index: EventIndex,
    as_of: date,
    findings: list[Finding],
) -> list[TimeLimit]:
    limits = []

    issue = index.get(EventKind.ISSUE_STARTED)
    if issue is None:
        limits.append(_absent(TimeLimitId.COMPLAINT_WINDOW, COMPLAINT_WINDOW_RULE))
    else:
        complaint = index.get(EventKind.COMPLAINT_MADE)
        limit = _window(
            TimeLimitId.COMPLAINT_WINDOW,
            COMPLAINT_WINDOW_RULE,
            issue.date,
            WindowStart.ISSUE_STARTED,
            twelve_months_after(issue.date),
            complaint,
            as_of,
        )
        limits.append(limit)
        assert limit.ends is not None
        if complaint is not None and complaint.date > limit.ends:
            findings.append(
                Finding(
                    WarningId.COMPLAINT_OUTSIDE_12_MONTHS,
                    COMPLAINT_WINDOW_RULE,
                    {"issue_started": issue.date, "complaint_made": complaint.date, "ends": limit.ends},
                    complaint.date,
                )
            )
        elif limit.status is TimeLimitStatus.CLOSING:
            findings.append(
                Finding(
                    WarningId.COMPLAINT_WINDOW_CLOSING,
                    COMPLAINT_WINDOW_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )

    window_days = case.landlord_policy.escalation_window_days
    stage1_response = index.get(EventKind.STAGE1_RESPONSE)
    if window_days is None or stage1_response is None:
        limits.append(_absent(TimeLimitId.STAGE2_REQUEST_WINDOW, STAGE2_WINDOW_RULE))
        late_request = None if stage1_response is None else index.later(stage1_response, _STAGE2_REQUEST)
        if (
            window_days is None
            and stage1_response is not None
            and late_request is not None
            and late_request.date >= months_after(stage1_response.date, STAGE2_REQUEST_LATE_MONTHS)
        ):
            findings.append(
                Finding(
                    WarningId.STAGE2_REQUEST_LONG_AFTER_RESPONSE,
                    STAGE2_WINDOW_RULE,
                    {
                        "requested_on": late_request.date,
                        "stage1_response": stage1_response.date,
                        "months": STAGE2_REQUEST_LATE_MONTHS,
                    },
                    late_request.date,
                )
            )
    else:
        request = index.later(stage1_response, _STAGE2_REQUEST)
        limit = _window(
            TimeLimitId.STAGE2_REQUEST_WINDOW,
            STAGE2_WINDOW_RULE,
            stage1_response.date,
            WindowStart.STAGE1_RESPONSE,
            stage1_response.date + timedelta(days=window_days),
            request,
            as_of,
        )
        limits.append(limit)
        assert limit.ends is not None
        if request is not None and request.date > limit.ends:
            findings.append(
                Finding(
                    WarningId.STAGE2_REQUEST_AFTER_WINDOW,
                    STAGE2_WINDOW_RULE,
                    {"requested_on": request.date, "ends": limit.ends, "window_days": window_days},
                    request.date,
                )
            )
        elif limit.status is TimeLimitStatus.CLOSING:
            findings.append(
                Finding(
                    WarningId.STAGE2_REQUEST_WINDOW_CLOSING,
                    STAGE2_WINDOW_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )

    final = index.get(EventKind.STAGE2_RESPONSE)
    starts_with = WindowStart.STAGE2_RESPONSE
    if final is None:
        final, starts_with = index.get(EventKind.LANDLORD_DECLINED), WindowStart.LANDLORD_DECLINED
    if final is None:
        limits.append(_absent(TimeLimitId.OMBUDSMAN_REFERRAL, REFERRAL_RULE))
    else:
        referral = index.get(EventKind.REFERRED_TO_OMBUDSMAN)
        if referral is not None and referral.date < final.date:
            referral = index.later(final, _REFERRAL)
        limit = _window(
            TimeLimitId.OMBUDSMAN_REFERRAL,
            REFERRAL_RULE,
            final.date,
            starts_with,
            twelve_months_after(final.date),
            referral,
            as_of,
        )
        limits.append(limit)
        if limit.status is TimeLimitStatus.CLOSING:
            findings.append(
                Finding(
                    WarningId.REFERRAL_WINDOW_CLOSING,
                    REFERRAL_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )
        elif limit.status is TimeLimitStatus.CLOSED:
            findings.append(
                Finding(WarningId.REFERRAL_WINDOW_CLOSED, REFERRAL_RULE, {"ends": limit.ends}, as_of)
            )
    return limits


def _absent(limit_id: TimeLimitId, rule: str) -> TimeLimit:
    return TimeLimit(limit_id, rule, None, None, None, None, TimeLimitStatus.NOT_APPLICABLE)
