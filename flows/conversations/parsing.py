"""Reading what a resident typed: dates, numbered choices, yes and no.

Dates are read the way people in the UK write them (day first), in the resident's own locale too:
"14/03/2026", "14.3.26", "2026-03-14", "14 March 2026", "today", "yesterday". Anything else gets a
clear reason, never a guess: "next Tuesday" is not a date we can put in a letter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from babel.dates import get_month_names, parse_date

from flows.i18n import Translator
from flows.working_days import FIRST_SUPPORTED


class DateProblem(StrEnum):
    UNREADABLE = "unreadable"
    NOT_A_DATE = "not_a_date"  # words that are not a month: an address, a sentence
    IMPOSSIBLE = "impossible"  # 31/02: no such day
    IN_FUTURE = "in_future"
    TOO_OLD = "too_old"
    TOO_FAR_AHEAD = "too_far_ahead"


@dataclass(frozen=True, slots=True)
class DateReading:
    value: date | None  # a month alone ("August 2026") reads as its first day, with `month_only`
    problem: DateProblem | None = None
    month_only: bool = False

    @property
    def answer(self) -> str:
        """As kept in the answers: "2026-08-14", or "2026-08" for a month (see `answer_date`)."""
        assert self.value is not None
        return self.value.strftime("%Y-%m") if self.month_only else self.value.isoformat()


def answer_date(answer: str) -> date:
    """The date of a kept answer; a month ("2026-08") is its first day."""
    return date.fromisoformat(answer + "-01" if len(answer) == 7 else answer)


def show_answer_date(answer: str, t: Translator) -> str:
    """A kept date answer as the resident gave it: the day, or the month ("August 2026")."""
    value = answer_date(answer)
    return t.format_month(value) if len(answer) == 7 else t.format_date(value)


# A word: letters with the combining marks of the scripts we read (Latin, Arabic and Urdu, Bengali).
# Bengali "আগস্ট" has a virama (U+09CD), which `\w` leaves out: `[^\W\d_]+` cut the month in two.
_WORD = r"(?:[^\W\d_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0981-\u0983\u09bc\u09be-\u09cd\u09d7\u09e2\u09e3])+"
_NAMED_MONTH = re.compile(rf"^({_WORD})\.?,?\s+(\d{{4}})$")  # "August 2026", "Aug. 2026"
_NUMBERED_MONTH = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")  # "08/2026"
_NAMED_DATE = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({_WORD})\.?,?\s+(\d{{2,4}})$")


def _month_lookup(t: Translator) -> dict[str, int]:
    lookup: dict[str, int] = {}
    for locale in (t.locale, "en_GB"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    lookup.setdefault(name.lower().rstrip("."), number)
    lookup.setdefault("sept", 9)
    return lookup


def _full_year(year: int) -> int:
    return year + 2000 if year < 100 else year


def _date_parts(cleaned: str, t: Translator) -> tuple[int, int, int] | None:
    """(year, month, day) from the forms we read ourselves; None for anything else."""
    named = _NAMED_DATE.match(cleaned)
    if named:
        month = _month_lookup(t).get(named.group(2))
        return None if month is None else (_full_year(int(named.group(3))), month, int(named.group(1)))
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
        year, month, day = (int(part) for part in cleaned.split("-"))
        return year, month, day
    if re.fullmatch(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}", cleaned):
        day, month, year = (int(part) for part in re.split(r"\s*[/.\-]\s*", cleaned))
        return _full_year(year), month, day
    return None


_DATE_WORDS = frozenset({"st", "nd", "rd", "th", "of", "the"})


def _only_date_words(cleaned: str, t: Translator) -> bool:
    """Whether every word in the text could be part of a date (a month's name, "1st", "of")."""
    months = _month_lookup(t)
    return all(
        word in months or word.rstrip(".") in months or word in _DATE_WORDS
        for word in re.findall(_WORD + r"\.?", cleaned)
    )


def _month(cleaned: str, t: Translator) -> tuple[int, int] | None:
    """(year, month) from "August 2026" or "08/2026"; None for anything else."""
    named = _NAMED_MONTH.match(cleaned)
    if named:
        month = _month_lookup(t).get(named.group(1))
        return None if month is None else (int(named.group(2)), month)
    numbered = _NUMBERED_MONTH.match(cleaned)
    if numbered and 1 <= int(numbered.group(1)) <= 12:
        return int(numbered.group(2)), int(numbered.group(1))
    return None


def read_date(
    text: str, t: Translator, today: date, *, allow_future: bool = False, month_ok: bool = False
) -> DateReading:
    """A date the resident typed, or the reason it cannot be used. With `month_ok`, a month and year
    ("August 2026") too: people remember when a problem started by the month."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned or len(cleaned) > 40:
        return DateReading(None, DateProblem.UNREADABLE)
    month = _month(cleaned, t) if month_ok else None
    if month is not None:
        first = date(month[0], month[1], 1)
        if first < FIRST_SUPPORTED:
            return DateReading(None, DateProblem.TOO_OLD)
        if not allow_future and first > today:
            return DateReading(None, DateProblem.IN_FUTURE)
        return DateReading(first, month_only=True)
    words = {
        t.gettext("today").lower(): today,
        "today": today,
        t.gettext("yesterday").lower(): today - timedelta(days=1),
        "yesterday": today - timedelta(days=1),
    }
    value: date | None = words.get(cleaned)
    if value is None:
        parts = _date_parts(cleaned, t)
        if parts is None and not _only_date_words(cleaned, t):
            return DateReading(None, DateProblem.NOT_A_DATE)
        if parts is None:
            try:
                value = parse_date(cleaned, locale=t.locale)
            except Exception:  # babel raises ParseError, IndexError or ValueError on text it cannot read
                return DateReading(None, DateProblem.UNREADABLE)
        else:
            try:
                value = date(*parts)
            except ValueError:
                return DateReading(None, DateProblem.IMPOSSIBLE)
    if value < FIRST_SUPPORTED:
        return DateReading(None, DateProblem.TOO_OLD)
    if not allow_future and value > today:
        return DateReading(None, DateProblem.IN_FUTURE)
    if value > today + timedelta(days=3 * 366):
        return DateReading(None, DateProblem.TOO_FAR_AHEAD)
    return DateReading(value)


def date_problem_message(problem: DateProblem, text: str, t: Translator, today: date) -> str:
    example = today.strftime("%d/%m/%Y")
    match problem:
        case DateProblem.IMPOSSIBLE:
            return t.gettext(
                "“{text}” is not a real date: that month does not have that many days. Please check it."
            ).format(text=text.strip()[:40])
        case DateProblem.IN_FUTURE:
            return t.gettext("That date is in the future. Please give the date it happened.")
        case DateProblem.TOO_OLD:
            return t.gettext(
                "That date is too long ago for me to count from. Please give a date from 1990 onwards."
            )
        case DateProblem.NOT_A_DATE:
            return t.gettext(
                "“{text}” doesn't look like a date. Please write the date as day/month/year, for example "
                "{example}, or type “today”."
            ).format(text=text.strip()[:40], example=example)
        case DateProblem.TOO_FAR_AHEAD:
            return t.gettext("That date is too far ahead. Please check the year.")
    return t.gettext(
        "I could not read that as a date. Please write it as day/month/year, for example {example}, or type “today”."
    ).format(example=example)


def read_number(text: str, max_digits: int = 3) -> int | None:
    """A choice typed as its number ("2", "2.", " 2 "), or a count ("12,500" with `max_digits` 7).
    Any script's digits count (NFKC): a resident may type Arabic-Indic or Bengali digits."""
    cleaned = unicodedata.normalize("NFKC", text).strip().rstrip(".)").replace(",", "")
    return int(cleaned) if cleaned.isdecimal() and len(cleaned) <= max_digits else None
