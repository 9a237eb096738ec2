"""Personal data on disk is its owner's alone, whatever the umask: the SQLite database and its WAL
files, evidence, the terminal's letters and exports, and backups are 0600 in 0700 folders; an older
installation's looser modes are tightened on start."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_builders import make_settings, sample_file, seed_user_with_case

from bot.cli.main import main
from bot.settings import get_settings
from bot.storage.repository import Repository
from bot.terminal import TerminalChat
from flows.conversations.types import Document, Reply


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """022, the usual default, under which files were 0644 and folders 0755."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_database_and_the_evidence_are_private(tmp_path: Path) -> None:
    database = tmp_path / "new folder" / "fairsay.sqlite3"
    repo = Repository.open(make_settings(f"sqlite:///{database}", tmp_path))
    try:
        _, case_id = seed_user_with_case(repo, 101)
        with repo.unit_of_work() as uow:
            stored = uow.store_evidence(case_id, sample_file("pdf", b"a letter"), "letter.pdf")
        evidence = repo.evidence.path_of(stored.stored_path)
        assert {
            "database folder": mode(database.parent),
            "database": mode(database),
            "write-ahead log": mode(database.with_name("fairsay.sqlite3-wal")),
            "shared memory": mode(database.with_name("fairsay.sqlite3-shm")),
            "evidence folder": mode(repo.evidence.root),
            "evidence subfolder": mode(evidence.parent),
            "evidence file": mode(evidence),
        } == {
            "database folder": 0o700,
            "database": 0o600,
            "write-ahead log": 0o600,
            "shared memory": 0o600,
            "evidence folder": 0o700,
            "evidence subfolder": 0o700,
            "evidence file": 0o600,
        }
    finally:
        repo.close()


def test_an_older_installation_is_tightened_on_start(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'data' / 'fairsay.sqlite3'}", tmp_path)
    Repository.open(settings).close()
    database = tmp_path / "data" / "fairsay.sqlite3"
    database.chmod(0o644)
    settings.evidence_dir.chmod(0o755)
    database.parent.chmod(0o755)  # a folder the operator chose: theirs to set

    Repository.open(settings).close()
    assert (mode(database), mode(settings.evidence_dir), mode(database.parent)) == (0o600, 0o700, 0o755)


def test_letters_and_exports_saved_by_the_terminal_chat_are_private(tmp_path: Path) -> None:
    files = tmp_path / "files"
    chat = TerminalChat(None, io.StringIO(), files)  # type: ignore[arg-type]  # showing needs no service
    old = files / "export.zip"
    files.mkdir(mode=0o755)
    old.write_bytes(b"an earlier export")
    old.chmod(0o644)
    chat.show(
        [Reply("Your letter", document=Document("complaint-stage1.pdf", b"%PDF-1.7", "application/pdf"))]
    )
    chat.show([Reply("Your data", document=Document("export.zip", b"PK new", "application/zip"))])
    assert (mode(files), mode(files / "complaint-stage1.pdf"), mode(old)) == (0o700, 0o600, 0o600)
    assert old.read_bytes() == b"PK new"


def test_a_backup_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'fairsay.sqlite3'}"
    Repository.open(make_settings(url, tmp_path)).close()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # no .env here
    backup = tmp_path / "backup.sqlite3"
    get_settings.cache_clear()
    try:
        assert main(["db", "backup", str(backup)]) == 0
    finally:
        get_settings.cache_clear()
    assert mode(backup) == 0o600
