"""A mail relay on 127.0.0.1 for the tests of complaints emailed for residents: aiosmtpd, optionally
advertising DSN (RFC 3461) and keeping the DSN parameters it was given, answering DATA as Postfix does
("250 2.0.0 Ok: queued as ..."), or refusing with a planned reply."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from support.delivery_servers import free_port

_DSN_PARAMS = ("RET=", "ENVID=", "NOTIFY=", "ORCPT=")


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    mail_options: list[str]
    rcpt_options: list[str]


@dataclass
class RelayHandler:
    dsn: bool = False
    queue_ids: Iterator[str] = field(default_factory=lambda: (f"4QX{n:05d}" for n in range(1, 10**6)))
    planned: list[str] = field(default_factory=list)  # replies to DATA before accepting, e.g. "550 5.7.1 ..."
    received: list[Received] = field(default_factory=list)
    dsn_options: dict[str, list[str]] = field(default_factory=dict)  # the last MAIL's and RCPT's

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.dsn:
            responses.insert(-1, "250-DSN")
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.planned:
            return self.planned.pop(0)
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                bytes(envelope.original_content),
                self.dsn_options.get("MAIL", []),
                self.dsn_options.get("RCPT", []),
            )
        )
        return f"250 2.0.0 Ok: queued as {next(self.queue_ids)}"


class _DsnSMTP(SMTP):
    """Takes the DSN parameters off MAIL and RCPT (aiosmtpd would refuse them with 555) and keeps them."""

    def _split(self, verb: str, arg: str) -> str:
        handler: RelayHandler = self.event_handler
        words = arg.split()
        kept = [w for w in words if w.upper().startswith(_DSN_PARAMS)]
        handler.dsn_options[verb] = kept
        if kept and not handler.dsn:
            return arg  # not advertised: let aiosmtpd refuse them, as a real relay would
        return " ".join(w for w in words if w not in kept)

    async def smtp_MAIL(self, arg: str) -> None:
        await super().smtp_MAIL(self._split("MAIL", arg or ""))

    async def smtp_RCPT(self, arg: str) -> None:
        await super().smtp_RCPT(self._split("RCPT", arg or ""))


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _DsnSMTP(self.handler, **self.SMTP_kwargs)


@dataclass
class Relay:
    port: int
    handler: RelayHandler


def start_relay(dsn: bool = False) -> tuple[Relay, Controller]:
    handler = RelayHandler(dsn=dsn)
    port = free_port()
    controller = _Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return Relay(port, handler), controller


@pytest.fixture
def relay() -> Iterator[Relay]:
    running, controller = start_relay()
    try:
        yield running
    finally:
        controller.stop()


@pytest.fixture
def dsn_relay() -> Iterator[Relay]:
    running, controller = start_relay(dsn=True)
    try:
        yield running
    finally:
        controller.stop()
