"""The web portal in a real browser: Debian's Chromium, headless, driven by Playwright, against the
real web service (uvicorn on 127.0.0.1), the real database and the real PTB Application talking to
the fake Bot API.

A landlord's team member signs in through the one-time link the bot gives them, acknowledges a
complaint, extends it with a reason and uploads the response letter; the resident's chat shows
each step, in Polish. An advocate sees only the case shared with them; another landlord's staff
get 404 for the case's address. axe-core checks the main pages for serious accessibility
problems, at desktop width and at 320 px.

Set PORTAL_SCREENSHOTS=docs to refresh the screenshots in docs/.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from support.databases import make_settings
from support.delivery_servers import free_port
from support.fake_bot_api import FakeBotApi, polling
from support.landlords import add_landlord
from test_landlord_journey import PDF, complaint_to_an_approved_team, texts
from test_telegram_journey import Resident, app_for

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.records import AdvocateScope, Role
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from flows.i18n import translator

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it off the (closed) network and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]
SERIOUS = {"serious", "critical"}

playwright_api = pytest.importorskip("playwright.async_api")
axe_module = pytest.importorskip("axe_playwright_python.async_playwright")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(sqlite_url: str, tmp_path: Path, fake_bot_api: FakeBotApi, port: int) -> Settings:
    return make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token="123:TEST",
        telegram_api_base_url=fake_bot_api.base_url,
        public_url=f"http://127.0.0.1:{port}",
        portal_secret="browser-test-secret-" * 3,
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # Monday 2 March 2026


@pytest.fixture
def repositories() -> Iterator[list[Repository]]:
    opened: list[Repository] = []
    yield opened
    for repository in opened:
        repository.close()


@contextlib.asynccontextmanager
async def web_service(
    settings: Settings, repository: Repository, clock: ManualClock, port: int
) -> AsyncIterator[str]:
    config = uvicorn.Config(
        create_web_app(settings, repository, clock=clock),
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers a flag, not an event)
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def portal_link(person: Resident) -> str:
    answer = await person.say("/portal", "/portal/sign-in/")
    found = re.search(r"http://127\.0\.0\.1:\d+/portal/sign-in/\S+", answer)
    assert found, answer
    return found.group(0)


async def onboard(person: Resident, who: str) -> None:
    await person.say("/start", "Which language")
    await person.press("English", "Who are you?")
    await person.press(who, "/export")
    await person.press("OK, let's start", "What would you like to do?")


async def sign_in(page: Any, link: str) -> None:
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()


async def serious_violations(page: Any) -> list[str]:
    results = await axe_module.Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS
    ]


def screenshots_dir(tmp_path: Path) -> Path:
    wanted = os.environ.get("PORTAL_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path


async def test_a_landlord_answers_in_the_portal_and_the_resident_sees_each_step(
    fake_bot_api: FakeBotApi,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
    port: int,
    tmp_path: Path,
) -> None:
    jo = Resident(fake_bot_api, fake_bot_api.new_user("Jo"))
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    pl = translator("pl")
    async with polling(app_for(settings, clock, repositories)):
        ref = await complaint_to_an_approved_team(jo, ola, repositories[0])
        link = await portal_link(jo)

        async with web_service(settings, repositories[0], clock, port), browser() as chromium:
            page = await chromium.new_page()
            await page.goto(link.split("/sign-in/")[0] + "/sign-in")
            assert await serious_violations(page) == []
            await sign_in(page, link)
            assert page.url.endswith("/portal/inbox")
            await page.get_by_role("heading", name="Complaints inbox").wait_for()
            row = page.get_by_role("row").filter(has_text=ref)
            assert "5 working days left" in await row.inner_text()  # acknowledge by Monday 9 March
            assert await serious_violations(page) == []
            await page.screenshot(path=str(screenshots_dir(tmp_path) / "portal-inbox.png"), full_page=True)

            await page.get_by_role("link", name=ref).click()
            await page.get_by_role("heading", name=f"Complaint {ref}").wait_for()
            assert await serious_violations(page) == []

            # Acknowledge: the resident hears of it in their chat, in Polish.
            await page.locator("#acknowledge-form").get_by_role("button", name="Acknowledge").click()
            await page.get_by_text("Recorded: you acknowledged the complaint").wait_for()
            acknowledged = pl.gettext("{landlord} has acknowledged your complaint {ref} (stage {stage}).")
            acknowledged = acknowledged.split("{ref}")[0].format(landlord="Riverside Housing")
            await fake_bot_api.wait_for(lambda: acknowledged in texts(ola))

            # Extend, with a reason: first forgetting the reason (what was typed stays), then properly.
            clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
            extend = page.locator("#extend-form")
            await extend.get_by_label("New date you will respond by").fill("2026-04-30")
            await extend.get_by_label("Reason (the resident is told it)").evaluate(
                "node => node.required = false"
            )
            await extend.get_by_role("button", name="Extend").click()
            await page.get_by_role("alert").get_by_text("Please give the reason").wait_for()
            extend = page.locator("#extend-form")
            assert await extend.get_by_label("New date you will respond by").input_value() == "2026-04-30"
            await extend.get_by_label("Reason (the resident is told it)").fill(
                "Our contractor needs a second visit."
            )
            await extend.get_by_role("button", name="Extend").click()
            # Past the Code's cap (Code 6.4): a warning, the reason kept; with the box ticked it goes ahead.
            await page.get_by_role("alert").get_by_text("working days after the Code").wait_for()
            extend = page.locator("#extend-form")
            assert await extend.get_by_label("Reason (the resident is told it)").input_value() == (
                "Our contractor needs a second visit."
            )
            await extend.get_by_label("I have read the warning and want to go ahead").check()
            await extend.get_by_role("button", name="Extend").click()
            await page.get_by_text("Recorded: the new date and your reason").wait_for()
            await fake_bot_api.wait_for(lambda: "Our contractor needs a second visit." in texts(ola))
            await page.screenshot(path=str(screenshots_dir(tmp_path) / "portal-case.png"), full_page=True)

            # Respond, uploading the response letter: the resident receives the letter itself.
            respond = page.locator("#respond-form")
            await respond.get_by_label("Your response letter (PDF, Word or a photo)").set_input_files(
                files=[{"name": "stage1-response.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
            await respond.get_by_role("button", name="Record the response").click()
            await page.get_by_text("Recorded: your response").wait_for()
            await fake_bot_api.wait_for(
                lambda: any(d.data == PDF for d in fake_bot_api.sent_documents(ola.user.id))
            )
            history = await page.get_by_role("table").filter(has_text="Acknowledged (stage 1)").inner_text()
            assert "Extension (stage 1)" in history and "Response (stage 1)" in history
            assert await serious_violations(page) == []

            # Keyboard only, at 320 px: the skip link comes first and shows where focus is.
            small = await chromium.new_page(viewport={"width": 320, "height": 640})
            await small.context.add_cookies(await page.context.cookies())
            await small.goto(f"{page.url.split('/portal/')[0]}/portal/inbox")
            await small.keyboard.press("Tab")
            focused = await small.evaluate("document.activeElement.textContent")
            assert focused == "Skip to the main content"
            width = await small.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"the inbox scrolls sideways at 320 px ({width} px wide)"
            assert await serious_violations(small) == []
            await small.get_by_role("link", name="Compliance").click()
            await small.get_by_role("heading", name="Compliance").wait_for()
            assert await serious_violations(small) == []
            await small.goto(page.url)  # the case page, with its forms, timeline and evidence
            width = await small.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"the case page scrolls sideways at 320 px ({width} px wide)"
            assert await serious_violations(small) == []

    news = texts(ola)
    assert pl.format_date(datetime(2026, 4, 30).date()) in news  # the new date, in Polish


async def test_an_advocate_sees_only_consented_cases_and_another_landlord_gets_404(
    fake_bot_api: FakeBotApi,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
    port: int,
) -> None:
    jo = Resident(fake_bot_api, fake_bot_api.new_user("Jo"))
    ola = Resident(fake_bot_api, fake_bot_api.new_user("Ola", language_code="pl"))
    sam = Resident(fake_bot_api, fake_bot_api.new_user("Sam"))
    kim = Resident(fake_bot_api, fake_bot_api.new_user("Kim"))
    async with polling(app_for(settings, clock, repositories)):
        repository = repositories[0]
        ref = await complaint_to_an_approved_team(jo, ola, repository)
        with repository.unit_of_work() as uow:
            other = uow.create_case(uow.user_by_telegram_id(999).id, landlord_name="Somewhere Else")
            helper = uow.user_by_telegram_id(sam.user.id)
            uow.access.link(uow.case_by_ref(ref).id, helper.id, AdvocateScope.VIEW)  # type: ignore[union-attr]
            uow.add_role(helper.id, Role.ADVOCATE)
        add_landlord(repository, "Hillside Homes", staff_telegram_id=kim.user.id)
        await onboard(sam, "I'm helping someone who rents")
        await onboard(kim, "I work for a landlord")
        sam_link, kim_link = await portal_link(sam), await portal_link(kim)

        async with web_service(settings, repository, clock, port) as base, browser() as chromium:
            advocate = await chromium.new_page()
            await sign_in(advocate, sam_link)
            assert advocate.url.endswith("/portal/caseload")
            caseload = await advocate.get_by_role("main").inner_text()
            assert ref in caseload and other not in caseload
            assert await serious_violations(advocate) == []
            answer = await advocate.goto(f"{base}/portal/cases/{other}")
            assert answer is not None and answer.status == 404
            answer = await advocate.goto(f"{base}/portal/cases/{ref}")
            assert answer is not None and answer.status == 200
            assert await advocate.get_by_role("heading", name="Answer the complaint").count() == 0

            rival_page = await (await chromium.new_context()).new_page()
            await sign_in(rival_page, kim_link)
            assert rival_page.url.endswith("/portal/inbox")
            assert ref not in await rival_page.get_by_role("main").inner_text()
            answer = await rival_page.goto(f"{base}/portal/cases/{ref}")
            assert answer is not None and answer.status == 404
            assert await rival_page.get_by_role("heading", name="Page not found").count() == 1

            with repository.unit_of_work() as uow:  # Kim also runs Fair Say: the operators' page
                uow.add_role(uow.user_by_telegram_id(kim.user.id).id, Role.OPERATOR)
            await rival_page.goto(f"{base}/portal/admin")
            await rival_page.get_by_role("heading", name="Landlords").wait_for()
            assert await serious_violations(rival_page) == []
