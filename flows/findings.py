"""Findings: the problems and warnings a timeline reports, as data (rendered to text in messages.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flows.frozen import constructor


class WarningId(StrEnum):
    DEADLINE_MISSED = "deadline_missed"
    UNEXPECTED_EVENT = "unexpected_event"
    EXTENSION_OVER_LIMIT = "extension_over_limit"
    EXTENSION_WITHOUT_REASONS = "extension_without_reasons"
    EXTENSION_AFTER_DUE = "extension_after_due"
    EXTENSION_WITHOUT_DATE = "extension_without_date"
    ANSWERED_AFTER_CODE_LIMIT = "answered_after_code_limit"
    STAGE2_REQUEST_LONG_AFTER_RESPONSE = "stage2_request_long_after_response"
    POLICY_LONGER_THAN_CODE = "policy_longer_than_code"
    ESCALATION_REFUSED = "escalation_refused"
    COMPLAINT_REFUSED = (
        "complaint_refused"  # Code 2.4: a refusal at stage 1, or after a stage 2 acknowledgement
    )
    COMPLAINT_OUTSIDE_12_MONTHS = "complaint_outside_12_months"
    COMPLAINT_WINDOW_CLOSING = "complaint_window_closing"
    STAGE2_REQUEST_AFTER_WINDOW = "stage2_request_after_window"
    STAGE2_REQUEST_WINDOW_CLOSING = "stage2_request_window_closing"
    REFERRAL_WINDOW_CLOSING = "referral_window_closing"
    REFERRAL_WINDOW_CLOSED = "referral_window_closed"
    OUTSIDE_OMBUDSMAN_REMIT = "outside_ombudsman_remit"
    CODE_VERSION_ASSUMED = "code_version_assumed"
    BEFORE_FIRST_CODE = "before_first_code"
    EVENT_AFTER_AS_OF = "event_after_as_of"


@dataclass(frozen=True, slots=True)
class Finding:
    id: WarningId
    rule: str | None
    params: dict[str, Any] = field(default_factory=dict)
    # When the finding arose, so the list reads in the order things happened.
    on: date | None = None


# `Finding(...)` without the frozen dataclass's per-field cost, for the timeline's hot path (flows/frozen.py).
new_finding = constructor(Finding)
