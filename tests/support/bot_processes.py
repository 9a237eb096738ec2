"""The bot as real processes for fault tests: long polling or webhook instances against the fake Bot
API, a "Telegram" that delivers webhook updates as Telegram does (again after anything but a 2xx),
and the tally every such test prints: sent / answered / lost / duplicates."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from support.fake_bot_api import FakeBotApi, FakeUser

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-long-random-webhook-secret"
WEBHOOK_HOST = "bot.example.org"  # the public name: only requests for it reach the webhook


def start_bot(fake: FakeBotApi, database_url: str, tmp_path: Path, **env: str) -> subprocess.Popen[str]:
    """`fairsay bot` in a process of its own: long polling, or a webhook instance when `env` sets
    TELEGRAM_WEBHOOK_URL (see `webhook_env`)."""
    full_env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
        "LOG_FORMAT": "text",
        "TELEGRAM_MESSAGES_PER_SECOND": "0",  # the fake has no broadcast limit
        **env,
    }
    log = (tmp_path / f"bot-{time.monotonic_ns()}.log").open("w")  # kept beside the test's files
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot"],
        env=full_env,
        cwd=ROOT,
        text=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def webhook_env(port: int, **env: str) -> dict[str, str]:
    return {
        "TELEGRAM_WEBHOOK_URL": f"https://{WEBHOOK_HOST}/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        **env,
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the instance on port {port} did not start")


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)  # no goodbye: as a crash or a pulled plug
    process.wait(timeout=30)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill(process)


# The load is /help from people who have not chosen a language yet: each /help is answered with the
# greeting that asks for it (which marks an answered update), after the help text from the second on.
ANSWER_MARK = "Which language"


def messages_for(updates: int) -> int:
    return 2 * updates - 1 if updates else 0


@dataclass
class Tally:
    """`expected`: how many updates each chat sent. Duplicates: messages beyond the answers' own."""

    sent: int
    answered: int
    lost: int
    duplicates: int

    @classmethod
    def of(cls, fake: FakeBotApi, expected: dict[int, int]) -> Tally:
        answered = duplicates = 0
        for chat, n in expected.items():
            messages = fake.sent_messages(chat)
            answered += min(n, sum(ANSWER_MARK in m.text for m in messages))
            duplicates += max(0, len(messages) - messages_for(n))
        sent = sum(expected.values())
        return cls(sent, answered, sent - answered, duplicates)

    def report(self, name: str) -> str:
        line = f"{name}: sent {self.sent}, answered {self.answered}, lost {self.lost}, duplicates {self.duplicates}"
        print(line)
        return line


def settle(fake: FakeBotApi, expected: dict[int, int], timeout: float) -> Tally:
    """Wait (at most `timeout`) until every update is answered, then a moment for late duplicates."""
    done: Callable[[], bool] = lambda: Tally.of(fake, expected).lost == 0  # noqa: E731
    try:
        fake.wait_for_sync(done, timeout=timeout)
        time.sleep(1.0)
    except TimeoutError:
        pass  # the tally says what was lost
    return Tally.of(fake, expected)


def users(fake: FakeBotApi, count: int) -> list[FakeUser]:
    return [fake.new_user(f"Resident {i}") for i in range(count)]


class WebhookTelegram:
    """Delivers updates to webhook instances as Telegram does: one chat's updates one after another,
    each again (after a pause) until some instance answers 2xx; an instance that refuses connections
    is taken out of the load balancer."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = list(ports)
        self.refused: dict[int, int] = {}  # status -> how many times
        self.failed_connections = 0

    async def deliver_chats(self, chats: list[list[dict[str, Any]]], gap: float = 0.0) -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(
                *(self._deliver_chat(client, updates, n, gap) for n, updates in enumerate(chats))
            )

    async def _deliver_chat(
        self, client: httpx.AsyncClient, updates: list[dict[str, Any]], n: int, gap: float
    ) -> None:
        for i, update in enumerate(updates):
            await self._deliver(client, update, n + i)
            await asyncio.sleep(gap)

    async def _deliver(self, client: httpx.AsyncClient, update: dict[str, Any], n: int) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            port = self.ports[n % len(self.ports)]
            try:
                response = await client.post(
                    f"http://127.0.0.1:{port}/telegram/webhook",
                    json=update,
                    # The Host Telegram asks for, as the reverse proxy passes it on.
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Host": WEBHOOK_HOST},
                )
                if 200 <= response.status_code < 300:
                    return
                self.refused[response.status_code] = self.refused.get(response.status_code, 0) + 1
            except httpx.HTTPError:
                self.failed_connections += 1
                if isinstance(await _probe(port), Exception) and len(self.ports) > 1 and port in self.ports:
                    self.ports.remove(port)  # dead: the load balancer stops sending it traffic
            n += 1
            await asyncio.sleep(0.3)
        raise TimeoutError("an update was never accepted")


async def _probe(port: int) -> object:
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            return await client.get(f"http://127.0.0.1:{port}/healthz")
    except httpx.HTTPError as error:
        return error
