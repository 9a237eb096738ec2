"""Talking to Telegram, beneath both the handlers and the inbox: replies sent (with retries), the
resident told when their message could not be handled, and which Telegram errors are for good.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBUserWarning

from bot.telegram.render import Outgoing, caption_for, messages_for
from flows.conversations.types import Reply
from flows.i18n import normalise_language, translator

log = logging.getLogger(__name__)

# PTB asks that endpoints it wraps go through their methods; ours skips only the parsing of the answer.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.send_message' instead of", category=PTBUserWarning
)

T = TypeVar("T")


async def with_retries(call: Callable[[], Awaitable[T]], attempts: int = 3, first_pause: float = 0.5) -> T:
    """Telegram's 5xx answers and network errors are retried with backoff (429s are the rate limiter's:
    it waits `retry_after`). A request Telegram refuses (400, 403) is not retried."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except (NetworkError, TimedOut) as error:
            if isinstance(error, BadRequest) or refused_for_good(error) or attempt == attempts:
                raise
            await asyncio.sleep(first_pause * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


async def send_replies(bot: Any, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        if reply.document is not None:
            document, caption = reply.document, caption_for(reply)
            await with_retries(
                lambda document=document, caption=caption: bot.send_document(  # type: ignore[misc]
                    chat_id,
                    InputFile(document.data, filename=document.filename),
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                )
            )
            continue
        for outgoing in messages_for(reply):
            await with_retries(lambda outgoing=outgoing: _send_message(bot, chat_id, outgoing))  # type: ignore[misc]


async def _send_message(bot: Any, chat_id: int, outgoing: Outgoing) -> None:
    """sendMessage with the fields `bot.send_message` would send, without parsing Telegram's answer
    into a `Message` we never read (with a keyboard, that was a tenth of a resident step's CPU)."""
    fields: dict[str, Any] = {"chat_id": chat_id, "text": outgoing.text, "parse_mode": ParseMode.HTML}
    if outgoing.keyboard_json is not None:
        fields["reply_markup"] = outgoing.keyboard_json  # a string goes as it is (PTB's RequestParameter)
    elif outgoing.keyboard is not None:
        fields["reply_markup"] = outgoing.keyboard
    try:
        await bot.do_api_request("send_message", api_kwargs=fields)
    except EndPointNotFound as error:  # what do_api_request makes of a token Telegram refuses
        raise InvalidToken(error.message) from error


async def tell_it_failed(bot: Any, update: Update) -> None:
    """Sorry, in the resident's language: only for an update that could not be handled and will not
    be tried again (a fault of ours; the database or Telegram away only postpones it)."""
    if update.effective_chat is None:
        return
    language = update.effective_user.language_code if update.effective_user else None
    await tell_chat_it_failed(bot, update.effective_chat.id, language)


async def tell_chat_it_failed(bot: Any, chat_id: int, language: str | None) -> None:
    t = translator(normalise_language(language))
    try:
        await bot.send_message(
            chat_id,
            t.gettext(
                "Sorry, something went wrong on my side. Please try again in a moment: nothing you told me is lost."
            ),
        )
    except Exception:  # the reply itself failed (network, blocked): nothing more to do
        log.warning("could not tell the user about the failure")


def refused_for_good(error: TelegramError) -> bool:
    """Telegram will never take this request: blocked (403), a bad request (400), a bad token, or a
    file over its limit (413, which PTB raises as a NetworkError carrying Telegram's description)."""
    if isinstance(error, (Forbidden, BadRequest, InvalidToken)):
        return True
    return isinstance(error, NetworkError) and "too large" in error.message.lower()


def is_transient(error: BaseException | None) -> bool:
    """A failure another try may not meet: the database or Telegram away for a moment."""
    from sqlalchemy.exc import DBAPIError

    from bot.storage.errors import StorageError

    if isinstance(error, (DBAPIError, StorageError)):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)
