"""Start-up problems give one clear line naming DATABASE_URL (never a traceback, never a password):
a malformed URL, an unsupported database, an unreachable PostgreSQL, a damaged or locked SQLite file.
`fairsay db upgrade` prints that line and exits 2."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from storage_builders import make_settings

from bot.cli.main import main
from bot.settings import default_database_url, get_settings
from bot.storage.db import make_engine, open_database, parse_database_url, upgrade
from bot.storage.errors import StorageError

ROOT = Path(__file__).resolve().parents[3]


def closed_port() -> int:
    """A local port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_error(url: str, tmp_path: Path) -> str:
    with pytest.raises(StorageError) as raised:
        open_database(make_settings(url, tmp_path)).dispose()
    message = str(raised.value)
    assert message.startswith("DATABASE_URL")
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("garbage", "DATABASE_URL is not a database URL (expected sqlite:///PATH or postgresql://"),
        ("mysql://root:hunter2@db/fairsay", "DATABASE_URL: unsupported database 'mysql'"),
        ("postgresql+psycopg2://u@h/d", "DATABASE_URL: PostgreSQL driver 'psycopg2' is not supported"),
        ("sqlite://", "DATABASE_URL: an in-memory SQLite database forgets everything"),
    ],
)
def test_a_wrong_url_is_named_and_its_password_is_not(url: str, expected: str, tmp_path: Path) -> None:
    message = start_error(url, tmp_path)
    assert message.startswith(expected)
    assert "hunter2" not in message


def test_an_empty_url_means_the_embedded_default(tmp_path: Path) -> None:
    """Empty means unset, for every setting (issue 25): not "not a database URL"."""
    assert make_settings("", tmp_path).database_url == default_database_url()


def test_postgres_urls_use_psycopg_3() -> None:
    assert parse_database_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert parse_database_url("postgres://u@h/d").drivername == "postgresql+psycopg"


def test_unreachable_postgresql(tmp_path: Path) -> None:
    port = closed_port()
    message = start_error(f"postgresql://fairsay:hunter2@127.0.0.1:{port}/fairsay", tmp_path)
    assert message.startswith(f"DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:{port}/fairsay: ")
    assert "refused" in message.lower()
    assert "hunter2" not in message


def test_a_text_file_is_not_an_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("These are my notes, not a database.\n" * 20)
    message = start_error(f"sqlite:///{path}", tmp_path)
    assert (
        message == f"DATABASE_URL: {path} is not a usable SQLite database (damaged, or another kind of file)"
    )
    assert path.read_text().startswith("These are my notes")  # left as it was


def test_a_locked_sqlite_database(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program in the middle of writing
    engine = make_engine(sqlite_url, sqlite_busy_timeout_ms=50)
    try:
        with pytest.raises(StorageError) as raised:
            upgrade(engine)
        assert str(raised.value) == f"DATABASE_URL: the SQLite database {path} is locked by another program"
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    message = start_error(f"sqlite:///{blocker}/sub/fairsay.sqlite3", tmp_path)
    assert message.startswith(f"DATABASE_URL: cannot create the folder {blocker}/sub")


@pytest.fixture
def fairsay_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `fairsay db ACTION` in this process with DATABASE_URL set: (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no .env here

    def run(action: str, url: str) -> tuple[int, str, str]:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            status = main(["db", action])
        finally:
            get_settings.cache_clear()
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_cli_upgrade_exits_2_with_one_line(fairsay_db: Any, tmp_path: Path) -> None:
    text_file = tmp_path / "text.sqlite3"
    text_file.write_text("not a database\n" * 20)
    for url, expected in [
        ("garbage", "fairsay db upgrade: DATABASE_URL is not a database URL"),
        (
            f"postgresql://u@127.0.0.1:{closed_port()}/d",
            "fairsay db upgrade: DATABASE_URL: cannot use PostgreSQL",
        ),
        (
            f"sqlite:///{text_file}",
            f"fairsay db upgrade: DATABASE_URL: {text_file} is not a usable SQLite database",
        ),
    ]:
        status, out, err = fairsay_db("upgrade", url)
        assert status == 2
        assert err.startswith(expected)
        assert len(err.strip().splitlines()) == 1
        assert out == ""


def test_cli_error_has_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment |= {"DATABASE_URL": "postgres//typo:hunter2@db/x", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == "fairsay db upgrade: DATABASE_URL is not a database URL (expected sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE)\n"
    )


def test_cli_upgrade_then_current(fairsay_db: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    status, out, _ = fairsay_db("current", url)
    assert status == 0
    assert out.startswith("revision none (empty database); this version needs ")
    assert "behind: run `fairsay db upgrade`" in out

    status, out, _ = fairsay_db("upgrade", url)
    assert status == 0
    assert out.startswith("upgraded from an empty database to revision ")

    assert fairsay_db("upgrade", url)[1].startswith("already at revision ")
    assert fairsay_db("current", url)[1].strip().endswith(": up to date")
