"""Helpers and landlords through the chat service on a real database (SQLite and PostgreSQL): consent
codes, caseloads, revocation, a landlord's team answering with buttons, and the resident told of
each step in their own language. The security cases are here too: each refusal is clear and
discloses nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.models import AuditEntryRow, InviteRow
from bot.storage.repository import Repository
from flows.access_times import FAILED_CODES_PER_WINDOW, FAILED_CODES_WINDOW, whole_minutes
from flows.case import EventKind
from flows.conversations.types import Incoming, IncomingFile, Reply
from tests.bot.test_chat_service import Resident, onboard, write_complaint

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Person(Resident):
    """Anyone in the chat, with the news (notices) the reminder sender delivered to them."""

    def __init__(self, service: ChatService, telegram_id: int, language: str = "en") -> None:
        super().__init__(service, telegram_id)
        self.language = language
        self.inbox: list[Reply] = []

    def send(self, incoming: Incoming | str) -> list[Reply]:
        if isinstance(incoming, str):
            incoming = Incoming(text=incoming)
        self.replies = self.service.handle_telegram(self.telegram_id, self.language, incoming)
        return self.replies

    def press_data(self, data: str) -> list[Reply]:
        return self.send(Incoming(button=data))

    def press_choice(self, choice_id: str) -> list[Reply]:
        """Press the button for a choice by its id: the same in every language."""
        buttons = [b for r in self.replies for row in r.buttons for b in row]
        return self.press_data(next(b.data for b in buttons if b.data.split(":", 1)[1] == choice_id))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))  # Monday 2 March 2026, 11:00 in London


@pytest.fixture
def service(repo: Repository, settings: Settings, clock: ManualClock) -> ChatService:
    return ChatService(repo, settings, clock)


def deliver_news(repo: Repository, clock: ManualClock, people: list[Person]) -> None:
    """Run the reminder sender once; each person's `inbox` gets what was sent to them."""
    by_id = {person.telegram_id: person for person in people}

    async def send(telegram_id: int, reply: Reply) -> None:
        by_id[telegram_id].inbox.append(reply)

    asyncio.run(ReminderSender(repo, clock, send).run_once())


def share(resident: Person, scope_label: str) -> str:
    resident.send("/share")
    resident.press(scope_label)
    text = resident.text
    start = text.index(": ") + 2
    return text[start : text.index("\n", start)].strip()


def join_as_helper(advocate: Person, code: str, name: str = "Sam Patel, Citizens Advice") -> str:
    """Onboard as a helper and enter the code; what the code's answer said."""
    advocate.send("/start")
    advocate.press("English")
    advocate.press("I'm helping someone who rents")
    advocate.press("OK, let's start")
    advocate.send("/code")
    answer = advocate.send(code)[0].text
    if "What name should" in advocate.text:
        advocate.send(name)
    return answer


def approved_landlord(
    repo: Repository, admin: Person, name: str = "Riverside Housing", number: str = "L4321"
) -> int:
    """A landlord registered in chat by `admin` and approved by an operator."""
    admin.send("/start")
    admin.press("English")
    admin.press("I work for a landlord")
    admin.press("OK, let's start")
    admin.send("/landlord")
    admin.send(name)
    admin.press("A housing association")
    admin.send(number)
    admin.send("complaints@riverside.example")
    admin.send("12500")
    admin.press("We follow the Code")
    admin.press("We follow the Code")
    admin.press("No time limit")
    assert f"Registered provider number: {number}" in admin.text
    admin.press("Register")
    assert "approve it" in admin.text
    with repo.unit_of_work() as uow:
        landlord = next(ll for ll in uow.access.landlords() if ll.name == name)
        uow.access.approve_landlord(landlord.id)
    return landlord.id


def resident_with_complaint(service: ChatService, telegram_id: int = 1001, language: str = "en") -> Person:
    resident = Person(service, telegram_id, language)
    onboard(resident)
    write_complaint(resident)
    return resident


def own_ref(repo: Repository, telegram_id: int) -> str:
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(telegram_id)
        return uow.cases_of(user.id)[0].public_ref


# --- helpers ---------------------------------------------------------------------------------------


def test_a_helper_joins_with_a_code_sees_the_case_and_the_resident_can_remove_them(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    resident = resident_with_complaint(service)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    ref = own_ref(repo, 1001)
    code = share(resident, "See it and act for me")
    assert len(code.replace(" ", "")) == 10 and "48 hours" in resident.text

    advocate = Person(service, 2002)
    assert f"You can now see complaint {ref}" in join_as_helper(advocate, code)
    deliver_news(repo, clock, [resident, advocate])
    assert any("Sam Patel, Citizens Advice entered your code" in r.text for r in resident.inbox)

    advocate.send("/cases")
    assert ref in advocate.text and "most urgent first" in advocate.text
    advocate.press(
        next(b.label for r in advocate.replies for row in r.buttons for b in row if b.label.startswith(ref))
    )
    assert f"Complaint {ref} to Riverside Housing" in advocate.text
    advocate.press("They acknowledged it")
    advocate.send("today")
    assert "Noted" in advocate.text
    with repo.unit_of_work() as uow:
        case_id = uow.case_by_ref(ref).id  # type: ignore[union-attr]
        assert [e.kind for e in uow.load_case(case_id).events][-1] is EventKind.ACKNOWLEDGED
        audit = uow.session.exec(select(AuditEntryRow).where(AuditEntryRow.case_id == case_id)).all()
    assert any(a.action == "event_recorded" and a.detail.get("source") == "advocate" for a in audit)
    assert any(a.action == "advocate_linked" for a in audit)

    # The resident's letters now say who helps, and with what consent (Code 1.3).
    resident.send("/helpers")
    assert "Sam Patel, Citizens Advice · complaint" in resident.text
    resident.press(
        next(
            b.label
            for r in resident.replies
            for row in r.buttons
            for b in row
            if b.label.startswith("Remove")
        )
    )
    assert "can no longer see complaint" in resident.text

    # Revocation takes effect at once: the case is gone from the caseload and its reference is unknown.
    advocate.send("/cases")
    assert "not helping with any complaint" in advocate.text
    advocate.press_data(f"case:{ref}")
    assert "can't find that complaint" in advocate.text
    with repo.unit_of_work() as uow:
        assert any(a.action == "advocate_revoked" for a in uow.session.exec(select(AuditEntryRow)).all())


def test_a_view_only_helper_cannot_change_anything(repo: Repository, service: ChatService) -> None:
    resident = resident_with_complaint(service)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    ref = own_ref(repo, 1001)
    advocate = Person(service, 2002)
    join_as_helper(advocate, share(resident, "See it"))
    advocate.press_data(f"case:{ref}")
    labels = {b.label for r in advocate.replies for row in r.buttons for b in row}
    assert labels == {"How did you count?", "Back to the menu"}
    advocate.press_data(f"tracking.status.{ref}:acknowledged")  # a forged button
    assert "Please choose one of the options" in advocate.text
    with repo.unit_of_work() as uow:
        assert [e.kind for e in uow.load_case(uow.case_by_ref(ref).id).events] == [  # type: ignore[union-attr]
            EventKind.ISSUE_STARTED,
            EventKind.COMPLAINT_MADE,
        ]


def test_codes_are_single_use_expire_and_guessing_is_slowed(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    resident = resident_with_complaint(service)
    code = share(resident, "See it")
    first = Person(service, 2002)
    join_as_helper(first, code)
    second = Person(service, 3003)
    join_as_helper(second, code)  # reused
    assert "That code doesn't work" in second.text

    expiring = share(resident, "See it")
    clock.advance(timedelta(hours=49))
    second.send("/code")
    second.send(expiring)
    assert "That code doesn't work" in second.text  # the same words as a made-up code: nothing disclosed
    assert "a colleague's invitation 7 days" in second.text

    resident.send("/code")
    resident.send(share(resident, "See it"))
    resident.send("/code")
    fresh = share(resident, "See it")
    resident.send("/code")
    resident.send(fresh)
    assert "your own complaint" in resident.text

    guesser = Person(service, 4004)
    join_as_helper(guesser, "AAAAA AAAAA")
    for _ in range(FAILED_CODES_PER_WINDOW - 1):
        guesser.send("/code")
        guesser.send("BBBBB BBBBB")
    valid = share(resident, "See it")
    guesser.send("/code")
    guesser.send(valid)  # even a real code is refused while slowed down
    assert f"paused code entry for up to {whole_minutes(FAILED_CODES_WINDOW)} minutes" in guesser.text
    guesser.send("/cases")
    assert "not helping with any complaint" in guesser.text
    clock.advance(FAILED_CODES_WINDOW + timedelta(minutes=1))
    guesser.send("/code")
    guesser.send(valid)
    assert "You can now see complaint" in guesser.text
    with repo.unit_of_work() as uow:  # only hashes are kept
        stored = uow.session.exec(select(InviteRow.code_hash)).all()
    assert valid.replace(" ", "") not in stored and all(len(h) == 64 for h in stored)


def test_a_guessed_or_someone_elses_reference_is_unknown(repo: Repository, service: ChatService) -> None:
    resident_with_complaint(service)
    ref = own_ref(repo, 1001)
    stranger = Person(service, 5005)
    onboard(stranger)
    stranger.press_data(f"case:{ref}")
    assert "can't find that complaint" in stranger.text
    unknown = stranger.text
    stranger.press_data("case:ZZZZ9999")
    assert stranger.text == unknown
    stranger.press_data(f"approve:stage2:{ref}")
    assert "can't find that complaint" in stranger.text


# --- landlords -------------------------------------------------------------------------------------


def test_a_landlord_team_answers_with_buttons_and_the_resident_and_helper_hear_of_each_step(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    admin = Person(service, 7007)
    approved_landlord(repo, admin)
    admin.send("/invite")
    admin.press("Answer complaints")
    invite = admin.text.split(": ", 1)[1].split("\n")[0].strip()
    colleague = Person(service, 8008)
    colleague.send("/start")
    colleague.press("English")
    colleague.press("I work for a landlord")
    colleague.press("OK, let's start")
    colleague.send("/code")
    colleague.send(invite)
    assert "Welcome to Riverside Housing's complaints team" in colleague.text
    assert "when you answer their complaints" in colleague.text and "Letters will say" not in colleague.text
    colleague.send("Jo Smith")

    resident = resident_with_complaint(service, language="cy")
    resident.press_choice("letter")
    labels = [b.label for r in resident.replies for row in r.buttons for b in row]
    assert any("Riverside Housing" in label for label in labels)  # "Send it to Riverside Housing for me"
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    advocate = Person(service, 2002)
    join_as_helper(advocate, share(resident, "See it"))

    deliver_news(repo, clock, [admin, colleague, resident, advocate])
    arrived = [r for r in colleague.inbox if ref in r.text]
    assert (
        arrived
        and "Acknowledge stage 1 by" in arrived[0].text
        and "The kitchen ceiling leaks." in arrived[0].text
    )
    assert [b.label for row in arrived[0].buttons for b in row] == [
        "Letter and evidence",
        "Acknowledge",
        "Extend",
        "Upload response",
        "Decline",
    ]
    # Who the resident is and how to reach them, on the card; the letter and evidence one tap away.
    card = arrived[0].text
    assert "Resident: Amina Begum" in card and "Address: Flat 3, 12 Mill Road, Leeds LS1 4AB" in card
    assert "Contact by post" in card and "in your inbox" not in card
    colleague.press_data(f"ll:files:{ref}")
    sent = [r.document for r in colleague.replies if r.document is not None]
    assert sent and sent[0].data.startswith(b"%PDF") and len(sent) >= 2  # the letter, then the evidence
    helper_tries = Person(service, 2002)
    helper_tries.press_data(f"ll:files:{ref}")  # not the landlord's team: nothing, in the usual words
    assert not [r for r in helper_tries.replies if r.document is not None]

    colleague.press_data(f"ll:acknowledge:{ref}")
    assert "Done: recorded on complaint" in colleague.text
    clock.advance(timedelta(days=1))
    colleague.press_data(f"ll:extend:{ref}")
    colleague.send("03/03/2026")  # not after today: said before any reason is typed
    assert "must be after today" in colleague.text and "By what date" in colleague.text
    colleague.send("30/04/2026")
    colleague.send("")  # a reason is required
    assert "Please type your answer" in colleague.text
    colleague.send("Our contractor needs a second visit.")
    # Past the Code's cap (Code 6.4): warned, and confirmed
    assert "working days after the Code's date" in colleague.text and "Done" not in colleague.text
    colleague.press("Extend anyway")
    assert "Done" in colleague.text
    colleague.press_data(f"ll:respond:{ref}")
    colleague.send(Incoming(file=IncomingFile("stage1-response.pdf", "application/pdf", PDF, "document")))
    assert "Done" in colleague.text

    deliver_news(repo, clock, [admin, colleague, resident, advocate])
    news = [r for r in resident.inbox if "Riverside Housing" in r.text]  # the resident reads Welsh
    assert len(news) == 3
    assert "Our contractor needs a second visit." in news[1].text
    assert "6.4" in news[1].text  # flagged: past the Code's cap (Code 6.4)
    assert news[2].document is not None and news[2].document.data == PDF
    assert len([r for r in advocate.inbox if "Riverside Housing" in r.text]) == 3
    with repo.unit_of_work() as uow:
        events = uow.load_case(uow.case_by_ref(ref).id).events  # type: ignore[union-attr]
    colleague.send("/compliance")
    csv = next(r.document for r in colleague.replies if r.document is not None)
    assert csv.filename.endswith(".csv") and ref.encode() in csv.data
    assert "CH02" in colleague.text
    assert [e.kind for e in events][-3:] == [
        EventKind.ACKNOWLEDGED,
        EventKind.STAGE1_EXTENSION,
        EventKind.STAGE1_RESPONSE,
    ]


def test_staff_of_another_landlord_and_unapproved_landlords_reach_nothing(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    approved_landlord(repo, Person(service, 7007))
    other = Person(service, 9009)
    approved_landlord(repo, other, name="Elsewhere Homes", number="4567")
    copycat = Person(service, 9229)
    copycat.send("/start")
    copycat.press("English")
    copycat.press("I work for a landlord")
    copycat.press("OK, let's start")
    copycat.send("/landlord")
    copycat.send("Riverside Homes Ltd")
    copycat.press("A housing association")
    copycat.send("l 4321")
    copycat.press("Only here in chat")
    copycat.press("Skip")
    copycat.press("We follow the Code")
    copycat.press("We follow the Code")
    copycat.press("No time limit")
    copycat.press("Register")
    assert "already registered" in copycat.text
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)

    other.press_data(f"ll:acknowledge:{ref}")
    refused = other.text
    assert "can't find that complaint in your organisation's inbox" in refused
    other.press_data("ll:acknowledge:ZZZZ9999")
    assert other.text == refused
    other.send("/inbox")
    assert ref not in other.text
    with repo.unit_of_work() as uow:
        assert len(uow.load_case(uow.case_by_ref(ref).id).events) == 2  # type: ignore[union-attr]

    pending = Person(service, 9119)
    pending.send("/start")
    pending.press("English")
    pending.press("I work for a landlord")
    pending.press("OK, let's start")
    pending.send("/landlord")
    pending.send("Not Yet Approved HA")
    pending.press("A council")
    pending.press("Only here in chat")
    pending.press("Skip")
    pending.press("We follow the Code")
    pending.press("We follow the Code")
    pending.press("No time limit")
    pending.press("Register")
    pending.send("/inbox")
    assert "waiting for approval" in pending.text
    pending.press_data(f"ll:decline:{ref}")
    assert "waiting for approval" in pending.text


def test_declining_needs_a_reason_and_tells_the_resident_of_the_ombudsman(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    staff = Person(service, 7007)
    approved_landlord(repo, staff)
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    staff.press_data(f"ll:decline:{ref}")
    staff.send("The issue is more than 12 months old.")
    assert "Housing Ombudsman (Code 2.4)" in staff.text
    staff.press("Decline the complaint")
    deliver_news(repo, clock, [staff, resident])
    news = next(r for r in resident.inbox if "declined" in r.text)
    assert "The issue is more than 12 months old." in news.text and "Code 2.4" in news.text


def test_the_daily_summary_lists_what_is_due_at_the_chosen_hour_and_comes_again_the_next_day(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    resident = resident_with_complaint(service)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    ref = own_ref(repo, 1001)
    advocate = Person(service, 2002)
    join_as_helper(advocate, share(resident, "See it"))
    advocate.send("/cases")
    advocate.press("Set the daily summary")
    advocate.press("9:00")
    assert "every day at 9:00" in advocate.text

    clock.set(datetime(2026, 3, 3, 8, 30, tzinfo=UTC))  # 8:30 in London: not yet
    deliver_news(repo, clock, [resident, advocate])
    assert not any("daily summary" in r.text for r in advocate.inbox)
    clock.set(datetime(2026, 3, 3, 9, 1, tzinfo=UTC))
    deliver_news(repo, clock, [resident, advocate])
    [summary] = [r for r in advocate.inbox if "daily summary" in r.text]
    assert f"⏳ {ref}, stage 1 acknowledgement: Due Monday, 9 March 2026, under Code 6.2" in summary.text
    clock.set(datetime(2026, 3, 4, 9, 1, tzinfo=UTC))
    deliver_news(repo, clock, [resident, advocate])
    assert len([r for r in advocate.inbox if "daily summary" in r.text]) == 2


def test_portal_command_gives_staff_a_one_time_link_and_residents_a_plain_answer(
    repo: Repository, settings: Settings, clock: ManualClock
) -> None:
    switched_off = Person(ChatService(repo, settings, clock), 9301)
    onboard(switched_off)
    switched_off.send("/portal")
    assert "not switched on" in switched_off.text

    service = ChatService(repo, settings.model_copy(update={"public_url": "https://fairsay.test"}), clock)
    resident = Person(service, 9301)
    resident.send("/portal")
    assert "Your complaints are all here in the chat" in resident.text

    staff = Person(service, 9302)
    staff.send("/start")
    staff.press("English")
    staff.press("I work for a landlord")
    staff.press("OK, let's start")
    staff.send("/landlord")
    staff.send("Portal Homes")
    staff.press("A council")
    staff.press("Only here in chat")
    staff.press("Skip")
    staff.press("We follow the Code")
    staff.press("We follow the Code")
    staff.press("No time limit")
    staff.press("Register")
    staff.send("/portal")
    links = [staff.text.split("https://fairsay.test", 1)[1].split()[0]]
    staff.send("/portal")
    links.append(staff.text.split("https://fairsay.test", 1)[1].split()[0])
    assert links[0].startswith("/portal/sign-in/") and links[0] != links[1]
    assert "works once, within 15 minutes" in staff.text


def test_a_resident_who_needs_a_person_can_have_their_helper_told_and_the_log_holds_no_words(
    repo: Repository, service: ChatService, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    resident = resident_with_complaint(service)
    ref = own_ref(repo, 1001)
    advocate = Person(service, 2002)
    join_as_helper(advocate, share(resident, "See it"))
    deliver_news(repo, clock, [resident, advocate])

    with caplog.at_level("INFO"):
        resident.send("My partner hits me and I want to end my life")
    assert "0808 2000 247" in resident.text and "116 123" in resident.text
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "suicide,domestic_abuse" in logged and "partner" not in logged and "end my life" not in logged

    resident.send("/person")
    assert "Citizens Advice" in resident.text and "let someone who helps you know" in resident.text
    deliver_news(repo, clock, [resident, advocate])
    assert not any("would like to talk" in r.text for r in advocate.inbox)  # nothing without consent
    resident.press("Yes, tell Sam Patel, Citizens Advice")
    assert "I've let them know" in resident.text
    deliver_news(repo, clock, [resident, advocate])
    told = [r.text for r in advocate.inbox if "would like to talk" in r.text]
    assert told == [
        f"The resident you help with complaint {ref} would like to talk to a person, and asked me to let you "
        "know. Please get in touch with them soon."
    ]
    with repo.unit_of_work() as uow:
        assert any(a.action == "helper_asked_to_call" for a in uow.session.exec(select(AuditEntryRow)).all())


def test_the_inbox_names_every_part_for_the_landlord(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    """Broken as a landlord: a complaint about a leak and anti-social behaviour, opened from /inbox, said
    nothing of what it was about (only the first topic was kept as the case's subject)."""
    staff = Person(service, 7007)
    approved_landlord(repo, staff)
    resident = Person(service, 1001)
    onboard(resident)
    resident.press("Start a new complaint")
    resident.press("England")
    resident.press("A housing association")
    resident.send("Riverside Housing")
    resident.press("Repairs")
    resident.press("Anti-social behaviour")
    resident.press("That's all")
    resident.press("None of these")
    resident.press("No")
    resident.send("01/02/2026")
    resident.press("Yes, I've reported it")
    resident.press("Write to my landlord")
    resident.send("Amina Begum")
    resident.send("Flat 3, 12 Mill Road, Leeds LS1 4AB")
    resident.press("I don't know it")
    resident.press("By post")
    resident.send("The kitchen ceiling leaks and the neighbours shout at night.")
    resident.press("Skip")
    resident.send("We cannot cook or sleep.")
    resident.send("Fix it within two weeks and act on the noise.")
    resident.press("None needed")
    resident.press("That's all my evidence")
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    staff.send("/inbox")
    staff.press(ref)
    assert "About: Repairs; Anti-social behaviour" in staff.text


def test_a_response_uploaded_in_telegram_is_checked_and_the_resident_told_what_it_leaves_out(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    from support.letter_files import text_pdf

    staff = Person(service, 7007)
    approved_landlord(repo, staff)
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    staff.press_data(f"ll:acknowledge:{ref}")
    letter = text_pdf(
        "Date: 2 March 2026\n\nDear Ms Begum\n\nStage 1 response\n\nWe uphold your complaint.\n\nYours"
    )
    staff.press_data(f"ll:respond:{ref}")
    staff.send(Incoming(file=IncomingFile("response.pdf", "application/pdf", letter, "document")))
    assert "Done" in staff.text
    deliver_news(repo, clock, [staff, resident])
    news = next(r for r in resident.inbox if r.document is not None)
    assert "The letter does not say:" in news.text and "how to ask for stage 2 (Code 6.9 (2024))" in news.text
    assert "its decision on your complaint" not in news.text
