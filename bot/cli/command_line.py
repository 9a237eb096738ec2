"""What every `fairsay` subcommand shares: how one is declared, and how its operator-facing English
output counts things.

A subcommand is declared with `add_command`: one line of help, shown both in its parent's list and
as its own `--help` description, the function that runs it, and whether it opens the database (the
command line then refuses a `DATABASE_URL` whose SQLite folder does not exist before it runs).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pydantic import ValidationError

Handler = Callable[[argparse.Namespace, TextIO], int]


def add_command(
    commands: argparse._SubParsersAction[Any],
    name: str,
    summary: str,
    handler: Handler | None = None,
    *,
    database: bool = False,
) -> argparse.ArgumentParser:
    """A subcommand (or a group of actions, without `handler`) described by `summary`, one line."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=summary)
    if handler is not None:
        parser.set_defaults(handler=handler, command_line=parser.prog)
    if database:
        parser.set_defaults(database=True)
    return parser


def add_actions(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction[Any]:
    """The actions of a group such as `fairsay db`: one is required."""
    return parser.add_subparsers(dest=dest, required=True, metavar="ACTION")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """`1 open case`, `2 open cases`: the number and the noun that agrees with it (English only: the
    command line speaks to operators)."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def language(code: str) -> str:
    """A language with a catalogue, or English (`pl-PL` is `pl`); anything else is refused with the
    list, not answered in English as if it had been asked for."""
    from flows.i18n import SOURCE_LANGUAGE, available_languages, normalise_language

    language = normalise_language(code)
    if language == SOURCE_LANGUAGE and code.replace("-", "_").split("_")[0].lower() != SOURCE_LANGUAGE:
        languages = ", ".join(available_languages())
        raise argparse.ArgumentTypeError(f"unknown language {code!r}; languages: {languages}")
    return language


def setting_problem(error: ValidationError) -> str:
    """The first setting that cannot be used, and why, as one line: `RETENTION_MONTHS: Input should
    be ...`; a rule between settings (no field of its own) is its own sentence, without pydantic's
    "Value error, " prefix."""
    first = error.errors()[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{str(first['loc'][0]).upper()}: {message}" if first["loc"] else message
