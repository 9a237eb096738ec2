"""Working days: Monday to Friday, less the bank holidays of the nation the home is in.

Counting convention (../shared/domain.md 5.3, matching the Housing Ombudsman's own arithmetic):
the start date is day 0 and never counts; day 1 is the first working day after it. "Working days
from A to B" counts the working days after A up to and including B.

A calendar precomputes, for every date in its range, how many working days have passed since the
range began (a cumulative count) and the list of working days in order. Counting between two dates
and adding N working days are then two list look-ups, not a walk through the calendar; the timeline
benchmark depends on this.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


# Always name the subdivision: plain "GB" leaves out England's Easter Monday and August bank holiday
# (domain.md 5.1).
HOLIDAY_SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

FIRST_SUPPORTED = date(1990, 1, 1)
LAST_SUPPORTED = date(2100, 12, 31)


class OutOfRange(ValueError):
    """A date (or a count of working days from it) falls outside the supported calendar."""


@dataclass(frozen=True, slots=True)
class SkippedDays:
    """What a count passed over between two dates: for "how we counted"."""

    weekend_days: int
    bank_holidays: tuple[tuple[date, str], ...]


class WorkingCalendar:
    """Working days for one nation between `FIRST_SUPPORTED` and `LAST_SUPPORTED`."""

    def __init__(self, nation: Nation, extra_holidays: Iterable[date] = ()) -> None:
        self.nation = nation
        years = range(FIRST_SUPPORTED.year, LAST_SUPPORTED.year + 1)
        bank_holidays = holidays.country_holidays("GB", subdiv=HOLIDAY_SUBDIVISION[nation], years=years)
        names: dict[date, str] = dict(bank_holidays.items())
        for extra in extra_holidays:
            names.setdefault(extra, "Extra bank holiday")
        self._holiday_names = names
        self._base = FIRST_SUPPORTED.toordinal()
        self._end = LAST_SUPPORTED.toordinal()
        # _done_by[i]: working days in [FIRST_SUPPORTED, FIRST_SUPPORTED + i]
        # _workdays[k]: the (k+1)th working day of the range
        # _weekend_by[i]: Saturdays and Sundays in [FIRST_SUPPORTED, FIRST_SUPPORTED + i]
        # _weekday_holidays: ordinals of the bank holidays that fall on a weekday, in order
        done_by: list[int] = []
        workdays: list[date] = []
        weekend_by: list[int] = []
        weekend_days = 0
        day = FIRST_SUPPORTED
        for _ in range(self._base, self._end + 1):
            if day.weekday() >= 5:
                weekend_days += 1
            elif day not in names:
                workdays.append(day)
            done_by.append(len(workdays))
            weekend_by.append(weekend_days)
            day += timedelta(days=1)
        self._done_by = done_by
        self._workdays = workdays  # dates, not ordinals: adding working days then builds no date
        self._weekend_by = weekend_by
        self._weekday_holidays = sorted(d.toordinal() for d in names if d.weekday() < 5)

    def _index(self, day: date) -> int:
        ordinal = day.toordinal()
        if not self._base <= ordinal <= self._end:
            raise OutOfRange(f"{day.isoformat()} is outside {FIRST_SUPPORTED.year}–{LAST_SUPPORTED.year}")
        return ordinal - self._base

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holiday_names

    # The two counts below run several times for every timeline: the usual case is plain list look-ups,
    # and a date outside the range (a negative offset, or an IndexError) takes the checked path.

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
        base = self._base
        end_offset, start_offset = end.toordinal() - base, start.toordinal() - base
        if end_offset >= 0 and start_offset >= 0:
            try:
                return self._done_by[end_offset] - self._done_by[start_offset]
            except IndexError:
                pass
        return self._done_by[self._index(end)] - self._done_by[self._index(start)]

    def add_working_days(self, start: date, count: int) -> date:
        """The date of working day `count` after `start` (day 0). `count` 0 gives `start` itself."""
        offset = start.toordinal() - self._base
        if count > 0 and offset >= 0:
            try:
                return self._workdays[self._done_by[offset] + count - 1]
            except IndexError:
                pass
        if count < 0:
            raise ValueError("count must not be negative")
        if count == 0:
            return start
        position = self._done_by[self._index(start)] + count - 1
        if position >= len(self._workdays):
            raise OutOfRange(
                f"{count} working days after {start.isoformat()} is beyond {LAST_SUPPORTED.year}"
            )
        return self._workdays[position]

    def skipped_between(self, start: date, end: date) -> SkippedDays:
        """Weekend days and weekday bank holidays after `start` up to and including `end`: a look-up in
        the cumulative weekend count and a bisect in the weekday holidays, not a walk day by day."""
        if end <= start:
            return SkippedDays(0, ())
        first, last = start.toordinal(), end.toordinal()
        weekend_days = self._weekend_by[self._index(end)] - self._weekend_by[self._index(start)]
        holidays = self._weekday_holidays
        names = self._holiday_names
        bank_holidays = tuple(
            (day, names[day])
            for day in map(
                date.fromordinal, holidays[bisect_right(holidays, first) : bisect_left(holidays, last + 1)]
            )
        )
        return SkippedDays(weekend_days, bank_holidays)


def calendar_for(nation: Nation = Nation.ENGLAND, extra_holidays: Iterable[date] = ()) -> WorkingCalendar:
    """The shared calendar for a nation counting `extra_holidays` too: one-off bank holidays announced
    after a release (the EXTRA_BANK_HOLIDAYS setting, which the adapters put on each Case)."""
    return _calendar(Nation(nation), frozenset(extra_holidays))


@cache
def _calendar(nation: Nation, extra_holidays: frozenset[date]) -> WorkingCalendar:
    return WorkingCalendar(nation, extra_holidays)  # built once per process and holiday set: about 0.2 s
