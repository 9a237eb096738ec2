"""Migrations: up from empty, down one step, up again; the models and the migrations agree; SQLite
upgrades itself on start while PostgreSQL asks for `fairsay db upgrade`; the migrations ship."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from storage_builders import make_settings

from bot.storage.db import (
    MIGRATIONS_DIR,
    current_revision,
    downgrade,
    head_revision,
    is_current,
    make_engine,
    open_database,
    upgrade,
)
from bot.storage.errors import StorageError
from bot.storage.models import metadata

ROOT = Path(__file__).resolve().parents[3]
TABLES = {
    "users",
    "landlords",
    "cases",
    "case_events",
    "conversations",
    "reminders",
    "advocate_links",
    "evidence_files",
    "audit_log",
    "inbox",
    "outbox",
    "invites",
    "code_attempts",
    "submissions",
    "portal_sign_ins",
    "case_reply_addresses",
    "case_emails",
    "case_email_attachments",
    "case_email_sends",
    "case_clocks",
    "case_stages",
    "mail_send_tally",
}
MAIL_TABLES = {
    "case_reply_addresses",
    "case_emails",
    "case_email_attachments",
    "case_email_sends",
    "mail_send_tally",
}
CLOCK_TABLES = {"case_clocks", "case_stages"}  # kept clocks (issue 28)
TABLES_AT_8 = TABLES - MAIL_TABLES - CLOCK_TABLES
TABLES_AT_5 = TABLES_AT_8 - {"inbox", "outbox"} | {"processed_updates"}  # before the inbox replaced it


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_up_from_empty_down_one_step_and_up_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        assert not is_current(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert is_current(engine)
        assert table_names(database_url) == TABLES

        downgrade(engine)  # one step: the kept clocks (0013) go, and the columns on cases with them
        assert current_revision(engine) == "0012_mail_send_tally"
        assert table_names(database_url) == TABLES - CLOCK_TABLES
        assert not {"next_due", "clocks_stamp"} & {
            column["name"] for column in inspect(engine).get_columns("cases")
        }

        downgrade(engine)  # 0012 took the limits' tally away
        assert current_revision(engine) == "0011_case_mail_outbound"
        assert table_names(database_url) == TABLES - CLOCK_TABLES - {"mail_send_tally"}

        downgrade(engine)  # 0011 took the sending of complaints emailed for residents away
        assert current_revision(engine) == "0010_case_mail"
        assert table_names(database_url) == TABLES - CLOCK_TABLES - {"case_email_sends", "mail_send_tally"}

        downgrade(engine)  # 0010 took the case mail tables away
        assert current_revision(engine) == "0009_one_name_per_concept"
        assert table_names(database_url) == TABLES_AT_8

        downgrade(engine)  # 0009 gave the letters' answer keys their old names
        assert current_revision(engine) == "0008_event_corrections"
        assert table_names(database_url) == TABLES_AT_8

        downgrade(engine)  # 0008 took case_events.replaces (corrections) away
        assert current_revision(engine) == "0007"
        assert "replaces" not in {column["name"] for column in inspect(engine).get_columns("case_events")}

        downgrade(engine)  # 0007 only moved conversations off removed steps
        assert current_revision(engine) == "0006"
        assert table_names(database_url) == TABLES_AT_8

        downgrade(engine)  # the inbox and outbox give way to processed_updates again
        assert current_revision(engine) == "0005"
        assert table_names(database_url) == TABLES_AT_5

        downgrade(engine)  # the portal's sign-ins go
        assert current_revision(engine) == "0004"
        assert table_names(database_url) == TABLES_AT_5 - {"portal_sign_ins"}

        downgrade(engine)  # and advocates' and landlords' tables
        assert current_revision(engine) == "0003"
        assert table_names(database_url) == TABLES_AT_5 - {
            "portal_sign_ins",
            "invites",
            "code_attempts",
            "submissions",
        }

        downgrade(engine)  # and the processed-updates table
        assert current_revision(engine) == "0002"
        assert table_names(database_url) == TABLES_AT_5 - {
            "portal_sign_ins",
            "invites",
            "code_attempts",
            "submissions",
            "processed_updates",
        }

        downgrade(engine)  # and another: 0002 took users.profile away again
        assert current_revision(engine) == "0001"
        assert "profile" not in {column["name"] for column in inspect(engine).get_columns("users")}

        downgrade(engine, "base")  # and all the way back to empty
        assert current_revision(engine) is None
        assert table_names(database_url) == set()

        upgrade(engine)
        assert is_current(engine)
        assert table_names(database_url) == TABLES
        assert "profile" in {column["name"] for column in inspect(engine).get_columns("users")}
    finally:
        engine.dispose()


def test_the_inbox_index_is_partial_on_both_databases(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        indexes = {index["name"]: index for index in inspect(engine).get_indexes("cases")}
        by_due = indexes["ix_cases_open_by_due"]
        assert by_due["column_names"] == ["landlord_id", "next_due", "public_ref"]
        where = by_due.get("dialect_options", {})
        assert any("closed_at IS NULL" in str(value) for value in where.values())
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    """What autogenerate would write after the migrations run: nothing."""
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_the_due_index_is_partial_on_both_databases(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        indexes = {index["name"]: index for index in inspect(engine).get_indexes("reminders")}
        due = indexes["ix_reminders_due"]
        assert due["column_names"] == ["due_at"]
        where = due.get("dialect_options", {})
        assert any("sent_at IS NULL" in str(value) for value in where.values())
    finally:
        engine.dispose()


def test_sqlite_is_upgraded_on_open(sqlite_url: str, tmp_path: Path) -> None:
    engine = open_database(make_settings(sqlite_url, tmp_path))
    try:
        assert is_current(engine)
    finally:
        engine.dispose()


def test_postgresql_is_not_upgraded_on_open_but_says_how(postgres_url: str, tmp_path: Path) -> None:
    with pytest.raises(StorageError) as raised:
        open_database(make_settings(postgres_url, tmp_path))
    assert str(raised.value).startswith("DATABASE_URL: the PostgreSQL database has no Fair Say tables yet")
    assert "fairsay db upgrade" in str(raised.value)
    upgrade(postgres_url)
    open_database(make_settings(postgres_url, tmp_path)).dispose()


def test_a_database_from_a_newer_version_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00d'")
    engine.dispose()
    with pytest.raises(StorageError, match="revision 'f00d', which this version of Fair Say does not know"):
        open_database(make_settings(sqlite_url, tmp_path))


def test_sqlite_connections_enforce_foreign_keys_after_migrating(sqlite_url: str) -> None:
    """Migrations turn foreign keys off for SQLite's table rebuilds; the pool must get them back on."""
    engine = make_engine(sqlite_url)
    try:
        upgrade(engine)
        downgrade(engine)
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_the_migrations_ship_in_the_installed_package() -> None:
    """Every file Alembic needs at run time is package data or a module of an included package."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["bot.storage"]
    needed = [p for p in MIGRATIONS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert {p.name for p in needed} >= {"env.py", "script.py.mako", "0001_initial_schema.py"}
    relative = [p.relative_to(MIGRATIONS_DIR.parent).as_posix() for p in needed]
    assert [path for path in relative if not any(fnmatch(path, pattern) for pattern in patterns)] == []


def test_every_connection_enforces_foreign_keys_after_reopening_an_up_to_date_database(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The second start finds nothing to migrate; its pool must still hand out only connections with
    foreign keys on (the migration's connection was once returned to the pool with them off)."""
    settings = make_settings(sqlite_url, tmp_path)
    open_database(settings).dispose()
    engine = open_database(settings)  # up to date: nothing to migrate
    try:
        upgrade(engine)  # as `fairsay db upgrade` does when there is nothing to do
        connections = [engine.raw_connection() for _ in range(3)]  # held at once: three of the pool's
        enforced = [c.cursor().execute("PRAGMA foreign_keys").fetchone() for c in connections]
        assert enforced == [(1,), (1,), (1,)]
        for connection in connections:
            connection.close()
    finally:
        engine.dispose()


def test_a_pooled_connection_with_foreign_keys_off_is_put_right_before_use(sqlite_url: str) -> None:
    """Checked each time a connection leaves the pool, not once when it was made."""
    engine = make_engine(sqlite_url)
    try:
        connection = engine.raw_connection()
        connection.cursor().execute("PRAGMA foreign_keys=OFF")
        connection.close()  # back to the pool, foreign keys off
        again = engine.raw_connection()
        assert again.cursor().execute("PRAGMA foreign_keys").fetchone() == (1,)
        again.close()
    finally:
        engine.dispose()


def test_the_migrations_have_one_head() -> None:
    """Two branches each adding a migration on the same parent make two heads: `upgrade` would refuse."""
    from alembic.script import ScriptDirectory

    from bot.storage.db import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
