"""One update, one transaction: load where the conversation stands, run the flow, store, reply.

Both adapters (Telegram and the terminal) call this. The database is the only place a conversation
lives, so a restart, or a second instance, carries on at the same question. Two updates for one user
at once are safe: saving the conversation checks its version and the loser runs again from the start
(`Repository.run_with_retry`); replies are only sent from the run that committed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import metrics
from bot.clock import Clock, SystemClock
from bot.holidays import configure_extra_holidays, configured_extra_holidays
from bot.services.people import DbPeople
from bot.services.reminder_planning import plan_case_reminders
from bot.services.response_reading import read_letter_file_off_loop
from bot.services.workspace import DbWorkspace
from bot.settings import Settings
from bot.storage.records import IDLE, CaseSummary, User
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from flows.conversations.engine import TERMINAL, ConversationState, Turn
from flows.conversations.router import respond
from flows.conversations.types import Incoming, Reply
from flows.conversations.workspace import LetterText
from flows.i18n import Translator, normalise_language, translator

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Handled:
    replies: list[Reply]
    files_to_forget: frozenset[str] = frozenset()
    crisis: tuple[str, ...] = ()  # kinds of crisis answered (never the resident's words)
    outbox_ids: tuple[int, ...] = ()  # where the replies wait in the outbox until sent
    erased: bool = False  # the person deleted everything: finish the erasure once it committed


@dataclass(frozen=True, slots=True)
class Outbox:
    """Write an update's replies to the outbox, leased to `claimer` (who sends them after the commit)."""

    chat_id: int
    claimer: str
    lease: timedelta


# Where a file sent is a landlord's letter to read (flows/conversations/tracking.py).
LETTER_STEPS = frozenset(
    {("tracking", "reply_letter"), ("tracking", "reply_file"), ("landlord_action", "response")}
)


def copied(value: Any) -> Any:
    """A deep copy of answers as loaded from their JSON column (dicts, lists and immutable scalars),
    a few times faster than `copy.deepcopy`; anything else is deep-copied as before."""
    kind = type(value)
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value)


_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def _telegram_user(telegram_id: int, language_code: str | None) -> Callable[[UnitOfWork], User]:
    """The Telegram user in a unit of work (created on first contact, in their app's language)."""
    language = normalise_language(language_code)
    return lambda uow: uow.user_by_telegram_id(telegram_id, language)


class ChatService:
    def __init__(self, repository: Repository, settings: Settings, clock: Clock | None = None) -> None:
        self.repository = repository
        self.settings = settings
        self.clock = clock or SystemClock()
        self.max_file_bytes = settings.evidence_max_bytes
        # Where the Telegram adapter runs `handle_telegram`: SQLite takes one writer at a time, so one
        # thread of its own (measured faster than a pool, whose threads only queue for the lock and
        # fight over the GIL); PostgreSQL overlaps round trips, so a pool.
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1 if repository.engine.dialect.name == "sqlite" else 8,
            thread_name_prefix="fairsay-db",
        )
        configure_extra_holidays(settings.extra_holidays)

    # --- the adapters' entry points -----------------------------------------------------------------

    def handle_telegram(
        self, telegram_id: int, language_code: str | None, incoming: Incoming, update_id: int | None = None
    ) -> list[Reply]:
        """The replies to one Telegram update; none for an update already handled (a redelivery)."""
        return self.answer_telegram(telegram_id, language_code, incoming, update_id).replies

    def answer_telegram(
        self,
        telegram_id: int,
        language_code: str | None,
        incoming: Incoming,
        update_id: int | None = None,
        outbox: Outbox | None = None,
        letters_read: dict[str, LetterText] | None = None,
    ) -> Handled:
        """As `handle_telegram`; with `outbox`, the replies are also in the outbox when this returns.
        `letters_read`: what `read_letters_ahead` read (None: read here, if need be)."""
        return self._handle(
            _telegram_user(telegram_id, language_code),
            incoming,
            update_id,
            outbox,
            letters_read=letters_read,
        )

    async def read_letters_ahead(
        self, telegram_id: int, language_code: str | None, incoming: Incoming
    ) -> dict[str, LetterText]:
        """A landlord's letter sent where /status reads it, read (OCR: seconds) on a thread of its own
        before the update is handled: not on the database's thread, nor inside its transaction."""
        file = incoming.file
        if file is None or not file.data or file.kind not in ("photo", "document"):
            return {}
        where = await asyncio.get_running_loop().run_in_executor(
            self.executor, self._where, _telegram_user(telegram_id, language_code)
        )
        if where not in LETTER_STEPS:
            return {}
        read = await read_letter_file_off_loop(file.data, self.max_file_bytes)
        return {hashlib.sha256(file.data).hexdigest(): read}

    def _where(self, find_user: Callable[[UnitOfWork], User]) -> tuple[str, str]:
        with self.repository.unit_of_work() as uow:
            conversation = uow.conversation(find_user(uow).id)
            return conversation.flow, conversation.state

    def handle_local(self, incoming: Incoming) -> list[Reply]:
        return self._handle(lambda uow: uow.local_user(), incoming, channel=TERMINAL).replies

    def local_translator(self) -> Translator:
        with self.repository.unit_of_work() as uow:
            return translator(uow.local_user().language)

    # --- one update ---------------------------------------------------------------------------------

    def _handle(
        self,
        find_user: Callable[[UnitOfWork], User],
        incoming: Incoming,
        update_id: int | None = None,
        outbox: Outbox | None = None,
        channel: str = "telegram",
        letters_read: dict[str, LetterText] | None = None,
    ) -> Handled:
        moment = self.clock.now()
        handled = self.repository.run_with_retry(
            lambda uow: self._respond(
                uow, find_user, incoming, moment, update_id, outbox, channel, letters_read
            )
        )
        self.after_commit(handled)
        return handled

    def answer_telegram_in(
        self,
        uow: UnitOfWork,
        telegram_id: int,
        language_code: str | None,
        incoming: Incoming,
        update_id: int,
        outbox: Outbox,
    ) -> Handled:
        """As `answer_telegram`, in the caller's transaction (the one that stored the update, see
        bot/telegram/on_receipt.py); the caller commits, then calls `after_commit`."""
        return self._respond(
            uow,
            _telegram_user(telegram_id, language_code),
            incoming,
            self.clock.now(),
            update_id,
            outbox,
        )

    def after_commit(self, handled: Handled) -> None:
        """What follows an update's commit: counting crisis help, and finishing an erasure (its files,
        and SQLite's WAL)."""
        for kind in handled.crisis:
            metrics.CRISIS_HELP.labels(kind).inc()
        if handled.crisis:
            log.info("crisis help given: %s", ",".join(handled.crisis))
        if handled.erased:
            self.repository.finish_erasure(handled.files_to_forget)

    def _respond(
        self,
        uow: UnitOfWork,
        find_user: Callable[[UnitOfWork], User],
        incoming: Incoming,
        moment: datetime,
        update_id: int | None = None,
        outbox: Outbox | None = None,
        channel: str = "telegram",
        letters_read: dict[str, LetterText] | None = None,
    ) -> Handled:
        """One update in `uow`: recorded as handled, answered, its replies in the outbox (`outbox`)."""
        # Recorded in this transaction: an update is handled fully once, or not at all.
        if update_id is not None and not uow.mark_update_handled(update_id):
            metrics.DUPLICATE_UPDATES.inc()
            return Handled([])
        user = find_user(uow)
        zone = ZoneInfo(user.time_zone)
        local_now = moment.astimezone(zone)
        conversation = uow.conversation(user.id)
        state = None
        if conversation.flow != IDLE:
            # A copy: a retried run must start from what was stored, not from this run's changes.
            state = ConversationState(conversation.flow, conversation.state, copied(conversation.answers))
        workspace = DbWorkspace(uow, user, local_now.date(), self.max_file_bytes, letters_read)
        t = translator(user.language)
        people = DbPeople(uow, user, workspace, moment, t, self.settings.portal_base_url, self.settings)
        turn = Turn(
            t,
            local_now.date(),
            local_now,
            workspace,
            people=people,
            channel=channel,
            extra_holidays=configured_extra_holidays(),
        )
        new_state = respond(state, incoming, turn)
        if workspace.deleted:
            handled = Handled(
                turn.replies, frozenset(workspace.files_to_forget), crisis=turn.crisis, erased=True
            )
            if update_id is not None:
                uow.mark_update_handled(update_id)  # again: erasing the person took their inbox rows
        else:
            conversation.flow, conversation.state, conversation.answers = (
                new_state.flow,
                new_state.state,
                new_state.answers,
            )
            uow.save_conversation(conversation)
            for case_id in workspace.changed_cases:
                plan_case_reminders(uow, case_id, moment)
            handled = Handled(turn.replies, crisis=turn.crisis)
        if outbox is None or not handled.replies:
            return handled
        ids = uow.queue_replies(outbox.chat_id, handled.replies, outbox.claimer, outbox.lease)
        return replace(handled, outbox_ids=tuple(ids))

    def replan_all_reminders(self) -> int:
        """Plan every open case's reminders again (after EXTRA_BANK_HOLIDAYS changed); how many cases."""
        moment = self.clock.now()
        with self.repository.unit_of_work() as uow:
            open_cases = uow.open_cases()
        for summary in open_cases:

            def replan(uow: UnitOfWork, summary: CaseSummary = summary) -> None:
                plan_case_reminders(uow, summary.id, moment)

            self.repository.run_with_retry(replan)
        return len(open_cases)
