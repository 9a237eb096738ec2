"""Starting to talk to Telegram: PTB's initialize, with a token Telegram refuses said plainly (and never
shown). Used by the bot's own start-up (bot.telegram.app) and the web service's (bot.web.app), which
therefore import neither the other.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

log = logging.getLogger(__name__)

REFUSED_BY_TELEGRAM = (
    "TELEGRAM_BOT_TOKEN was refused by Telegram (mistyped, or revoked): check it with @BotFather"
)


class TokenRefused(Exception):
    """Telegram refused the bot's token. PTB's InvalidToken names the token in its message; this one
    does not, so no traceback that carries it (uvicorn logs one) can show the token."""

    def __init__(self) -> None:
        super().__init__(REFUSED_BY_TELEGRAM)


async def initialize(application: Application) -> None:  # type: ignore[type-arg]
    """PTB's initialize (which asks Telegram who the bot is), with a refused token said plainly."""
    from telegram.error import InvalidToken

    try:
        await application.initialize()
    except InvalidToken:
        log.critical(REFUSED_BY_TELEGRAM)
        raise TokenRefused from None
