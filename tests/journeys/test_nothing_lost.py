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
from support.fake_bot_api import FakeBotApi, FakeUser
from support.tcp_proxy import TcpProxy

from bot.storage.db import upgrade

CHATS, PER_CHAT = 20, 6  # 120 updates


@pytest.fixture
def proxied_postgres(postgres_url: str) -> Iterator[tuple[TcpProxy, str]]:
    url = make_url(postgres_url)
    upgrade(postgres_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def wait_polling(fake: FakeBotApi) -> None:
    fake.wait_for_sync(lambda: fake.polls_held >= 1, timeout=60)


def send_load(fake: FakeBotApi, residents: list[FakeUser], pause: float = 0.0) -> dict[int, int]:
    """PER_CHAT /help from each resident, round by round; how many replies each chat expects."""
    for _ in range(PER_CHAT):
        for resident in residents:
            fake.user_sends_text(resident, "/help")
        time.sleep(pause)
    return {resident.id: PER_CHAT for resident in residents}


def test_kill_9_under_load_in_long_polling_loses_nothing(fake_bot_api: FakeBotApi, tmp_path: Path) -> None:
    fake = fake_bot_api
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = start_bot(fake, url, tmp_path)
    try:
        wait_polling(fake)
        started = time.monotonic()
        expected = send_load(fake, users(fake, CHATS))
        # Mid-load: some answered, most not yet (about 0.3 s in on a quiet machine).
        fake.wait_for_sync(lambda: fake.count("sendMessage") >= 20, timeout=30)
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

        def kill_soon() -> None:
            time.sleep(0.15)  # 40 in flight
            kill(instances[0])

        killer = threading.Thread(target=kill_soon)
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
