"""Telegram handlers: read the update, hand it to the chat service, send the replies. Nothing else.

The chat service (one database transaction per update) decides everything; no conversation state
lives here. Updates of one user are handled in order; different users in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import Any, Protocol

from telegram import InputFile, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.telegram.render import caption_for, messages_for
from flows.conversations.engine import Incoming, IncomingFile, Reply
from flows.i18n import normalise_language, translator

log = logging.getLogger(__name__)

SERVICE = "chat_service"
_USER_LOCKS = "user_locks"


class ChatService(Protocol):
    max_file_bytes: int

    def handle_telegram(
        self, telegram_id: int, language_code: str | None, incoming: Incoming
    ) -> list[Reply]: ...


def _file_of(message: Message, max_bytes: int) -> tuple[Any, IncomingFile] | None:
    """The Telegram file to download and what we know of it, for photos, documents and voice notes."""
    if message.photo:
        photo = message.photo[-1]  # the largest size
        return photo, IncomingFile("photo.jpg", "image/jpeg", b"", "photo", photo.file_id, photo.file_size)
    if message.document:
        document = message.document
        return document, IncomingFile(
            document.file_name or "document",
            document.mime_type or "application/octet-stream",
            b"",
            "document",
            document.file_id,
            document.file_size,
        )
    if message.voice:
        voice = message.voice
        return voice, IncomingFile(
            "voice-note.ogg", voice.mime_type or "audio/ogg", b"", "voice", voice.file_id, voice.file_size
        )
    if message.audio:
        audio = message.audio
        return audio, IncomingFile(
            audio.file_name or "audio",
            audio.mime_type or "audio/mpeg",
            b"",
            "document",
            audio.file_id,
            audio.file_size,
        )
    return None


_UNSUPPORTED = (
    "sticker",
    "video",
    "video_note",
    "animation",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
)


async def read_incoming(update: Update, max_file_bytes: int) -> Incoming | None:
    """What the resident did, as the flows understand it; None for updates we do not answer."""
    if update.callback_query is not None:
        return Incoming(button=update.callback_query.data or "")
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return Incoming(text=message.text)
    found = _file_of(message, max_file_bytes)
    if found is not None:
        telegram_file, described = found
        if described.size is not None and described.size > max_file_bytes:
            return Incoming(file=described)  # arrives empty: the workspace says it is too large
        downloaded = await (await telegram_file.get_file()).download_as_bytearray()
        return Incoming(
            file=IncomingFile(
                described.name,
                described.mime_type,
                bytes(downloaded),
                described.kind,
                described.telegram_file_id,
                len(downloaded),
            )
        )
    for kind in _UNSUPPORTED:
        if getattr(message, kind, None):
            return Incoming(unsupported=kind)
    return Incoming(unsupported="other")


async def send_replies(bot: Any, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        if reply.document is not None:
            document = reply.document
            await bot.send_document(
                chat_id,
                InputFile(document.data, filename=document.filename),
                caption=caption_for(reply),
                parse_mode=ParseMode.HTML,
            )
            continue
        for outgoing in messages_for(reply):
            await bot.send_message(
                chat_id, outgoing.text, parse_mode=ParseMode.HTML, reply_markup=outgoing.keyboard
            )


async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or chat.type != "private":
        return
    service: ChatService = context.bot_data[SERVICE]
    locks: defaultdict[int, asyncio.Lock] = context.bot_data.setdefault(
        _USER_LOCKS, defaultdict(asyncio.Lock)
    )
    async with locks[user.id]:  # one user's updates in the order they came
        if update.callback_query is not None:
            await update.callback_query.answer()
            await _remove_keyboard(update)
        incoming = await read_incoming(update, service.max_file_bytes)
        if incoming is None:
            return
        replies = await asyncio.to_thread(service.handle_telegram, user.id, user.language_code, incoming)
        await send_replies(context.bot, chat.id, replies)


async def _remove_keyboard(update: Update) -> None:
    """Buttons that were pressed go away, so an old question cannot be answered twice by accident."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # already gone, or the message is too old to edit
        await query.edit_message_reply_markup(reply_markup=None)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (never message content or ids) and tell the resident to try again."""
    error = context.error
    log.error("update failed: %s", type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None or isinstance(error, Forbidden):
        return
    language = update.effective_user.language_code if update.effective_user else None
    t = translator(normalise_language(language))
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            t.gettext(
                "Sorry, something went wrong on my side. Please try again in a moment: nothing you told me is lost."
            ),
        )
    except Exception:  # the reply itself failed (network, blocked): nothing more to do
        log.warning("could not tell the user about the failure")
