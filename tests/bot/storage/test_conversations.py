"""Users and conversations: get-or-create, optimistic saves, a restart mid-conversation, and two
updates for one user at once losing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import select

from bot.settings import Settings
from bot.storage.errors import ConcurrentUpdate
from bot.storage.models import UserRow
from bot.storage.records import IDLE, Conversation, Role
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[3]


def new_user(repo: Repository, telegram_id: int = 1001) -> int:
    with repo.unit_of_work() as uow:
        return uow.user_by_telegram_id(telegram_id, "cy").id


def test_a_user_is_created_on_first_contact_and_found_after(repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        first = uow.user_by_telegram_id(7_000_000_001, "cy")  # Telegram ids outgrow 32 bits
    with repo.unit_of_work() as uow:
        again = uow.user_by_telegram_id(7_000_000_001, "pl")
        other = uow.user_by_telegram_id(7_000_000_002)
        assert uow.user(first.id) == first
        assert uow.user(other.id + 1000) is None
    assert again == first
    assert first.language == "cy"  # a returning user keeps the language they have
    assert first.time_zone == "Europe/London"
    assert first.roles == frozenset({Role.RESIDENT})
    assert first.has_role(Role.RESIDENT) and not first.has_role(Role.OPERATOR)
    assert other.id != first.id


def test_a_new_conversation_is_idle_and_saves_round_trip(repo: Repository) -> None:
    user_id = new_user(repo)
    with repo.unit_of_work() as uow:
        conversation = uow.conversation(user_id)
        assert conversation == Conversation(user_id, IDLE, IDLE, {}, None, 0)
        conversation.flow, conversation.state = "complaint", "ask_landlord"
        conversation.answers["issue"] = {"kind": "damp", "rooms": ["bedroom", "kitchen"]}
        uow.save_conversation(conversation)
        assert conversation.version == 1
        conversation.state = "ask_dates"
        uow.save_conversation(conversation)  # the same object again, within one unit
    with repo.unit_of_work() as uow:
        stored = uow.conversation(user_id)
    assert stored == Conversation(
        user_id,
        "complaint",
        "ask_dates",
        {"issue": {"kind": "damp", "rooms": ["bedroom", "kitchen"]}},
        None,
        2,
    )


def test_saving_a_stale_copy_raises_and_changes_nothing(repo: Repository) -> None:
    user_id = new_user(repo)
    with repo.unit_of_work() as uow:
        stale = uow.conversation(user_id)
    with repo.unit_of_work() as uow:
        fresh = uow.conversation(user_id)
        fresh.answers["winner"] = True
        uow.save_conversation(fresh)
    stale.answers["loser"] = True
    with pytest.raises(ConcurrentUpdate), repo.unit_of_work() as uow:
        uow.save_conversation(stale)
    assert stale.version == 0
    with repo.unit_of_work() as uow:
        assert uow.conversation(user_id).answers == {"winner": True}


def test_a_failed_unit_of_work_keeps_nothing(repo: Repository) -> None:
    user_id = new_user(repo)
    with pytest.raises(RuntimeError), repo.unit_of_work() as uow:
        conversation = uow.conversation(user_id)
        conversation.state = "half_done"
        uow.save_conversation(conversation)
        uow.user_by_telegram_id(555)
        raise RuntimeError("the handler failed")
    with repo.unit_of_work() as uow:
        assert uow.conversation(user_id).state == IDLE
        assert uow.session.exec(select(UserRow).where(UserRow.telegram_id == 555)).first() is None


def test_run_with_retry_reruns_the_whole_unit_after_a_conflict(repo: Repository) -> None:
    user_id = new_user(repo)
    with repo.unit_of_work() as uow:
        stale = uow.conversation(user_id)
    with repo.unit_of_work() as uow:
        other = uow.conversation(user_id)
        other.answers["other"] = 1
        uow.save_conversation(other)
    runs: list[int] = []

    def answer(uow: UnitOfWork) -> int:
        runs.append(1)
        conversation = stale if len(runs) == 1 else uow.conversation(user_id)
        conversation.answers["mine"] = 2
        uow.save_conversation(conversation)
        return conversation.version

    assert repo.run_with_retry(answer) == 2
    assert len(runs) == 2
    with repo.unit_of_work() as uow:
        assert uow.conversation(user_id).answers == {"other": 1, "mine": 2}


def test_run_with_retry_gives_up_and_does_not_retry_other_errors(repo: Repository) -> None:
    runs: list[int] = []

    def always_conflicts(uow: UnitOfWork) -> None:
        runs.append(1)
        raise ConcurrentUpdate("again")

    with pytest.raises(ConcurrentUpdate):
        repo.run_with_retry(always_conflicts, attempts=3)
    assert len(runs) == 3

    def broken(uow: UnitOfWork) -> None:
        runs.append(1)
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        repo.run_with_retry(broken)
    assert len(runs) == 4


def test_two_updates_for_one_user_at_once_lose_nothing(repo: Repository) -> None:
    """Two threads, each update in its own unit of work, starting together every time."""
    user_id = new_user(repo)
    updates_each = 20
    start_together = threading.Barrier(2, timeout=30)
    failures: list[BaseException] = []

    def resident(name: str) -> None:
        try:
            for index in range(updates_each):
                start_together.wait()

                def answer(uow: UnitOfWork, index: int = index) -> None:
                    conversation = uow.conversation(user_id)
                    conversation.answers[f"{name}{index}"] = index
                    conversation.state = f"{name}_answered"
                    uow.save_conversation(conversation)

                repo.run_with_retry(answer, attempts=10)
        except BaseException as error:
            failures.append(error)
            start_together.abort()

    threads = [threading.Thread(target=resident, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with repo.unit_of_work() as uow:
        final = uow.conversation(user_id)
    expected = {f"{name}{index}": index for name in ("a", "b") for index in range(updates_each)}
    assert final.answers == expected
    assert final.version == 2 * updates_each


def test_postgresql_detects_a_save_that_raced_in_between(postgres_repo: Repository) -> None:
    """PostgreSQL lets both updates read at once (SQLite makes them queue), so the second save
    must see the version moved and the retry must carry both answers."""
    repo = postgres_repo
    user_id = new_user(repo)
    with repo.unit_of_work() as uow:
        uow.conversation(user_id)  # exists before the race (creating it is a different story, below)
    first_has_read = threading.Event()
    second_has_saved = threading.Event()
    runs: list[int] = []

    def first(uow: UnitOfWork) -> None:
        runs.append(1)
        conversation = uow.conversation(user_id)
        if len(runs) == 1:
            first_has_read.set()
            assert second_has_saved.wait(30)
        conversation.answers["first"] = True
        uow.save_conversation(conversation)

    def second() -> None:
        assert first_has_read.wait(30)
        with repo.unit_of_work() as uow:
            conversation = uow.conversation(user_id)
            conversation.answers["second"] = True
            uow.save_conversation(conversation)
        second_has_saved.set()

    thread = threading.Thread(target=second)
    thread.start()
    repo.run_with_retry(first)
    thread.join()
    assert len(runs) == 2
    with repo.unit_of_work() as uow:
        assert uow.conversation(user_id).answers == {"first": True, "second": True}


READ_BACK = """
import json
from bot.settings import get_settings
from bot.storage.repository import Repository
repo = Repository.open(get_settings())
with repo.unit_of_work() as uow:
    user = uow.user_by_telegram_id(4242)
    c = uow.conversation(user.id)
print(json.dumps({"flow": c.flow, "state": c.state, "answers": c.answers, "version": c.version}))
repo.close()
"""


def test_a_restart_mid_conversation_picks_up_where_it_stood(settings: Settings, repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(4242)
        conversation = uow.conversation(user.id)
        conversation.flow, conversation.state = "complaint", "ask_first_reported"
        conversation.answers = {"landlord": "Westlea", "issue": "damp", "rooms": 2}
        uow.save_conversation(conversation)
    repo.close()  # the process goes down; a new one starts from the settings alone

    environment = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "EVIDENCE_DIR")
    }
    environment |= {
        "DATABASE_URL": settings.database_url,
        "EVIDENCE_DIR": str(settings.evidence_dir),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_BACK],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.evidence_dir.parent,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "flow": "complaint",
        "state": "ask_first_reported",
        "answers": {"landlord": "Westlea", "issue": "damp", "rooms": 2},
        "version": 1,
    }


def test_two_first_messages_at_once_make_one_user_and_one_conversation(postgres_repo: Repository) -> None:
    """Both inserts race on the unique keys; ON CONFLICT DO NOTHING makes the loser find the winner's."""
    repo = postgres_repo
    start_together = threading.Barrier(2, timeout=30)
    seen: list[tuple[int, int]] = []

    def first_message() -> None:
        start_together.wait()
        with repo.unit_of_work() as uow:
            user = uow.user_by_telegram_id(99)
            seen.append((user.id, uow.conversation(user.id).version))

    threads = [threading.Thread(target=first_message) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 2
    assert seen[0] == seen[1]
