"""Faults the service must survive: the process killed mid-conversation, the database away for a
moment, an update delivered twice, and two instances sending the same queue of reminders."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from support.tcp_proxy import TcpProxy

from bot.clock import ManualClock
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.db import upgrade
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from bot.telegram.app import build_application
from bot.telegram.outgoing import send_replies
from flows.case import CaseEvent, EventKind
from flows.conversations.types import Reply

ROOT = Path(__file__).resolve().parents[2]


def newest_button(fake: FakeBotApi, user: FakeUser, label: str) -> str:
    for message in reversed(fake.sent_messages(user.id)):
        for text, data in message.buttons:
            if text == label and data:
                return data
    raise AssertionError(f"no button {label!r}")


def start_bot(fake: FakeBotApi, database_url: str, tmp_path: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
        "LOG_FORMAT": "text",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot"],
        env=env,
        cwd=ROOT,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_mid_conversation_a_new_process_carries_on(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    fake = fake_bot_api
    bot = start_bot(fake, url, tmp_path)
    try:
        fake.user_sends_text(fake_user, "/start")
        fake.wait_for_sync(
            lambda: any("Which language" in m.text for m in fake.sent_messages(fake_user.id)), 60
        )
        fake.user_presses_button(fake_user, newest_button(fake, fake_user, "English"))
        fake.wait_for_sync(
            lambda: any("Who are you?" in m.text for m in fake.sent_messages(fake_user.id)), 30
        )
    finally:
        bot.send_signal(signal.SIGKILL)  # no goodbye: as a crash or a pulled plug
        bot.wait(timeout=30)
    again = start_bot(fake, url, tmp_path)
    try:
        fake.user_presses_button(
            fake_user, newest_button(fake, fake_user, "I rent my home and want to complain")
        )
        fake.wait_for_sync(lambda: any("/export" in m.text for m in fake.sent_messages(fake_user.id)), 60)
        texts = [m.text for m in fake.sent_messages(fake_user.id)]
        assert sum("Which language" in text for text in texts) == 1  # nothing was asked again
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=30)


async def test_the_same_update_delivered_twice_is_handled_once(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, sqlite_url: str, tmp_path: Path
) -> None:
    settings = make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token=fake_bot_api.token,
        telegram_api_base_url=fake_bot_api.base_url,
    )
    repository = Repository.open(settings)
    try:
        async with polling(build_application(settings, repository, reminder_interval=3600)):
            update = fake_bot_api.user_sends_text(fake_user, "/start")
            await fake_bot_api.wait_for(lambda: fake_bot_api.sent_messages(fake_user.id))
            fake_bot_api.deliver(update)  # Telegram sends it again (say our answer got lost)
            fake_bot_api.user_sends_text(fake_user, "/help")
            await fake_bot_api.wait_for(lambda: len(fake_bot_api.sent_messages(fake_user.id)) >= 3)
        texts = [m.text for m in fake_bot_api.sent_messages(fake_user.id)]
        assert (
            sum("Which language" in text for text in texts) == 2
        )  # once for /start, once re-asked after /help
        assert "/new" in texts[1]
    finally:
        repository.close()


@pytest.fixture
def proxied_postgres(postgres_url: str) -> tuple[TcpProxy, str]:
    url = make_url(postgres_url)
    upgrade(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)  # type: ignore[misc]


async def test_database_away_for_a_moment_the_answer_waits_and_is_kept(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, proxied_postgres: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    proxy, url = proxied_postgres
    settings = make_settings(
        url, tmp_path, telegram_bot_token=fake_bot_api.token, telegram_api_base_url=fake_bot_api.base_url
    )
    repository = Repository.open(settings)
    fake = fake_bot_api

    def count(text: str) -> int:
        return sum(text in m.text for m in fake.sent_messages(fake_user.id))

    try:
        async with polling(build_application(settings, repository, reminder_interval=3600)):
            fake.user_sends_text(fake_user, "/start")
            await fake.wait_for(lambda: count("Which language"))
            proxy.cut()
            fake.user_presses_button(fake_user, newest_button(fake, fake_user, "English"))
            # Not stored, so not confirmed to Telegram: getUpdates keeps handing it out meanwhile.
            await fake.wait_for(lambda: fake.count("getUpdates") >= 5, timeout=20)
            proxy.restore()
            await fake.wait_for(lambda: count("Who are you?"), timeout=20)
        assert count("something went wrong") == 0  # nothing to be sorry for: the answer was kept
        with repository.unit_of_work() as uow:
            conversation = uow.conversation(uow.user_by_telegram_id(fake_user.id).id)
            assert (conversation.flow, conversation.state) == ("onboarding", "role")
    finally:
        repository.close()


def test_two_instances_send_a_thousand_due_reminders_exactly_once(
    postgres_url: str, tmp_path: Path, fake_bot_api: FakeBotApi
) -> None:
    upgrade(postgres_url)
    settings: Settings = make_settings(postgres_url, tmp_path)
    seed = Repository.open(settings)
    due_at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with seed.unit_of_work() as uow:
        for telegram_id in range(1, 1001):
            user = uow.user_by_telegram_id(telegram_id)
            ref = uow.create_case(user.id, landlord_name="Riverside")
            case_id = uow.case_by_ref(ref).id  # type: ignore[union-attr]
            uow.append_event(
                case_id, CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE), EventSource.RESIDENT, user.id
            )
            uow.schedule_reminder(
                user.id,
                "deadline_missed",
                due_at,
                f"{ref}:ack",
                case_id=case_id,
                payload={"case": ref, "kind": "deadline_missed", "subject": "stage1_acknowledgement"},
            )
    seed.close()
    clock = ManualClock(due_at + timedelta(hours=2))

    def instance(name: str) -> None:
        repository = Repository.open(settings)

        async def run() -> None:
            application = fake_bot_api.application_builder().build()
            async with application:

                async def send(telegram_id: int, reply: Reply) -> None:
                    await send_replies(application.bot, telegram_id, [reply])

                sender = ReminderSender(repository, clock, send, claimer=name)
                while await sender.run_once(limit=50):
                    pass

        try:
            asyncio.run(run())
        finally:
            repository.close()

    threads = [threading.Thread(target=instance, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    per_chat = {chat: len(fake_bot_api.sent_messages(chat)) for chat in range(1, 1001)}
    assert set(per_chat.values()) == {1}, {k: v for k, v in per_chat.items() if v != 1}
    assert len(fake_bot_api.calls("sendMessage")) == 1000
