"""The statements every chat update runs, built once at import.

Building a SQLAlchemy statement costs more than SQLite takes to run it (about 100 µs for an ORM
UPDATE against 15 µs), so the per-update path runs these prepared Core statements with parameters,
and reads plain rows rather than ORM objects. Rarer operations build theirs where they are used.
"""

from __future__ import annotations

from sqlalchemy import Table, bindparam, insert, select, update

from bot.storage.models import metadata

USERS: Table = metadata.tables["users"]
LANDLORDS: Table = metadata.tables["landlords"]
CASES: Table = metadata.tables["cases"]
EVENTS: Table = metadata.tables["case_events"]
CONVERSATIONS: Table = metadata.tables["conversations"]
AUDIT: Table = metadata.tables["audit_log"]

USER_BY_TELEGRAM_ID = select(USERS).where(USERS.c.telegram_id == bindparam("telegram_id"))

CONVERSATION_OF = select(
    CONVERSATIONS.c.user_id,
    CONVERSATIONS.c.flow,
    CONVERSATIONS.c.state,
    CONVERSATIONS.c.answers,
    CONVERSATIONS.c.case_id,
    CONVERSATIONS.c.version,
).where(CONVERSATIONS.c.user_id == bindparam("user_id"))

# Optimistic: matches no row if anyone saved since `read_version` was read.
SAVE_CONVERSATION = (
    update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.user_id == bindparam("for_user_id"),
        CONVERSATIONS.c.version == bindparam("read_version"),
    )
    .values(
        flow=bindparam("new_flow"),
        state=bindparam("new_state"),
        answers=bindparam("new_answers"),
        case_id=bindparam("new_case_id"),
        version=CONVERSATIONS.c.version + 1,
        updated_at=bindparam("now"),
    )
)

# FOR UPDATE (PostgreSQL): appends to one case take turns, so two never take the same position.
CASE_FOR_UPDATE = (
    select(
        CASES.c.id,
        CASES.c.nation,
        CASES.c.code_choice,
        CASES.c.landlord_type,
        CASES.c.subject,
        CASES.c.landlord_policy,
        CASES.c.landlord_id,
        CASES.c.closed_at,
    )
    .where(CASES.c.id == bindparam("case_id"))
    .with_for_update()
)

EVENTS_OF_CASE = select(
    EVENTS.c.position,
    EVENTS.c.date,
    EVENTS.c.kind,
    EVENTS.c.new_due,
    EVENTS.c.extra_working_days,
    EVENTS.c.reasons_given,
    EVENTS.c.source,
    EVENTS.c.replaces,
).where(EVENTS.c.case_id == bindparam("case_id"))

APPROVED_LANDLORD_POLICY = select(LANDLORDS.c.policy).where(
    LANDLORDS.c.id == bindparam("landlord_id"), LANDLORDS.c.approved_at.is_not(None)
)

INSERT_EVENT = insert(EVENTS)

REFRESH_CASE = (
    update(CASES)
    .where(CASES.c.id == bindparam("for_case_id"))
    .values(
        lifecycle_state=bindparam("new_lifecycle_state"),
        updated_at=bindparam("now"),
        closed_at=bindparam("new_closed_at"),
        next_due=bindparam("new_next_due"),
        clocks_stamp=bindparam("new_stamp"),
    )
)

INSERT_AUDIT = insert(AUDIT)
