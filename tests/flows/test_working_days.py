"""Working days, pinned to the worked examples of ../shared/domain.md 5.4 and real bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.working_days import (
    FIRST_SUPPORTED,
    LAST_SUPPORTED,
    Nation,
    OutOfRange,
    WorkingCalendar,
    calendar_for,
)

ENGLAND = calendar_for(Nation.ENGLAND)


@pytest.mark.parametrize(
    ("start", "end", "working_days"),
    [
        # Portsmouth 202224228: complaint logged -> first and second extended response dates
        (date(2022, 10, 19), date(2022, 11, 15), 19),
        (date(2022, 10, 19), date(2022, 11, 22), 24),
        # Westlea 201911525: complaint response -> resident's call, a Saturday
        (date(2019, 11, 28), date(2019, 12, 14), 11),
        # Christmas and New Year
        (date(2025, 12, 19), date(2026, 1, 9), 12),
        # Good Friday and Easter Monday 2026
        (date(2026, 3, 27), date(2026, 4, 17), 13),
    ],
)
def test_working_days_between_matches_the_worked_examples(start: date, end: date, working_days: int) -> None:
    assert ENGLAND.working_days_between(start, end) == working_days
    assert ENGLAND.working_days_between(end, start) == -working_days


@pytest.mark.parametrize(
    ("start", "five", "ten", "twenty"),
    [
        (date(2025, 12, 22), date(2025, 12, 31), date(2026, 1, 8), date(2026, 1, 22)),
        (date(2026, 4, 1), date(2026, 4, 10), date(2026, 4, 17), date(2026, 5, 1)),
    ],
)
def test_add_working_days_matches_the_worked_examples(
    start: date, five: date, ten: date, twenty: date
) -> None:
    assert ENGLAND.add_working_days(start, 5) == five
    assert ENGLAND.add_working_days(start, 10) == ten
    assert ENGLAND.add_working_days(start, 20) == twenty


def test_plain_gb_would_miss_englands_easter_monday() -> None:
    # The trap domain.md 5.1 warns about: without a subdivision, Easter Monday is a working day.
    assert date(2026, 4, 6) not in holidays.country_holidays("GB", years=2026)
    assert not ENGLAND.is_working_day(date(2026, 4, 6))
    assert not ENGLAND.is_working_day(date(2026, 8, 31))


@pytest.mark.parametrize(
    "one_off",
    [date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8), date(1999, 12, 31)],
)
def test_one_off_bank_holidays_are_not_working_days(one_off: date) -> None:
    assert not ENGLAND.is_working_day(one_off)
    assert ENGLAND.skipped_between(one_off - timedelta(days=1), one_off).bank_holidays[0][0] == one_off
    # ...so counting from the day before jumps over it
    assert ENGLAND.add_working_days(one_off - timedelta(days=1), 1) > one_off


def test_boxing_day_at_a_weekend_moves_to_the_monday() -> None:
    assert ENGLAND.is_working_day(date(2026, 12, 24))
    assert not ENGLAND.is_working_day(date(2026, 12, 25))
    assert not ENGLAND.is_working_day(date(2026, 12, 28))  # Boxing Day (observed)
    assert ENGLAND.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_wales_matches_england_and_scotland_and_northern_ireland_differ() -> None:
    wales = calendar_for(Nation.WALES)
    day = date(2024, 1, 1)
    while day < date(2028, 1, 1):
        assert wales.is_working_day(day) == ENGLAND.is_working_day(day)
        day += timedelta(days=1)
    scotland = calendar_for(Nation.SCOTLAND)
    northern_ireland = calendar_for(Nation.NORTHERN_IRELAND)
    assert not scotland.is_working_day(date(2026, 1, 2))  # 2 January
    assert ENGLAND.is_working_day(date(2026, 1, 2))
    assert not northern_ireland.is_working_day(date(2026, 3, 17))  # St Patrick's Day
    assert ENGLAND.is_working_day(date(2026, 3, 17))


def test_extra_bank_holiday_moves_counts() -> None:
    extra = date(2026, 6, 15)  # a Monday announced after release
    with_extra = WorkingCalendar(Nation.ENGLAND, [extra])
    assert not with_extra.is_working_day(extra)
    assert with_extra.skipped_between(extra - timedelta(days=1), extra).bank_holidays == (
        (extra, "Extra bank holiday"),
    )
    assert with_extra.add_working_days(date(2026, 6, 12), 1) == date(2026, 6, 16)
    assert ENGLAND.add_working_days(date(2026, 6, 12), 1) == extra


def test_skipped_days_name_the_bank_holidays() -> None:
    skipped = ENGLAND.skipped_between(date(2025, 12, 19), date(2026, 1, 9))
    assert skipped.weekend_days == 6
    assert [day for day, _ in skipped.bank_holidays] == [
        date(2025, 12, 25),
        date(2025, 12, 26),
        date(2026, 1, 1),
    ]
    assert skipped.bank_holidays[0][1] == "Christmas Day"


def test_zero_working_days_is_the_start_itself() -> None:
    saturday = date(2026, 5, 2)
    assert ENGLAND.add_working_days(saturday, 0) == saturday
    assert ENGLAND.working_days_between(saturday, saturday) == 0


def test_outside_the_supported_range_is_a_clear_error() -> None:
    with pytest.raises(OutOfRange, match="outside"):
        ENGLAND.working_days_between(date(1980, 1, 1), date(2020, 1, 1))
    with pytest.raises(OutOfRange, match="beyond"):
        ENGLAND.add_working_days(LAST_SUPPORTED - timedelta(days=3), 10)
    with pytest.raises(ValueError, match="negative"):
        ENGLAND.add_working_days(date(2020, 1, 1), -1)


def test_both_ends_of_the_range_are_checked_on_both_counts() -> None:
    # In range the counts are plain list look-ups; a date outside it takes the checked path.
    for outside in (FIRST_SUPPORTED - timedelta(days=1), LAST_SUPPORTED + timedelta(days=1)):
        with pytest.raises(OutOfRange, match="outside"):
            ENGLAND.add_working_days(outside, 1)
        with pytest.raises(OutOfRange, match="outside"):
            ENGLAND.working_days_between(date(2020, 1, 1), outside)
        with pytest.raises(OutOfRange, match="outside"):
            ENGLAND.working_days_between(outside, date(2020, 1, 1))
    assert ENGLAND.add_working_days(FIRST_SUPPORTED, 1) == date(1990, 1, 2)
    assert ENGLAND.working_days_between(FIRST_SUPPORTED, LAST_SUPPORTED) > 28_000


supported_days = st.dates(min_value=FIRST_SUPPORTED, max_value=LAST_SUPPORTED - timedelta(days=400))
nations = st.sampled_from(list(Nation))


@given(start=supported_days, count=st.integers(min_value=1, max_value=120), nation=nations)
def test_a_due_date_is_always_a_working_day_and_counting_back_gives_the_same_number(
    start: date, count: int, nation: Nation
) -> None:
    calendar = calendar_for(nation)
    due = calendar.add_working_days(start, count)
    assert calendar.is_working_day(due)
    assert due > start
    assert calendar.working_days_between(start, due) == count
    # the day before the due date is still short of the count
    assert calendar.working_days_between(start, due - timedelta(days=1)) == count - 1


@given(start=supported_days, span=st.integers(min_value=0, max_value=400))
def test_counting_matches_a_day_by_day_walk(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    walked = sum(ENGLAND.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
    assert ENGLAND.working_days_between(start, end) == walked


@given(day=supported_days)
def test_is_working_day_agrees_with_the_holidays_package(day: date) -> None:
    england = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    assert ENGLAND.is_working_day(day) == (day.weekday() < 5 and day not in england)


def test_skipped_days_match_a_walk_through_the_calendar() -> None:
    """The look-ups give what walking day by day gives, weekend bank holidays counted as weekend."""
    import random

    import holidays as holidays_package

    def walked(start: date, end: date) -> tuple[int, list[date]]:
        weekend, holidays = 0, []
        day = start + timedelta(days=1)
        while day <= end:
            if day.weekday() >= 5:
                weekend += 1
            elif not ENGLAND.is_working_day(day):  # a weekday that is not a working day: a bank holiday
                holidays.append(day)
            day += timedelta(days=1)
        return weekend, holidays

    rng = random.Random(7)
    pairs = [(date(2020, 12, 24), date(2021, 1, 4)), (date(2022, 6, 1), date(2022, 6, 1))]
    pairs += [(date(2020, 5, 30), date(2020, 5, 29))]  # end before start: nothing skipped
    for _ in range(300):
        start = date(1995, 1, 1) + timedelta(days=rng.randrange(0, 36_000))
        pairs.append((start, start + timedelta(days=rng.randrange(0, 200))))
    for start, end in pairs:
        skipped = ENGLAND.skipped_between(start, end)
        weekend, holidays = walked(start, end)
        assert (skipped.weekend_days, [day for day, _ in skipped.bank_holidays]) == (weekend, holidays)
        names = holidays_package.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
        assert all(name == names.get(day) for day, name in skipped.bank_holidays)
