"""Long polling stores each update in the inbox as Telegram sent it (getUpdates' own JSON), without
rebuilding it from PTB's objects: `Update.to_dict` was a tenth of a resident step's CPU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from telegram import Update

from bot.storage.repository import Repository
from bot.telegram.app import build_application


@pytest.mark.parametrize("http", ["aiohttp", "httpx"])
async def test_the_inbox_keeps_the_update_as_telegram_sent_it(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    http: str,
) -> None:
    fake = fake_bot_api
    settings = make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.base_url,
        telegram_http=http,
    )
    repository = Repository.open(settings)

    def rebuilt(self: Update, recursive: bool = True) -> dict[str, object]:
        raise AssertionError("the update was rebuilt from PTB's object")

    try:
        async with polling(build_application(settings, repository, reminder_interval=3600)):
            monkeypatch.setattr(Update, "to_dict", rebuilt)
            sent = fake.user_sends_text(fake_user, "/help")
            await fake.wait_for(lambda: fake.sent_messages(fake_user.id))
        with repository.engine.connect() as connection:
            payload = connection.execute(text("SELECT payload FROM inbox")).scalar_one()
        stored = json.loads(payload) if isinstance(payload, str) else payload
        assert stored == sent  # what the fake delivered, field for field
    finally:
        repository.close()
