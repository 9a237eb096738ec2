"""A person's data: export (one zip with data.json and their files), deletion (nothing left that
points at them, files gone unless another case shares them, one audit entry that names no one),
and the retention purge of closed cases."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from storage_builders import ev, sample_file, seed_user_with_case

from bot.storage.errors import NotFound
from bot.storage.models import AuditEntryRow, CaseEventRow, CaseRow, UserRow, metadata
from bot.storage.privacy import months_before
from bot.storage.records import AdvocateScope, EventSource
from bot.storage.repository import Repository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def count(repo: Repository, statement: Any) -> int:
    with Session(repo.engine) as session:
        return int(session.execute(statement).scalar_one())


def files_on_disk(repo: Repository) -> set[str]:
    return {path.name for path in repo.evidence.root.rglob("*") if path.is_file()}


def references_to_user(repo: Repository, user_id: int) -> dict[str, int]:
    """Every column that points at users.id, and how many rows there still point at this user."""
    found = {}
    for table in metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            if foreign_key.column.table.name == "users":
                column = foreign_key.parent
                found[f"{table.name}.{column.name}"] = count(
                    repo, select(func.count()).select_from(table).where(column == user_id)
                )
    return found


class TwoResidents:
    """Ann (to be exported or deleted) and Bob, whose data must come through untouched. Ann shares
    one photo with Bob's case, advocates on Bob's case, and recorded an event on it."""

    def __init__(self, repo: Repository) -> None:
        self.ann, self.ann_case = seed_user_with_case(repo, 111, (ev("2024-05-01", "complaint_made"),))
        self.bob, self.bob_case = seed_user_with_case(repo, 222, (ev("2024-02-01", "complaint_made"),))
        self.shared_photo = sample_file("jpg", b"the stairwell")
        self.ann_letter = sample_file("pdf", b"Ann's stage 1 letter")
        with repo.unit_of_work() as uow:
            conversation = uow.conversation(self.ann)
            conversation.case_id = self.ann_case
            conversation.answers = {"landlord": "Westlea", "phone": "07700 900123"}
            uow.save_conversation(conversation)
            uow.store_evidence(self.ann_case, self.shared_photo, "stairs.jpg", by_user_id=self.ann)
            uow.store_evidence(self.ann_case, self.ann_letter, "letter.pdf", by_user_id=self.ann)
            uow.store_evidence(self.bob_case, self.shared_photo, "stairs.jpg", by_user_id=self.bob)
            uow.schedule_reminder(self.ann, "deadline_near", NOW, "ann:1", case_id=self.ann_case)
            uow.schedule_reminder(self.bob, "deadline_near", NOW, "bob:1", case_id=self.bob_case)
            uow.access.link(self.bob_case, self.ann, AdvocateScope.ACT)
            uow.append_event(self.bob_case, ev("2024-02-05", "acknowledged"), EventSource.ADVOCATE, self.ann)


def test_export_is_one_zip_with_everything_held_about_the_user(repo: Repository) -> None:
    people = TwoResidents(repo)
    archive = zipfile.ZipFile(io.BytesIO(repo.export_user(people.ann)))
    data = json.loads(archive.read("data.json"))

    assert data["format"] == "fairsay-export-1"
    assert data["user"]["id"] == people.ann and data["user"]["telegram_id"] == 111
    assert data["conversation"]["answers"] == {"landlord": "Westlea", "phone": "07700 900123"}
    [case] = data["cases"]
    assert case["id"] == people.ann_case and case["details"] == {"name": "Ann Example"}
    assert [event["kind"] for event in case["events"]] == ["complaint_made"]
    assert {item["original_name"] for item in case["evidence"]} == {"stairs.jpg", "letter.pdf"}
    assert [reminder["dedupe_key"] for reminder in data["reminders"]] == ["ann:1"]
    assert [link["case_id"] for link in data["advocate_for"]] == [people.bob_case]
    assert {entry["action"] for entry in data["audit_log"]} >= {
        "case_created",
        "evidence_stored",
        "event_recorded",
    }

    files = {item["file_in_this_zip"]: item for item in case["evidence"]}
    assert set(archive.namelist()) == {"data.json", *files}
    assert {archive.read(name) for name in files} == {people.shared_photo, people.ann_letter}
    assert all(name.endswith((".jpg", ".pdf")) for name in files)
    assert str(people.bob_case) not in [str(c["id"]) for c in data["cases"]]  # Bob's case is his
    assert (
        count(
            repo,
            select(func.count()).select_from(AuditEntryRow).where(AuditEntryRow.action == "user_exported"),
        )
        == 1
    )


def test_deleting_a_user_leaves_nothing_that_points_at_them(repo: Repository) -> None:
    people = TwoResidents(repo)
    bob_before = repo.export_user(people.bob)
    repo.delete_user(people.ann)

    assert set(references_to_user(repo, people.ann).values()) == {0}
    assert count(repo, select(func.count()).select_from(UserRow).where(UserRow.id == people.ann)) == 0
    assert count(repo, select(func.count()).select_from(CaseRow).where(CaseRow.id == people.ann_case)) == 0
    # Ann's letter is gone from disk; the photo stays because Bob's case holds it too.
    assert files_on_disk(repo) == {hashlib.sha256(people.shared_photo).hexdigest()}

    # Bob's case is whole: his evidence, his reminder, and the event Ann recorded (now by nobody).
    with repo.unit_of_work() as uow:
        assert [e.kind.value for e in uow.load_case(people.bob_case).events] == [
            "complaint_made",
            "acknowledged",
        ]
        assert len(uow.evidence_of(people.bob_case)) == 1
        recorded_by = uow.session.exec(
            select(CaseEventRow.recorded_by_user_id).where(CaseEventRow.case_id == people.bob_case)
        ).all()
    assert sorted(recorded_by, key=str) == sorted([people.bob, None], key=str)
    bob_after = json.loads(zipfile.ZipFile(io.BytesIO(repo.export_user(people.bob))).read("data.json"))
    bob_before_data = json.loads(zipfile.ZipFile(io.BytesIO(bob_before)).read("data.json"))
    assert bob_after["cases"][0]["evidence"] == bob_before_data["cases"][0]["evidence"]
    assert bob_after["reminders"] == bob_before_data["reminders"]


def test_deleting_leaves_one_audit_entry_with_no_personal_content(repo: Repository) -> None:
    people = TwoResidents(repo)
    repo.delete_user(people.ann)
    with Session(repo.engine) as session:
        entries = session.exec(select(AuditEntryRow)).all()
    [deleted] = [entry for entry in entries if entry.action == "user_deleted"]
    assert (deleted.actor_user_id, deleted.case_id, deleted.detail) == (None, None, {"cases": 1})
    everything_audited = json.dumps([(entry.action, entry.detail) for entry in entries])
    for personal in ("Ann", "Westlea", "07700", "stairs", "letter", "damp", "111"):
        assert personal not in everything_audited
    assert all(entry.actor_user_id != people.ann for entry in entries)


def test_an_operator_deleting_for_someone_is_named(repo: Repository) -> None:
    people = TwoResidents(repo)
    repo.delete_user(people.ann, by_user_id=people.bob)
    with Session(repo.engine) as session:
        actor = session.exec(
            select(AuditEntryRow.actor_user_id).where(AuditEntryRow.action == "user_deleted")
        ).one()
    assert actor == people.bob
    with pytest.raises(NotFound):
        repo.delete_user(people.ann)
    with pytest.raises(NotFound):
        repo.export_user(people.ann)


def close_case(repo: Repository, case_id: int, closed_at: datetime) -> None:
    with repo.unit_of_work() as uow:
        row = uow.session.get(CaseRow, case_id)
        assert row is not None
        row.closed_at = closed_at


def test_the_retention_purge_deletes_cases_closed_long_enough_ago(repo: Repository) -> None:
    people = TwoResidents(repo)
    _, recent = seed_user_with_case(repo, 333)
    _, still_open = seed_user_with_case(repo, 444)
    close_case(repo, people.ann_case, NOW - timedelta(days=2 * 365 + 10))
    close_case(repo, people.bob_case, NOW - timedelta(days=2 * 365 + 10))
    close_case(repo, recent, NOW - timedelta(days=700))

    assert repo.purge_closed_cases(24, NOW) == 2
    with Session(repo.engine) as session:
        left = set(session.exec(select(CaseRow.id)))
        purge_entries = session.exec(
            select(AuditEntryRow.detail).where(AuditEntryRow.action == "cases_purged")
        ).all()
    assert left == {recent, still_open}
    assert files_on_disk(repo) == set()  # nobody else held those files
    assert purge_entries == [{"cases": 2, "months": 24}]
    assert repo.purge_closed_cases(24, NOW) == 0  # the users themselves stay
    assert count(repo, select(func.count()).select_from(UserRow)) == 4


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 12, tzinfo=UTC), 1, datetime(2026, 2, 28, 12, tzinfo=UTC)),
        (datetime(2024, 3, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 24, datetime(2024, 1, 15, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(moment: datetime, months: int, expected: datetime) -> None:
    assert months_before(moment, months) == expected


def test_export_needs_the_files_on_disk(repo: Repository, tmp_path: Path) -> None:
    """A missing evidence file is a real problem (EVIDENCE_DIR not shared?), so export says so."""
    people = TwoResidents(repo)
    for path in repo.evidence.root.rglob("*"):
        if path.is_file():
            path.unlink()
    with pytest.raises(FileNotFoundError):
        repo.export_user(people.ann)


def test_fairsay_db_purge_uses_retention_months(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "EVIDENCE_DIR": str(tmp_path / "e"),
    }
    env.pop("RETENTION_MONTHS", None)
    unset = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "purge"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert unset.returncode == 0 and "RETENTION_MONTHS is not set" in unset.stdout
    env["RETENTION_MONTHS"] = "6"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "purge"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "0 closed cases older than 6 months deleted" in done.stdout
