"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.storage.records import Role

# JSONB on PostgreSQL (compact, comparable); JSON text on SQLite.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in and out. PostgreSQL stores `timestamptz`; SQLite, which has no time zones,
    stores naive UTC text (in one format, so comparing the text compares the times)."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: storage takes aware datetimes (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class RoleSet(TypeDecorator[frozenset[Role]]):
    """A set of roles as sorted comma-separated names ("advocate,resident"): readable in psql, no join."""

    impl = String
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(length=100)

    def process_bind_param(self, value: frozenset[Role] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return ",".join(sorted(Role(role).value for role in value))

    def process_result_value(self, value: Any, dialect: Dialect) -> frozenset[Role] | None:
        if value is None:
            return None
        return frozenset(Role(name) for name in str(value).split(",") if name)
