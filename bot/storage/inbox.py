"""The inbox of Telegram updates and the outbox of replies, as SQL (bot/telegram/inbox.py drives them).

Both use leases, as the reminder queue does: a row claimed by an instance is its own until
`lease_until`; an instance that dies leaves the lease to run out and another (or the restarted one)
takes the row over. The inbox's `handled_at` is set in the update's own transaction, with a
statement that only succeeds once, so a row taken over after a crash is never handled twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    CursorResult,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    insert,
    or_,
    text,
    update,
)
from sqlmodel import Session, col, select

from bot.storage.column_types import JsonDocument, UtcDateTime
from bot.storage.models import InboxRow, OutboxRow, UserRow, metadata
from flows.conversations.types import Button, Document, Reply

# The same SQL on SQLite (3.35+) and PostgreSQL: a row comes back only the first time an update is
# marked handled (a row the inbox did not have, as for a test's update, is added as handled).
MARK_HANDLED = text(
    "INSERT INTO inbox (update_id, received_at, attempts, handled_at) VALUES (:update_id, :now, 0, :now) "
    "ON CONFLICT (update_id) DO UPDATE SET handled_at = :now WHERE inbox.handled_at IS NULL "
    "RETURNING update_id"
)


# The statements every update runs, prepared once (bot/storage/queries.py says why).
_INBOX: Table = metadata.tables["inbox"]
_OUTBOX: Table = metadata.tables["outbox"]
_KNOWN = select(_INBOX.c.update_id, _INBOX.c.handled_at, _INBOX.c.claimed_by, _INBOX.c.lease_until).where(
    _INBOX.c.update_id.in_(bindparam("ids", expanding=True))
)
# Row by row, so RETURNING says which were new.
_INSERT_UPDATE = text(
    "INSERT INTO inbox (update_id, telegram_id, payload, received_at, claimed_by, lease_until, attempts) "
    "VALUES (:update_id, :telegram_id, :payload, :now, :claimer, :until, 1) "
    "ON CONFLICT (update_id) DO NOTHING RETURNING update_id"
).bindparams(
    bindparam("payload", type_=JsonDocument),
    bindparam("now", type_=UtcDateTime),
    bindparam("until", type_=UtcDateTime),
)
_CLAIM_UPDATES = (
    update(_INBOX)
    .where(_INBOX.c.update_id.in_(bindparam("ids", expanding=True)))
    .values(claimed_by=bindparam("claimer"), lease_until=bindparam("until"), attempts=_INBOX.c.attempts + 1)
)
_INSERT_REPLY = insert(_OUTBOX).returning(_OUTBOX.c.id)
_MARK_SENT = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(sent_at=bindparam("now"), document=None)
)
# A reply once sent to someone who is no longer a user (the "Done" after /delete) is not kept: its
# chat id would be the last trace of them.
_FORGET_SENT_TO_NOBODY = delete(_OUTBOX).where(
    _OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
    ~exists().where(metadata.tables["users"].c.telegram_id == _OUTBOX.c.chat_id),
)


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    update_id: int
    telegram_id: int | None
    payload: dict[str, Any]
    attempts: int = 0  # tries so far, this one included


@dataclass(frozen=True, slots=True)
class QueuedReply:
    id: int
    chat_id: int
    reply: Reply


def _takeable(
    lease_until: Any, claimed_by: Any, now: datetime, claimer: str, retry: Iterable[int], key: Any
) -> Any:
    """Nobody's, or its lease ran out, or ours and to be tried again (`retry`: a failed try)."""
    retry = list(retry)
    if not retry:
        return or_(lease_until.is_(None), lease_until <= now)
    return or_(lease_until.is_(None), lease_until <= now, and_(claimed_by == claimer, key.in_(retry)))


# --- the inbox ------------------------------------------------------------------------------------


def store(
    connection: Connection,
    updates: Sequence[StoredUpdate],
    claimer: str,
    now: datetime,
    lease: timedelta,
    retry: Iterable[int] = (),
) -> list[int]:
    """Store updates not yet stored, leased to `claimer`; the ids to handle now (those, and any stored
    before but unhandled and free to take: Telegram sent again what a crashed process had)."""
    to_retry = set(retry)
    until = now + lease
    fresh = {
        u.update_id
        for u in updates
        if connection.execute(
            _INSERT_UPDATE,
            {
                "update_id": u.update_id,
                "telegram_id": u.telegram_id,
                "payload": u.payload,
                "now": now,
                "claimer": claimer,
                "until": until,
            },
        ).first()
        is not None
    }
    if len(fresh) == len(updates):  # the usual case: one statement
        return sorted(fresh)
    seen_before = [u.update_id for u in updates if u.update_id not in fresh]
    known = {row.update_id: row for row in connection.execute(_KNOWN, {"ids": seen_before})}
    free = [
        update_id
        for update_id, row in known.items()
        if row.handled_at is None
        and (
            row.lease_until is None
            or row.lease_until <= now
            or (row.claimed_by == claimer and update_id in to_retry)
        )
    ]
    if free:
        connection.execute(_CLAIM_UPDATES, {"ids": free, "claimer": claimer, "until": until})
    return sorted(fresh | set(free))


def _claim(
    session: Session,
    key: Column[Any],
    wanted: ColumnElement[bool],
    returning: tuple[Column[Any], ...],
    claimer: str,
    now: datetime,
    lease: timedelta,
    retry: Iterable[int],
    limit: int,
    everything: bool,
) -> Sequence[Any]:
    """Lease to `claimer` up to `limit` rows of `key`'s table that are `wanted` and free to take (or
    all `wanted`, with `everything`), lowest key first; skips rows another transaction has locked."""
    table = key.table
    if not everything:
        wanted = and_(wanted, _takeable(table.c.lease_until, table.c.claimed_by, now, claimer, retry, key))
    scan = select(key).where(wanted).order_by(key).limit(limit).with_for_update(skip_locked=True)
    return session.execute(
        update(table)
        .where(key.in_(scan))
        .values(claimed_by=claimer, lease_until=now + lease, attempts=table.c.attempts + 1)
        .returning(*returning)
    ).all()


def mark_handled(connection: Connection, update_id: int, now: datetime) -> bool:
    """True the first time; False if the update was handled already (by us or another instance)."""
    return connection.execute(MARK_HANDLED, {"update_id": update_id, "now": now}).first() is not None


def claim_unhandled(
    session: Session,
    claimer: str,
    now: datetime,
    lease: timedelta,
    retry: Iterable[int] = (),
    limit: int = 100,
    everything: bool = False,
) -> list[StoredUpdate]:
    """Unhandled updates to (re)try, oldest first, leased to `claimer`. `everything`: whatever the
    leases say (a long-polling process starting: it is the only one)."""
    wanted = and_(_INBOX.c.handled_at.is_(None), _INBOX.c.payload.is_not(None))
    returning = (_INBOX.c.update_id, _INBOX.c.telegram_id, _INBOX.c.payload, _INBOX.c.attempts)
    rows = _claim(
        session, _INBOX.c.update_id, wanted, returning, claimer, now, lease, retry, limit, everything
    )
    return sorted((StoredUpdate(*row) for row in rows), key=lambda u: u.update_id)


def renew(
    session: Session, claimer: str, update_ids: Sequence[int], reply_ids: Sequence[int], until: datetime
) -> None:
    """`claimer` is still at work on these (queued behind others, or waiting for Telegram's pace):
    their leases run on, so no one takes them over and handles or sends them a second time."""
    _extend_lease(session, _INBOX.c.update_id, update_ids, _INBOX.c.handled_at, claimer, until)
    _extend_lease(session, _OUTBOX.c.id, reply_ids, _OUTBOX.c.sent_at, claimer, until)


def _extend_lease(
    session: Session,
    key: Column[Any],
    ids: Sequence[int],
    done_at: Column[Any],
    claimer: str,
    until: datetime,
) -> None:
    """Leases of `key`'s rows that `claimer` holds and has not finished run on until `until`."""
    if not ids:
        return
    table = key.table
    session.execute(
        update(table)
        .where(key.in_(list(ids)), table.c.claimed_by == claimer, done_at.is_(None))
        .values(lease_until=until)
    )


def give_up(session: Session, update_id: int, now: datetime) -> None:
    """An update that cannot be handled (a fault of ours, not the database's): not tried again."""
    session.execute(
        update(InboxRow)
        .where(col(InboxRow.update_id) == update_id)
        .values(handled_at=now)
        .execution_options(synchronize_session=False)
    )


# --- the outbox -----------------------------------------------------------------------------------


def queue(
    connection: Connection,
    chat_id: int,
    replies: Sequence[Reply],
    claimer: str,
    now: datetime,
    lease: timedelta,
) -> list[int]:
    """Write the replies, leased to `claimer` (who sends them at once after the commit)."""
    ids = []
    for reply in replies:
        values = {
            "chat_id": chat_id,
            "reply": _to_json(reply),
            "document": reply.document.data if reply.document else None,
            "created_at": now,
            "claimed_by": claimer,
            "lease_until": now + lease,
            "attempts": 1,
        }
        ids.append(connection.execute(_INSERT_REPLY, values).scalar_one())
    return ids


def claim_unsent(
    session: Session,
    claimer: str,
    now: datetime,
    lease: timedelta,
    retry: Iterable[int] = (),
    limit: int = 100,
    everything: bool = False,
) -> list[QueuedReply]:
    """Unsent replies to (re)send, in the order they were written, leased to `claimer`."""
    wanted = _OUTBOX.c.sent_at.is_(None)
    returning = (_OUTBOX.c.id, _OUTBOX.c.chat_id, _OUTBOX.c.reply, _OUTBOX.c.document)
    rows = _claim(session, _OUTBOX.c.id, wanted, returning, claimer, now, lease, retry, limit, everything)
    found = (QueuedReply(id_, chat, _from_json(reply, document)) for id_, chat, reply, document in rows)
    return sorted(found, key=lambda queued: queued.id)


def language_of(session: Session, telegram_id: int) -> str | None:
    return session.exec(select(UserRow.language).where(col(UserRow.telegram_id) == telegram_id)).first()


def mark_sent(connection: Connection, ids: Iterable[int], now: datetime) -> None:
    sent = list(ids)
    connection.execute(_MARK_SENT, {"ids": sent, "now": now})
    connection.execute(_FORGET_SENT_TO_NOBODY, {"ids": sent})


# --- retention and erasure ------------------------------------------------------------------------


def prune(session: Session, before: datetime) -> tuple[int, int]:
    """Forget handled updates and sent replies older than `before`: how many of each."""
    updates = session.execute(delete(InboxRow).where(col(InboxRow.handled_at) < before))
    replies = session.execute(delete(OutboxRow).where(col(OutboxRow.sent_at) < before))
    return (cast(CursorResult[Any], updates).rowcount, cast(CursorResult[Any], replies).rowcount)


def erase(session: Session, telegram_id: int) -> None:
    """Everything the person sent us and we have not sent them yet (their messages are in it)."""
    session.execute(delete(InboxRow).where(col(InboxRow.telegram_id) == telegram_id))
    session.execute(delete(OutboxRow).where(col(OutboxRow.chat_id) == telegram_id))


# --- replies as JSON ------------------------------------------------------------------------------


def _to_json(reply: Reply) -> dict[str, Any]:
    value: dict[str, Any] = {"text": reply.text}
    if reply.title:
        value["title"] = reply.title
    if reply.buttons:
        value["buttons"] = [[[b.data, b.label] for b in row] for row in reply.buttons]
    if reply.document:
        value["document"] = [reply.document.filename, reply.document.mime_type]
    return value


def _from_json(value: dict[str, Any], document: bytes | None) -> Reply:
    buttons = tuple(tuple(Button(data, label) for data, label in row) for row in value.get("buttons", ()))
    named = value.get("document")
    return Reply(
        value["text"],
        buttons,
        Document(named[0], document or b"", named[1]) if named else None,
        value.get("title"),
    )
