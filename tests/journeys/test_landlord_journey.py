"""A landlord's complaints team and a resident on Telegram: the real PTB Application against the fake
Bot API, the real database, and the reminder sender delivering the news.

The team registers, an operator approves it, the resident (who reads Polish) sends a complaint
through Fair Say, the team member presses Acknowledge, Extend (date and reason) and Upload response
(a PDF), and the resident sees each step, in Polish, with the response letter attached.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, polling
from support.journey import complaint
from test_telegram_journey import Resident, app_for

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.conversations.registry import BY_NAME
from flows.i18n import translator

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def asks(flow: str, step: str, language: str = "pl") -> str:
    """The start of a step's question in the resident's language: what to wait for."""
    prompt = BY_NAME[flow].by_id[step].prompt
    if callable(prompt):  # its words depend on the turn (the Code that governs it): wait for any reply
        return ""
    return translator(language).gettext(prompt)[:25]


def texts(person: Resident) -> str:
    return "\n".join(html.unescape(m.text) for m in person.messages)


async def register_team(jo: Resident) -> None:
    """Jo registers Riverside Housing's complaints team in Telegram (then waits for an operator)."""
    await jo.say("/start", "Which language")
    await jo.press("English", "Who are you?")
    await jo.press("I work for a landlord", "/export")
    await jo.press("OK, let's start", "What would you like to do?")
    await jo.press("Register my organisation", "organisation's name")
    await jo.say("Riverside Housing", "What kind of landlord")
    await jo.press("A housing association", "registered provider number")
    await jo.say("L4321", "Which email address")
    await jo.press("Only here in chat", "How many homes")
    await jo.say("12,500", "stage 1 complaints sooner")
    await jo.press("We follow the Code", "And stage 2")
    await jo.press("We follow the Code", "How many days after")
    await jo.press("No time limit", "Please check")
    await jo.press("Register", "approve it")


async def send_complaint(ola: Resident, typed_landlord: str, landlord: str) -> None:
    """Ola, who reads Polish, writes a stage 1 complaint and has Fair Say send it to the landlord."""
    pl = translator("pl")
    await ola.say("/start", "Fair Say")
    await ola.press("Polski", pl.gettext("Who are you?"))
    await ola.press(pl.gettext("I rent my home and want to complain"), "/export")
    await ola.press(pl.gettext("OK, let's start"), pl.gettext("What would you like to do?"))
    await ola.press(pl.gettext("Start a new complaint"), asks("new_complaint", "nation"))
    written = complaint(
        typed_landlord,
        name="Ola Nowak",
        tenancy_ref=None,
        contact=("post", None),
        what_happened="The kitchen ceiling leaks.",
        impact="We cannot cook.",
        put_right="Fix it within two weeks.",
        evidence=(),
    )
    await ola.play(written, pl, then="Ola Nowak")
    await ola.press(pl.gettext("That's right: write my letter"), asks("complaint", "letter"))
    deliver = pl.gettext("Send it to {landlord} for me").format(landlord=landlord)
    await ola.press(deliver, landlord)


async def complaint_to_an_approved_team(
    jo: Resident, ola: Resident, repository: Repository, typed_landlord: str = "Riverside Housing"
) -> str:
    """Jo's team registers and an operator approves it (`fairsay admin landlords approve`); Ola's
    complaint is sent to it through Fair Say. Returns the complaint's reference."""
    await register_team(jo)
    with repository.unit_of_work() as uow:
        uow.access.approve_landlord(uow.access.landlords()[0].id)
    await send_complaint(ola, typed_landlord, "Riverside Housing")
    with repository.unit_of_work() as uow:
        return uow.cases_of(uow.user_by_telegram_id(ola.user.id).id)[0].public_ref


async def test_landlord_staff_answer_in_telegram_and_the_resident_sees_each_step(
    fake_bot_api: FakeBotApi, settings: Settings, clock: ManualClock, repositories: list[Repository]
) -> None:
    jo = Resident(fake_bot_api, fake_bot_api.new_user("Jo"))
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    pl = translator("pl")
    async with polling(app_for(settings, clock, repositories)):
        await complaint_to_an_approved_team(jo, ola, repositories[0], typed_landlord="riverside  housing")

        # The team's message arrives with the four buttons (sent by the reminder round, 50 ms).
        await fake_bot_api.wait_for(lambda: "Acknowledge stage 1 by" in texts(jo))
        assert "The kitchen ceiling leaks." in texts(jo)
        await jo.press("Acknowledge", "Respond at stage 1 by")
        acknowledged = pl.gettext("{landlord} has acknowledged your complaint {ref} (stage {stage}).")
        acknowledged = acknowledged.split("{ref}")[0].format(landlord="Riverside Housing")
        await fake_bot_api.wait_for(lambda: acknowledged in texts(ola))
        clock.set(datetime(2026, 3, 3, 11, 0, tzinfo=UTC))
        await jo.press("Extend", "By what date")
        await jo.say("03/03/2026", "must be after today")  # checked before the reason is asked
        await jo.say("30/04/2026", "What is the reason?")
        # Past the Code's cap (Code 6.4): a warning first, then "Extend anyway".
        warned = await jo.say("Our contractor needs a second visit.", "anyway?")
        assert "working days after the Code's date" in warned and "Code 6.4" in warned
        await jo.press("Extend anyway", "Respond at stage 1 by")
        await fake_bot_api.wait_for(lambda: "Our contractor needs a second visit." in texts(ola))
        await jo.press("Upload response", "response letter")
        start = len(jo.messages)
        fake_bot_api.user_sends_document(jo.user, "stage1-response.pdf", PDF, "application/pdf")
        await fake_bot_api.wait_for(lambda: any("Done: recorded" in m.text for m in jo.messages[start:]))
        await fake_bot_api.wait_for(
            lambda: any(d.data == PDF for d in fake_bot_api.sent_documents(ola.user.id))
        )

    news = texts(ola)
    assert pl.format_date(datetime(2026, 4, 30).date()) in news  # the new date, in Polish
    assert "6.5" in news
    assert "6.4" in news  # the notice flags the extension past the Code's cap


async def test_declining_a_stage_2_request_is_warned_to_the_team_and_the_resident_is_told(
    fake_bot_api: FakeBotApi, settings: Settings, clock: ManualClock, repositories: list[Repository]
) -> None:
    """The team answers at stage 1, Ola (Polish) asks for stage 2 through Fair Say on the same day, and Jo
    declines it "out of time": a warning first (Code 6.10), then the decline; Ola is told, in Polish, with
    her right to go to the Ombudsman (Code 6.10, not Code 2.4: it was her stage 2 request that was declined), and her /status says the refusal must be explained."""
    jo = Resident(fake_bot_api, fake_bot_api.new_user("Jo"))
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    pl = translator("pl")
    async with polling(app_for(settings, clock, repositories)):
        ref = await complaint_to_an_approved_team(jo, ola, repositories[0])
        await fake_bot_api.wait_for(lambda: "Acknowledge stage 1 by" in texts(jo))
        card = texts(jo)
        assert "Resident: Ola Nowak" in card and "Contact by post" in card
        await jo.press("Letter and evidence", "What would you like to do?")
        assert any(d.filename.endswith(".pdf") for d in fake_bot_api.sent_documents(jo.user.id))
        await jo.press("Upload response", "response letter")
        start = len(jo.messages)
        fake_bot_api.user_sends_document(jo.user, "stage1-response.pdf", PDF, "application/pdf")
        await fake_bot_api.wait_for(lambda: any("Done: recorded" in m.text for m in jo.messages[start:]))
        responded = pl.gettext("{landlord} has sent its stage {stage} response to your complaint {ref}.")
        await fake_bot_api.wait_for(lambda: responded.split("{")[0][:10] in texts(ola))

        await ola.say("/status", pl.gettext("Where it stands: {state}").split("{")[0][:12])
        why = pl.gettext(
            "You can ask for stage 2 without giving reasons (Complaint Handling Code 6.12). If you'd like, tell me "
            "what is still wrong or what you disagree with, and I'll add it to your request."
        )
        await ola.press(pl.gettext("Ask for stage 2"), why[:25])
        await ola.press(
            pl.gettext("I'd rather not say"),
            pl.gettext("Please check your stage 2 request before I write it.")[:20],
        )
        await ola.press(pl.gettext("That's right: write my request"), asks("stage2", "letter"))
        await ola.press(
            pl.gettext("Send it to {landlord} for me").format(landlord="Riverside Housing"),
            pl.gettext("What would you like to do?"),
        )
        await fake_bot_api.wait_for(lambda: f"A resident asks for stage 2 of complaint {ref}." in texts(jo))

        buttons = [m for m in jo.messages if f"stage 2 of complaint {ref}" in m.text]
        assert buttons
        start = len(jo.messages)
        await jo.press("Decline", "What is the reason?")
        warned = await jo.say("Out of time: our policy gives 5 days.", "Decline complaint")
        assert "The resident asked for stage 2 on" in warned and "Code 6.10" in warned
        assert "Housing Ombudsman (Code 6.10 (2024))." in warned and "2.4" not in warned
        await jo.press("Decline the complaint", "Done: recorded")

        declined = pl.gettext("{landlord} has declined your complaint {ref}. Its reason: “{reason}”.")
        await fake_bot_api.wait_for(lambda: declined.split("{")[1][10:25] in texts(ola))
    news = texts(ola)
    assert "Out of time: our policy gives 5 days." in news and "2.4" not in news
    assert "Housing Ombudsman (Code 6.10 (2024))." in news  # a stage 2 request declined: 6.10, not 2.4
