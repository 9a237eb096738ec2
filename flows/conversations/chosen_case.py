"""The complaint the resident chose in /status (answer `case`), its timeline today, and the person's
role on it: read by tracking, its corrections, stage 2 and the referral."""

from __future__ import annotations

from datetime import date

from flows.conversations.engine import Turn
from flows.conversations.workspace import CaseRecord
from flows.refusals import with_refusal_limit
from flows.timeline import Timeline, build_timeline


def timeline_of(record: CaseRecord, today: date) -> Timeline:
    """The case's timeline, with the landlord's stage 2 time limit the resident told us (flows.refusals)."""
    return build_timeline(with_refusal_limit(record.case, record.details), today)


def current_case(turn: Turn) -> tuple[CaseRecord, Timeline] | None:
    """The case the resident picked in /status (answer `case`) and its timeline today, or None if it
    has gone (deleted, or a stale reference); stage 2 and the referral read it too."""
    record = turn.workspace.case(str(turn.answers.get("case", "")))
    if record is None:
        return None
    return record, timeline_of(record, turn.today)


def role_on(turn: Turn, ref: str) -> str:
    return turn.people.role_on(ref) or "owner"
