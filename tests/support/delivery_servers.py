"""Real servers on 127.0.0.1 for the delivery tests: an SMTP server (aiosmtpd) that keeps what it
receives, and a landlord's webhook endpoint (aiohttp) that checks signatures as a landlord would."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller

from bot.clock import ManualClock
from bot.delivery.webhook import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # Tuesday; the complaint was made on Monday 9 March
SECRET = "whsec-test-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd handler: every message accepted, kept as (envelope recipients, raw bytes)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@dataclass
class Receiver:
    """A landlord's endpoint: 401 for a bad signature, else the next planned status (200 by default)."""

    clock: ManualClock
    secret: str = SECRET
    url: str = ""
    planned: list[int] = field(default_factory=list)
    accepted: list[tuple[str, bytes]] = field(default_factory=list)  # (idempotency key, body)
    refused: int = 0
    delay: float = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = request.headers
        if not verify_signature(
            self.secret, body, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER), self.clock.now()
        ):
            self.refused += 1
            return web.json_response({"error": "bad signature"}, status=401)
        await asyncio.sleep(self.delay)
        status = self.planned.pop(0) if self.planned else 200
        if status == 200:
            self.accepted.append((headers[IDEMPOTENCY_HEADER], body))
        return web.Response(status=status)


@pytest.fixture
async def receiver(clock: ManualClock) -> AsyncIterator[Receiver]:
    receiver = Receiver(clock)
    app = web.Application()
    app.router.add_post("/fairsay", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    receiver.url = f"http://{host}:{port}/fairsay"
    try:
        yield receiver
    finally:
        await runner.cleanup()
