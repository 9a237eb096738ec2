"""Delivering submissions by email and webhook: claim, prepare, send, record.

1. Claim (one short transaction): due submissions are leased by moving their next attempt on by
   `lease`. PostgreSQL claimers skip rows another holds (FOR UPDATE SKIP LOCKED) and then find them
   not due, so two instances never send the same submission at once; one that dies mid-send leaves
   the lease to run out and the submission is sent again (at least once, same idempotency key).
2. Prepare (a read transaction): the document, and where it goes.
3. Send, outside any transaction (the email's PDF is typeset here too): a slow landlord server
   holds no database lock.
4. Record (one transaction): delivered, or failed with backoff (1, 2, 4 ... minutes; given up after 8).

Logs carry submission ids, routes and error type names only: never addresses, names or content.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp

from bot import metrics
from bot.clock import Clock, SystemClock
from bot.delivery import email, webhook
from bot.delivery.destinations import PrivateAddress, PublicResolver, refusal
from bot.delivery.document import SubmissionDocument, build_document
from bot.services import documents
from bot.settings import Settings
from bot.storage.access import Submission
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from flows.conversations.workspace import Letter

log = logging.getLogger(__name__)

CHANNELS = ("email", "webhook")
LEASE = timedelta(minutes=5)  # well above a send's timeouts (SMTP 30 s, webhook 10 s)
GIVE_UP_AFTER = 8
SENDING_AT_ONCE = 8


class RouteGone(Exception):
    """The landlord no longer has this route (or its secret) set up."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """A claimed submission with what its route needs, read from the database; or why it could not be."""

    submission: Submission
    document: SubmissionDocument | None = None
    address: str | None = None  # email: the complaints address; webhook: the URL
    secret: str | None = None  # webhook: the signing secret
    error: str | None = None  # could not be prepared: recorded as a failed attempt


class SubmissionDelivery:
    def __init__(
        self,
        repository: Repository,
        settings: Settings,
        clock: Clock | None = None,
        *,
        lease: timedelta = LEASE,
        give_up_after: int = GIVE_UP_AFTER,
    ) -> None:
        self.repository = repository
        self.settings = settings
        self.clock = clock or SystemClock()
        self.lease = lease
        self.give_up_after = give_up_after

    async def run_once(self, limit: int = 20) -> int:
        """Deliver what is due now; how many were delivered."""
        now = self.clock.now()
        claimed = await asyncio.to_thread(self._claim, now, limit)
        if not claimed:
            return 0
        prepared = await asyncio.to_thread(self._prepare_all, claimed, now)
        gate = asyncio.Semaphore(SENDING_AT_ONCE)
        allow_loopback = self.settings.webhook_allow_loopback
        connector = aiohttp.TCPConnector(resolver=PublicResolver(allow_loopback))
        async with aiohttp.ClientSession(connector=connector) as http:

            async def send(item: Prepared) -> str | None:
                async with gate:
                    return await self._send(http, item)

            errors = await asyncio.gather(*(send(item) for item in prepared))
        outcomes = list(zip(claimed, errors, strict=True))
        await asyncio.to_thread(self._record, outcomes, self.clock.now())
        return sum(1 for _, error in outcomes if error is None)

    def _claim(self, now: datetime, limit: int) -> list[Submission]:
        with self.repository.unit_of_work() as uow:
            return uow.access.claim_submissions(now, self.lease, CHANNELS, limit)

    def _prepare_all(self, claimed: list[Submission], now: datetime) -> list[Prepared]:
        prepared = []
        with self.repository.unit_of_work() as uow:
            for submission in claimed:
                try:
                    prepared.append(self._prepare(uow, submission, now))
                except Exception as error:  # e.g. the case was deleted meanwhile: this one fails, not all
                    prepared.append(Prepared(submission, error=type(error).__name__))
        return prepared

    def _prepare(self, uow: UnitOfWork, submission: Submission, now: datetime) -> Prepared:
        landlord = uow.access.landlord(submission.landlord_id)
        if landlord is None:
            raise RouteGone
        if submission.channel == "email":
            if not landlord.complaint_email:
                raise RouteGone
            return Prepared(submission, build_document(uow, submission, now), landlord.complaint_email)
        if not landlord.webhook_url or not landlord.webhook_secret:
            raise RouteGone  # never send unsigned
        document = build_document(uow, submission, now)
        return Prepared(submission, document, landlord.webhook_url, landlord.webhook_secret)

    async def _send(self, http: aiohttp.ClientSession, item: Prepared) -> str | None:
        """None when delivered; otherwise a short reason (an error's type name, never its text)."""
        if item.error is not None or item.document is None or item.address is None:
            return item.error or "RouteGone"
        document, submission = item.document, item.submission
        try:
            if submission.channel == "email":
                letter = Letter(document.letter.title, document.letter.text, document.letter.filename)
                # Rendered outside any transaction: typesetting must not hold the database.
                pdf = await asyncio.to_thread(documents.render_pdf, letter, made_at=document.generated_at)
                await email.send(email.compose(document, pdf, item.address, self.settings), self.settings)
            else:
                assert item.secret is not None
                if refusal(item.address, self.settings.webhook_allow_loopback, resolve=False):
                    raise PrivateAddress  # an address literal: names are checked as they resolve
                body = document.model_dump_json().encode()
                await webhook.post(
                    http, item.address, item.secret, submission.idempotency_key, body, self.clock.now()
                )
        except webhook.WebhookRefused as refused:
            return f"WebhookRefused:{refused.status}"
        except Exception as error:  # the network, the server, TLS: all retried the same way
            return type(error).__name__
        return None

    def _record(self, outcomes: list[tuple[Submission, str | None]], now: datetime) -> None:
        with self.repository.unit_of_work() as uow:
            for submission, error in outcomes:
                if error is None:
                    if not uow.access.submission_done(submission.id, now):
                        continue  # the resident deleted everything meanwhile: nothing to record
                    uow.audit(
                        "submission_delivered",
                        case_id=submission.case_id,
                        submission_id=submission.id,
                        channel=submission.channel,
                    )
                    metrics.SUBMISSIONS_DELIVERED.labels(channel=submission.channel).inc()
                    log.info("submission %d delivered by %s", submission.id, submission.channel)
                else:
                    uow.access.submission_failed(submission.id, error, now, self.give_up_after)
                    metrics.SUBMISSIONS_FAILED.labels(channel=submission.channel).inc()
                    log.warning(
                        "submission %d not delivered by %s (attempt %d): %s",
                        submission.id,
                        submission.channel,
                        submission.attempts + 1,
                        error,
                    )
