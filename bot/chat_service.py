"""One update, one transaction: load where the conversation stands, run the flow, store, reply.

Both adapters (Telegram and the terminal) call this. The database is the only place a conversation
lives, so a restart, or a second instance, carries on at the same question. Two updates for one user
at once are safe: saving the conversation checks its version and the loser runs again from the start
(`Repository.run_with_retry`); replies are only sent from the run that committed.
"""

from __future__ import annotations

import concurrent.futures
import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import metrics
from bot.clock import Clock, SystemClock
from bot.settings import Settings
from bot.storage.records import IDLE, CaseSummary, User
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from bot.workspace import DbWorkspace
from flows.conversations.engine import ConversationState, Incoming, Reply, Turn
from flows.conversations.router import respond
from flows.hazards import tracked_deadlines
from flows.i18n import Translator, normalise_language, translator
from flows.reminders import payload, plan, plan_hazard
from flows.timeline import build_timeline
from flows.working_days import calendar_for, configure_extra_holidays

log = logging.getLogger(__name__)

REMINDER_HOUR = time(10, 0)  # reminders go out mid-morning, the resident's time


@dataclass(frozen=True, slots=True)
class Handled:
    replies: list[Reply]
    files_to_forget: frozenset[str] = frozenset()


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
        language = normalise_language(language_code)
        return self._handle(lambda uow: uow.user_by_telegram_id(telegram_id, language), incoming, update_id)

    def handle_local(self, incoming: Incoming) -> list[Reply]:
        return self._handle(lambda uow: uow.local_user(), incoming)

    def local_translator(self) -> Translator:
        with self.repository.unit_of_work() as uow:
            return translator(uow.local_user().language)

    # --- one update ---------------------------------------------------------------------------------

    def _handle(
        self, find_user: Callable[[UnitOfWork], User], incoming: Incoming, update_id: int | None = None
    ) -> list[Reply]:
        moment = self.clock.now()

        def work(uow: UnitOfWork) -> Handled:
            # Recorded in this transaction: an update is handled fully once, or not at all.
            if update_id is not None and not uow.claim_update(update_id):
                metrics.DUPLICATE_UPDATES.inc()
                return Handled([])
            user = find_user(uow)
            zone = ZoneInfo(user.time_zone)
            local_now = moment.astimezone(zone)
            conversation = uow.conversation(user.id)
            state = None
            if conversation.flow != IDLE:
                # A copy: a retried run must start from what was stored, not from this run's changes.
                state = ConversationState(
                    conversation.flow, conversation.state, copy.deepcopy(conversation.answers)
                )
            workspace = DbWorkspace(uow, user, local_now.date(), self.max_file_bytes)
            turn = Turn(translator(user.language), local_now.date(), local_now, workspace)
            new_state = respond(state, incoming, turn)
            if workspace.deleted:
                return Handled(turn.replies, frozenset(workspace.files_to_forget))
            conversation.flow, conversation.state, conversation.answers = (
                new_state.flow,
                new_state.state,
                new_state.answers,
            )
            uow.save_conversation(conversation)
            if user.telegram_id is not None:  # the terminal chat cannot be reminded
                for case_id, ref in workspace.changed_cases.items():
                    self.plan_reminders(uow, user, case_id, ref, local_now)
            return Handled(turn.replies)

        handled = self.repository.run_with_retry(work)
        if handled.files_to_forget:
            self.repository.forget_files(handled.files_to_forget)
        return handled.replies

    def replan_all_reminders(self) -> int:
        """Plan every open case's reminders again (after EXTRA_BANK_HOLIDAYS changed); how many cases."""
        moment = self.clock.now()
        with self.repository.unit_of_work() as uow:
            open_cases = uow.open_cases()
        for summary in open_cases:

            def replan(uow: UnitOfWork, summary: CaseSummary = summary) -> None:
                user = uow.user(summary.owner_user_id)
                if user is not None and user.telegram_id is not None:
                    local_now = moment.astimezone(ZoneInfo(user.time_zone))
                    self.plan_reminders(uow, user, summary.id, summary.public_ref, local_now)

            self.repository.run_with_retry(replan)
        return len(open_cases)

    # --- reminders ------------------------------------------------------------------------------------

    def plan_reminders(
        self, uow: UnitOfWork, user: User, case_id: int, ref: str, local_now: datetime
    ) -> None:
        """Schedule what the case's timeline needs now and cancel what it no longer does."""
        case = uow.load_case(case_id)
        today = local_now.date()
        timeline = build_timeline(case, today)
        keys = set()
        planned_reminders = plan(timeline, calendar_for(case.nation), today)
        details = uow.case_details(case_id)
        if details.get("hazard"):
            hazard = tracked_deadlines(details["hazard"], local_now, details.get("hazard_investigated"))
            planned_reminders += plan_hazard(hazard or [], calendar_for(case.nation), today)
        for planned in planned_reminders:
            key = f"{ref}:{planned.key}"
            keys.add(key)
            due_at = datetime.combine(planned.on, REMINDER_HOUR, tzinfo=local_now.tzinfo)
            due_at = max(due_at, local_now + timedelta(minutes=1))
            uow.schedule_reminder(
                user.id, planned.kind.value, due_at, key, case_id=case_id, payload=payload(planned, ref)
            )
        uow.cancel_reminders(case_id, except_keys=keys)
