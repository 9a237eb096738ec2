"""Nothing a resident sends is lost, and every update is answered, whatever happens to the process,
the database or Telegram: real bot processes under load, each test printing sent / answered / lost /
duplicates (the README's figures). Duplicates are allowed only for replies in flight at a crash or
a lost answer from Telegram (delivery is at least once); lost must be 0.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from support.bot_processes import (
    Tally,
    WebhookTelegram,
    free_port,
    kill,
    settle,
    start_bot,
    stop,
    users,
    wait_until_healthy,
    webhook_env,
)
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from support.tcp_proxy import TcpProxy

from bot.storage.db import upgrade
from bot.storage.repository import Repository
from bot.telegram.app import build_application

CHATS, PER_CHAT = 20, 6  # 120 updates


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[TcpProxy, str]]:
    url = make_url(postgres_url)
    upgrade(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def newest_button(fake: FakeBotApi, user: FakeUser, label: str) -> str:
    for message in reversed(fake.sent_messages(user.id)):
        for caption, data in message.buttons:
            if caption == label and data:
                return data
    raise AssertionError(f"no button {label!r}")


def wait_polling(fake: FakeBotApi) -> None:
    fake.wait_for_sync(lambda: fake.polls_held >= 1, timeout=60)


def send_load(fake: FakeBotApi, residents: list[FakeUser], pause: float = 0.0) -> dict[int, int]:
    """PER_CHAT /help from each resident, round by round; how many replies each chat expects."""
    for _ in range(PER_CHAT):
        for resident in residents:
            fake.user_sends_text(resident, "/help")
        time.sleep(pause)
    return {resident.id: PER_CHAT for resident in residents}


@pytest.mark.parametrize("sent_before_the_kill", [1, 20, 100])  # stored, hardly handled; mid-load; sending
def test_kill_9_under_load_in_long_polling_loses_nothing(
    fake_bot_api: FakeBotApi, tmp_path: Path, sent_before_the_kill: int
) -> None:
    fake = fake_bot_api
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = start_bot(fake, url, tmp_path)
    try:
        wait_polling(fake)
        started = time.monotonic()
        expected = send_load(fake, users(fake, CHATS))
        # 20: mid-load, some answered, most not yet (about 0.3 s in on a quiet machine).
        fake.wait_for_sync(lambda: fake.count("sendMessage") >= sent_before_the_kill, timeout=30)
    finally:
        kill(bot)
    killed_at = time.monotonic() - started
    answered_before_the_kill = Tally.of(fake, expected).answered
    again = start_bot(fake, url, tmp_path)
    try:
        tally = settle(fake, expected, timeout=90)
    finally:
        stop(again)
    tally.report(
        f"kill -9 in long polling {killed_at:.1f} s in ({answered_before_the_kill} answered before the kill)"
    )
    assert tally.lost == 0


def test_kill_9_again_during_the_restart_s_recovery_loses_nothing(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    fake = fake_bot_api
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = start_bot(fake, url, tmp_path)
    try:
        wait_polling(fake)
        expected = send_load(fake, users(fake, CHATS))
        fake.wait_for_sync(lambda: fake.count("sendMessage") >= 20, timeout=30)
    finally:
        kill(bot)
    before = fake.count("sendMessage")
    again = start_bot(fake, url, tmp_path)
    try:  # the restart takes everything over and sends what was left: killed a few replies into it
        fake.wait_for_sync(lambda: fake.count("sendMessage") >= before + 5, timeout=60)
    finally:
        kill(again)
    third = start_bot(fake, url, tmp_path)
    try:
        tally = settle(fake, expected, timeout=90)
    finally:
        stop(third)
    tally.report("kill -9 in long polling, and again during the restart's recovery")
    assert tally.lost == 0


def test_kill_9_of_one_of_two_webhook_instances_loses_nothing(
    fake_bot_api: FakeBotApi, postgres_url: str, tmp_path: Path
) -> None:
    fake = fake_bot_api
    upgrade(postgres_url)
    ports = [free_port(), free_port()]
    lease = {"INBOX_LEASE_SECONDS": "3"}  # the survivor takes over after 3 s (30 s by default)
    instances = [start_bot(fake, postgres_url, tmp_path, **webhook_env(port, **lease)) for port in ports]
    residents = users(fake, 40)
    updates = [[fake.user_sends_text(resident, "/help", deliver=False)] for resident in residents]
    telegram = WebhookTelegram(ports)
    try:
        for port in ports:
            wait_until_healthy(port)

        served_by_first = residents[::2]  # WebhookTelegram sends chat n to ports[n % 2] first

        def kill_mid_flight() -> None:
            # Once the first instance has answered someone, the rest of its share is in flight.
            fake.wait_for_sync(lambda: any(fake.sent_messages(r.id) for r in served_by_first), timeout=60)
            kill(instances[0])

        killer = threading.Thread(target=kill_mid_flight)
        killer.start()
        asyncio.run(telegram.deliver_chats(updates))
        killer.join()
        tally = settle(fake, {resident.id: 1 for resident in residents}, timeout=60)
    finally:
        for instance in instances:
            stop(instance)
    tally.report(
        f"kill -9 of one of two webhook instances ({telegram.failed_connections} connections failed)"
    )
    assert tally.lost == 0


def test_postgres_cut_for_10_s_in_long_polling_loses_nothing(
    fake_bot_api: FakeBotApi, proxied_postgres: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    fake = fake_bot_api
    proxy, url = proxied_postgres
    bot = start_bot(fake, url, tmp_path)
    try:
        wait_polling(fake)
        residents = users(fake, CHATS)
        cutter = threading.Timer(0.3, proxy.cut)
        cutter.start()
        expected = send_load(fake, residents, pause=0.2)
        cutter.join()
        time.sleep(10 - 1.2)
        answered_while_cut = Tally.of(fake, expected).answered
        proxy.restore()
        tally = settle(fake, expected, timeout=60)
        sorry = sum("went wrong" in m.text for r in residents for m in fake.sent_messages(r.id))
    finally:
        stop(bot)
    tally.report(f"PostgreSQL cut 10 s, long polling ({answered_while_cut} answered before the cut)")
    assert tally.lost == 0
    assert sorry == 0  # every answer was kept: nothing to apologise for


def test_postgres_cut_for_10_s_behind_the_webhook_loses_nothing(
    fake_bot_api: FakeBotApi, proxied_postgres: tuple[TcpProxy, str], tmp_path: Path
) -> None:
    fake = fake_bot_api
    proxy, url = proxied_postgres
    port = free_port()
    bot = start_bot(fake, url, tmp_path, **webhook_env(port))
    residents = users(fake, CHATS)
    chats = [[fake.user_sends_text(r, "/help", deliver=False) for _ in range(PER_CHAT)] for r in residents]
    telegram = WebhookTelegram([port])
    try:
        wait_until_healthy(port)

        def cut_for_10_s() -> None:
            time.sleep(0.3)
            proxy.cut()
            time.sleep(10)
            proxy.restore()

        cutter = threading.Thread(target=cut_for_10_s)
        cutter.start()
        asyncio.run(telegram.deliver_chats(chats, gap=0.2))
        cutter.join()
        tally = settle(fake, {r.id: PER_CHAT for r in residents}, timeout=60)
        sorry = sum("went wrong" in m.text for r in residents for m in fake.sent_messages(r.id))
    finally:
        stop(bot)
    tally.report(f"PostgreSQL cut 10 s, webhook (refused while cut: {telegram.refused})")
    assert tally.lost == 0
    assert telegram.refused.get(503, 0) > 0  # Telegram was told to send again, not 200
    assert sorry == 0


def test_sqlite_locked_by_another_process_for_10_s_loses_nothing(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    fake = fake_bot_api
    path = tmp_path / "bot.sqlite3"
    bot = start_bot(fake, f"sqlite:///{path}", tmp_path)
    locker: subprocess.Popen[str] | None = None
    try:
        wait_polling(fake)
        residents = users(fake, CHATS)
        hold = (
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(10); c.rollback()\n"
        )
        locker = subprocess.Popen([sys.executable, "-c", hold, str(path)], stdout=subprocess.PIPE, text=True)
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        expected = send_load(fake, residents, pause=0.2)
        locker.wait(timeout=30)
        tally = settle(fake, expected, timeout=60)
    finally:
        if locker is not None and locker.poll() is None:
            locker.kill()
        stop(bot)
    tally.report("SQLite locked 10 s by another process, long polling")
    assert tally.lost == 0


def test_bot_api_faults_lose_nothing(fake_bot_api: FakeBotApi, tmp_path: Path) -> None:
    fake = fake_bot_api
    fake.fail_randomly("sendMessage", too_many=0.15, server_error=0.10, answer_lost=0.05)
    bot = start_bot(fake, f"sqlite:///{tmp_path / 'bot.sqlite3'}", tmp_path)
    try:
        wait_polling(fake)
        expected = send_load(fake, users(fake, CHATS))
        tally = settle(fake, expected, timeout=90)
    finally:
        stop(bot)
    statuses = [call.status for call in fake.calls("sendMessage")]
    tally.report(
        f"Bot API faults ({statuses.count(429)} × 429, {statuses.count(500)} × 500, answers dropped after delivery)"
    )
    assert tally.lost == 0


async def test_delete_erases_what_the_inbox_and_outbox_hold_of_the_person(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, sqlite_url: str, tmp_path: Path
) -> None:
    fake = fake_bot_api
    settings = make_settings(
        sqlite_url, tmp_path, telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url
    )
    repository = Repository.open(settings)
    someone_else = fake.new_user("Bea")

    def said(user: FakeUser, text: str) -> bool:
        return any(text in m.text for m in fake.sent_messages(user.id))

    try:
        async with polling(build_application(settings, repository, reminder_interval=3600)):
            fake.user_sends_text(fake_user, "I live at 1 Acacia Road and the boiler is broken")
            fake.user_sends_text(someone_else, "/help")
            await fake.wait_for(
                lambda: said(fake_user, "Which language") and said(someone_else, "Which language")
            )
            fake.user_sends_text(fake_user, "/delete")
            await fake.wait_for(lambda: said(fake_user, "It cannot be"))
            fake.user_presses_button(fake_user, newest_button(fake, fake_user, "Yes, delete everything"))
            await fake.wait_for(lambda: said(fake_user, "I have deleted everything"))
        with repository.engine.connect() as connection:
            inbox = connection.execute(text("SELECT telegram_id, payload FROM inbox")).all()
            outbox = connection.execute(text("SELECT chat_id, reply FROM outbox")).all()
        assert not any("Acacia" in str(value) for row in [*inbox, *outbox] for value in row)
        assert {telegram_id for telegram_id, _ in inbox} == {
            someone_else.id,
            None,
        }  # None: /delete's own mark
        assert all(payload is None for telegram_id, payload in inbox if telegram_id is None)
        # Nothing left for Alice: the confirmation of the deletion, once sent, is forgotten too.
        assert said(fake_user, "I have deleted everything")
        assert [chat for chat, _ in outbox if chat == fake_user.id] == []
    finally:
        repository.close()


async def test_a_reply_telegram_will_never_take_does_not_block_the_chat(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, sqlite_url: str, tmp_path: Path
) -> None:
    """An export over Telegram's 50 MB (413, which PTB raises as a NetworkError) is refused for good:
    the resident is told, and their next message is answered; it is not re-uploaded every round."""
    fake = fake_bot_api
    settings = make_settings(
        sqlite_url, tmp_path, telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url
    )
    repository = Repository.open(settings)
    fake.fail_next("sendDocument", 413, description="Request Entity Too Large", times=100)

    def said(text: str) -> int:
        return sum(text in m.text for m in fake.sent_messages(fake_user.id))

    try:
        async with polling(build_application(settings, repository, reminder_interval=3600)):
            fake.user_sends_text(fake_user, "/help")
            await fake.wait_for(lambda: said("Which language"))
            fake.user_sends_text(fake_user, "/export")
            await fake.wait_for(lambda: said("something went wrong on my side"), timeout=15)
            answered = said("Which language")
            fake.user_sends_text(fake_user, "/help")  # the chat is not stuck behind the export
            await fake.wait_for(lambda: said("Which language") > answered)
            await asyncio.sleep(3)  # a recovery round or more
        print(f"\nsendDocument tries for one export Telegram refuses: {fake.count('sendDocument')}")
        assert fake.count("sendDocument") == 1
        with repository.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).scalar() == 0
    finally:
        repository.close()


def test_two_long_polling_processes_by_mistake_lose_nothing(
    fake_bot_api: FakeBotApi, postgres_url: str, tmp_path: Path
) -> None:
    """A second `fairsay bot` started by mistake while the first runs under load: Telegram shares the
    updates between them (409s aside); each is handled once, and nothing is lost."""
    fake = fake_bot_api
    upgrade(postgres_url)
    first = start_bot(fake, postgres_url, tmp_path)
    second = None
    try:
        wait_polling(fake)
        residents = users(fake, CHATS)
        expected = {resident.id: PER_CHAT for resident in residents}
        for round_ in range(PER_CHAT):
            for resident in residents:
                fake.user_sends_text(resident, "/help")
            if round_ == 1:
                second = start_bot(fake, postgres_url, tmp_path)
            time.sleep(0.3)
        tally = settle(fake, expected, timeout=90)
    finally:
        stop(first)
        if second is not None:
            stop(second)
    repository = Repository.open(make_settings(postgres_url, tmp_path))
    try:
        with repository.engine.connect() as db:
            unhandled = db.execute(text("SELECT count(*) FROM inbox WHERE handled_at IS NULL")).scalar()
    finally:
        repository.close()
    tally.report(f"two long-polling processes at once ({unhandled} updates left unhandled)")
    assert tally.lost == 0
    assert unhandled == 0


def test_replies_waiting_for_telegram_s_pace_longer_than_a_lease_go_out_once(
    fake_bot_api: FakeBotApi, tmp_path: Path
) -> None:
    """A burst that takes longer to send at TELEGRAM_MESSAGES_PER_SECOND than INBOX_LEASE_SECONDS:
    no crash, so no reply may go out twice (the recovery round must not take over what this very
    process is still sending)."""
    fake = fake_bot_api
    pace = {"TELEGRAM_MESSAGES_PER_SECOND": "10", "INBOX_LEASE_SECONDS": "2"}
    bot = start_bot(fake, f"sqlite:///{tmp_path / 'bot.sqlite3'}", tmp_path, **pace)
    try:
        wait_polling(fake)
        residents = users(fake, CHATS)
        for _ in range(3):
            for resident in residents:
                fake.user_sends_text(resident, "/help")
        tally = settle(fake, {resident.id: 3 for resident in residents}, timeout=90)
    finally:
        stop(bot)
    tally.report("60 updates sent at 10 messages a second with 2 s leases, no crash")
    assert tally.lost == 0
    assert tally.duplicates == 0
