"""Shared pieces for the service benchmarks: the fake Telegram Bot API from tests/support, a bot on a
temporary database, and residents parked at a question they can answer over and over.

A "resident step" here is one update that moves a conversation: the resident types their landlord's
name (the bot stores it and asks the next question), then /back (the bot goes back and asks again).
Each is one update, one transaction, one reply, like most steps of the journey.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.fake_bot_api import FakeBotApi, FakeUser  # noqa: E402

from bot.settings import Settings  # noqa: E402

STEPS = ("Riverside Housing", "/back")  # landlord_name -> subject -> back to landlord_name
ONBOARDING = ("/start", "1", "1", "1", "1", "1", "1")  # language, role, privacy, new complaint, England, HA


def temp_settings(fake: FakeBotApi, database_url: str | None = None) -> Settings:
    folder = Path(tempfile.mkdtemp(prefix="fairsay-bench-"))
    return Settings.from_values(
        database_url=database_url or f"sqlite:///{folder / 'bench.sqlite3'}",
        evidence_dir=folder / "evidence",
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.base_url,
        telegram_messages_per_second=0,  # the fake has no broadcast limit: measure the bot, not the pacing
    )


def replies(fake: FakeBotApi) -> int:
    return fake.count("sendMessage")


def wait_until(condition: Callable[[], bool], timeout: float = 300.0, fake: FakeBotApi | None = None) -> None:
    if fake is not None:  # woken by each call the fake records: no busy polling stealing the GIL
        fake.wait_for_sync(condition, timeout=timeout)
        return
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not answer in time")
        time.sleep(0.0005)


def rss_mb() -> float:
    import psutil

    return float(psutil.Process(os.getpid()).memory_info().rss) / 1e6


def park(fake: FakeBotApi, users: list[FakeUser]) -> None:
    """Take each user through /start to the landlord's-name question (typing numbers as the terminal does)."""
    for text in ONBOARDING:
        before = replies(fake)
        for user in users:
            fake.user_sends_text(user, text)
        wait_until(lambda before=before: replies(fake) >= before + len(users), fake=fake)


def start_echo_bot(fake: FakeBotApi, http: str) -> subprocess.Popen[bytes]:
    """The bare PTB echo bot (benchmarks/echo_bot.py), the yardstick, as a process of its own."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "echo_bot.py"), fake.token, fake.base_url, http],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


__all__ = [
    "STEPS",
    "FakeBotApi",
    "FakeUser",
    "park",
    "replies",
    "rss_mb",
    "start_echo_bot",
    "temp_settings",
    "wait_until",
]


class BotThread:
    """A PTB Application long-polling the fake, on its own event loop in a background thread."""

    def __init__(self, application: object) -> None:
        import asyncio
        import threading

        self.application = application
        self.loop = asyncio.new_event_loop()
        self.stop_event = asyncio.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import asyncio

        from support.fake_bot_api import polling

        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            async with polling(self.application, poll_timeout=1):  # type: ignore[arg-type]
                self.ready.set()
                await self.stop_event.wait()

        self.loop.run_until_complete(main())

    def __enter__(self) -> BotThread:
        self.thread.start()
        self.ready.wait(timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(timeout=30)
