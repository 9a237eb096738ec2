"""The chat service over a real database (SQLite and PostgreSQL): one transaction per update, nothing
in memory, reminders planned from the timeline and sent once, data rights through the chat."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import zipfile
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.services.reminder_planning import plan_case_reminders
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.conversations.router import case_button_data
from flows.conversations.types import Incoming, IncomingFile, Reply

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Resident:
    """One Telegram user talking to the service."""

    def __init__(self, service: ChatService, telegram_id: int = 1001) -> None:
        self.service = service
        self.telegram_id = telegram_id
        self.replies: list[Reply] = []

    def send(self, incoming: Incoming | str) -> list[Reply]:
        if isinstance(incoming, str):
            incoming = Incoming(text=incoming)
        self.replies = self.service.handle_telegram(self.telegram_id, "en", incoming)
        return self.replies

    def press(self, label: str) -> list[Reply]:
        for reply in self.replies:
            for row in reply.buttons:
                for button in row:
                    if button.label == label:
                        return self.send(Incoming(button=button.data))
        labels = [b.label for r in self.replies for row in r.buttons for b in row]
        raise AssertionError(f"no button {label!r} in {labels}")

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)


def onboard(resident: Resident) -> None:
    resident.send("/start")
    resident.press("English")
    resident.press("I rent my home and want to complain")
    resident.press("OK, let's start")


def write_complaint(resident: Resident, *, upload: bool = True) -> None:
    resident.press("Start a new complaint")
    resident.press("England")
    resident.press("A housing association")
    resident.send("Riverside Housing")
    resident.press("Repairs")
    resident.press("That's all")
    resident.press("None of these")
    resident.press("No")
    resident.send("01/02/2026")
    resident.press("Yes, I've reported it")
    resident.send("Amina Begum")
    resident.send("Flat 3, 12 Mill Road, Leeds LS1 4AB")
    resident.press("I don't know it")
    resident.press("By post")
    resident.send("The kitchen ceiling leaks.")
    resident.press("Skip")
    resident.send("We cannot cook.")
    resident.send("Fix it within two weeks.")
    resident.press("None needed")
    if upload:
        resident.send(
            Incoming(file=IncomingFile("ceiling.jpg", "image/jpeg", JPEG, "photo", "tg-file-1", len(JPEG)))
        )
    resident.press("That's all my evidence")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # Monday 2 March 2026, 11:00 in London


@pytest.fixture
def service(repo: Repository, settings: Settings, clock: ManualClock) -> ChatService:
    return ChatService(repo, settings, clock)


def test_conversation_survives_a_restart(repo: Repository, settings: Settings, clock: ManualClock) -> None:
    resident = Resident(ChatService(repo, settings, clock))
    onboard(resident)
    resident.press("Start a new complaint")
    resident.press("England")
    repo.close()
    fresh = Repository.open(settings)  # a new engine, as a new process would have
    try:
        again = Resident(ChatService(fresh, settings, clock))
        again.send("/help")  # re-asks the current question after the help text
        assert "Who is your landlord?" in again.text
        again.press("The council")
        assert "What is your landlord called?" in again.text
    finally:
        fresh.close()


def test_two_files_sent_at_once_are_both_kept(service: ChatService) -> None:
    resident = Resident(service)
    onboard(resident)
    write_complaint(resident, upload=False)
    resident.press("Change an answer")
    resident.press("Add more evidence")
    files = [
        IncomingFile("a.jpg", "image/jpeg", JPEG, "photo", None, len(JPEG)),
        IncomingFile("b.png", "image/png", PNG, "photo", None, len(PNG)),
    ]
    errors: list[BaseException] = []

    def send(file: IncomingFile) -> None:
        try:
            service.handle_telegram(resident.telegram_id, "en", Incoming(file=file))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(file,)) for file in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    resident.send("/help")
    resident.press("That's all my evidence")
    assert "Evidence: 2 files" in resident.text


def test_reminders_are_planned_sent_once_and_stop_when_the_landlord_answers(
    service: ChatService, repo: Repository, clock: ManualClock
) -> None:
    resident = Resident(service)
    onboard(resident)
    write_complaint(resident)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")  # acknowledgement due Monday 9 March

    sent: list[tuple[int, Reply]] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        sent.append((telegram_id, reply))

    sender = ReminderSender(repo, clock, send, claimer="test")
    clock.set(datetime(2026, 3, 5, 10, 30, tzinfo=UTC))  # Thursday: 2 working days before the 9th
    assert asyncio.run(sender.run_once()) == 1
    assert "is due on Monday, 9 March 2026" in sent[-1][1].text
    assert asyncio.run(sender.run_once()) == 0  # not twice

    clock.set(datetime(2026, 3, 10, 10, 30, tzinfo=UTC))  # the day after: missed
    assert asyncio.run(sender.run_once()) == 1
    missed = sent[-1][1]
    assert "has missed a deadline" in missed.text and "1 working day late" in missed.text
    assert missed.buttons[0][0].data.startswith("case:")

    # The resident records the acknowledgement: the stage 1 response reminders remain, nothing about it.
    resident.send(Incoming(button=missed.buttons[0][0].data))
    resident.press("They acknowledged it")
    resident.send("09/03/2026")
    clock.set(datetime(2026, 3, 20, 10, 30, tzinfo=UTC))
    asyncio.run(sender.run_once())
    assert all("Acknowledging" not in reply.text for _, reply in sent[2:])
    assert all(telegram_id == resident.telegram_id for telegram_id, _ in sent)


def test_no_reminders_at_night(service: ChatService, repo: Repository, clock: ManualClock) -> None:
    resident = Resident(service)
    onboard(resident)
    write_complaint(resident)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    sent: list[Reply] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        sent.append(reply)

    sender = ReminderSender(repo, clock, send, claimer="night")
    clock.set(datetime(2026, 3, 5, 22, 30, tzinfo=UTC))  # due since 10:00, but it's 22:30 in London
    assert asyncio.run(sender.run_once()) == 0
    clock.set(datetime(2026, 3, 6, 7, 59, tzinfo=UTC))
    assert asyncio.run(sender.run_once()) == 0
    clock.set(datetime(2026, 3, 6, 8, 1, tzinfo=UTC))
    assert asyncio.run(sender.run_once()) == 1


def test_export_and_delete_through_the_chat(service: ChatService, repo: Repository) -> None:
    resident = Resident(service)
    onboard(resident)
    write_complaint(resident)
    resident.send("/export")
    document = next(reply.document for reply in resident.replies if reply.document)
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        data = json.loads(archive.read("data.json"))
        assert data["user"]["profile"]["full_name"] == "Amina Begum"
        assert any(name.startswith("evidence/") for name in archive.namelist())
    with repo.unit_of_work() as uow:
        user_id = uow.user_by_telegram_id(resident.telegram_id).id
        case_ids = [case.id for case in uow.cases_of(user_id)]
    resident.send("/delete")
    resident.press("Yes, delete everything")
    assert "deleted everything" in resident.text
    with repo.unit_of_work() as uow:
        assert uow.user(user_id) is None
        assert uow.cases_of(user_id) == []
        assert all(uow.evidence_of(case_id) == [] for case_id in case_ids)
    resident.send("hello")
    assert "Which language" in resident.text  # a new start


def test_someone_elses_complaint_is_never_shown(service: ChatService) -> None:
    amina = Resident(service, 1001)
    onboard(amina)
    write_complaint(amina)
    with service.repository.unit_of_work() as uow:
        ref = uow.cases_of(uow.user_by_telegram_id(1001).id)[0].public_ref
    mallory = Resident(service, 2002)
    onboard(mallory)
    mallory.send(Incoming(button=case_button_data(ref)))
    assert "can't find that complaint" in mallory.text
    assert "Riverside" not in mallory.text
    mallory.send(Incoming(button=case_button_data("AAAAAAAA")))
    assert "can't find that complaint" in mallory.text


def test_local_user_for_the_terminal(service: ChatService) -> None:
    replies = service.handle_local(Incoming(text="/start"))
    assert "Which language" in replies[0].text
    assert service.local_translator().language == "en"


def test_awaabs_law_clocks_get_a_reminder_when_missed(
    service: ChatService, repo: Repository, clock: ManualClock
) -> None:
    resident = Resident(service)
    onboard(resident)
    resident.press("Start a new complaint")
    resident.press("England")
    resident.press("A housing association")
    resident.send("Riverside Housing")
    resident.press("Damp and mould")
    resident.press("That's all")
    resident.press("A housing association tenancy (assured or starter)")
    resident.press("None of these")
    resident.press("No")
    resident.send("01/01/2026")
    resident.press("Yes, I've reported it")
    resident.press("No")
    resident.press("No, not that I know of")
    resident.press("A small patch")
    resident.send("02/03/2026")  # the landlord knew on Monday 2 March: investigate by Monday 16 March
    sent: list[Reply] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        sent.append(reply)

    sender = ReminderSender(repo, clock, send, claimer="hazard")
    clock.set(datetime(2026, 3, 17, 10, 30, tzinfo=UTC))
    assert asyncio.run(sender.run_once()) == 1
    assert "An Awaab's Law deadline has passed" in sent[0].text and "Monday, 16 March 2026" in sent[0].text
    assert "If your landlord hasn't done it" in sent[0].text


def test_a_report_date_corrected_after_going_back_leaves_one_reminder_from_the_right_date(
    service: ChatService, repo: Repository, clock: ManualClock
) -> None:
    """/back into triage to correct the report date opens the complaint again: the first draft's
    reminder (from the wrong date) must not go out beside the right one."""
    resident = Resident(service)
    onboard(resident)
    resident.press("Start a new complaint")
    resident.press("England")
    resident.press("A housing association")
    resident.send("Riverside Housing")
    resident.press("Damp and mould")
    resident.press("That's all")
    resident.press("A housing association tenancy (assured or starter)")
    resident.press("None of these")
    resident.press("No")
    resident.send("01/01/2026")
    resident.press("Yes, I've reported it")
    resident.press("No")
    resident.press("No, not that I know of")
    resident.press("A small patch")
    resident.send("02/03/2026")  # a slip: it was Sunday 1 March
    assert "What is your full name" in resident.text
    resident.send("/back")
    assert "When did you first tell your landlord" in resident.text
    resident.send("01/03/2026")  # investigate by Friday 13 March
    sent: list[Reply] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        sent.append(reply)

    clock.set(datetime(2026, 3, 17, 10, 30, tzinfo=UTC))
    asyncio.run(ReminderSender(repo, clock, send, claimer="hazard").run_once())
    awaab = [reply.text for reply in sent if "Awaab" in reply.text]
    assert len(awaab) == 1 and "Friday, 13 March 2026" in awaab[0]


def test_no_awaabs_law_reminders_for_a_home_it_does_not_cover(
    service: ChatService, repo: Repository, clock: ManualClock
) -> None:
    """A private landlord's damp case opened before issue 21 kept its report date: no "deadline missed"."""
    resident = Resident(service)
    onboard(resident)
    with repo.unit_of_work() as uow:
        ref = uow.create_case(
            uow.user_by_telegram_id(1001).id,
            landlord_type="private_landlord",
            subject="damp_mould",
            landlord_name="Mr Smith",
            details={"hazard": {"reported_on": "2026-03-02", "level": "significant"}},
        )
        case = uow.case_by_ref(ref)
        assert case is not None
        plan_case_reminders(uow, case.id, clock.now())
    sent: list[Reply] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        sent.append(reply)

    clock.set(datetime(2026, 3, 17, 10, 30, tzinfo=UTC))
    asyncio.run(ReminderSender(repo, clock, send, claimer="hazard").run_once())
    assert not any("Awaab" in reply.text for reply in sent)


def test_a_held_disclosure_survives_a_restart_is_exported_and_deleted(
    repo: Repository, settings: Settings, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bot")
    words = "I want to die, my partner hits me"
    resident = Resident(ChatService(repo, settings, clock))
    onboard(resident)
    resident.press("Start a new complaint")
    resident.press("England")
    resident.press("A housing association")
    resident.send("Riverside Housing")
    resident.press("Repairs")
    resident.press("That's all")
    resident.press("None of these")
    resident.press("No")
    resident.send("01/02/2026")
    resident.press("Yes, I've reported it")
    resident.send("Amina Begum")
    resident.send("Flat 3, 12 Mill Road, Leeds LS1 4AB")
    resident.press("I don't know it")
    resident.press("By post")
    resident.send(words)  # at "What happened?": held, not used
    assert "Shall I use it in your complaint?" in resident.text

    resident = Resident(ChatService(repo, settings, clock))  # a restart: the choice is still asked
    resident.send("/export")
    assert "Shall I use it in your complaint?" in resident.replies[-1].text
    document = next(reply.document for reply in resident.replies if reply.document)
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        assert words in archive.read("data.json").decode()  # everything held about them, this too
    assert words not in caplog.text and "suicide,domestic_abuse" in caplog.text  # the log: kinds only

    with repo.unit_of_work() as uow:
        user_id = uow.user_by_telegram_id(resident.telegram_id).id
    resident.send("/delete")
    resident.press("Yes, delete everything")
    with repo.unit_of_work() as uow:
        assert uow.user(user_id) is None


async def test_a_landlords_letter_is_read_before_the_update_is_handled(service: ChatService) -> None:
    """Read ahead (OCR takes seconds) only where /status reads letters, and used by the update."""
    from support.letter_files import text_pdf

    resident = Resident(service)
    onboard(resident)
    write_complaint(resident, upload=False)
    letter = text_pdf("Riverside Housing\n\nDate: 4 March 2026\n\nDear Ms Begum\n\nStage 1 response.")
    incoming = Incoming(
        file=IncomingFile("reply.pdf", "application/pdf", letter, "document", None, len(letter))
    )
    assert (
        await service.read_letters_ahead(resident.telegram_id, "en", incoming) == {}
    )  # not at a letter step
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    resident.send("/status")
    resident.press("They replied: read their letter")
    read = await service.read_letters_ahead(resident.telegram_id, "en", incoming)
    assert [letter.text is not None for letter in read.values()] == [True]
    handled = await asyncio.to_thread(
        service.answer_telegram, resident.telegram_id, "en", incoming, None, None, read
    )
    assert "It is dated Wednesday, 4 March 2026." in "\n".join(r.text for r in handled.replies)


def test_answers_are_copied_deeply_before_a_run_changes_them() -> None:
    """A retried run starts from what was stored: the copy shares nothing that can change."""
    from bot.services.chat_service import copied

    stored = {"landlord": "Westlea", "dates": ["2026-01-02", {"on": [1, 2]}], "n": 3, "ok": None}
    copy = copied(stored)
    assert copy == stored
    copy["dates"][1]["on"].append(3)
    copy["dates"].append("x")
    assert stored == {"landlord": "Westlea", "dates": ["2026-01-02", {"on": [1, 2]}], "n": 3, "ok": None}
    odd = {"when": (1, [2])}  # not JSON-shaped: still a deep copy
    assert copied(odd)["when"][1] is not odd["when"][1]
