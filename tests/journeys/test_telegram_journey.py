"""The whole resident journey on Telegram: the real PTB Application against the fake Bot API, the real
database (SQLite), and a clock the test moves so reminders and missed-deadline warnings fire.

/start → triage → stage 1 letter (PDF) → "I sent it" → a reminder and a missed-deadline warning →
the landlord's reply → stage 2 → the final response → the referral pack (PDF and zip); with a restart
in the middle, junk input along the way, and every command; and /delete after a restart leaves nothing.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, SentMessage, polling
from support.journey import Answer, complaint, split_at

from bot.catalogues import compile_catalogues
from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.models import metadata
from bot.storage.repository import Repository
from bot.telegram.app import build_application
from bot.telegram.handlers import FloodGate
from flows.conversations.registry import BY_NAME
from flows.conversations.types import IncomingFile
from flows.hazards import EMERGENCY_INVESTIGATION, LONDON, when_text
from flows.i18n import Translator, translator

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 256
EN = translator("en")
# The "write a complaint" script (support.journey) as Amina answers it on Telegram.
WRITTEN = complaint(
    tenancy_ref=None,
    what_happened="The kitchen ceiling has leaked since January <b>badly</b> & nobody came.",
    impact="My son's asthma is worse.",
    put_right="Fix the leak within two weeks.",
    evidence=(IncomingFile("photo.jpg", "image/jpeg", JPEG, "photo"),),
)


class Resident:
    """A person on Telegram: types, taps buttons by their label, sends files; waits for the bot's answer."""

    def __init__(self, fake: FakeBotApi, user: FakeUser) -> None:
        self.fake = fake
        self.user = user
        self.seen = 0

    @property
    def messages(self) -> list[SentMessage]:
        return self.fake.sent_messages(self.user.id)

    async def _answer(self, act: Callable[[], object], expect: str) -> str:
        start = len(self.messages)
        act()
        await self.fake.wait_for(
            lambda: any(expect in html.unescape(m.text) for m in self.messages[start:]), timeout=10
        )
        # The bot may still be sending: wait until its last message carries buttons or it is a document.
        texts = [html.unescape(m.text) for m in self.messages[start:]]
        self.seen = len(self.messages)
        return "\n".join(texts)

    async def say(self, text: str, expect: str) -> str:
        return await self._answer(lambda: self.fake.user_sends_text(self.user, text), expect)

    def button(self, label: str) -> str:
        for message in reversed(self.messages):
            current = self.fake.message(self.user.id, message.message_id) or {}
            rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
            for row in rows:
                for button in row:
                    if button["text"] == label:
                        return str(button["callback_data"])
        raise AssertionError(f"no button {label!r} on screen")

    async def press(self, label: str, expect: str) -> str:
        data = self.button(label)
        return await self._answer(lambda: self.fake.user_presses_button(self.user, data), expect)

    async def sticker(self, expect: str) -> str:
        return await self._answer(lambda: self.fake.user_sends_sticker(self.user), expect)

    async def photo(self, data: bytes, expect: str, caption: str | None = None) -> str:
        return await self._answer(
            lambda: self.fake.user_sends_photo(self.user, data, caption=caption), expect
        )

    async def play(self, answers: Sequence[Answer], t: Translator, then: str) -> str:
        """Answer each question (support.journey) in language `t`, waiting for the next one; `then`
        is what the last answer brings."""
        text = ""
        for answer, following in zip(answers, [*answers[1:], None], strict=True):
            if following is None:
                expect = then
            elif (following.flow, following.step) == (answer.flow, answer.step):
                expect = ""  # the same question takes more (a file, then another or "done"): any reply
            else:
                expect = following.asks(t)
            if answer.file is not None:
                text = await self.photo(answer.file.data, expect)
            elif answer.choice is not None:
                text = await self.press(answer.label(t), expect)
            else:
                text = await self.say(answer.text or "", expect)
        return text


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


def app_for(settings: Settings, clock: ManualClock, repositories: list[Repository]):  # type: ignore[no-untyped-def]
    repository = Repository.open(settings)  # a fresh engine each time: as a restarted process would
    repositories.append(repository)
    return build_application(
        settings, repository, clock, reminder_interval=0.05, flood_gate=FloodGate(limit=None)
    )


async def test_full_journey_from_start_to_referral_pack(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    amina = Resident(fake_bot_api, fake_user)
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        to_name, rest = split_at(WRITTEN, "new_complaint", "landlord_name")
        await amina.play(to_name, EN, "What is your landlord called?")

    # Restart mid-journey: a new Application and a new database engine; the same question continues.
    async with polling(app_for(settings, clock, repositories)):
        to_started, rest = split_at(rest, "new_complaint", "started")
        await amina.play(to_started, EN, "When did the problem start")
        # Junk dates and messages: a clear reply, nothing lost.
        await amina.say("31/02/2026", "not a real date")
        await amina.say("next Tuesday", "doesn't look like a date")  # words, not a date (issue 20)
        await amina.sticker("can't use that")
        await amina.say("🙂🙂🙂", "could not read that as a date")
        to_email, rest = split_at(rest, "complaint", "contact_detail")
        await amina.play(to_email, EN, "What is your email address?")
        await amina.say("not-an-email", "doesn't look like an email")
        to_what, rest = split_at(rest, "complaint", "what_happened")
        await amina.play(to_what, EN, "What happened?")
        await amina.say("x" * 4000, "I can keep up to 3,000")
        await amina.play(rest, EN, "Please check your complaint")
        text = await amina.press("That's right: write my letter", "Send this letter")
        assert "<b>badly</b> & nobody came" in text  # the resident's words, as written (escaped on the wire)
        [letter] = fake_bot_api.sent_documents(fake_user.id)
        pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages)
        assert "Dear Riverside Housing," in pdf and "Code 6.2" in pdf
        await amina.press("I've sent it", "When did you send it?")
        await amina.press("Today", "Monday, 9 March 2026")

        # Thursday 5 March: two working days before the acknowledgement is due.
        clock.set(datetime(2026, 3, 5, 10, 30, tzinfo=UTC))
        await fake_bot_api.wait_for(
            lambda: any("is due on Monday, 9 March 2026" in m.text for m in amina.messages)
        )
        # Tuesday 10 March: nothing came; the warning says so and what to do.
        clock.set(datetime(2026, 3, 10, 10, 30, tzinfo=UTC))
        await fake_bot_api.wait_for(lambda: any("has missed a deadline" in m.text for m in amina.messages))
        warning = next(m for m in amina.messages if "has missed a deadline" in m.text)
        assert "1 working day late" in warning.text and "Housing Ombudsman" in warning.text

        await amina.press("Open my complaint", "Where it stands")
        await amina.press("They acknowledged it", "When did that happen?")
        await amina.say("10/03/2026", "Noted")
        clock.set(datetime(2026, 3, 20, 11, 0, tzinfo=UTC))
        await amina.say("/status", "Where it stands")
        await amina.press("They replied", "When did that happen?")
        await amina.say("today", "If you have their reply")
        await amina.press("That's all my evidence", "Are you happy with their answer?")
        await amina.press("No, or only partly", "You can ask for stage 2 without giving reasons")
        await amina.press("I'd rather not say", "Please check your stage 2 request")  # issue 20's review
        text = await amina.press("That's right: write my request", "Send this request")
        assert "escalate my complaint to stage 2" in text
        await amina.press("I've sent it", "On what date did you send it?")
        await amina.say("today", "Noted: you asked for stage 2")

        clock.set(datetime(2026, 4, 28, 11, 0, tzinfo=UTC))
        await amina.say("/status", "Where it stands")
        await amina.press("They replied", "When did that happen?")
        await amina.say("today", "If you have their reply")
        await amina.press("That's all my evidence", "Where it stands")
        await amina.press("Go to the Housing Ombudsman", "You have until")
        await amina.press("Make my pack", "Please check your summary for the Housing Ombudsman")  # issue 20
        await amina.press(
            "That's right: make my pack", "Tell me when you've sent your complaint to the Ombudsman"
        )
        documents = fake_bot_api.sent_documents(fake_user.id)
        assert [d.filename.rsplit(".", 1)[-1] for d in documents[-2:]] == ["pdf", "zip"]
        with zipfile.ZipFile(io.BytesIO(documents[-1].data)) as pack:
            names = pack.namelist()
            assert "hashes.txt" in names and any(name.startswith("evidence/") for name in names)
            assert any("stage1" in name for name in names) and any("stage2" in name for name in names)
        await amina.press("I've sent it", "On what date did you send it?")
        await amina.say("today", "Noted: you went to the Housing Ombudsman")

    # Telegram's limits were respected throughout (the fake rejects what Telegram would).
    assert all(call.ok for call in fake_bot_api.calls() if call.method in ("sendMessage", "sendDocument"))


# One question of each kind, in each of the complaint's two flows: where a command lands mid-way.
STEP_GROUPS = {
    "a choice in triage": ("new_complaint", "nation"),
    "a date in triage": ("new_complaint", "started"),
    "a typed answer in the complaint": ("complaint", "what_happened"),
    "the evidence": ("complaint", "evidence"),
}


@pytest.mark.parametrize("group", list(STEP_GROUPS))
@pytest.mark.parametrize(
    "command",
    [
        "/help",
        "/status",
        "/back",
        "/cancel",
        "/language",
        "/export",
        "/explain",
        "/new",
        "/menu",
        "/whatever",
    ],
)
async def test_every_command_answers_mid_journey(
    command: str,
    group: str,
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    """Each command at each kind of question (one test each, so a failure hides no other): answered,
    never with "sorry", within Telegram's limits."""
    amina = Resident(fake_bot_api, fake_user)
    flow, step = STEP_GROUPS[group]
    before_it, _ = split_at(complaint(), flow, step)
    question = BY_NAME[flow].by_id[step].prompt
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        if before_it:
            await amina.play(before_it, EN, EN.gettext(question)[:25] if isinstance(question, str) else "")
        before = len(amina.messages)
        fake_bot_api.user_sends_text(fake_user, command)
        await fake_bot_api.wait_for(
            lambda: len(amina.messages) > before or len(fake_bot_api.sent_documents(fake_user.id)) > 0
        )
    assert all(call.ok for call in fake_bot_api.calls() if call.method.startswith("send"))
    assert not any("something went wrong" in m.text for m in amina.messages)


async def test_delete_after_a_restart_leaves_nothing(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    """A restart opens a database that is already up to date, the path on which SQLite's foreign keys
    were once left off: /delete then removed only the users row."""
    amina = Resident(fake_bot_api, fake_user)
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        written = complaint(
            tenancy_ref="RH-55102",
            what_happened="The kitchen ceiling has leaked since January.",
            impact="My son's asthma is worse.",
            put_right="Fix the leak within two weeks.",
            evidence=(IncomingFile("photo.jpg", "image/jpeg", JPEG, "photo"),),
        )
        await amina.play(written, EN, "Please check your complaint")
        await amina.press("That's right: write my letter", "Send this letter")
        await amina.press("I've sent it", "When did you send it?")
        await amina.press("Today", "Monday, 9 March 2026")

    evidence = settings.evidence_dir
    assert [path for path in evidence.rglob("*") if path.is_file()] != []
    async with polling(app_for(settings, clock, repositories)):  # the restart
        await amina.say("/delete", "delete")
        await amina.press("Yes, delete everything", "deleted everything")

    repository = repositories[-1]
    with Session(repository.engine) as session:
        stored = json.dumps(
            {
                table.name: [list(map(str, row)) for row in session.execute(select(table))]
                for table in metadata.sorted_tables
            }
        )
    for personal in (
        "Amina",
        "Mill Road",
        "amina@example.com",
        "RH-55102",
        "kitchen ceiling",
        "asthma",
        "Fix the leak",
        "Riverside",
        str(fake_user.id),
    ):
        assert personal not in stored, personal
    assert [path for path in evidence.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize(("language", "button"), [("en", "English"), ("pl", "Polski")])
async def test_damp_with_risk_now_takes_the_emergency_route_on_telegram(
    language: str,
    button: str,
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    """A child with asthma, hospital visits: the tenure, the risk-now questions, the 24-hour route from the
    time of the report (09:15), and the English letter stating Awaab's Law's clocks."""
    compile_catalogues()
    t = translator(language)
    amina = Resident(fake_bot_api, fake_user)
    answers = complaint(
        subject="damp_mould",
        hazard_reported="02/03/2026",
        risk=("yes", "hospital", "room"),
        emergency="emergency",
        hazard_time="09:15",
        evidence=(),
    )
    triage, written = split_at(answers, "complaint", "full_name")
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press(button, t.gettext("Who are you?"))
        await amina.press(t.gettext("I rent my home and want to complain"), "/export")
        await amina.press(t.gettext("OK, let's start"), t.gettext("What would you like to do?"))
        await amina.press(t.gettext("Start a new complaint"), t.gettext("Let's start. Where is your home?"))
        text = await amina.play(triage, t, written[0].asks(t))
        assert EMERGENCY_INVESTIGATION.text(t) in text
        assert when_text(t, datetime(2026, 3, 3, 9, 15, tzinfo=LONDON)) in text  # 24 hours from 09:15
        assert t.gettext("Working days are Monday to Friday, except bank holidays.") not in text
        await amina.play(written, t, t.gettext("Please check your complaint before I write the letter."))
        await amina.press(t.gettext("That's right: write my letter"), "")
        await fake_bot_api.wait_for(lambda: len(fake_bot_api.sent_documents(fake_user.id)) == 1)
        [letter] = fake_bot_api.sent_documents(fake_user.id)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages)
    words = " ".join(pdf.split())  # the PDF's lines are justified
    assert "Awaab's Law (the Hazards in Social Housing" in words  # in English, for the landlord
    assert (
        "Investigate the emergency hazard (24 hours): due 09:15 on Tuesday, 3 March 2026, not due yet."
        in words
    )
    assert all(call.ok for call in fake_bot_api.calls() if call.method in ("sendMessage", "sendDocument"))


@pytest.mark.parametrize(("language", "button"), [("en", "English"), ("cy", "Cymraeg")])
async def test_a_morning_or_afternoon_time_is_asked_and_the_letter_asks_rather_than_calls_it_missed(
    language: str,
    button: str,
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    """Reported on Saturday 28 February at "9.15": 09:15 or 21:15? Asked, then 24 hours from 09:15, past
    by the letter of Monday 2 March: nothing tells us whether the landlord investigated or made the home
    safe, so the letter asks it to say, and calls nothing missed."""
    compile_catalogues()
    t = translator(language)
    amina = Resident(fake_bot_api, fake_user)
    answers = complaint(
        subject="damp_mould",
        hazard_reported="28/02/2026",
        risk=("yes", "hospital", "room"),
        emergency="emergency",
        hazard_time="9:15am",
        evidence=(),
    )
    triage, written = split_at(answers, "complaint", "full_name")
    before_time, from_time = split_at(triage, "new_complaint", "hazard_time")
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press(button, t.gettext("Who are you?"))
        await amina.press(t.gettext("I rent my home and want to complain"), "/export")
        await amina.press(t.gettext("OK, let's start"), t.gettext("What would you like to do?"))
        await amina.press(t.gettext("Start a new complaint"), t.gettext("Let's start. Where is your home?"))
        await amina.play(before_time, t, from_time[0].asks(t))
        asked = t.gettext(
            "Was that in the morning or the afternoon? Please type it like 9:30am or 2:30pm, or 14:30."
        )
        await amina.say("9.15", asked)
        text = await amina.play(from_time, t, written[0].asks(t))
        assert when_text(t, datetime(2026, 3, 1, 9, 15, tzinfo=LONDON)) in text  # from 09:15, not 21:15
        await amina.play(written, t, t.gettext("Please check your complaint before I write the letter."))
        await amina.press(t.gettext("That's right: write my letter"), "")
        await fake_bot_api.wait_for(lambda: len(fake_bot_api.sent_documents(fake_user.id)) == 1)
        [letter] = fake_bot_api.sent_documents(fake_user.id)
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.data)).pages)
    words = " ".join(pdf.split())
    awaab = words.split("Awaab's Law (the Hazards in Social Housing")[1].split("Yours sincerely")[0]
    assert (
        "Make the home safe (24 hours): due 09:15 on Sunday, 1 March 2026, the date has passed: please tell me "
        "whether and when you did this." in awaab
    )
    assert "missed" not in awaab


async def test_a_late_stage2_acknowledgement_does_not_stretch_the_final_answer(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    clock: ManualClock,
    repositories: list[Repository],
) -> None:
    """Issue 22 on Telegram: stage 2 asked for on Mon 16 Mar 2026 and acknowledged late on Thu 2 Apr
    (due Mon 23 Mar); the final answer stays due 25 working days after the request (Good Friday and
    Easter Monday skipped), Wed 22 April, not 20 after the acknowledgement (Tue 5 May)."""
    from support.journey import complaint

    from flows.i18n import translator

    amina = Resident(fake_bot_api, fake_user)
    async with polling(app_for(settings, clock, repositories)):
        await amina.say("/start", "Which language")
        await amina.press("English", "Who are you?")
        await amina.press("I rent my home and want to complain", "/export")
        await amina.press("OK, let's start", "What would you like to do?")
        await amina.press("Start a new complaint", "Where is your home?")
        await amina.play(complaint(evidence=()), translator("en"), then="Amina Begum")
        await amina.press("That's right: write my letter", "Send this letter")
        await amina.press("I've sent it", "When did you send it?")
        await amina.press("Today", "Monday, 9 March 2026")

        clock.set(datetime(2026, 3, 16, 11, 0, tzinfo=UTC))
        await amina.say("/status", "Where it stands")
        await amina.press("They acknowledged it", "When did that happen?")
        await amina.say("04/03/2026", "Noted")
        await amina.say("/status", "Where it stands")
        await amina.press("They replied", "When did that happen?")
        await amina.say("today", "If you have their reply")
        await amina.press("That's all my evidence", "Are you happy with their answer?")
        await amina.press("No, or only partly", "You can ask for stage 2 without giving reasons")
        await amina.press("I'd rather not say", "Please check your stage 2 request")
        await amina.press("That's right: write my request", "Send this request")
        await amina.press("I've sent it", "On what date did you send it?")
        await amina.say("today", "Noted: you asked for stage 2")

        clock.set(datetime(2026, 4, 10, 11, 0, tzinfo=UTC))
        await amina.say("/status", "Where it stands")
        await amina.press("They acknowledged it", "When did that happen?")
        await amina.say("02/04/2026", "Noted")
        text = await amina.say("/status", "Final answer (stage 2): due Wednesday, 22 April 2026")
        assert "Tuesday, 5 May 2026" not in text
