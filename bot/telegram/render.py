"""Replies as Telegram messages: HTML escaped, split under 4,096 characters, small inline keyboards."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from flows.conversations.types import Button, Reply

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
# Room for the escaped title and a safety margin: Telegram counts characters after parsing the HTML.
_CHUNK = 3800
_SHORT_LABEL = 18  # labels this short go two to a row


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None
    keyboard_json: str | None = None  # the same, as sent: PTB's own `json.dumps(to_dict())`, made once


def split_text(text: str, limit: int = _CHUNK) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, then line, then word boundaries."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut <= limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return [piece for piece in pieces if piece]


@lru_cache(maxsize=128)  # the same questions' buttons again and again; PTB's markup is immutable
def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    buttons = [button for row in rows for button in row]
    if not buttons:
        return None
    if all(len(button.label) <= _SHORT_LABEL for button in buttons):
        layout = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    else:
        layout = [[button] for button in buttons]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=button.data) for button in row] for row in layout]
    )


@lru_cache(maxsize=128)
def keyboard_json(rows: tuple[tuple[Button, ...], ...]) -> str | None:
    """The keyboard as PTB sends it, serialised once per set of buttons (PTB builds and dumps its
    dict for every message: a tenth of the event loop's work per reply, measured)."""
    markup = keyboard(rows)
    return None if markup is None else json.dumps(markup.to_dict())


def messages_for(reply: Reply) -> list[Outgoing]:
    """The Telegram messages for one reply (its document is sent separately, with a caption)."""
    pieces = split_text(reply.text) or [""]
    out = []
    for index, piece in enumerate(pieces):
        body = html.escape(piece, quote=False)
        if index == 0 and reply.title:
            body = f"<b>{html.escape(reply.title, quote=False)}</b>\n\n{body}"
        last = index == len(pieces) - 1
        if last and reply.buttons:
            out.append(Outgoing(body, keyboard(reply.buttons), keyboard_json(reply.buttons)))
        else:
            out.append(Outgoing(body))
    return out


def caption_for(reply: Reply) -> str | None:
    text = reply.text.strip()
    if not text or len(text) > MAX_CAPTION:
        return None
    return html.escape(text, quote=False)
