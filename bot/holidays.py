"""EXTRA_BANK_HOLIDAYS as this process counts them: set once from the settings by whatever opens the
database (the bot, the web service, the CLI), read by the storage mapping when it builds a Case and
by the kept clocks' stamps. flows/ takes them as a parameter (on the Case) and keeps no setting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

_extra_holidays: frozenset[date] = frozenset()


def configure_extra_holidays(days: Iterable[date]) -> None:
    """Every case built from now on counts `days`, so open deadlines move with them."""
    global _extra_holidays
    _extra_holidays = frozenset(days)


def configured_extra_holidays() -> frozenset[date]:
    return _extra_holidays
