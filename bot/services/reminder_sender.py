"""Sending due reminders: claim from the database, write the text from the timeline as it is now,
send, mark sent. Several instances can run this at once: a claim is a lease (FOR UPDATE SKIP LOCKED
on PostgreSQL), and a reminder that could not be sent stays due and is tried again later.

No reminders at night: one that falls due in the resident's quiet hours waits until the morning.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import metrics
from bot.clock import Clock
from bot.services import notices
from bot.storage.records import DueReminder
from bot.storage.repository import Repository
from bot.storage.unit_of_work import NOTICE_PREFIX, UnitOfWork
from flows.awaab import covered_hazard
from flows.conversations.router import case_button_data
from flows.conversations.types import Button, Reply
from flows.hazards import tracked_deadlines
from flows.i18n import translator
from flows.reminders import ReminderKind, hazard_reminder_text, reminder_text
from flows.timeline import build_timeline

log = logging.getLogger(__name__)

SENDING_AT_ONCE = 32  # Telegram requests in flight for one round of reminders
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)

Send = Callable[[int, Reply], Awaitable[None]]  # (telegram id, reply)


@dataclass(frozen=True, slots=True)
class Composed:
    telegram_id: int | None
    reply: Reply | None  # None: nothing to say any more (the landlord already answered, say)
    wait_until: datetime | None = None  # quiet hours: try again then


def in_quiet_hours(local: datetime) -> bool:
    return local.time() >= QUIET_FROM or local.time() < QUIET_UNTIL


def next_morning(local: datetime) -> datetime:
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=local.tzinfo)


class ReminderSender:
    def __init__(self, repository: Repository, clock: Clock, send: Send, claimer: str | None = None) -> None:
        self.repository = repository
        self.clock = clock
        self.send = send
        self.claimer = claimer or f"{socket.gethostname()}:{id(self):x}"

    def compose(self, reminder: DueReminder, now: datetime) -> Composed:
        with self.repository.unit_of_work() as uow:
            return self._compose(uow, reminder, now)

    def compose_all(self, due: list[DueReminder], now: datetime) -> list[Composed | Exception]:
        """Every claimed reminder's message, read in one transaction; a failure stays with its reminder."""
        composed: list[Composed | Exception] = []
        with self.repository.unit_of_work() as uow:
            for reminder in due:
                try:
                    composed.append(self._compose(uow, reminder, now))
                except Exception as error:  # e.g. the case was deleted meanwhile: this one fails, not all
                    composed.append(error)
        return composed

    def _compose(self, uow: UnitOfWork, reminder: DueReminder, now: datetime) -> Composed:
        user = uow.user(reminder.user_id)
        if user is None or user.telegram_id is None:
            return Composed(None, None)
        local = now.astimezone(ZoneInfo(user.time_zone))
        if in_quiet_hours(local):
            return Composed(user.telegram_id, None, next_morning(local))
        t = translator(user.language)
        if reminder.kind.startswith(NOTICE_PREFIX):  # news of what someone else did
            return Composed(user.telegram_id, notices.compose(uow, reminder, user, t, local.date()))
        if reminder.case_id is None:
            return Composed(None, None)
        ref = str(reminder.payload.get("case", ""))
        subject = str(reminder.payload.get("subject", ""))
        if reminder.kind == ReminderKind.HAZARD_MISSED:
            details, case = uow.case_details(reminder.case_id), uow.load_case(reminder.case_id)
            hazard = covered_hazard(details, case.nation.value, case.landlord_type)
            deadlines = (
                tracked_deadlines(hazard, now, details.get("hazard_investigated"), case.extra_holidays)
                if hazard
                else None
            )
            text = hazard_reminder_text(subject, deadlines, ref, t)
        else:
            case = uow.load_case(reminder.case_id)
            text = reminder_text(reminder.kind, subject, build_timeline(case, local.date()), ref, t)
        if text is None:
            return Composed(user.telegram_id, None)
        button = Button(case_button_data(ref), t.gettext("Open my complaint"))
        return Composed(user.telegram_id, Reply(text, ((button,),)))

    async def run_once(self, limit: int = 100) -> int:
        """Send what is due now (several at once); how many were sent."""
        now = self.clock.now()
        due = await asyncio.to_thread(self.repository.claim_due_reminders, now, limit, self.claimer)
        if not due:
            return 0
        composed = await asyncio.to_thread(self.compose_all, due, now)
        done: list[int] = []  # sent, or nothing left to say: marked sent together
        sent: list[int] = []
        gate = asyncio.Semaphore(SENDING_AT_ONCE)

        async def deliver(reminder: DueReminder, message: Composed | Exception) -> None:
            try:
                if isinstance(message, Exception):
                    raise message
                if message.wait_until is not None:
                    await asyncio.to_thread(
                        self.repository.postpone_reminder, reminder.id, self.claimer, message.wait_until
                    )
                    return
                if message.reply is not None and message.telegram_id is not None:
                    async with gate:
                        await self.send(message.telegram_id, message.reply)
                    sent.append(reminder.id)
                    metrics.REMINDERS_SENT.labels(kind=reminder.kind).inc()
                    if reminder.kind in (ReminderKind.DEADLINE_MISSED, ReminderKind.HAZARD_MISSED):
                        metrics.DEADLINES_MISSED.inc()
                done.append(reminder.id)
            except Exception as error:  # stays due; retried with backoff
                log.warning("reminder %d not sent: %s", reminder.id, type(error).__name__)
                metrics.REMINDERS_FAILED.inc()
                await asyncio.to_thread(self.repository.release_reminder, reminder.id, type(error).__name__)

        await asyncio.gather(
            *(deliver(reminder, message) for reminder, message in zip(due, composed, strict=True))
        )
        await asyncio.to_thread(self.repository.mark_reminders_sent, done, self.claimer)
        return len(sent)
