"""The inbound mail server (aiosmtpd): receives what comes back to cases' reply addresses, behind the
operator's MX for MAIL_REPLY_DOMAIN (README, "Replies by email").

- RCPT: only `case-<token>@MAIL_REPLY_DOMAIN` with a token some case holds; anything else is refused
  there and then (550), so a mistyped or guessed address bounces at the sender's server, and nothing
  is stored for no one. Refusals are counted (bot.metrics), never logged with the address.
- Flooding: at most MAX_EMAILS_PER_CASE_PER_DAY emails for one case in 24 hours (452 beyond: later).
- Size: INBOUND_MAIL_MAX_BYTES, announced in EHLO (SIZE) and enforced (552, counted).
- Complexity: more MIME parts than a reply has, or nested too deep to read (bot.mail.parsing
  MAX_PARTS), is refused for good (554, counted) before the parser spends minutes of CPU on it.
- DATA: the message is kept (bot.mail.inbound) before the 250: after it, a crash loses nothing; a
  failure to keep it answers 451, and the sender's server tries again later.

No TLS and no authentication: it is an MX (anyone may send to it) for one domain, relaying nothing.
Put it behind the MX host's port 25 (forwarded, or a relay that hands the domain over).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import func
from sqlmodel import col, select

from bot import metrics
from bot.clock import Clock, SystemClock
from bot.mail.addresses import case_for_token, token_of
from bot.mail.inbound import IN, keep
from bot.mail.parsing import TooComplex, parse
from bot.settings import Settings
from bot.storage.models import CaseEmailRow
from bot.storage.repository import Repository

log = logging.getLogger(__name__)

MAX_RECIPIENTS = 10  # a reply names the case's address; a long list is something else
# Connections at once: replies to a handful of cases need few, and each may hold up to
# INBOUND_MAIL_MAX_BYTES (twice, while it is read) for as long as its sender keeps it open, one line
# a time-out apart. Beyond these the server answers 421 (try later) and hangs up.
MAX_CONNECTIONS = 20
# Emails one case takes in 24 hours. Anyone who has seen a case's reply address (it is in the landlord's
# mailbox, and wherever that mail is forwarded) can write to it, and each email is a message in the
# resident's chat and files in their evidence: beyond this, 452 (try later), so a landlord's real
# reply still arrives, a day late at worst, and nobody can flood the resident.
MAX_EMAILS_PER_CASE_PER_DAY = 30
MAX_CONNECTIONS_PER_PEER = 5
SERVER_NAME = "fairsay-inbound"


class CaseMailHandler:
    """aiosmtpd's handler: the recipient checks and keeping the message."""

    def __init__(self, repository: Repository, settings: Settings, clock: Clock | None = None) -> None:
        self.repository = repository
        self.domain = settings.mail_reply_domain
        self.clock = clock or SystemClock()

    def _case_of(self, address: str) -> int | None:
        token = token_of(address, self.domain)
        if token is None:
            return None
        with self.repository.unit_of_work() as uow:
            return case_for_token(uow, token)

    def _full(self, case_id: int) -> bool:
        since = self.clock.now() - timedelta(hours=24)
        with self.repository.unit_of_work() as uow:
            count = uow.session.exec(
                select(func.count()).where(
                    col(CaseEmailRow.case_id) == case_id,
                    col(CaseEmailRow.direction) == IN,
                    col(CaseEmailRow.created_at) > since,
                )
            ).one()
        return count >= MAX_EMAILS_PER_CASE_PER_DAY

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        if token_of(address, self.domain) is None:
            domain = address.rpartition("@")[2].lower().rstrip(".")
            reason = "other_domain" if domain != self.domain else "unknown_address"
            metrics.INBOUND_MAIL_REFUSED.labels(reason).inc()
            return "550 5.7.1 Relaying denied" if reason == "other_domain" else "550 5.1.1 No such address"
        case_id = await asyncio.to_thread(self._case_of, address)
        if case_id is None:
            metrics.INBOUND_MAIL_REFUSED.labels("unknown_address").inc()
            return "550 5.1.1 No such address"
        if await asyncio.to_thread(self._full, case_id):
            metrics.INBOUND_MAIL_REFUSED.labels("case_daily_limit").inc()
            return "452 4.2.2 Too much mail for this address today; try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    def _keep(self, addresses: list[str], raw: bytes) -> int:
        cases = {case_id for address in addresses if (case_id := self._case_of(address)) is not None}
        mail = parse(raw) if cases else None  # once, whatever the number of cases
        for case_id in sorted(cases):
            assert mail is not None
            keep(self.repository, case_id, mail, self.clock.now())
        return len(cases)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            kept = await asyncio.to_thread(self._keep, list(envelope.rcpt_tos), raw)
        except TooComplex:  # for good: the same bytes would be refused on every try
            metrics.INBOUND_MAIL_REFUSED.labels("too_complex").inc()
            return "554 5.6.0 Too many MIME parts, or nested too deep"
        except Exception as error:  # the database away for a moment: the sender's server retries
            log.warning("an inbound email could not be kept: %s", type(error).__name__)
            return "451 4.3.0 Could not keep the message now; try again later"
        if not kept:  # every case deleted between RCPT and DATA
            metrics.INBOUND_MAIL_REFUSED.labels("unknown_address").inc()
            return "550 5.1.1 No such address"
        return "250 2.0.0 Kept"


class ConnectionLimit:
    """The connections open now, in all and per peer address (one event loop: no lock needed)."""

    def __init__(self) -> None:
        self.total = 0
        self.per_peer: dict[str, int] = {}

    def admit(self, peer: str) -> bool:
        if self.total >= MAX_CONNECTIONS or self.per_peer.get(peer, 0) >= MAX_CONNECTIONS_PER_PEER:
            return False
        self.total += 1
        self.per_peer[peer] = self.per_peer.get(peer, 0) + 1
        return True

    def release(self, peer: str) -> None:
        self.total -= 1
        if (left := self.per_peer.pop(peer, 1) - 1) > 0:
            self.per_peer[peer] = left


class CountingSMTP(SMTP):
    """aiosmtpd's SMTP, counting the refusals it answers itself: too large (552), too many connections
    (421: one slow sender, or many, cannot hold every socket and the memory of many 25 MiB messages)."""

    def __init__(self, handler: CaseMailHandler, limit: ConnectionLimit, **options: Any) -> None:
        super().__init__(handler, **options)
        self.limit = limit
        self.peer: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        address = transport.get_extra_info("peername")
        peer = str(address[0]) if isinstance(address, tuple) and address else "?"
        if not self.limit.admit(peer):
            metrics.INBOUND_MAIL_REFUSED.labels("too_many_connections").inc()
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(b"421 4.7.0 Too many connections, try again later\r\n")
            transport.close()
            return
        self.peer = peer
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self.peer is None:  # refused in connection_made: aiosmtpd never started
            return
        self.limit.release(self.peer)
        self.peer = None
        super().connection_lost(error)

    async def push(self, status: Any) -> None:
        text = status.decode("ascii", "replace") if isinstance(status, bytes) else str(status)
        if text.startswith("552"):
            metrics.INBOUND_MAIL_REFUSED.labels("oversized").inc()
        await super().push(status)


def smtp_factory(
    repository: Repository, settings: Settings, clock: Clock | None = None
) -> Callable[[], SMTP]:
    handler = CaseMailHandler(repository, settings, clock)
    limit = ConnectionLimit()

    def factory() -> SMTP:
        return CountingSMTP(
            handler,
            limit,
            data_size_limit=settings.inbound_mail_max_bytes,
            hostname=settings.mail_reply_domain,
            ident=SERVER_NAME,
            enable_SMTPUTF8=True,
        )

    return factory


async def start(repository: Repository, settings: Settings, clock: Clock | None = None) -> asyncio.Server:
    """The server listening on INBOUND_SMTP_HOST:INBOUND_SMTP_PORT (port 0: any free port)."""
    if settings.mail_reply_domain is None or settings.inbound_smtp_port is None:
        raise ValueError("INBOUND_SMTP_PORT and MAIL_REPLY_DOMAIN must both be set")
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        smtp_factory(repository, settings, clock), settings.inbound_smtp_host, settings.inbound_smtp_port
    )
    return server


async def serve_forever(repository: Repository, settings: Settings) -> None:
    server = await start(repository, settings)
    async with server:
        await server.serve_forever()


def serve_in_background(repository: Repository, settings: Settings) -> threading.Thread:
    """Beside the bot (`fairsay run`): its own thread and event loop, stopping with the process."""
    thread = threading.Thread(
        target=lambda: asyncio.run(serve_forever(repository, settings)), name="inbound-mail", daemon=True
    )
    thread.start()
    return thread
