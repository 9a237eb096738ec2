"""Telegram handlers: read the update, hand it to the chat service, send the replies. Nothing else.

The chat service (one database transaction per update) decides everything; no conversation state
lives here. Updates of one user are handled in order; different users in parallel.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import time
import traceback
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import metrics
from bot.services.chat_service import Handled, Outbox
from bot.telegram.inbox import MAILROOM, Mailroom
from bot.telegram.outgoing import is_transient, send_replies, tell_it_failed
from flows.conversations.types import Incoming, IncomingFile
from flows.conversations.workspace import LetterText
from flows.i18n import normalise_language, translator

log = logging.getLogger(__name__)

SERVICE = "chat_service"
_USER_LOCKS = "user_locks"
FLOOD_GATE = "flood_gate"
T = TypeVar("T")


class ChatService(Protocol):
    max_file_bytes: int
    executor: concurrent.futures.Executor

    def answer_telegram(
        self,
        telegram_id: int,
        language_code: str | None,
        incoming: Incoming,
        update_id: int | None = None,
        outbox: Outbox | None = None,
        letters_read: dict[str, LetterText] | None = None,
    ) -> Handled: ...

    async def read_letters_ahead(
        self, telegram_id: int, language_code: str | None, incoming: Incoming
    ) -> dict[str, LetterText]: ...


class FloodGate:
    """Per-user flood control: at most `limit` updates in `window` seconds; the rest are dropped with
    one polite word per window. The counters live in memory on purpose: they protect this process,
    hold nothing a resident told us, and forgetting them on a restart loses nothing."""

    def __init__(
        self, limit: int | None = 20, window: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit  # None: no limit (and nothing kept)
        self.window = window
        self.clock = clock
        self.recent: dict[int, deque[float]] = {}
        self.warned_at: dict[int, float] = {}
        self.next_sweep = 0.0

    def admit(self, user_id: int) -> tuple[bool, bool]:
        """(handle this update, tell the user to slow down)."""
        if self.limit is None:
            return True, False
        now = self.clock()
        if now >= self.next_sweep:  # people who went quiet are forgotten: memory follows who is talking now
            self.forget_idle(now)
            self.next_sweep = now + self.window
        times = self.recent.setdefault(user_id, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            return True, False
        warn = now - self.warned_at.get(user_id, now - 2 * self.window) > self.window
        if warn:
            self.warned_at[user_id] = now
        return False, warn

    def would_admit(self, user_id: int, before_it: int = 0) -> bool:
        """Whether `admit` would let the user's next update through after `before_it` more were
        admitted (nothing counted)."""
        if self.limit is None:
            return True
        times = self.recent.get(user_id, ())
        now = self.clock()
        return sum(1 for moment in times if now - moment <= self.window) + before_it < self.limit

    def forget_idle(self, now: float) -> None:
        idle = [user for user, times in self.recent.items() if not times or now - times[-1] > self.window]
        for user in idle:
            self.recent.pop(user, None)
            self.warned_at.pop(user, None)


def where(error: BaseException | None) -> str:
    """Where an error was raised (file:line), for logs that must not carry its message."""
    if error is None or error.__traceback__ is None:
        return "?"
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"{frame.filename.rsplit('/', 2)[-2:][-1]}:{frame.lineno}"


def _file_of(message: Message) -> tuple[Any, IncomingFile] | None:
    """The Telegram file to download and what we know of it, for photos, documents and voice notes."""
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return photo, IncomingFile("photo.jpg", "image/jpeg", b"", "photo", photo.file_id, photo.file_size)
    if message.document:
        document = message.document
        name = document.file_name or "document"
        mime_type = document.mime_type or "application/octet-stream"
        return document, IncomingFile(name, mime_type, b"", "document", document.file_id, document.file_size)
    if message.voice:
        voice = message.voice
        mime_type = voice.mime_type or "audio/ogg"
        return voice, IncomingFile("voice-note.ogg", mime_type, b"", "voice", voice.file_id, voice.file_size)
    if message.audio:
        audio = message.audio
        name, mime_type = audio.file_name or "audio", audio.mime_type or "audio/mpeg"
        return audio, IncomingFile(name, mime_type, b"", "document", audio.file_id, audio.file_size)
    return None


_UNSUPPORTED = ("sticker", "video", "video_note", "animation", "location", "venue", "contact", "poll", "dice")


def typed_incoming(update: Update) -> Incoming | None:
    """A button pressed or text typed, as the flows understand it (nothing to download); else None."""
    if update.callback_query is not None:
        return Incoming(button=update.callback_query.data or "")
    message = update.message
    if message is not None and message.text is not None:
        return Incoming(text=message.text)
    return None


async def read_incoming(update: Update, max_file_bytes: int) -> Incoming | None:
    """What the resident did, as the flows understand it; None for updates we do not answer."""
    typed = typed_incoming(update)
    if typed is not None:
        return typed
    message = update.message
    if message is None or update.callback_query is not None:
        return None
    found = _file_of(message)
    if found is not None:
        telegram_file, described = found
        if described.size is not None and described.size > max_file_bytes:
            # Arrives empty: the workspace says it is too large.
            return Incoming(file=described, caption=message.caption)
        downloaded = bytes(await (await telegram_file.get_file()).download_as_bytearray())
        return Incoming(
            file=IncomingFile(
                described.name,
                described.mime_type,
                downloaded,
                described.kind,
                described.telegram_file_id,
                len(downloaded),
            ),
            caption=message.caption,
        )
    for kind in _UNSUPPORTED:
        if getattr(message, kind, None):
            return Incoming(unsupported=kind, caption=message.caption)
    return Incoming(unsupported="other")


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One update from the inbox: handled (its replies committed to the outbox with it), then the
    replies sent. One that fails for a moment (the database, Telegram) is left to the recovery round."""
    mailroom: Mailroom | None = context.bot_data.get(MAILROOM)
    if mailroom is not None and not mailroom.may_handle(update):
        return
    failed = False
    try:
        await _answer(update, context, mailroom)
    except Exception as error:
        failed = True
        if mailroom is None or not is_transient(error):
            if mailroom is not None:
                await _give_up(mailroom, update)
            raise  # on_error tells the resident
        log.warning("update left for a later try", extra={"error": type(error).__name__, "at": where(error)})
        metrics.UPDATES.labels(outcome="postponed").inc()
    finally:
        if mailroom is not None:
            mailroom.done_with(update, failed)


async def _give_up(mailroom: Mailroom, update: Update) -> None:
    with contextlib.suppress(Exception):  # the database away as well: the recovery round decides later
        await asyncio.get_running_loop().run_in_executor(
            mailroom.executor, mailroom.repository.give_up_update, update.update_id
        )


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, mailroom: Mailroom | None) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != "private":
        if mailroom is not None:
            await _give_up(mailroom, update)  # nothing to do for it: handled
        return
    service: ChatService = context.bot_data[SERVICE]
    gate: FloodGate = context.bot_data.setdefault(FLOOD_GATE, FloodGate())
    admitted, warn = gate.admit(user.id)
    if not admitted:
        metrics.FLOODED_UPDATES.inc()
        if mailroom is not None:
            await _give_up(mailroom, update)
        if warn:
            t = translator(normalise_language(user.language_code))
            await context.bot.send_message(
                chat.id,
                t.gettext(
                    "You're sending messages very quickly. Please wait a few seconds, then carry on: nothing you "
                    "told me is lost."
                ),
            )
        return
    started = time.perf_counter()
    locks = user_locks(context.bot_data)
    lock = locks[user.id]
    async with lock:  # one user's updates in the order they came
        await acknowledge_button(update)
        incoming = await read_incoming(update, service.max_file_bytes)
        if incoming is None:
            if mailroom is not None:
                await _give_up(mailroom, update)
            return
        outbox = Outbox(chat.id, mailroom.claimer, mailroom.lease) if mailroom is not None else None
        letters_read = await service.read_letters_ahead(user.id, user.language_code, incoming)
        handled = await asyncio.get_running_loop().run_in_executor(
            service.executor,
            service.answer_telegram,
            user.id,
            user.language_code,
            incoming,
            update.update_id,
            outbox,
            letters_read,
        )
        if mailroom is None:
            await send_replies(context.bot, chat.id, handled.replies)
        else:
            await mailroom.send_now(context.bot, chat.id, handled.replies, handled.outbox_ids, send_replies)
            if handled.erased:
                await mailroom.mark_sent_now()
    forget_idle_lock(locks, user.id, lock)
    count_handled(started, handled)


def user_locks(bot_data: Any) -> defaultdict[int, asyncio.Lock]:
    """One lock per user talking now: their updates are handled, and their replies sent, in order."""
    locks: defaultdict[int, asyncio.Lock] = bot_data.setdefault(_USER_LOCKS, defaultdict(asyncio.Lock))
    return locks


def forget_idle_lock(locks: defaultdict[int, asyncio.Lock], user_id: int, lock: asyncio.Lock) -> None:
    if not lock.locked() and locks.get(user_id) is lock:
        del locks[user_id]  # no lock kept for people who are not talking right now


def count_handled(started: float, handled: Handled) -> None:
    metrics.UPDATE_SECONDS.observe(time.perf_counter() - started)
    metrics.UPDATES.labels(outcome="handled" if handled.replies else "duplicate").inc()


async def acknowledge_button(update: Update) -> None:
    """A button press: the spinner stopped and the pressed keyboard removed (cosmetic: the answer
    matters, so a failure here is let go)."""
    if update.callback_query is None:
        return
    with contextlib.suppress(TelegramError):
        await update.callback_query.answer()
        await _remove_keyboard(update)


async def _remove_keyboard(update: Update) -> None:
    """Buttons that were pressed go away, so an old question cannot be answered twice by accident."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # already gone, or the message is too old to edit
        await query.edit_message_reply_markup(reply_markup=None)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (its kind and place only: never message content, names or ids) and tell the
    resident to try again. Nothing was half-written: the update's transaction rolled back."""
    error = context.error
    log.error("update failed", extra={"error": type(error).__name__, "at": where(error)})
    metrics.UPDATES.labels(outcome="failed").inc()
    if isinstance(update, Update) and not isinstance(error, Forbidden):
        await tell_it_failed(context.bot, update)
