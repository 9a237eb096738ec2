"""The few places where SQLite and PostgreSQL need different SQL, behind one function each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bot.storage.errors import ConcurrentUpdate

# PostgreSQL's "try again" errors: serialization failure, deadlock detected.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def insert_or_conflict(session: Session, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... that can say ON CONFLICT (both databases spell it the same; SQLAlchemy has two builders)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def lock_file_hash(session: Session, sha256: str) -> None:
    """Hold, until the transaction ends, the right to add or remove the file with this hash on disk,
    so a file is never deleted while another transaction is about to refer to it.

    PostgreSQL: an advisory lock on the hash. SQLite: its one write lock, which every transaction
    here takes at BEGIN (IMMEDIATE); running any statement makes sure the transaction has begun."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(sha256[:15], 16)})
    else:
        session.execute(text("SELECT 1"))


def is_retryable(error: BaseException) -> bool:
    """Would the same unit of work, run again from the start, probably succeed?"""
    if isinstance(error, ConcurrentUpdate):
        return True
    if isinstance(error, DBAPIError):
        # A connection that died (a database restart, a dropped link): SQLAlchemy has thrown it away,
        # so a fresh unit of work gets a fresh connection.
        return error.connection_invalidated or getattr(error.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES
    return False
