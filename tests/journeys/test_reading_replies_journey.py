"""On Telegram (the real Application, the fake Bot API, SQLite): a resident photographs the landlord's
stage 1 reply in /status; Fair Say reads it by OCR, proposes its date, says what it leaves out of
the Code's list, and the stage 2 request (text and PDF) lists what was missing.

Needs Debian's tesseract-ocr (.ci/run installs it); skips saying so without it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from support import letter_files
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from support.journey import complaint
from test_telegram_journey import (  # noqa: F401 (fixtures)
    Resident,
    app_for,
    clock,
    repositories,
    settings,
)

from bot.clock import ManualClock
from bot.services.response_reading import ocr_available
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.i18n import translator

pytestmark = pytest.mark.skipif(
    not ocr_available(), reason="Tesseract is not installed (Debian's tesseract-ocr; .ci/run installs it)"
)

REPLY = """Riverside Housing
Complaints Team

Date: 18 March 2026

Dear Ms Begum

Stage 1 response to your complaint

You complained that the kitchen ceiling has leaked since January.

We have upheld your complaint because the repair was not booked.

We apologise and will pay you £50.

Yours sincerely
Complaints Team
"""


async def test_a_photographed_reply_is_read_and_its_gaps_go_into_the_stage_2_request(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,  # noqa: F811
    clock: ManualClock,  # noqa: F811
    repositories: list[Repository],  # noqa: F811
) -> None:
    amina = Resident(fake_bot_api, fake_user)
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        await amina.play(complaint(evidence=()), translator("en"), then="Please check your complaint")
        await amina.press("That's right: write my letter", "Send this letter")
        await amina.press("I've sent it", "When did you send it?")
        await amina.press("Today", "Monday, 2 March 2026")

        clock.set(datetime(2026, 3, 20, 11, 0, tzinfo=UTC))
        await amina.say("/status", "Where it stands")
        await amina.press("They acknowledged it", "When did that happen?")
        await amina.say("04/03/2026", "Where it stands")
        await amina.press("They replied: read their letter", "Send me their reply")
        read = await amina.photo(letter_files.photo_jpg(REPLY), "Code 6.9 (2024)")
        assert "It is dated Wednesday, 18 March 2026." in read
        assert "what is still to be done, and when; how to ask for stage 2 (Code 6.9 (2024))" in read
        await amina.press("That's all my evidence", "Is that the day they replied?")
        await amina.press("Yes, that's the date", "Are you happy with their answer?")
        await amina.press("No, or only partly", "You can ask for stage 2 without giving reasons")
        await amina.press("I'd rather not say", "Please check your stage 2 request")
        text = await amina.press("That's right: write my request", "Send this request")

    missing = "the outstanding actions; how to escalate to stage 2"
    assert "You sent your stage 1 response on Wednesday, 18 March 2026." in text
    assert f"(Code 6.9 (2024)): {missing}." in text
    pdf = fake_bot_api.sent_documents(fake_user.id)[-1]
    pdf_text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages
    )
    assert "did not confirm what the Complaint Handling Code asks a response to confirm" in pdf_text
    assert missing in pdf_text
