"""`fairsay db`: the database's migrations from the command line.

fairsay db upgrade     bring the database at DATABASE_URL up to this version's schema
fairsay db current     show its revision and whether it is up to date
fairsay db purge       delete cases closed more than RETENTION_MONTHS ago (the bot also does it daily)
fairsay db repair     finish erasures SQLite ran without foreign keys (start-up does it too)
fairsay db backup FILE copy the SQLite database while it runs (PostgreSQL: pg_dump)

Problems (a bad URL, an unreachable server, a damaged file) print one line and exit with status 2.
The database modules are imported only when a `db` command runs, so other commands stay quick.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from bot.cli.command_line import add_actions, add_command, count, setting_problem

EXIT_STORAGE_ERROR = 2


def add_db_commands(commands: argparse._SubParsersAction[Any]) -> None:
    db = add_command(
        commands,
        "db",
        "the database: upgrade, current (its revision), purge, repair, backup",
        database=True,
    )
    actions = add_actions(db, "db_action")
    add_command(actions, "upgrade", "apply the migrations this version needs", cmd_db_upgrade)
    add_command(
        actions, "current", "show the database's revision and the one this version needs", cmd_db_current
    )
    add_command(
        actions,
        "purge",
        "delete cases closed more than RETENTION_MONTHS ago (the bot also does it daily)",
        cmd_db_purge,
    )
    add_command(
        actions,
        "repair",
        "remove what deleted people and cases left behind (SQLite, foreign keys once off)",
        cmd_db_repair,
    )
    backup = add_command(
        actions,
        "backup",
        "copy the SQLite database, consistently, while it runs (PostgreSQL: pg_dump)",
        cmd_db_backup,
    )
    backup.add_argument("target", metavar="FILE", help="where to write the copy (a new file)")


def cmd_db_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from bot.storage import db

    def run() -> str:
        engine = db.make_engine(_database_url())
        try:
            with db.storage_errors(engine.url):
                before = db.current_revision(engine)
                db.upgrade(engine)
                after = db.current_revision(engine)
        finally:
            engine.dispose()
        if before == after:
            return f"already at revision {after}"
        return f"upgraded from {before or 'an empty database'} to revision {after}"

    return _report(args, out, run)


def cmd_db_purge(args: argparse.Namespace, out: TextIO) -> int:
    from bot.settings import get_settings
    from bot.storage.repository import Repository

    def run() -> str:
        settings = get_settings()
        if settings.retention_months is None:
            return "RETENTION_MONTHS is not set: nothing is deleted"
        repository = Repository.open(settings)
        try:
            purged = repository.purge_closed_cases(settings.retention_months)
        finally:
            repository.close()
        months = count(settings.retention_months, "month")
        return f"{count(purged, 'closed case')} older than {months} deleted"

    return _report(args, out, run)


def cmd_db_repair(args: argparse.Namespace, out: TextIO) -> int:
    from bot.settings import get_settings
    from bot.storage.repository import Repository

    def run() -> str:
        # Opening repairs (so a start after an operator's restart is never refused); say what it did.
        repository = Repository.open(get_settings())
        repository.close()
        return repository.repaired_on_open.summary()

    return _report(args, out, run)


def cmd_db_backup(args: argparse.Namespace, out: TextIO) -> int:
    import os
    import sqlite3
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from bot.storage.errors import StorageError
    from bot.storage.private_files import PRIVATE_FILE

    def run() -> str:
        url = make_url(_database_url())
        if url.get_backend_name() != "sqlite" or not url.database:
            raise StorageError(
                "DATABASE_URL is PostgreSQL: back it up with pg_dump (see the README's Deploying section)"
            )
        source_path = Path(url.database)
        if not source_path.is_file():  # read-only: a mistyped path is not made into an empty database
            raise StorageError(f"DATABASE_URL: there is no database at {source_path}")
        target = Path(args.target)
        try:
            source = sqlite3.connect(f"{source_path.absolute().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise StorageError(f"DATABASE_URL: cannot read {source_path}: {error}") from None
        try:
            # A copy of everyone's data: a new file (never one already there, nor a link's target),
            # 0600 before a byte is in it.
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
            except FileExistsError:
                raise StorageError(f"{target} already exists: choose a new file") from None
            except OSError as error:
                raise StorageError(f"cannot write {target}: {error.strerror}") from None
            try:
                copy = sqlite3.connect(target)
                try:
                    with copy:
                        source.backup(copy)  # SQLite's online backup: consistent while the bot writes
                finally:
                    copy.close()
            except sqlite3.Error as error:
                target.unlink(missing_ok=True)  # no half a backup left to be mistaken for one
                raise StorageError(f"cannot back up to {target}: {error}") from None
        finally:
            source.close()
        return f"backed up to {target}"

    return _report(args, out, run)


def cmd_db_current(args: argparse.Namespace, out: TextIO) -> int:
    from bot.storage import db

    def run() -> str:
        engine = db.make_engine(_database_url())
        try:
            with db.storage_errors(engine.url):
                current = db.current_revision(engine)
        finally:
            engine.dispose()
        head = db.head_revision()
        status = "up to date" if current == head else "behind: run `fairsay db upgrade`"
        return f"revision {current or 'none (empty database)'}; this version needs {head}: {status}"

    return _report(args, out, run)


def _database_url() -> str:
    from bot.settings import get_settings

    return get_settings().database_url


def _report(args: argparse.Namespace, out: TextIO, run: Callable[[], str]) -> int:
    import sys

    from pydantic import ValidationError

    from bot.storage.errors import StorageError

    try:
        print(run(), file=out)
    except StorageError as error:
        print(f"fairsay db {args.db_action}: {error}", file=sys.stderr)
        return EXIT_STORAGE_ERROR
    except ValidationError as error:
        print(f"fairsay db {args.db_action}: {setting_problem(error)}", file=sys.stderr)
        return EXIT_STORAGE_ERROR
    return 0
