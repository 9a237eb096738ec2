"""A bare PTB echo bot (the step-cost benchmark's yardstick): python benchmarks/echo_bot.py TOKEN BASE_URL HTTP."""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, update.message.text or "")


def main() -> None:
    token, base_url, http = sys.argv[1:4]
    sys.setswitchinterval(0.0005)  # as `fairsay bot` does
    head, _, tail = base_url.rstrip("/").rpartition("/")
    builder = ApplicationBuilder().token(token).base_url(base_url).base_file_url(f"{head}/file/{tail}")
    if http == "aiohttp":  # the same request class as the bot's
        sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
        from bot.telegram.aiohttp_request import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(
            AiohttpRequest(connection_pool_size=1)
        )
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling()


if __name__ == "__main__":
    main()
