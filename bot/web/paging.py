"""`?page=N` of a list (the portal's inbox and caseload, the API's complaints), shared by both."""

from __future__ import annotations

MAX_DIGITS = 6  # past a million pages is past the last: the list shows its last page


def page_number(value: str | None) -> int:
    """The page asked for, from 1; anything but plain ASCII digits is the first page. (`str.isdigit`
    holds for "²" and "٣", which `int` refuses or reads: a 500, or a page nobody wrote.)"""
    if value is None or not (value.isascii() and value.isdigit()) or not 0 < len(value) <= MAX_DIGITS:
        return 1
    return int(value)
