"""Operator-facing English shared by the command line, the services and the web app's logs and
health answers: never shown to residents, so not translated."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """`1 open case`, `2 open cases`: the number and the noun that agrees with it."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
