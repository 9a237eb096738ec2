"""What handlers and workers call. Synchronous on purpose (a sync session is several times faster than
an async one on SQLite); the chat service calls it from a worker thread (`asyncio.to_thread`).

    repo = Repository.open(get_settings())
    with repo.unit_of_work() as uow:                 # one transaction per incoming update
        user = uow.user_by_telegram_id(tg_id, language)
        conversation = uow.conversation(user.id)
        ...
        uow.save_conversation(conversation)          # ConcurrentUpdate if another update saved first

    repo.run_with_retry(handle)                      # runs handle(uow) again after ConcurrentUpdate

Outside any user's unit of work: the reminder sender's `claim_due_reminders` / `mark_reminder_sent` /
`release_reminder`, and `export_user`, `delete_user`, `purge_closed_cases`.
"""

from __future__ import annotations

import concurrent.futures
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from bot.holidays import configure_extra_holidays
from bot.settings import Settings
from bot.storage import inbox, privacy, reminders, repair
from bot.storage.column_types import utcnow
from bot.storage.db import checkpoint, open_database
from bot.storage.dialects import is_retryable
from bot.storage.evidence import EvidenceStore
from bot.storage.records import DueReminder
from bot.storage.repair import Repaired
from bot.storage.unit_of_work import UnitOfWork

T = TypeVar("T")
log = logging.getLogger(__name__)
# Long polling's answers per transaction (`store_and_answer`): the first ones go out as soon as they
# commit, and a burst still shares its commits.
ANSWERS_PER_COMMIT = 8
ANSWER_LANES = 4  # PostgreSQL: a burst's later answers in this many transactions side by side


class _AnswerFailed(Exception):
    """An answer of `store_and_answer` raised: its chat is left to the usual path."""

    def __init__(self, chat_id: int, error: str) -> None:
        super().__init__(chat_id, error)
        self.chat_id = chat_id
        self.error = error


class Repository:
    def __init__(
        self, engine: Engine, evidence: EvidenceStore, default_time_zone: str = "Europe/London"
    ) -> None:
        self.engine = engine
        self.evidence = evidence
        self.default_time_zone = default_time_zone
        self.repaired_on_open = Repaired()
        # SQLite takes one writer at a time, and a transaction that finds it busy sleeps in SQLite's busy
        # handler (1, 2, 5 ... 100 ms): under load that sleeping, not the work, sets the pace. Queueing
        # this process's transactions on a lock hands the database over at once instead.
        self._one_at_a_time: AbstractContextManager[object] = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        # Leases are compared across machines whose clocks may differ: they use the database's clock,
        # as this machine's plus the offset measured at each claim (SQLite is one machine's: none).
        self._clock_offset: timedelta | None = timedelta(0) if engine.dialect.name == "sqlite" else None
        # `store_and_answer`'s lanes (PostgreSQL only: SQLite takes one writer at a time).
        self._answer_lanes: concurrent.futures.ThreadPoolExecutor | None = (
            None
            if engine.dialect.name == "sqlite"
            else concurrent.futures.ThreadPoolExecutor(ANSWER_LANES, thread_name_prefix="fairsay-answers")
        )

    @classmethod
    def open(cls, settings: Settings) -> Repository:
        """Connect (and, for SQLite, upgrade) the database; StorageError with one line if that fails."""
        # Every process that opens the database counts the same bank holidays (the web server and the
        # CLI as well as the bot): the kept clocks' stamps name them (bot.storage.clocks), and two
        # calendars would have each process compute the other's clocks again, for ever.
        configure_extra_holidays(settings.extra_holidays)
        evidence = EvidenceStore(settings.evidence_dir, settings.evidence_max_bytes)
        evidence.keep_private()
        repository = cls(open_database(settings), evidence, settings.default_time_zone)
        try:
            # An installation hit by erasures that ran without cascades recovers on its next start.
            repository.repaired_on_open = repository.complete_erasures()
        except BaseException:
            repository.close()
            raise
        return repository

    def close(self) -> None:
        if self._answer_lanes is not None:
            self._answer_lanes.shutdown(wait=False)
        self.engine.dispose()

    def _session(self) -> Session:
        # Records are built from rows before commit; nothing needs reloading after it.
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._one_at_a_time, self._session() as session, session.begin():
            yield session

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        offset = self._clock_offset if self._clock_offset is not None else self._measure_clock()
        with self._one_at_a_time, self._session() as session:
            uow = UnitOfWork(session, self.evidence, self.default_time_zone, offset)
            try:
                yield uow
                session.commit()
            except BaseException:
                uow.discard_files_created()  # before the rollback lets go of the files' hash locks
                session.rollback()
                raise

    def run_with_retry(self, work: Callable[[UnitOfWork], T], attempts: int = 5) -> T:
        """Run `work` in a unit of work; after a ConcurrentUpdate (or a database's "try again"), run it
        again from the start in a fresh one, up to `attempts` times in all. `work` must not have
        effects outside the database (send messages after it returns)."""
        for attempt in range(1, attempts + 1):
            try:
                with self.unit_of_work() as uow:
                    return work(uow)
            except Exception as error:
                if attempt == attempts or not is_retryable(error):
                    raise
                # A short random pause, so two retrying updates do not collide again in step.
                time.sleep(random.uniform(0, 0.002 * 2**attempt))  # noqa: S311 (jitter, not security)
        raise AssertionError("unreachable")

    # The reminder sender --------------------------------------------------------------------------

    def claim_due_reminders(
        self, now: datetime, limit: int, claimer: str, lease: timedelta = timedelta(minutes=5)
    ) -> list[DueReminder]:
        """Up to `limit` due reminders, earliest first, leased to `claimer` until now + lease."""
        with self._transaction() as session:
            return reminders.claim_due(session, now, limit, claimer, lease)

    def mark_reminder_sent(self, reminder_id: int, claimer: str, now: datetime | None = None) -> bool:
        with self._transaction() as session:
            return reminders.mark_sent(session, reminder_id, claimer, now or utcnow())

    def mark_reminders_sent(self, reminder_ids: list[int], claimer: str, now: datetime | None = None) -> int:
        with self._transaction() as session:
            return reminders.mark_many_sent(session, reminder_ids, claimer, now or utcnow())

    def postpone_reminder(self, reminder_id: int, claimer: str, until: datetime) -> bool:
        with self._transaction() as session:
            return reminders.postpone(session, reminder_id, claimer, until)

    def release_reminder(self, reminder_id: int, error: str, now: datetime | None = None) -> None:
        with self._transaction() as session:
            reminders.release(session, reminder_id, error, now or utcnow())

    # Rights over personal data --------------------------------------------------------------------

    def export_user(self, user_id: int) -> bytes:
        """A zip of everything held about the user (data.json) and their evidence files."""
        with self._transaction() as session:
            return privacy.export_user(session, self.evidence, user_id)

    def delete_user(self, user_id: int, by_user_id: int | None = None) -> None:
        """Erase the user and everything of theirs. `by_user_id`: an operator acting for them."""
        with self._transaction() as session:
            hashes = privacy.delete_user(session, user_id, by_user_id)
        log.info("deleted a user and %d evidence files", self.finish_erasure(hashes))

    def complete_erasures(self) -> Repaired:
        """Finish deletions that left rows pointing at nothing (SQLite, foreign keys once off), and
        what an erasure killed after its commit left: the files no record refers to (or a killed
        upload's) and, on SQLite, the erased rows' older copies in the WAL (checkpointed)."""
        with self._transaction() as session:
            repaired = repair.complete_erasures(session)
            unreferenced = privacy.unreferenced_files(session, self.evidence)
        repaired.files_removed = self.evidence.remove_abandoned_uploads()
        repaired.files_removed += self.finish_erasure(repaired.file_hashes | unreferenced)
        if repaired:
            log.warning("%s", repaired.summary())
        return repaired

    def finish_erasure(self, hashes: set[str] | frozenset[str]) -> int:
        """After a deletion committed: remove the files no evidence record refers to any more, and
        (SQLite) checkpoint, so the WAL keeps no copy of the rows; how many files were removed."""
        removed = privacy.forget_unused_files(self._session, self.evidence, hashes)
        with self._one_at_a_time:
            if not checkpoint(self.engine):
                log.warning("erased rows may stay in the SQLite WAL until the next checkpoint (a reader)")
        return removed

    # The inbox and the outbox (bot/telegram/inbox.py) ----------------------------------------------

    def _database_now(self, session: Session) -> datetime:
        """Now by the database's clock (and the offset from this machine's, for the next leases)."""
        local = utcnow()
        if self.engine.dialect.name == "sqlite":
            return local
        now: datetime = session.execute(text("SELECT CURRENT_TIMESTAMP")).scalar_one()
        self._clock_offset = now - local
        return now

    def _measure_clock(self) -> timedelta:
        with self._session() as session:
            self._database_now(session)
        return self._clock_offset or timedelta(0)

    def _lease_now(self) -> datetime:
        offset = self._clock_offset if self._clock_offset is not None else self._measure_clock()
        return utcnow() + offset

    def store_updates(
        self,
        updates: list[inbox.StoredUpdate],
        claimer: str,
        lease: timedelta,
        retry: set[int] | None = None,
        sent: set[int] | frozenset[int] = frozenset(),
    ) -> list[int]:
        """Store a batch of updates (see bot.storage.inbox.store); in the same transaction, mark
        `sent` the replies sent since the last one (one commit for both)."""
        ids, _ = self.store_and_answer(updates, claimer, lease, (), retry, sent)
        return ids

    def store_and_answer(
        self,
        updates: list[inbox.StoredUpdate],
        claimer: str,
        lease: timedelta,
        answers: Sequence[tuple[int, int, Callable[[UnitOfWork], T]]],
        retry: set[int] | None = None,
        sent: set[int] | frozenset[int] = frozenset(),
        committed: Callable[[dict[int, T]], None] | None = None,
        ends_chat: Callable[[T], bool] | None = None,
    ) -> tuple[list[int], dict[int, T]]:
        """`store_updates`, and the `answers` (update id, chat id, work) whose updates this process is
        to handle, in their order: the first ANSWERS_PER_COMMIT in the transaction that stores the
        batch, the rest as many to a transaction after it (on PostgreSQL in ANSWER_LANES lanes side by
        side, a chat's all in one), not a transaction to store and one per update. `committed` gets
        each transaction's answers once it has committed, so the first replies go out while the later
        ones are worked out.

        An answer that raises is left out (the transaction runs again without it): its update stays
        stored and unhandled, for the usual path to take up, as do its chat's later answers (a chat's
        updates are answered in order); so do a later transaction's, if it fails, and a chat's updates
        after an answer that `ends_chat` (an erasure: its "Done" is sent and forgotten before the next
        makes them someone new). If the first fails for another reason, nothing is stored and this
        raises. Returns the ids to handle, and what each answer that committed returned."""
        now = self._lease_now()
        mine: set[int] = set()
        failed_chats: set[int] = set()

        def store(connection: Connection) -> list[int]:
            if sent:
                inbox.mark_sent(connection, sent, now)
            ids = inbox.store(connection, updates, claimer, now, lease, retry or ())
            mine.clear()  # a try run again: what this one stored, not what a rolled-back one had
            mine.update(ids)
            return ids

        size = ANSWERS_PER_COMMIT
        with self._one_at_a_time:
            ids, answered = self._answer_chunk(answers[:size], mine, failed_chats, store, ends_chat)
            if committed is not None and answered:
                committed(answered)
            rest = answers[size:]
            if self._answer_lanes is None or len(rest) <= size:
                answered.update(self._answer_in_turn(rest, mine, failed_chats, ends_chat, committed))
                return ids, answered
            # PostgreSQL: the rest in lanes side by side (its round trips overlap, as the usual path's
            # on a pool do), a chat's answers all in one lane, in their order.
            lanes: dict[int, list[tuple[int, int, Callable[[UnitOfWork], T]]]] = {}
            for answer in rest:
                lanes.setdefault(answer[1] % ANSWER_LANES, []).append(answer)
            running = [
                self._answer_lanes.submit(
                    self._answer_in_turn, lane, mine, failed_chats, ends_chat, committed
                )
                for lane in lanes.values()
            ]
            for lane_answered in running:
                answered.update(lane_answered.result())
        return ids, answered

    def _answer_in_turn(
        self,
        answers: Sequence[tuple[int, int, Callable[[UnitOfWork], T]]],
        mine: set[int],
        failed_chats: set[int],
        ends_chat: Callable[[T], bool] | None,
        committed: Callable[[dict[int, T]], None] | None,
    ) -> dict[int, T]:
        """The answers, ANSWERS_PER_COMMIT to a transaction, one transaction after another."""
        answered: dict[int, T] = {}
        size = ANSWERS_PER_COMMIT
        for start in range(0, len(answers), size):
            chunk = answers[start : start + size]
            try:
                _, more = self._answer_chunk(chunk, mine, failed_chats, ends_chat=ends_chat)
            except Exception as error:  # stored, unhandled: the usual path tries them again
                failed_chats.update(chat_id for _, chat_id, _ in chunk)
                log.warning("answers left for the usual path", extra={"error": type(error).__name__})
                continue
            answered.update(more)
            if committed is not None and more:
                committed(more)
        return answered

    def _answer_chunk(
        self,
        chunk: Sequence[tuple[int, int, Callable[[UnitOfWork], T]]],
        mine: set[int],
        failed_chats: set[int],
        store: Callable[[Connection], list[int]] | None = None,
        ends_chat: Callable[[T], bool] | None = None,
    ) -> tuple[list[int], dict[int, T]]:
        """One transaction: the batch stored (`store`), if given, then the chunk's answers. An answer
        that raises rolls the transaction back, and it runs again without that answer's chat: a
        savepoint per answer would cost a quarter of the step (measured), and answers rarely fail."""
        while True:
            try:
                return self._try_chunk(chunk, mine, failed_chats, store, ends_chat)
            except _AnswerFailed as failure:
                failed_chats.add(failure.chat_id)
                log.warning("an update left for the usual path", extra={"error": failure.error})

    def _try_chunk(
        self,
        chunk: Sequence[tuple[int, int, Callable[[UnitOfWork], T]]],
        mine: set[int],
        failed_chats: set[int],
        store: Callable[[Connection], list[int]] | None,
        ends_chat: Callable[[T], bool] | None,
    ) -> tuple[list[int], dict[int, T]]:
        offset = self._clock_offset or timedelta(0)
        answered: dict[int, T] = {}
        units: list[UnitOfWork] = []
        ended: set[int] = set()  # chats whose later updates wait for the usual path, once this commits
        with self._session() as session:
            try:
                ids = store(session.connection()) if store is not None else []
                for update_id, chat_id, work in chunk:
                    if update_id not in mine or chat_id in failed_chats or chat_id in ended:
                        continue
                    uow = UnitOfWork(session, self.evidence, self.default_time_zone, offset)
                    units.append(uow)
                    try:
                        answered[update_id] = result = work(uow)
                        # The next answer starts as in a transaction of its own: this one's changes to
                        # ORM rows written out (its Core reads, such as the user's language, would not
                        # see them), and no row loaded before its Core writes (say, the same person's).
                        # Flushed here, a change that fails is this answer's, not the next one's.
                        session.flush()
                        session.expunge_all()
                    except Exception as error:
                        raise _AnswerFailed(chat_id, type(error).__name__) from error
                    if ends_chat is not None and ends_chat(result):
                        ended.add(chat_id)
                session.commit()
            except BaseException:
                for uow in units:  # their files were written for a transaction that did not commit
                    uow.discard_files_created()
                session.rollback()
                raise
        failed_chats.update(ended)
        return ids, answered

    def claim_unhandled_updates(
        self, claimer: str, lease: timedelta, retry: set[int], everything: bool = False
    ) -> list[inbox.StoredUpdate]:
        with self._transaction() as session:
            now = self._database_now(session)
            return inbox.claim_unhandled(session, claimer, now, lease, retry, everything=everything)

    def renew_leases(
        self, claimer: str, update_ids: list[int], reply_ids: list[int], lease: timedelta
    ) -> None:
        with self._transaction() as session:
            inbox.renew(session, claimer, update_ids, reply_ids, self._database_now(session) + lease)

    def give_up_update(self, update_id: int) -> None:
        with self._transaction() as session:
            inbox.give_up(session, update_id, utcnow())

    def claim_unsent_replies(
        self, claimer: str, lease: timedelta, retry: set[int], everything: bool = False
    ) -> list[inbox.QueuedReply]:
        with self._transaction() as session:
            now = self._database_now(session)
            return inbox.claim_unsent(session, claimer, now, lease, retry, everything=everything)

    def language_of(self, telegram_id: int) -> str | None:
        """The resident's language, for a word about a reply Telegram refused (None: not known)."""
        with self._session() as session:
            return inbox.language_of(session, telegram_id)

    def mark_replies_sent(self, ids: list[int]) -> None:
        with self._one_at_a_time, self.engine.begin() as connection:
            inbox.mark_sent(connection, ids, utcnow())

    def prune_inbox_and_outbox(self, older_than: timedelta, now: datetime | None = None) -> tuple[int, int]:
        """INBOX_KEEP_DAYS: handled updates and sent replies older than this go (how many of each)."""
        with self._transaction() as session:
            return inbox.prune(session, (now or utcnow()) - older_than)

    def purge_closed_cases(self, older_than_months: int, now: datetime | None = None) -> int:
        """Delete cases closed more than `older_than_months` ago (RETENTION_MONTHS); how many."""
        with self._transaction() as session:
            purged, hashes = privacy.purge_closed_cases(session, older_than_months, now or utcnow())
        files = self.finish_erasure(hashes)
        log.info("purged %d closed cases and %d evidence files", purged, files)
        return purged
