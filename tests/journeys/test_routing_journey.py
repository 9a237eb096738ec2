"""One complaint, routed per part, through the Bot API stand-in (the real PTB Application, the real
database): a mixed complaint (the Portsmouth seed case: a leak and the housing register), a remit limit
said at triage, and a tribunal route; in English and in Polish."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from support.journey import complaint, split_at
from test_crisis_journey import onboard
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


async def test_a_mixed_complaint_is_routed_per_part_and_the_letter_carries_only_the_leak(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    en = translator("en")
    amina = Resident(fake_bot_api, fake_user)
    answers = complaint(
        "Portsmouth City Council",
        landlord_type="council",
        topics=("allocations",),
        route="continue",
        evidence=(),
    )
    before, after = split_at(answers, "new_complaint", "route")
    async with polling(app_for(settings, clock, repositories)):
        await onboard(amina, "en")
        await amina.press("Start a new complaint", "Where is your home?")
        text = await amina.play(before, en, "Where each part of your complaint goes")
        assert "• Repairs: your landlord first, then the Housing Ombudsman." in text
        assert (
            "• The housing register or a move: the Local Government and Social Care Ombudsman, not your landlord."
            in text
        )
        assert "42(j)" not in text and "likely to be for The" not in text
        text = await amina.press("Why?", "Shall we write to your landlord?")  # asked again after the reasons
        assert "42(j)" in text and "portsmouth-city-council-202224228" in text
        await amina.play(after, en, "Please check your complaint")
        text = await amina.press("That's right: write my letter", "Send this letter")
        assert "What my complaint is about\n- Repairs" in text
        [letter] = fake_bot_api.sent_documents(fake_user.id)
        pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages)
        assert "Repairs" in pdf and "housing register" not in pdf


async def test_a_remit_limit_is_said_at_triage_in_one_sentence(
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
            "I want the housing officer Mr Smith disciplined for shouting at me", "What would you like to do?"
        )
        assert (
            "The Ombudsman cannot decide whether a member of staff is disciplined; you can ask your landlord for "
            "an apology, a review of how it was handled, and staff training." in text
        )


async def test_a_leaseholders_service_charge_goes_to_the_tribunal(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    en = translator("en")
    amina = Resident(fake_bot_api, fake_user)
    before, _ = split_at(
        complaint(subject="service_charge_level", tenure="leaseholder", route="continue"),
        "new_complaint",
        "route",
    )
    async with polling(app_for(settings, clock, repositories)):
        await onboard(amina, "en")
        await amina.press("Start a new complaint", "Where is your home?")
        text = await amina.play(before, en, "Where each part of your complaint goes")
        assert "The First-tier Tribunal (Property Chamber) can decide whether the service charge" in text
        assert "The Ombudsman does not decide how much rent or service charge is fair" in text
        text = await amina.press("Why?", "Shall we write to your landlord?")
        assert "27A" in text and "lexisnexis.co.uk" in text and "check it before you rely on it" in text


async def test_in_polish_a_mixed_complaint_a_remit_limit_and_a_tribunal(
    fake_bot_api: FakeBotApi, settings: Settings, clock: ManualClock, repositories: list[Repository]
) -> None:
    compile_catalogues()
    pl = translator("pl")
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    before, _ = split_at(
        complaint(
            "Portsmouth City Council",
            subject="service_charge_level",
            landlord_type="housing_association",
            topics=("allocations", "personnel"),
            tenure="assured",
            route="continue",
        ),
        "new_complaint",
        "route",
    )
    async with polling(app_for(settings, clock, repositories)):
        await onboard(ola, "pl")
        await ola.press(pl.gettext("Start a new complaint"), pl.gettext("Let's start. Where is your home?"))
        text = await ola.play(before, pl, pl.gettext("Where each part of your complaint goes:"))
        assert (
            pl.gettext("Where each part of your complaint goes:") != "Where each part of your complaint goes:"
        )
        for msgid in (
            "The First-tier Tribunal (Property Chamber) can decide whether the service charge is reasonable and "
            "payable.",
            "The Ombudsman cannot decide whether a member of staff is disciplined; you can ask your landlord for "
            "an apology, a review of how it was handled, and staff training.",
            "The Ombudsman does not decide how much rent or service charge is fair; you can ask your landlord for "
            "an explanation, an apology and a review of how it dealt with you.",
        ):
            assert pl.gettext(msgid) in text and pl.gettext(msgid) != msgid
        closing = "Your landlord's own complaints process comes first in every case. Shall we write to your landlord?"
        text = await ola.press(pl.gettext("Why?"), pl.gettext(closing))
        assert "27A" in text and "lexisnexis.co.uk" in text


async def test_in_polish_the_housing_register_first_and_a_leak_is_the_leaks_complaint(
    fake_bot_api: FakeBotApi, settings: Settings, clock: ManualClock, repositories: list[Repository]
) -> None:
    """Broken as a council tenant who named the housing register first and the leak second: the case took
    the register as its subject, so /status sent the leak's complaint to the LGSCO."""
    compile_catalogues()
    pl = translator("pl")
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    before, after = split_at(
        complaint(
            "Leeds City Council",
            landlord_type="council",
            subject="allocations",
            topics=("repairs",),
            route="continue",
            evidence=(),
        ),
        "new_complaint",
        "route",
    )
    async with polling(app_for(settings, clock, repositories)):
        await onboard(ola, "pl")
        await ola.press(pl.gettext("Start a new complaint"), pl.gettext("Let's start. Where is your home?"))
        await ola.play(before, pl, pl.gettext("Where each part of your complaint goes:"))
        await ola.play(after, pl, pl.gettext("Please check your complaint before I write the letter."))
        send = pl.gettext(
            "Send this letter to your landlord's complaints team, by email or through its website, and keep a "
            "copy. Tell me when you've sent it: the Code's clocks start from that day."
        )
        await ola.press(pl.gettext("That's right: write my letter"), send)
        text = await ola.say("/status", pl.gettext("What you can do now:"))
        lgsco = pl.gettext("the Local Government and Social Care Ombudsman")
        assert lgsco not in text


async def test_reporting_a_first_repair_first_carries_on_with_the_anti_social_behaviour(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    en = translator("en")
    amina = Resident(fake_bot_api, fake_user)
    before, _ = split_at(
        complaint(topics=("antisocial_behaviour",), route="continue"), "new_complaint", "reported"
    )
    async with polling(app_for(settings, clock, repositories)):
        await onboard(amina, "en")
        await amina.press("Start a new complaint", "Where is your home?")
        await amina.play(before, en, "Have you already reported this to your landlord as a repair?")
        await amina.press("No, this is the first time", "A first report of a repair")
        text = await amina.press("I'll report it first", "What is your full name")
        assert "Now the rest of your complaint: Anti-social behaviour." in text
