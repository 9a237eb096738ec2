"""What time it is. Handlers and the reminder sender ask a clock, so tests can move time on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from flows.contract import london_date


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def today_in_london(clock: Clock | None = None) -> date:
    """Today in England, by `clock` (the system's unless given)."""
    return london_date((clock or SystemClock()).now())


class ManualClock:
    """A clock that stands still until told to move (tests, and replaying a journey)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware time")
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta

    def set(self, moment: datetime) -> None:
        self.current = moment
