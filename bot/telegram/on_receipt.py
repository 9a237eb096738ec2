"""Updates answered on receipt: a long-polled button or text from a private chat is answered in the
transaction that stores its batch in the inbox (`Repository.store_and_answer`): one trip to the
database's thread and one commit, instead of a transaction to store the batch, a trip back to the
event loop, PTB's queue, and a transaction per update (issue 28: those hops and commits, not the
flows, were most of a step's cost).

The promises stay those of bot/telegram/inbox.py: the batch is committed before Telegram hears the
next offset, and no reply goes out before its update's transaction commits. Anything else takes the
usual path (`on_update` in bot/telegram/handlers.py): files (downloaded first), other chats, people
over the flood limit, a chat with replies waiting for the recovery round or an erasure's "Done" on
its way, and any update while this process has one in hand on the usual path (so a chat's updates
are never answered out of order). An answer that fails is left out (its transaction runs again
without it) and takes the usual path too, with its chat's later updates in the batch, as do a
person's updates after their erasure (`ends_chat`). The first answers commit with the batch; a
burst's others follow a few to a transaction (`ANSWERS_PER_COMMIT`), each few sent as soon as they
commit.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.services.chat_service import ChatService, Handled, Outbox
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram.handlers import (
    FLOOD_GATE,
    SERVICE,
    FloodGate,
    acknowledge_button,
    count_handled,
    forget_idle_lock,
    typed_incoming,
    user_locks,
)
from bot.telegram.inbox import Mailroom
from bot.telegram.outgoing import send_replies

log = logging.getLogger(__name__)

Answer = tuple[int, int, Callable[[UnitOfWork], Handled]]  # update id, chat id, the work


class AnswerOnReceipt:
    def __init__(self, application: Application, mailroom: Mailroom) -> None:  # type: ignore[type-arg]
        self.application = application
        self.mailroom = mailroom
        # Chats whose erasure's "Done" is not marked sent yet: their next updates take the usual path,
        # which waits for it (the user's lock), so that the Done is forgotten before they are someone new.
        self.erasing: set[int] = set()

    def answers(self, updates: Sequence[Update]) -> list[Answer]:
        """The updates of this batch to answer in the transaction that stores it, with their work."""
        mailroom = self.mailroom
        if mailroom.updates_in_hand:  # one on the usual path: everything waits behind it, in order
            return []
        service: ChatService = self.application.bot_data[SERVICE]
        gate: FloodGate | None = self.application.bot_data.get(FLOOD_GATE)
        answers: list[Answer] = []
        usual_path: set[int] = set()  # chats with an update of this batch on the usual path
        admitted: Counter[int] = Counter()  # counted by the flood gate once they are answered
        for update in updates:
            user, chat = update.effective_user, update.effective_chat
            if user is None or chat is None:
                continue
            incoming = typed_incoming(update) if chat.type == "private" else None
            if (
                incoming is None
                or chat.id in usual_path
                or chat.id in mailroom.stalled_chats
                or chat.id in self.erasing
                or (gate is not None and not gate.would_admit(user.id, admitted[user.id]))
            ):
                usual_path.add(chat.id)  # the usual path tells someone over the limit to slow down
                continue
            admitted[user.id] += 1
            work = partial(
                service.answer_telegram_in,
                telegram_id=user.id,
                language_code=user.language_code,
                incoming=incoming,
                update_id=update.update_id,
                outbox=Outbox(chat.id, mailroom.claimer, mailroom.lease),
            )
            answers.append((update.update_id, chat.id, work))
        return answers

    def ends_chat(self, handled: Handled) -> bool:
        """After an erasure, the person's later updates in the batch take the usual path: behind the
        erasure's "Done", which is marked sent, and so forgotten, before the next update makes them
        someone new (answered in the same transaction, it would stay in the outbox with their chat id)."""
        return handled.erased

    def after_commit(self, answered: dict[int, Handled]) -> None:
        """On the database's thread, after the commit: crisis counts, erasures finished."""
        service: ChatService = self.application.bot_data[SERVICE]
        for handled in answered.values():
            try:
                service.after_commit(handled)
            except Exception as error:  # committed: the recovery and the next start finish what is left
                log.warning("after an answer's commit", extra={"error": type(error).__name__})

    def deliver(self, updates: Sequence[Update], answered: dict[int, Handled], started: float) -> None:
        """Send each chat's replies, in order, behind anything of theirs still being sent. The flood
        gate counts the answered updates now (a batch stored only on a later try is counted once)."""
        gate: FloodGate | None = self.application.bot_data.get(FLOOD_GATE)
        by_chat: dict[int, list[tuple[Update, Handled]]] = {}
        for update in updates:
            handled = answered.get(update.update_id)
            if handled is None or update.effective_chat is None or update.effective_user is None:
                continue
            if gate is not None:
                gate.admit(update.effective_user.id)
            # Ours from now until sent: the recovery round renews their leases meanwhile (a chat's
            # replies may wait for Telegram's pace longer than a lease).
            self.mailroom.replies_in_hand.update(handled.outbox_ids)
            if handled.erased:
                self.erasing.add(update.effective_chat.id)
            by_chat.setdefault(update.effective_chat.id, []).append((update, handled))
        for items in by_chat.values():
            self.application.create_task(self._deliver(items, started), name="answered on receipt")

    async def _deliver(self, items: list[tuple[Update, Handled]], started: float) -> None:
        first = items[0][0]
        assert first.effective_user is not None and first.effective_chat is not None
        user_id, chat_id = first.effective_user.id, first.effective_chat.id
        bot: Any = self.application.bot
        locks = user_locks(self.application.bot_data)
        lock = locks[user_id]
        try:
            async with lock:
                for update, handled in items:
                    await acknowledge_button(update)
                    await self.mailroom.send_now(
                        bot, chat_id, handled.replies, handled.outbox_ids, send_replies
                    )
                    if handled.erased:
                        await self.mailroom.mark_sent_now()
                    count_handled(started, handled)
        finally:
            # No longer ours to keep as on the usual path: sent; left to the recovery round (a stalled
            # chat's); or, if a send raised, to the lease's end, when the recovery round takes them.
            # Kept, their leases would be renewed for ever, and they would never go out.
            for _, handled in items:
                self.mailroom.replies_in_hand.difference_update(handled.outbox_ids)
            if any(handled.erased for _, handled in items):
                self.erasing.discard(chat_id)
            forget_idle_lock(locks, user_id, lock)
