"""Crisis help through the Bot API stand-in: at the menu and inside a complaint, in English and Polish.
The help comes first, then the same question; a disclosure typed as an answer is not used unasked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from test_telegram_journey import Resident, app_for

from bot.catalogues import compile_catalogues
from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.i18n import translator


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path, fake_bot_api: FakeBotApi) -> Settings:
    return make_settings(
        sqlite_url, tmp_path, telegram_bot_token="123:TEST", telegram_api_base_url=fake_bot_api.base_url
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))


@pytest.fixture
def repositories(settings: Settings) -> Iterator[list[Repository]]:
    opened: list[Repository] = []
    yield opened
    for repository in opened:
        repository.close()


async def onboard(person: Resident, language: str) -> None:
    t = translator(language)
    await person.say("/start", "Fair Say")
    await person.press("English" if language == "en" else "Polski", t.gettext("Who are you?"))
    await person.press(t.gettext("I rent my home and want to complain"), "/export")
    await person.press(t.gettext("OK, let's start"), t.gettext("What would you like to do?"))


async def test_crisis_help_at_the_menu_and_inside_a_complaint_in_english(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    amina = Resident(fake_bot_api, fake_user)
    async with polling(app_for(settings, clock, repositories)):
        await onboard(amina, "en")
        text = await amina.say(
            "I can't take this anymore, I want to kill myself. My partner hits me and the council won't move me",
            "What would you like to do?",
        )
        assert text.index("116 123") < text.index("What would you like to do?")  # help first
        assert "0808 2000 247" in text and "not sure I understood" not in text

        await amina.press("Start a new complaint", "Where is your home?")
        await amina.press("England", "Who is your landlord?")
        text = await amina.say("I'm going to be homeless tonight", "Who is your landlord?")
        assert "0808 800 4444" in text and "116 123" not in text
        await amina.press("A housing association", "What is your landlord called?")
        await amina.say("Riverside Housing", "What is your complaint mainly about?")
        await amina.press("Repairs", "Is your complaint also about")
        await amina.press("That's all", "Is any of these happening right now?")
        await amina.press("None of these", "Have court proceedings")
        await amina.press("No", "When did the problem start")
        await amina.say("01/02/2026", "Have you already reported this")
        await amina.press("Yes, I've reported it", "What is your full name")
        await amina.say("Amina Begum", "What is the address")
        await amina.say("Flat 3, 12 Mill Road, Leeds LS1 4AB", "tenancy reference")
        await amina.press("I don't know it", "How should your landlord contact you")
        await amina.press("By email", "What is your email address?")
        await amina.say("amina@example.com", "What happened?")
        text = await amina.say(
            "I feel suicidal and I want to end my life", "Shall I use it in your complaint?"
        )
        assert "Samaritans" in text and "116 123" in text and "important dates" not in text
        await amina.press("Leave it out", "What happened?")
        await amina.say("The kitchen ceiling has leaked since January.", "important dates")

        await amina.say("/person", "People who can talk it through with you")
        await amina.press("Back to the menu", "What would you like to do?")

        # Words typed with a photo are read too: the help comes, and the photo is handled as usual.
        text = await amina.photo(b"\xff\xd8\xff\xe0", "0808 2000 247", caption="my partner hits me")
        assert "Your safety comes first" in text


async def test_crisis_help_in_polish(
    fake_bot_api: FakeBotApi, settings: Settings, clock: ManualClock, repositories: list[Repository]
) -> None:
    compile_catalogues()
    pl = translator("pl")
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    async with polling(app_for(settings, clock, repositories)):
        await onboard(ola, "pl")
        text = await ola.say("Chcę się zabić. Mąż mnie bije.", pl.gettext("What would you like to do?"))
        assert "116 123" in text and "0808 2000 247" in text
        assert pl.gettext("I'm so sorry. Your safety comes first. Here is who can help right now:") in text
        await ola.press(pl.gettext("Start a new complaint"), pl.gettext("Let's start. Where is your home?"))
        text = await ola.say("Czuję gaz w kuchni", pl.gettext("Let's start. Where is your home?"))
        assert "0800 111 999" in text
