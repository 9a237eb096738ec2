"""The reminder queue, as the sender sees it: claim what is due, then mark it sent or release it.

A claim is a lease: the claimer has until `claimed_until` to send and mark it sent. A claimer that
dies leaves the lease to run out, and the reminder is claimed again, so delivery is at least once
(choose a lease well above the time a send takes). Several claimers never get the same reminder
while its lease runs: PostgreSQL skips rows another claimer has locked (FOR UPDATE SKIP LOCKED);
SQLite runs one write transaction at a time, and the claim is a single UPDATE ... RETURNING.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, update
from sqlmodel import Session, col, select

from bot.storage.models import ReminderRow
from bot.storage.records import DueReminder

# A failed send is retried after 1, 2, 4 ... minutes, at most 6 hours apart; after MAX_ATTEMPTS the
# reminder is given up (cancelled, its last error kept).
FIRST_BACKOFF = timedelta(minutes=1)
LONGEST_BACKOFF = timedelta(hours=6)
MAX_ATTEMPTS = 8

_R = ReminderRow


def due_condition(now: datetime) -> Any:
    """Pending, due, and not leased to anyone. Spelled out as the partial index's predicate
    (`sent_at IS NULL AND cancelled_at IS NULL`) so both databases can use ix_reminders_due."""
    return and_(
        col(_R.sent_at).is_(None),
        col(_R.cancelled_at).is_(None),
        col(_R.due_at) <= now,
        or_(col(_R.claimed_until).is_(None), col(_R.claimed_until) <= now),
    )


def due_scan(now: datetime, limit: int) -> Any:
    """The ids of the earliest due reminders; rows another claimer holds are skipped (PostgreSQL)."""
    return (
        select(_R.id)
        .where(due_condition(now))
        .order_by(col(_R.due_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def claim_statement(now: datetime, limit: int, claimer: str, lease: timedelta) -> Any:
    """One statement: lease the earliest due reminders to `claimer` and return them."""
    return (
        update(_R)
        .where(col(_R.id).in_(due_scan(now, limit)))
        .values(claimed_by=claimer, claimed_until=now + lease, attempts=col(_R.attempts) + 1)
        .returning(
            col(_R.id),
            col(_R.user_id),
            col(_R.case_id),
            col(_R.kind),
            col(_R.due_at),
            col(_R.payload),
            col(_R.dedupe_key),
            col(_R.attempts),
            col(_R.claimed_until),
        )
        .execution_options(synchronize_session=False)
    )


def claim_due(
    session: Session, now: datetime, limit: int, claimer: str, lease: timedelta
) -> list[DueReminder]:
    claimed = [DueReminder(*row) for row in session.execute(claim_statement(now, limit, claimer, lease))]
    claimed.sort(key=lambda reminder: (reminder.due_at, reminder.id))  # RETURNING promises no order
    return claimed


def mark_sent(session: Session, reminder_id: int, claimer: str, now: datetime) -> bool:
    """True when this call marked it; False when it was already marked, or the claim had passed to
    another claimer after this one's lease ran out (that one will mark it)."""
    statement = (
        update(_R)
        .where(col(_R.id) == reminder_id, col(_R.claimed_by) == claimer, col(_R.sent_at).is_(None))
        .values(sent_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], session.execute(statement)).rowcount == 1


def release(session: Session, reminder_id: int, error: str, now: datetime) -> None:
    """The send failed: free the reminder for another try after a backoff, or give it up.
    `error` is a short reason (an exception's class, an API's error code), never message text."""
    row = session.get(_R, reminder_id, with_for_update=True)
    if row is None or row.sent_at is not None:
        return
    row.claimed_by = None
    row.last_error = error[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.claimed_until = None
        row.cancelled_at = now
    else:
        row.claimed_until = now + min(FIRST_BACKOFF * 2 ** max(row.attempts - 1, 0), LONGEST_BACKOFF)


def postpone(session: Session, reminder_id: int, claimer: str, until: datetime) -> bool:
    """Not now (the resident's quiet hours): due again at `until`, and this try does not count."""
    statement = (
        update(_R)
        .where(col(_R.id) == reminder_id, col(_R.claimed_by) == claimer, col(_R.sent_at).is_(None))
        .values(due_at=until, claimed_by=None, claimed_until=None, attempts=col(_R.attempts) - 1)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], session.execute(statement)).rowcount == 1


def mark_many_sent(session: Session, reminder_ids: list[int], claimer: str, now: datetime) -> int:
    """`mark_sent` for a batch, in one statement; how many this call marked."""
    if not reminder_ids:
        return 0
    statement = (
        update(_R)
        .where(col(_R.id).in_(reminder_ids), col(_R.claimed_by) == claimer, col(_R.sent_at).is_(None))
        .values(sent_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], session.execute(statement)).rowcount
