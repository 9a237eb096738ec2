"""A landlord's time limit for asking for stage 2, as the resident types it ("28", "28 days",
"15 working days", "4 weeks"), in English or in the catalogues' own words (the /status refusal questions)."""

from __future__ import annotations

from flows.conversations.engine import Turn
from flows.conversations.parsing import read_number
from flows.refusals import MAX_LIMIT_DAYS

# Words that make a typed limit one of working days: landlords set theirs in either (domain.md 1.7: 28 days at
# North Warwickshire, 15 working days at Vivid). Beside English, the catalogues' own words for "working days"
# (pl dni robocze, cy diwrnodau gwaith, ro zile lucrătoare, so maalmo shaqo, bn কার্যদিবস, ar أيام عمل, ur کام کے دن).
WORKING_DAY_WORDS = ("work", "business", "robocz", "gwaith", "lucr", "shaqo", "কার্যদিবস", "عمل", "کام")
# Weeks and months, as the catalogues say them ("four weeks are 28 days"): a number of weeks is seven days each.
WEEK_WORDS = ("week", "tydz", "tygod", "wythnos", "săptămân", "toddobaad", "সপ্তাহ", "أسبوع", "أسابيع", "ہفت")
MONTH_WORDS = ("month", "miesi", "mis", "luni", "luna", "bil", "মাস", "شهر", "أشهر", "مہین", "ماہ")


def read_limit(text: str) -> tuple[int, bool] | None:
    """A landlord's time limit typed as a number of days ("28", "28 days", "15 working days"), and whether they
    are working days; None if unreadable."""
    words = text.strip().split(maxsplit=1)
    number = read_number(words[0]) if words else None
    rest = words[1].casefold() if len(words) > 1 else ""
    if number is not None and any(word in rest for word in WEEK_WORDS):
        number *= 7  # "4 weeks" was read as 4 days
    elif any(word in rest for word in MONTH_WORDS):
        return None  # months are not a number of days: asked again, in days
    if number is None or not 1 <= number <= MAX_LIMIT_DAYS:
        return None
    return number, any(word in rest for word in WORKING_DAY_WORDS)


def read_limit_days(text: str) -> int | None:
    """A landlord's time limit typed as a number of days ("28", "28 days"); None if unreadable."""
    limit = read_limit(text)
    return None if limit is None else limit[0]


def check_limit_days(text: str, turn: Turn) -> str | None:
    if read_limit_days(text) is not None:
        return None
    return turn.t.gettext("Please type the number of days, like 28 (four weeks are 28 days).")
