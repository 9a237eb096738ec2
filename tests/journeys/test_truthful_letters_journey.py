"""Issue 20 on Telegram (the real PTB Application against the Bot API stand-in, the real database):
mistakes refused before they stick and correctable after, answers fit for a letter, letters that say
what is true. In English, and in Polish with a landlord onboarded on Fair Say.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from support.journey import complaint, split_at
from test_landlord_journey import asks, complaint_to_an_approved_team, texts
from test_telegram_journey import Resident, app_for

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
def repositories(settings: Settings) -> Iterator[list[Repository]]:
    opened: list[Repository] = []
    yield opened
    for repository in opened:
        repository.close()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def test_mistakes_are_refused_or_corrected_and_letters_say_what_is_true_in_english(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repositories: list[Repository]
) -> None:
    clock = ManualClock(datetime(2026, 4, 14, 11, 0, tzinfo=UTC))  # Tuesday 14 April 2026
    amina = Resident(fake_bot_api, fake_user)
    en = translator("en")
    written = complaint(started="August 2025", evidence=())
    before_started, rest = split_at(written, "new_complaint", "started")
    before_impact, from_impact = split_at(rest, "complaint", "impact")
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        await amina.play(before_started, en, then="When did the problem start")
        # An address at a date question is not a date; a month is enough for when it started.
        await amina.say("Flat 3, 12 Mill Road, Leeds LS1 4AB", "doesn't look like a date")
        await amina.play(before_impact, en, then="How has this affected you")
        # Junk where the letter needs words: a friendly re-ask, nothing lost.
        for junk in ("😡😡😡", ".", "\u3164"):
            reply = await amina.say(junk, "How has this affected you")
            assert "That date" not in reply
        await amina.play(from_impact, en, then="Please check your complaint")
        await amina.press("That's right: write my letter", "Send this letter")
        await amina.press("I've sent it", "When did you send it?")
        await amina.press("Another day", "On what date did you send it?")
        # Sent five weeks ago: what has happened since is asked before anything is counted late.
        reply = await amina.say("09/03/2026", "has anything happened since")
        assert "working days late" not in reply
        reply = await amina.press("They acknowledged it", "When did that happen?")
        reissued = fake_bot_api.sent_documents(fake_user.id)[-1]
        assert "Dear Riverside Housing," in pdf_text(reissued.data)
        assert "9 March 2026" in pdf_text(reissued.data) and "14 April 2026" not in pdf_text(reissued.data)
        # The acknowledgement dated before the complaint: refused, naming the complaint and its date.
        reply = await amina.say("01/03/2026", "the date I have for")
        assert "Sunday, 1 March 2026 is before Monday, 9 March 2026" in reply
        assert "you made your complaint" in reply and "working days late" not in reply
        # A real mistake, recorded: 27 March (due 16 March) instead of 13 March; corrected from /status.
        await amina.say("27/03/2026", "Where it stands")
        await amina.press("Correct or remove something I recorded", "Which of these is wrong?")
        await amina.press(
            "Friday, 27 March 2026: the landlord acknowledged your complaint", "What should I do"
        )
        await amina.press("Change its date", "What is the right date?")
        reply = await amina.say("13/03/2026", "Where it stands")
        assert (
            "Corrected: “the landlord acknowledged your complaint” is now on Friday, 13 March 2026." in reply
        )
        assert "August 2025: the problem started" in reply  # the month, as the resident gave it
        await amina.press("They replied", "When did that happen?")
        await amina.say("today", "If you have their reply")
        await amina.press("That's all my evidence", "Are you happy with their answer?")
        await amina.press("No, or only partly", "You can ask for stage 2")
        await amina.say("😡😡😡", "I need it in words")
        await amina.say("The leak is still there.", "Please check your stage 2 request")
        await amina.press("Change what I said", "You can ask for stage 2")
        await amina.say("The leak is still there and nobody has come.", "Please check your stage 2 request")
        letter = await amina.press("That's right: write my request", "Send this request")
        assert "What is still not right\nThe leak is still there and nobody has come." in letter
        assert "How my complaint has been handled so far" in letter
        assert "Answering my complaint (stage 1): due" in letter and "(Code 6.3 (2024))" in letter
        assert "😡" not in letter


async def test_polish_resident_sends_stage2_through_fair_say_to_the_landlord_as_registered(
    fake_bot_api: FakeBotApi, settings: Settings, repositories: list[Repository]
) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    jo = Resident(fake_bot_api, fake_bot_api.new_user("Jo"))
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    pl = translator("pl")
    async with polling(app_for(settings, clock, repositories)):
        await complaint_to_an_approved_team(jo, ola, repositories[0], typed_landlord="riverside  housing")
        # Typed "riverside  housing": the letters and the team's copy use the registered name.
        letter = fake_bot_api.sent_documents(ola.user.id)[0]
        assert "Dear Riverside Housing," in pdf_text(letter.data)
        assert "riverside  housing" not in texts(ola) and "riverside  housing" not in texts(jo)
        await fake_bot_api.wait_for(lambda: "Acknowledge stage 1 by" in texts(jo))
        await jo.press("Acknowledge", "Respond at stage 1 by")
        clock.set(datetime(2026, 3, 30, 11, 0, tzinfo=UTC))  # the answer (due 16 March) never came
        await ola.say("/status", pl.gettext("Where it stands: {state}").split("{state}")[0])
        # An acknowledgement recorded by the landlord: Ola may dispute it, not remove it.
        await ola.press(
            pl.gettext("Correct or remove something I recorded"), pl.gettext("Which of these is wrong?")
        )
        picked = "{}: {}".format(
            pl.format_date(date(2026, 3, 2)), pl.gettext("the landlord acknowledged your complaint")
        )
        await ola.press(picked, pl.gettext("What should I do with “{event}” on {date}?").split("{event}")[0])
        with pytest.raises(AssertionError, match="no button"):
            ola.button(pl.gettext("Remove it"))
        await ola.press(pl.gettext("I dispute this"), pl.gettext("(you dispute this)"))
        why = pl.gettext(  # the 2024 Code's words (the "why" prompt depends on the Code governing stage 2)
            "You can ask for stage 2 without giving reasons (Complaint Handling Code 6.12). If you'd like, tell me "
            "what is still wrong or what you disagree with, and I'll add it to your request."
        )
        await ola.press(pl.gettext("Ask for stage 2"), why[:25])
        await ola.press(
            pl.gettext("I'd rather not say"),
            pl.gettext("Please check your stage 2 request before I write it."),
        )
        await ola.press(pl.gettext("That's right: write my request"), asks("stage2", "letter"))
        deliver = pl.gettext("Send it to {landlord} for me").format(landlord="Riverside Housing")
        sent = pl.gettext(
            "Sent: {landlord} has your stage 2 request through Fair Say. I'll tell you as soon as it answers."
        ).format(landlord="Riverside Housing")
        await ola.press(deliver, sent)
        stage2 = fake_bot_api.sent_documents(ola.user.id)[-1]
        assert "Dear Riverside Housing," in pdf_text(stage2.data)
