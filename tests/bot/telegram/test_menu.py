"""Telegram's command menu is the command table's, in every language, sent through the Bot API."""

from __future__ import annotations

import json

from support.fake_bot_api import FakeBotApi
from telegram.ext import ApplicationBuilder

from bot.telegram.app import _set_commands
from flows.conversations.commands import COMMANDS
from flows.i18n import catalogue_languages, translator


async def test_the_menu_in_each_language_is_the_command_table(fake_bot_api: FakeBotApi) -> None:
    application = ApplicationBuilder().token(fake_bot_api.token).base_url(fake_bot_api.base_url).build()
    async with application:
        await _set_commands(application)
    in_menu = [command for command in COMMANDS if command.menu is not None]
    assert {"new", "status", "help", "inbox", "portal"} <= {command.name for command in in_menu}
    for language in ("en", *catalogue_languages()):
        t = translator(language)
        key = json.dumps([{"type": "default"}, "" if language == "en" else language], sort_keys=True)
        sent = fake_bot_api._commands[key]
        assert [(c["command"], c["description"]) for c in sent] == [
            (command.name, t.gettext(command.menu or "")) for command in in_menu
        ]
