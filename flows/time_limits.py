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
from datetime import date
from enum import StrEnum

from flows.case import Case, CaseEvent, EventIndex, EventKind
from flows.findings import Finding, WarningId, new_finding
from flows.frozen import constructor

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
    # date(...) rather than start.replace(...): replace parses keywords, half again the cost, and
    # every timeline counts a window or two this way.
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - every month has a 28th


def twelve_months_after(start: date) -> date:
    """The same day a year later; 29 February gives 28 February."""
    try:
        return date(start.year + 1, start.month, start.day)
    except ValueError:
        return date(start.year + 1, start.month, 28)


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


# Built without the frozen dataclass's per-field cost (flows/frozen.py).
_new_time_limit = constructor(TimeLimit)

# Enum members the hot path names, bound once: on Python 3.11 `Enum.MEMBER` goes through EnumType's
# `__getattr__` hook, about ten times the cost of reading a global, and a timeline names dozens a case.
_ISSUE_STARTED = EventKind.ISSUE_STARTED
_COMPLAINT_MADE = EventKind.COMPLAINT_MADE
_STAGE1_RESPONSE = EventKind.STAGE1_RESPONSE
_STAGE2_RESPONSE = EventKind.STAGE2_RESPONSE
_LANDLORD_DECLINED = EventKind.LANDLORD_DECLINED
_REFERRED_TO_OMBUDSMAN = EventKind.REFERRED_TO_OMBUDSMAN
_OPEN = TimeLimitStatus.OPEN
_CLOSING = TimeLimitStatus.CLOSING
_CLOSED = TimeLimitStatus.CLOSED
_USED = TimeLimitStatus.USED


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
        return _new_time_limit(limit_id, rule, starts, starts_with, ends, None, _USED, used.date)
    days_left = (ends - as_of).days
    if days_left < 0:
        status = _CLOSED
    elif days_left <= CLOSING_DAYS:
        status = _CLOSING
    else:
        status = _OPEN
    return _new_time_limit(limit_id, rule, starts, starts_with, ends, days_left, status, None)


def _absent(limit_id: TimeLimitId, rule: str) -> TimeLimit:
    return TimeLimit(limit_id, rule, None, None, None, None, TimeLimitStatus.NOT_APPLICABLE)


# The windows whose start is not in the history: the same for every case, so built once.
_ABSENT_COMPLAINT_WINDOW = _absent(TimeLimitId.COMPLAINT_WINDOW, COMPLAINT_WINDOW_RULE)
_ABSENT_STAGE2_REQUEST_WINDOW = _absent(TimeLimitId.STAGE2_REQUEST_WINDOW, STAGE2_WINDOW_RULE)
_ABSENT_OMBUDSMAN_REFERRAL = _absent(TimeLimitId.OMBUDSMAN_REFERRAL, REFERRAL_RULE)
_COMPLAINT_WINDOW = TimeLimitId.COMPLAINT_WINDOW
_STAGE2_REQUEST_WINDOW = TimeLimitId.STAGE2_REQUEST_WINDOW
_OMBUDSMAN_REFERRAL = TimeLimitId.OMBUDSMAN_REFERRAL
_FROM_ISSUE_STARTED = WindowStart.ISSUE_STARTED
_FROM_STAGE1_RESPONSE = WindowStart.STAGE1_RESPONSE
_FROM_STAGE2_RESPONSE = WindowStart.STAGE2_RESPONSE
_FROM_LANDLORD_DECLINED = WindowStart.LANDLORD_DECLINED


def compute_time_limits(
    case: Case,
    index: EventIndex,
    as_of: date,
    findings: list[Finding],
) -> list[TimeLimit]:
    first = index.first

    issue = first.get(_ISSUE_STARTED)
    if issue is None:
        complaint_window = _ABSENT_COMPLAINT_WINDOW
    else:
        complaint = first.get(_COMPLAINT_MADE)
        complaint_window = limit = _window(
            _COMPLAINT_WINDOW,
            COMPLAINT_WINDOW_RULE,
            issue.date,
            _FROM_ISSUE_STARTED,
            twelve_months_after(issue.date),
            complaint,
            as_of,
        )
        assert limit.ends is not None
        if complaint is not None and complaint.date > limit.ends:
            findings.append(
                new_finding(
                    WarningId.COMPLAINT_OUTSIDE_12_MONTHS,
                    COMPLAINT_WINDOW_RULE,
                    {"issue_started": issue.date, "complaint_made": complaint.date, "ends": limit.ends},
                    complaint.date,
                )
            )
        elif limit.status is _CLOSING:
            findings.append(
                new_finding(
                    WarningId.COMPLAINT_WINDOW_CLOSING,
                    COMPLAINT_WINDOW_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )

    window_days = case.landlord_policy.escalation_window_days
    stage1_response = first.get(_STAGE1_RESPONSE)
    if window_days is None or stage1_response is None:
        request_window = _ABSENT_STAGE2_REQUEST_WINDOW
        if window_days is None and stage1_response is not None:
            late_request = index.later(stage1_response, _STAGE2_REQUEST)
            if late_request is not None and late_request.date >= months_after(
                stage1_response.date, STAGE2_REQUEST_LATE_MONTHS
            ):
                findings.append(
                    new_finding(
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
        request_window = limit = _window(
            _STAGE2_REQUEST_WINDOW,
            STAGE2_WINDOW_RULE,
            stage1_response.date,
            _FROM_STAGE1_RESPONSE,
            date.fromordinal(stage1_response.date.toordinal() + window_days),  # half `+ timedelta(...)`
            request,
            as_of,
        )
        assert limit.ends is not None
        if request is not None and request.date > limit.ends:
            findings.append(
                new_finding(
                    WarningId.STAGE2_REQUEST_AFTER_WINDOW,
                    STAGE2_WINDOW_RULE,
                    {"requested_on": request.date, "ends": limit.ends, "window_days": window_days},
                    request.date,
                )
            )
        elif limit.status is _CLOSING:
            findings.append(
                new_finding(
                    WarningId.STAGE2_REQUEST_WINDOW_CLOSING,
                    STAGE2_WINDOW_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )

    final = first.get(_STAGE2_RESPONSE)
    starts_with = _FROM_STAGE2_RESPONSE
    if final is None:
        final, starts_with = first.get(_LANDLORD_DECLINED), _FROM_LANDLORD_DECLINED
    if final is None:
        referral_window = _ABSENT_OMBUDSMAN_REFERRAL
    else:
        referral = first.get(_REFERRED_TO_OMBUDSMAN)
        if referral is not None and referral.date < final.date:
            referral = index.later(final, _REFERRAL)
        referral_window = limit = _window(
            _OMBUDSMAN_REFERRAL,
            REFERRAL_RULE,
            final.date,
            starts_with,
            twelve_months_after(final.date),
            referral,
            as_of,
        )
        if limit.status is _CLOSING:
            findings.append(
                new_finding(
                    WarningId.REFERRAL_WINDOW_CLOSING,
                    REFERRAL_RULE,
                    {"ends": limit.ends, "days_left": limit.days_left},
                    as_of,
                )
            )
        elif limit.status is _CLOSED:
            findings.append(
                new_finding(WarningId.REFERRAL_WINDOW_CLOSED, REFERRAL_RULE, {"ends": limit.ends}, as_of)
            )
    return [complaint_window, request_window, referral_window]
