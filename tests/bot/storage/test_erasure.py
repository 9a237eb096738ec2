"""Deleted means deleted, after a restart too: a database reopened when it is already up to date (the
path every restart takes) erases a resident (`/delete`), a landlord's staff member, and cases past
retention; afterwards no table and no evidence file holds anything of theirs, and nobody else's data
has changed. An installation where erasures ran without foreign keys recovers on its next start.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import Session
from starlette.testclient import TestClient
from storage_builders import sample_file
from support.databases import make_settings
from support.landlords import add_landlord

from bot.services.landlord_desk import act, deliver
from bot.settings import Settings
from bot.storage.access import CodeKind
from bot.storage.db import broken_references, make_engine, upgrade
from bot.storage.models import AuditEntryRow, CaseEventRow, CaseRow, metadata
from bot.storage.records import AdvocateScope, EventSource
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from flows.case import CaseEvent, EventKind
from flows.landlord_actions import ActionKind, LandlordAction

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Person:
    """Someone's data, every piece of it recognisable by a word no one else's data holds."""

    telegram_id: int
    name: str
    street: str
    email: str
    tenancy_ref: str
    happened: str
    said: str  # typed into the conversation

    @property
    def words(self) -> list[str]:
        return [self.name, self.street, self.email, self.tenancy_ref, self.happened, self.said]


ANN = Person(
    1001, "Ann Quellwater", "7 Larkspur Row", "ann.q@example.org", "TR-ANN-4471",
    "Ann's ceiling collapsed", "Ann says the damp is back",
)  # fmt: skip
BOB = Person(
    1002, "Bob Marrowfield", "9 Thistle Court", "bob.m@example.org", "TR-BOB-8812",
    "Bob's boiler broke", "Bob says it is cold",
)  # fmt: skip
CID = Person(
    1003, "Cid Harrowgate", "3 Sorrel Lane", "cid.h@example.org", "TR-CID-1290",
    "Cid's windows leak", "Cid says it rains inside",
)  # fmt: skip
LEE_NAME = "Lee Ostrander (complaints team)"
LEE_STAFF = 2001


@dataclass
class People:
    ann: int
    ann_case: int
    bob: int
    bob_case: int
    cid: int
    cid_case: int
    lee: int
    files: dict[str, bytes]  # whose -> the bytes of one of their files (Ann has three)


def resident(repo: Repository, person: Person, landlord_id: int, files: list[bytes]) -> tuple[int, int]:
    """A resident whose complaint went to the landlord, with evidence, reminders and a conversation."""
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(person.telegram_id)
        uow.update_profile(
            user.id,
            {
                "full_name": person.name,
                "address": person.street,
                "tenancy_ref": person.tenancy_ref,
                "contact": "email",
                "contact_detail": person.email,
            },
        )
        ref = uow.create_case(
            user.id,
            landlord_name="Westlea Housing",
            landlord_type="housing_association",
            subject="damp_mould",
            details={"what_happened": person.happened, "name": person.name},
            landlord_id=landlord_id,
        )
        case = uow.case_by_ref(ref)
        assert case is not None
        uow.append_event(
            case.id,
            CaseEvent(NOW.date() - timedelta(days=1), EventKind.COMPLAINT_MADE),
            EventSource.RESIDENT,
            user.id,
        )
        deliver(uow, case.id, 1, NOW)
        for number, data in enumerate(files):
            uow.store_evidence(case.id, data, f"{person.name} {number}.pdf", by_user_id=user.id)
        uow.schedule_reminder(
            user.id, "deadline_near", NOW + timedelta(days=3), f"{ref}:near", case_id=case.id
        )
        conversation = uow.conversation(user.id)
        conversation.case_id = case.id
        conversation.answers = {"said": person.said, "full_name": person.name}
        uow.save_conversation(conversation)
    return user.id, case.id


def seed(repo: Repository) -> People:
    landlord_id = add_landlord(repo, staff_telegram_id=LEE_STAFF)
    ann_files = [sample_file("pdf", b"ann-1"), sample_file("jpg", b"ann-2"), sample_file("png", b"ann-3")]
    bob_file, cid_file = sample_file("pdf", b"bob-1"), sample_file("pdf", b"cid-1")
    ann, ann_case = resident(repo, ANN, landlord_id, ann_files)
    bob, bob_case = resident(repo, BOB, landlord_id, [bob_file])
    cid, cid_case = resident(repo, CID, landlord_id, [cid_file])
    with repo.unit_of_work() as uow:
        lee = uow.user_by_telegram_id(LEE_STAFF).id
        uow.set_display_name(lee, LEE_NAME)
        # Ann helps Bob, and recorded his landlord's acknowledgement on his case.
        uow.access.link(bob_case, ann, AdvocateScope.ACT)
        uow.append_event(bob_case, CaseEvent(NOW.date(), EventKind.ACKNOWLEDGED), EventSource.ADVOCATE, ann)
        # Lee, for the landlord: acknowledges Ann's complaint, extends Bob's, invites a colleague, signs in.
        for case_id in (ann_case, bob_case):
            ref = uow.case_summary(case_id).public_ref
            if case_id == ann_case:
                action = LandlordAction(ActionKind.ACKNOWLEDGE, NOW.date())
            else:
                action = LandlordAction(
                    ActionKind.EXTEND, NOW.date(), NOW.date() + timedelta(days=20), "Waiting for a roofer"
                )
            assert act(uow, landlord_id, lee, ref, action, NOW).event is not None
        uow.access.create_code(CodeKind.STAFF, lee, landlord_id=landlord_id, scope="member")
        assert uow.sign_ins.new_link(lee, NOW) is not None
    return People(ann, ann_case, bob, bob_case, cid, cid_case, lee, {"ann": ann_files[0], "bob": bob_file})


def everything_stored(repo: Repository) -> str:
    """Every row of every table, as text."""
    with Session(repo.engine) as session:
        return json.dumps(
            {
                table.name: [list(map(str, row)) for row in session.execute(select(table)).all()]
                for table in metadata.sorted_tables
            },
            ensure_ascii=False,
        )


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def restart(settings: Settings) -> Repository:
    """What a restarted process does: open the (already up to date) database afresh."""
    return Repository.open(settings)


def retire_cid_case(repo: Repository, case_id: int) -> None:
    with repo.unit_of_work() as uow:
        row = uow.session.get(CaseRow, case_id)
        assert row is not None
        row.closed_at = NOW - timedelta(days=800)


def assert_nothing_left_of_ann_lee_and_cid_case(repo: Repository, people: People) -> None:
    stored = everything_stored(repo)
    for word in [*ANN.words, LEE_NAME, CID.happened, f"{CID.name} 0.pdf"]:
        assert word not in stored, word
    # Nobody else's data changed: Bob's case whole, with what Ann and Lee recorded on it (by nobody now).
    for word in [*BOB.words, "Waiting for a roofer", CID.name]:  # Cid is still a user; his case is gone
        assert word in stored, word
    with repo.unit_of_work() as uow:
        assert [event.kind for event in uow.load_case(people.bob_case).events] == [
            EventKind.COMPLAINT_MADE,
            EventKind.ACKNOWLEDGED,
            EventKind.STAGE1_EXTENSION,
        ]
        recorded_by = uow.session.execute(
            select(CaseEventRow.recorded_by_user_id)
            .where(CaseEventRow.case_id == people.bob_case)
            .order_by(CaseEventRow.position)
        ).scalars()
        assert list(recorded_by) == [people.bob, None, None]
        assert uow.session.get(CaseRow, people.cid_case) is None
    assert broken_references(repo.engine) == 0
    assert list(files_in(repo.evidence.root).values()) == [people.files["bob"]]


def test_after_a_restart_delete_purge_and_a_staff_deletion_leave_nothing(
    settings: Settings, database_url: str
) -> None:
    if database_url.startswith("postgresql"):
        upgrade(database_url)
    first = Repository.open(settings)
    people = seed(first)
    retire_cid_case(first, people.cid_case)
    first.close()

    repo = restart(settings)
    try:
        repo.delete_user(people.ann)  # /delete
        repo.delete_user(people.lee)  # a landlord's staff member's /delete
        assert repo.purge_closed_cases(24, NOW) == 1  # retention
        assert_nothing_left_of_ann_lee_and_cid_case(repo, people)
    finally:
        repo.close()


def test_an_installation_whose_erasures_ran_without_cascades_recovers_on_start(
    sqlite_url: str, tmp_path: Path
) -> None:
    """What the bug left: the users' and the expired case's rows gone, all that hung from them still
    there. The next start refused ("the migration left N broken references") while the health check
    passed; now the health check fails and the start completes the erasures, touching nobody else."""
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    repo.close()
    database = sqlite3.connect(str(make_engine(sqlite_url).url.database))  # foreign keys off by default
    with database:
        database.execute("DELETE FROM users WHERE id IN (?, ?)", (people.ann, people.lee))
        database.execute("DELETE FROM cases WHERE id = ?", (people.cid_case,))
    database.close()

    env = {**os.environ, "DATABASE_URL": sqlite_url, "EVIDENCE_DIR": str(settings.evidence_dir)}
    health = fairsay("health", env=env)
    assert health.returncode == 1 and "broken references: run `fairsay db repair`" in health.stdout
    engine = make_engine(sqlite_url)
    with TestClient(create_web_app(settings, Repository(engine, repo.evidence))) as client:
        ready = client.get("/readyz")
    engine.dispose()
    assert ready.status_code == 503 and "broken references" in ready.json()["database"]

    repaired = fairsay("db", "repair", env=env)
    assert repaired.returncode == 0, repaired.stderr
    assert "removed what deleted people and cases left" in repaired.stdout
    assert "4 evidence files" in repaired.stdout  # Ann's three and Cid's one
    assert fairsay("health", env=env).stdout.strip() == "ok"

    repo = restart(settings)
    try:
        assert_nothing_left_of_ann_lee_and_cid_case(repo, people)
        with Session(repo.engine) as session:
            [detail] = session.execute(
                select(AuditEntryRow.detail).where(AuditEntryRow.action == "erasures_completed")
            ).scalars()
        assert detail["removed"]["cases"] == 1 and detail["removed"]["evidence_files"] == 4
        assert detail["blanked"]["case_events"] == 2  # what Ann and Lee recorded on Bob's case
        assert not repo.repaired_on_open  # done once
    finally:
        repo.close()


def test_the_start_up_path_repairs_without_being_asked(sqlite_url: str, tmp_path: Path) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    repo.close()
    with sqlite3.connect(str(make_engine(sqlite_url).url.database)) as database:
        database.execute("DELETE FROM users WHERE id IN (?, ?)", (people.ann, people.lee))
        database.execute("DELETE FROM cases WHERE id = ?", (people.cid_case,))
    repo = restart(settings)  # used to refuse: "DATABASE_URL: the migration left 29 broken references"
    try:
        assert repo.repaired_on_open.removed["reminders"] >= 2
        assert repo.repaired_on_open.files_removed == 4
        assert_nothing_left_of_ann_lee_and_cid_case(repo, people)
    finally:
        repo.close()


def fairsay(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_stray_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "EVIDENCE_DIR", "RETENTION_MONTHS"):
        monkeypatch.delenv(name, raising=False)


def test_after_delete_not_a_byte_of_the_person_is_left_in_the_database_files(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Rows gone is not enough: SQLite leaves a deleted row's bytes in the page it was on (and in the
    WAL) until something overwrites them, where anyone with the file, or a backup of it, reads them."""
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    repo.close()

    repo = restart(settings)
    try:
        repo.delete_user(people.ann)
        on_disk = database_bytes(repo)
        backed_up = fairsay("db", "backup", str(tmp_path / "copy.db"), env={"DATABASE_URL": sqlite_url})
        assert backed_up.returncode == 0, backed_up.stderr
        backup = (tmp_path / "copy.db").read_bytes()
    finally:
        repo.close()
    for word in ANN.words:
        assert word.encode() not in on_disk, word
        assert word.encode() not in backup, word
    assert BOB.name.encode() in on_disk and BOB.name.encode() in backup  # the files are what was searched


def database_bytes(repo: Repository) -> bytes:
    """The SQLite database file and its WAL files, as they are on disk."""
    path = Path(str(repo.engine.url.database))
    return b"".join(file.read_bytes() for file in path.parent.iterdir() if file.name.startswith(path.name))


KILLED_AFTER_COMMIT = """
import os, signal, sys
from bot.settings import Settings
from bot.storage.repository import Repository
repo = Repository.open(Settings.from_values(database_url=sys.argv[1], evidence_dir=sys.argv[2]))
with repo.unit_of_work() as uow:  # what the chat service commits for /delete
    uow.delete_user(int(sys.argv[3]))
os.kill(os.getpid(), signal.SIGKILL)  # before the files go and the WAL is checkpointed
"""


@pytest.mark.parametrize("who", ["ann", "lee"])  # Lee has no evidence files: no file to remove
def test_delete_killed_right_after_its_commit_leaves_nothing_once_restarted(
    sqlite_url: str, tmp_path: Path, who: str
) -> None:
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    repo.close()
    user_id, words = (people.ann, ANN.words) if who == "ann" else (people.lee, [LEE_NAME])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_COMMIT, sqlite_url, str(settings.evidence_dir), str(user_id)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr

    repo = restart(settings)
    try:
        on_disk = database_bytes(repo)
        if who == "ann":
            assert repo.repaired_on_open.files_removed == 3
            assert_only_bob_and_cid_files_left(repo, people)
    finally:
        repo.close()
    for word in words:
        assert word.encode() not in on_disk, word


def test_files_of_an_erasure_cut_short_after_its_commit_go_on_the_next_start(
    sqlite_url: str, tmp_path: Path
) -> None:
    """/delete commits, then removes the files: a process killed in between (or a removal that failed)
    left the files on disk with nothing referring to them, for ever. The next start removes them, and
    the half-written upload a kill left behind, and nothing that a case still refers to."""
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    with repo.unit_of_work() as uow:  # what the chat service commits for /delete; then: kill -9
        uow.delete_user(people.ann)
    half_written = settings.evidence_dir / "ab" / ".incoming-x1y2z3"
    half_written.parent.mkdir(exist_ok=True)
    half_written.write_bytes(b"Ann Quellwater's photo, half")
    os.utime(half_written, (0, 0))  # from a crash long ago, not an upload under way now
    repo.close()

    repo = restart(settings)
    try:
        assert repo.repaired_on_open.files_removed == 4  # Ann's three, and the half-written one
        assert_only_bob_and_cid_files_left(repo, people)
    finally:
        repo.close()


def assert_only_bob_and_cid_files_left(repo: Repository, people: People) -> None:
    assert sorted(files_in(repo.evidence.root).values()) == sorted(
        [people.files["bob"], sample_file("pdf", b"cid-1")]
    )


def test_a_file_another_instance_adds_while_delete_runs_goes_too(postgres_url: str, tmp_path: Path) -> None:
    """Two instances on PostgreSQL: one is storing a photo for Ann's case (not yet committed) when the
    other runs her /delete. The delete waits for it, its cascade then takes the new record, and the
    file must go with it (not be left on disk with nothing referring to it until some restart)."""
    upgrade(postgres_url)
    settings = make_settings(postgres_url, tmp_path)
    uploading, deleting = Repository.open(settings), Repository.open(settings)
    try:
        people = seed(uploading)
        late_photo = sample_file("jpg", b"ann-late")
        with uploading.unit_of_work() as uow:
            uow.store_evidence(people.ann_case, late_photo, "late.jpg")
            eraser = threading.Thread(target=deleting.delete_user, args=(people.ann,))
            eraser.start()
            wait_until_blocked_on_a_lock(uow.session)
        eraser.join(timeout=60)
        assert not eraser.is_alive()
        assert late_photo not in files_in(settings.evidence_dir).values()
        assert_only_bob_and_cid_files_left(deleting, people)
    finally:
        uploading.close()
        deleting.close()


def wait_until_blocked_on_a_lock(session: Session) -> None:
    """Until another PostgreSQL backend waits for a lock this session's transaction holds."""
    mine = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    for _ in range(6000):
        waiting = (
            session.connection()
            .exec_driver_sql(
                f"SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                f"WHERE NOT l.granted AND {mine} = ANY(pg_blocking_pids(a.pid))"
            )
            .scalar_one()
        )
        if waiting:
            return
        threading.Event().wait(0.01)
    raise AssertionError("the deletion never waited for the upload")


def test_a_file_that_cannot_be_removed_fails_neither_the_delete_nor_the_next_start(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The erasure has committed when its files are removed: one the system refuses to remove (here a
    folder where the file should be; in life a read-only or failing disk) must not turn "Done" into an
    error, keep the others on disk, or stop the service from starting again."""
    settings = make_settings(sqlite_url, tmp_path)
    repo = Repository.open(settings)
    people = seed(repo)
    endings = {path: path.read_bytes()[-5:] for path in settings.evidence_dir.glob("??/*")}
    stubborn = next(path for path, ending in endings.items() if ending == b"ann-1")
    others = [path for path, ending in endings.items() if ending in (b"ann-2", b"ann-3")]
    stubborn.unlink()
    (stubborn / "inside").mkdir(parents=True)
    repo.delete_user(people.ann)
    assert not any(path.exists() for path in others)
    repo.close()

    repo = restart(settings)
    repo.close()
