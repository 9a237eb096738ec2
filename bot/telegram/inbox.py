"""Nothing lost between Telegram and the database: updates go into the inbox before Telegram is told
we have them, replies go out from the outbox (bot/storage/inbox.py).

- Long polling (`InboxUpdater`): a batch from getUpdates is stored (committed) before the next call's
  `offset` confirms it; if storing fails the offset stays, and Telegram hands the batch out again.
- Webhook (bot/web/app.py): stored and committed before the 2xx; a 503 otherwise, so Telegram retries.
- Handling marks the inbox row handled and writes the replies to the outbox in the update's own
  transaction (bot/services/chat_service.py); after the commit the handler sends them at once (`send_now`).
  A long-polled text or button is handled in the transaction that stores its batch
  (bot/telegram/on_receipt.py): one commit where there were two.
- `recover` (a job, and at start) takes over updates and replies that a crash, a database outage or a
  Telegram outage left behind: leases that ran out, or this process's own failed tries.

Per chat, replies go out in the order they were written: a chat whose reply could not be sent, or
whose update failed, waits for the recovery round, which works through it oldest first.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dtm
import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, Updater

from bot.storage.inbox import QueuedReply, StoredUpdate
from bot.storage.repository import Repository
from bot.telegram.outgoing import refused_for_good, send_replies, tell_chat_it_failed, tell_it_failed
from bot.telegram.raw_updates import KeepsRawUpdates
from flows.conversations.types import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")
MAILROOM = "mailroom"
MARK_DELAY = 0.05  # seconds
MAX_ATTEMPTS = 10  # an update tried this often is given up, and the resident told so
SendReplies = Callable[[Any, int, list[Reply]], Any]


def stored(update: Update, raw: dict[int, dict[str, Any]] | None = None) -> StoredUpdate:
    """The update for the inbox: as Telegram sent it when `raw` has it (getUpdates' own JSON), else
    rebuilt from PTB's object (a webhook's, or a test's)."""
    user = update.effective_user
    payload = raw.get(update.update_id) if raw else None
    return StoredUpdate(update.update_id, user.id if user else None, payload or update.to_dict())


class Mailroom:
    """This process's side of the inbox and outbox: its name as a claimer, the updates it has in hand,
    what it must try again, and the chats that wait for the recovery round."""

    def __init__(self, repository: Repository, lease: timedelta) -> None:
        self.repository = repository
        self.lease = lease
        self.claimer = secrets.token_hex(8)
        self.updates_in_hand: set[int] = set()  # stored or claimed by us, not finished yet
        # Our own rows (still leased to us) that the recovery round is to take up again: a failed try,
        # or one left for it to keep a chat in order. Nothing else of ours is touched meanwhile.
        self.updates_to_retry: set[int] = set()
        self.replies_to_retry: set[int] = set()
        self.sent_unmarked: set[int] = set()  # sent, to be marked so in the next transaction
        self.replies_in_hand: set[int] = set()  # being sent (perhaps waiting for Telegram's pace)
        self.stalled_chats: set[int] = set()  # an update or reply of theirs failed: recovery goes first
        self.recovering: set[int] = set()  # update ids the recovery round dispatched
        self.executor: Any = None  # the chat service's: SQLite work stays on its one thread
        self._marking: asyncio.TimerHandle | None = None
        self._marker = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="fairsay-outbox"
        )

    async def _db(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, call, *args)

    # --- the inbox ---

    async def store(
        self, updates: Sequence[Update], raw: dict[int, dict[str, Any]] | None = None
    ) -> list[int]:
        """Store the updates (raises if the database cannot); the ids this process is to handle now.
        Replies sent since the last commit are marked sent in the same transaction. `raw`: the
        updates as Telegram sent them, by id (bot/telegram/raw_updates.py)."""
        ids, _ = await self.store_and_answer(updates, raw)
        return ids

    async def store_and_answer(
        self,
        updates: Sequence[Update],
        raw: dict[int, dict[str, Any]] | None = None,
        answers: Sequence[tuple[int, int, Callable[..., T]]] = (),
        after_commit: Callable[[dict[int, T]], None] | None = None,
        deliver: Callable[[dict[int, T]], None] | None = None,
        ends_chat: Callable[[T], bool] | None = None,
    ) -> tuple[list[int], dict[int, T]]:
        """As `store`, and the `answers` with it (bot/telegram/on_receipt.py): the ids to handle on
        the usual path, and the answers that committed. As each transaction commits, `after_commit`
        runs on the database's thread, then `deliver` on the event loop. A chat's updates after an
        answer that `ends_chat` take the usual path."""
        sent = frozenset(self.sent_unmarked)
        retry = {u.update_id for u in updates} & self.updates_to_retry
        batch = [stored(u, raw) for u in updates]
        loop = asyncio.get_running_loop()

        def committed(answered: dict[int, T]) -> None:
            if after_commit is not None:
                after_commit(answered)
            if deliver is not None:
                loop.call_soon_threadsafe(deliver, answered)

        ids, answered = await self._db(
            self.repository.store_and_answer,
            batch,
            self.claimer,
            self.lease,
            answers,
            retry,
            sent,
            committed,
            ends_chat,
        )
        self.sent_unmarked -= sent
        self.updates_to_retry.difference_update(ids)
        usual = [update_id for update_id in ids if update_id not in answered]
        self.updates_in_hand.update(usual)
        return usual, answered

    def may_handle(self, update: Update) -> bool:
        """False for an update another instance has, or one that must wait for its chat's recovery."""
        if update.update_id not in self.updates_in_hand:
            return False
        chat = update.effective_chat
        if chat is not None and chat.id in self.stalled_chats and update.update_id not in self.recovering:
            self.updates_in_hand.discard(update.update_id)
            self.updates_to_retry.add(update.update_id)  # the recovery round takes it, in order
            return False
        return True

    def done_with(self, update: Update, failed: bool) -> None:
        self.updates_in_hand.discard(update.update_id)
        self.recovering.discard(update.update_id)
        if failed:
            self.updates_to_retry.add(update.update_id)
            if update.effective_chat is not None:
                self.stalled_chats.add(update.effective_chat.id)

    # --- the outbox ---

    async def send_now(
        self, bot: Any, chat_id: int, replies: list[Reply], ids: Sequence[int], send: SendReplies
    ) -> None:
        """The fast path: replies just committed go out at once, unless the chat has some waiting."""
        if not ids:
            return
        if chat_id in self.stalled_chats:
            self.replies_to_retry.update(ids)  # the recovery round sends them after the older ones
            return
        await self._send(bot, chat_id, list(zip(ids, replies, strict=True)), send)

    async def _send(self, bot: Any, chat_id: int, queued: list[tuple[int, Reply]], send: SendReplies) -> bool:
        """Send in order. False (the chat stalls, the rest wait) if Telegram could not take one."""
        ids = {reply_id for reply_id, _ in queued}
        self.replies_in_hand.update(ids)
        try:
            return await self._send_in_order(bot, chat_id, queued, send)
        finally:
            self.replies_in_hand.difference_update(ids)

    async def _send_in_order(
        self, bot: Any, chat_id: int, queued: list[tuple[int, Reply]], send: SendReplies
    ) -> bool:
        undeliverable = False
        for position, (reply_id, reply) in enumerate(queued):
            try:
                await send(bot, chat_id, [reply])
            except TelegramError as error:
                if refused_for_good(error):  # nothing to retry: sending it again would block the chat
                    log.warning("a reply was refused", extra={"error": type(error).__name__})
                    undeliverable = undeliverable or not isinstance(error, Forbidden)
                    self.sent_unmarked.add(reply_id)
                    self._mark_soon()
                    continue
                # away, or too busy: the recovery round tries again
                log.warning("a reply could not be sent yet", extra={"error": type(error).__name__})
                self.stalled_chats.add(chat_id)
                self.replies_to_retry.update(reply_id for reply_id, _ in queued[position:])
                return False
            self.sent_unmarked.add(reply_id)
            self._mark_soon()
        if undeliverable:  # the resident would wait for an answer that will never come
            await self._tell_undeliverable(bot, chat_id)
        return True

    async def _tell_undeliverable(self, bot: Any, chat_id: int) -> None:
        try:
            language = await self._db(self.repository.language_of, chat_id)
        except Exception:  # the database away: the sorry in English is better than none
            language = None
        await tell_chat_it_failed(bot, chat_id, language)

    def _mark_soon(self) -> None:
        """Sent replies are marked with the next batch stored, or at most MARK_DELAY later on their own:
        one commit for many under load, and few sent again after a crash."""
        if self._marking is None:
            loop = asyncio.get_running_loop()
            self._marking = loop.call_later(MARK_DELAY, lambda: loop.create_task(self._mark_sent()))

    async def mark_sent_now(self) -> None:
        """Mark at once what was sent: after an erasure, whose "Done" is the last trace of the person
        (marked sent, it is forgotten), so a stop right after it leaves nothing behind."""
        if self._marking is not None:
            self._marking.cancel()
        await self._mark_sent()

    async def _mark_sent(self) -> None:
        self._marking = None
        marked = set(self.sent_unmarked)
        if not marked:
            return
        try:
            # A thread of its own: behind a queue of updates on the chat service's thread, the mark
            # would wait for all of them, and a crash meanwhile would send those replies again.
            await asyncio.get_running_loop().run_in_executor(
                self._marker, self.repository.mark_replies_sent, sorted(marked)
            )
            self.sent_unmarked -= marked
        except Exception as error:  # the database away: the recovery round marks them later
            log.warning("could not mark replies sent yet", extra={"error": type(error).__name__})

    # --- recovery ---

    async def recover(self, application: Application, send: SendReplies, everything: bool = False) -> None:  # type: ignore[type-arg]
        """Replies left unsent go out first (oldest first, per chat), then updates left unhandled are
        handled again. `everything`: whatever the leases say (a long-polling process starting)."""
        replies_in_hand = self.replies_in_hand | self.sent_unmarked
        if self.updates_in_hand or replies_in_hand:  # still ours: nobody else is to take them over
            await self._db(
                self.repository.renew_leases,
                self.claimer,
                sorted(self.updates_in_hand),
                sorted(replies_in_hand),
                self.lease,
            )
        if self.sent_unmarked:
            marked = set(self.sent_unmarked)
            await self._db(self.repository.mark_replies_sent, sorted(marked))
            self.sent_unmarked -= marked
        retry = set(self.replies_to_retry)
        replies = await self._db(
            self.repository.claim_unsent_replies, self.claimer, self.lease, retry, everything
        )
        self.replies_to_retry -= retry
        by_chat: defaultdict[int, list[QueuedReply]] = defaultdict(list)
        for reply in replies:
            by_chat[reply.chat_id].append(reply)
        stuck = set()
        for chat_id, queued in by_chat.items():
            if not await self._send(application.bot, chat_id, [(q.id, q.reply) for q in queued], send):
                stuck.add(chat_id)
        retry = set(self.updates_to_retry)
        updates = await self._db(
            self.repository.claim_unhandled_updates, self.claimer, self.lease, retry, everything
        )
        self.updates_to_retry -= retry
        if not updates:
            self.stalled_chats.intersection_update(stuck)
            return
        for item in updates:
            update = Update.de_json(item.payload, application.bot)
            if item.attempts > MAX_ATTEMPTS:
                await self._give_up(application, update)
                continue
            self.updates_in_hand.add(item.update_id)
            self.recovering.add(item.update_id)
            await application.update_queue.put(update)

    async def _give_up(self, application: Application, update: Update) -> None:  # type: ignore[type-arg]
        await self._db(self.repository.give_up_update, update.update_id)
        log.error("an update was given up after %d tries", MAX_ATTEMPTS)
        await tell_it_failed(application.bot, update)


async def recover(context: Any) -> None:
    """The recovery round, on the job queue."""
    mailroom: Mailroom = context.bot_data[MAILROOM]
    try:
        await mailroom.recover(context.application, send_replies)
    except Exception as error:  # the database may be away: the next round tries again
        log.warning("recovery round failed", extra={"error": type(error).__name__})


class AnswersOnReceipt(Protocol):
    """What the long polling asks of bot/telegram/on_receipt.py (a protocol: it imports this module)."""

    def answers(self, updates: Sequence[Update]) -> Sequence[tuple[int, int, Callable[..., Any]]]: ...

    def after_commit(self, answered: dict[int, Any]) -> None: ...

    def deliver(self, updates: Sequence[Update], answered: dict[int, Any], started: float) -> None: ...

    def ends_chat(self, handled: Any) -> bool: ...


class InboxUpdater(Updater):
    """Long polling that stores each batch before confirming it (PTB's own confirms on receipt).

    `Application.run_polling` and tests' `start_polling`/`stop` use it as PTB's Updater."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        mailroom: Mailroom,
        raw_updates: KeepsRawUpdates | None = None,
        on_receipt: AnswersOnReceipt | None = None,
    ) -> None:
        super().__init__(application.bot, application.update_queue)
        self.application = application
        self.mailroom = mailroom
        self.raw_updates = raw_updates  # the getUpdates request object, which keeps Telegram's JSON
        self.on_receipt = on_receipt  # which updates to answer in the transaction that stores them
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def start_polling(  # type: ignore[override]
        self,
        poll_interval: float = 0.0,
        timeout: dtm.timedelta | int = 10,  # noqa: ASYNC109 (PTB's signature: the long poll's)
        allowed_updates: Sequence[str] | None = None,
        **_: Any,
    ) -> asyncio.Queue[object]:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        self._running = True
        await self._until_it_works(lambda: self.bot.delete_webhook())
        # Only one process may long-poll a bot: whatever the inbox and outbox hold is this one's now.
        await self._until_it_works(
            lambda: self.mailroom.recover(self.application, send_replies, everything=True)
        )
        self._task = asyncio.create_task(self._poll(timeout, allowed_updates), name="InboxUpdater")
        return self.update_queue

    async def _until_it_works(self, call: Callable[[], Any]) -> None:
        pause = 0.5
        while self.running:
            try:
                await call()
                return
            except Exception as error:
                log.warning("start of polling: retrying", extra={"error": type(error).__name__})
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5)

    async def _poll(self, poll_for: dtm.timedelta | int, allowed_updates: Sequence[str] | None) -> None:
        pause = 0.5
        while self.running:
            try:
                updates = await self.bot.get_updates(
                    offset=self._offset, timeout=poll_for, allowed_updates=allowed_updates
                )
                if updates:
                    await self._store_and_answer(updates)
                pause = 0.5
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Telegram or the database away: the same batch comes again
                log.warning("polling: retrying", extra={"error": type(error).__name__})
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5)

    async def _store_and_answer(self, updates: Sequence[Update]) -> None:
        started = time.perf_counter()
        raw = self.raw_updates.last_updates if self.raw_updates is not None else None
        on_receipt = self.on_receipt
        # Committed (with the first answers) before the next offset tells Telegram we have the batch.
        if on_receipt is None:
            usual, _ = await self.mailroom.store_and_answer(updates, raw)
        else:
            usual, _ = await self.mailroom.store_and_answer(
                updates,
                raw,
                on_receipt.answers(updates),
                on_receipt.after_commit,
                lambda answered: on_receipt.deliver(updates, answered, started),
                on_receipt.ends_chat,
            )
        self._offset = updates[-1].update_id + 1
        handle = set(usual)
        for update in updates:
            if update.update_id in handle:
                await self.update_queue.put(update)

    async def stop(self) -> None:
        if not self.running:
            raise RuntimeError("This Updater is not running!")
        self._running = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._offset is not None:  # everything up to here is stored: confirm it
            with contextlib.suppress(TelegramError):
                await self.bot.get_updates(offset=self._offset, timeout=0)
