"""A complaint emailed for the resident, end to end on a real database and a real mail relay on
127.0.0.1: the resident writes it, chooses "Email it to my landlord for me", types the address, sees
exactly what will be sent and agrees with one tap; the sender hands it to the relay; the relay's
acceptance is the day the complaint was made (the clocks start from it), the resident is told with
the proof, and the proof is in /status and in the Ombudsman summary. Then the landlord answers the
email: its reply comes back by the inbound route (aiosmtplib to the project's own inbound server), the
resident confirms the acknowledgement with one tap, and the deadlines move."""

from __future__ import annotations

import asyncio
import email
import email.policy
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import pytest
from support.databases import make_settings
from support.delivery_servers import free_port
from support.mail_relay import Relay, start_relay

from bot.clock import ManualClock
from bot.delivery.resident_sending import ResidentMailDelivery
from bot.mail.server import start
from bot.services.case_records import case_record
from bot.services.chat_service import ChatService
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.db import upgrade
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.conversations.tracking import timeline_of
from flows.conversations.types import Incoming, IncomingFile, Reply
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import translator
from flows.letters import referral_summary

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
LANDLORD = "complaints@riverside.example"
EMAIL_TRANSCRIPT = Path(__file__).resolve().parents[2] / "docs" / "journey-transcript-email.md"
MONDAY = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 11:00 in London


class Resident:
    """A Telegram user talking to the service; what they type and tap and what they see is logged
    (once `logging` is on) for the transcript."""

    def __init__(self, service: ChatService, telegram_id: int = 1001) -> None:
        self.service, self.telegram_id, self.replies = service, telegram_id, []
        self.logging = False
        self.log: list[str] = []

    def send(self, incoming: Incoming | str, shown: str | None = None) -> list[Reply]:
        if isinstance(incoming, str):
            shown, incoming = shown or incoming, Incoming(text=incoming)
        self.replies = self.service.handle_telegram(self.telegram_id, "en", incoming)
        if self.logging:
            self.log.append(f"> {shown}")
            self.see(self.replies)
        return self.replies

    def see(self, replies: list[Reply], heading: str | None = None) -> None:
        if self.logging:
            self.log += [heading] if heading else []
            for reply in replies:
                self.log.append(
                    reply.text + "".join(f"\n  [{b.label}]" for row in reply.buttons for b in row)
                )
                if reply.document is not None:
                    self.log.append(f"  (a file: {reply.document.filename})")

    def press(self, label: str) -> list[Reply]:
        for reply in self.replies:
            for row in reply.buttons:
                for button in row:
                    if button.label == label:
                        return self.send(Incoming(button=button.data), shown=f"[{label}]")
        labels = [b.label for r in self.replies for row in r.buttons for b in row]
        raise AssertionError(f"no button {label!r} in {labels}")

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)


def write_complaint(resident: Resident) -> None:
    resident.send("/start")
    resident.press("English")
    resident.press("I rent my home and want to complain")
    resident.press("OK, let's start")
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
    resident.send(
        Incoming(file=IncomingFile("ceiling.jpg", "image/jpeg", JPEG, "photo", "tg-file-1", len(JPEG)))
    )
    resident.press("That's all my evidence")
    resident.press("That's right: write my letter")


@pytest.fixture
def relay() -> Iterator[Relay]:
    running, controller = start_relay()
    yield running
    controller.stop()


@pytest.fixture
def mail_settings(database_url: str, tmp_path: Path, relay: Relay) -> Settings:
    return make_settings(
        database_url,
        tmp_path,
        mail_from="Fair Say <complaints@fairsay.example>",
        mail_abuse_address="abuse@fairsay.example",
        mail_reply_domain="replies.fairsay.example",
        smtp_host="127.0.0.1",
        smtp_port=relay.port,
        smtp_security="none",
        inbound_smtp_port=free_port(),
    )


@pytest.fixture
def repository(mail_settings: Settings) -> Iterator[Repository]:
    if mail_settings.database_url.startswith("postgresql"):
        upgrade(mail_settings.database_url)
    opened = Repository.open(mail_settings)
    yield opened
    opened.close()


def emailed_and_accepted(
    repository: Repository, mail_settings: Settings, relay: Relay
) -> tuple[Resident, ManualClock]:
    clock = ManualClock(MONDAY)
    resident = Resident(ChatService(repository, mail_settings, clock))
    write_complaint(resident)
    resident.logging = True
    resident.press("Email it to my landlord for me")
    resident.send("complaints at riverside")
    assert "doesn't look like an email address" in resident.text
    resident.send(LANDLORD)
    shown = resident.text
    assert (
        f"To: {LANDLORD}" in shown and "Replies go to: case-" in shown and "@replies.fairsay.example" in shown
    )
    assert "I, Amina Begum, authorise Fair Say to send this complaint on my behalf" in shown
    resident.press("Yes, send it")
    assert "I'll tell you as soon as the mail server has accepted it" in resident.text
    clock.advance(timedelta(minutes=2))
    assert relay.handler.received == []  # nothing goes before the sender's round
    assert asyncio.run(ResidentMailDelivery(repository, mail_settings, clock).run_once()) == 1
    resident.log.append("(Fair Say's sender hands the email to the mail server)")
    return resident, clock


def test_the_complaint_goes_by_email_and_its_acceptance_starts_the_clocks(
    repository: Repository, mail_settings: Settings, relay: Relay
) -> None:
    resident, clock = emailed_and_accepted(repository, mail_settings, relay)
    [got] = relay.handler.received
    assert got.rcpt_tos == [LANDLORD] and got.mail_from.startswith("case-")
    message = email.message_from_bytes(got.data, policy=email.policy.default)
    assert message["Reply-To"] == got.mail_from and "abuse@fairsay.example" in message["X-Abuse"]
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names[0].endswith(".pdf") and "ceiling.jpg" in names

    with repository.unit_of_work() as uow:
        [summary] = uow.cases_of(uow.user_by_telegram_id(1001).id)
        record = case_record(uow, summary.id)
        profile = uow.profile(summary.owner_user_id)
    made = [e for e in record.case.events if e.kind is EventKind.COMPLAINT_MADE]
    assert [e.date for e in made] == [MONDAY.date()]
    proof = (
        f"Sent by Fair Say on Monday, 2 March 2026 at 11:02 (UK time) to {LANDLORD}; Fair Say's mail server accepted it for delivery: "
        "“250 2.0.0 Ok: queued as 4QX00001” (queue id 4QX00001)."
    )

    # The resident is told, with the proof and the deadlines, by the reminder sender.
    told: list[Reply] = []

    async def send(telegram_id: int, reply: Reply) -> None:
        told.append(reply)

    asyncio.run(ReminderSender(repository, clock, send).run_once())
    said = "\n".join(reply.text for reply in told)
    assert proof in said and "has gone to your landlord by email" in said
    assert "due Monday, 9 March 2026" in said  # 5 working days from the day the relay accepted it

    # /status shows it; the Ombudsman summary (the pack's first file) carries it.
    resident.send("/status")
    assert proof in resident.text
    summary_letter = referral_summary(record, profile, timeline_of(record, MONDAY.date()), translator("en"))
    assert proof in summary_letter.body


def _reply(to: str, in_reply_to: str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Riverside Complaints <{LANDLORD}>"
    message["To"] = to
    message["Subject"] = f"RE: {subject}"
    message["Date"] = "Wed, 04 Mar 2026 09:15:00 +0000"
    message["Message-ID"] = "<ack-1@riverside.example>"
    message["In-Reply-To"] = in_reply_to
    message.set_content(
        "Dear Ms Begum,\n\nWe have received your complaint about the kitchen ceiling and it has been logged as a "
        "stage 1 complaint. We will respond within 10 working days.\n\nComplaints Team"
    )
    return message


async def test_the_landlords_reply_comes_back_and_one_tap_moves_the_deadlines(
    repository: Repository, mail_settings: Settings, relay: Relay
) -> None:
    resident, clock = await asyncio.to_thread(emailed_and_accepted, repository, mail_settings, relay)
    [got] = relay.handler.received
    sent = email.message_from_bytes(got.data, policy=email.policy.default)
    with repository.unit_of_work() as uow:
        [summary] = uow.cases_of(uow.user_by_telegram_id(1001).id)
        before = timeline_of(case_record(uow, summary.id), date(2026, 3, 4)).deadlines

    told: list[Reply] = []

    async def deliver(telegram_id: int, reply: Reply) -> None:
        told.append(reply)

    await ReminderSender(repository, clock, deliver).run_once()  # Monday, 11:02: sent, with the proof
    resident.see(told, "(Monday 2 March, 11:02: a message from Fair Say)")
    told.clear()

    clock.set(datetime(2026, 3, 4, 10, 0, tzinfo=UTC))  # Wednesday: the landlord answers the email
    inbound = await start(repository, mail_settings, clock)
    try:
        assert mail_settings.inbound_smtp_port is not None
        await aiosmtplib.send(
            _reply(str(sent["Reply-To"]), str(sent["Message-ID"]), str(sent["Subject"])),
            hostname="127.0.0.1",
            port=mail_settings.inbound_smtp_port,
            sender=LANDLORD,
            recipients=[str(sent["Reply-To"])],
        )
    finally:
        inbound.close()
        await inbound.wait_closed()

    await ReminderSender(repository, clock, deliver).run_once()
    resident.see(told, "(Wednesday 4 March, 10:00: the landlord answered the email; a message from Fair Say)")
    notice = next(reply for reply in told if "We have received your complaint" in reply.text)
    resident.replies = [notice]
    await asyncio.to_thread(
        resident.press,
        next(
            b.label
            for row in notice.buttons
            for b in row
            if b.label.startswith("Yes, that's their acknowledgement")
        ),
    )
    assert "Noted" in resident.text
    with repository.unit_of_work() as uow:
        record = case_record(uow, summary.id)
    assert CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED) in record.case.events
    after = timeline_of(record, date(2026, 3, 4)).deadlines
    assert after != before
    acknowledgement = next(d for d in after if d.id is DeadlineId.STAGE1_ACKNOWLEDGEMENT)
    assert acknowledgement.status is DeadlineStatus.MET

    # The transcript of this part of the journey (docs/journey-transcript-email.md).
    text = "\n\n".join(resident.log) + "\n"
    text = re.sub(r"case-[a-z2-7]{26}@", "case-TOKEN@", text)
    text = text.replace(summary.public_ref, "REF").replace("\r\n", "\n")  # the ref differs per run
    transcript = (
        "# A complaint emailed for the resident, and the landlord's reply coming back\n\n"
        "Generated by `tests/journeys/test_email_journey.py` (the chat service on a real database, a mail relay\n"
        "and Fair Say's inbound mail server on 127.0.0.1). It follows the letter written in\n"
        "[journey-transcript.md](journey-transcript.md); lines starting with `>` are what the resident typed or\n"
        "tapped (`[button]`). Monday 2 March 2026.\n\n"
        "```text\n" + text + "```\n"
    )
    if os.environ.get("FAIRSAY_WRITE_TRANSCRIPT"):
        EMAIL_TRANSCRIPT.write_text(transcript, encoding="utf-8")
    assert EMAIL_TRANSCRIPT.read_text(encoding="utf-8") == transcript, (
        "run with FAIRSAY_WRITE_TRANSCRIPT=1 to refresh"
    )


def test_the_day_the_relay_accepted_it_is_not_the_residents_to_redate(
    repository: Repository, mail_settings: Settings, relay: Relay
) -> None:
    emailed_and_accepted(repository, mail_settings, relay)
    with repository.unit_of_work() as uow:
        [summary] = uow.cases_of(uow.user_by_telegram_id(1001).id)
        assert EventKind.COMPLAINT_MADE in uow.delivered_kinds(summary.id)
        record = case_record(uow, summary.id)
    assert CaseEvent(MONDAY.date(), EventKind.COMPLAINT_MADE) in record.delivered


def test_the_consent_and_the_proof_are_in_the_residents_export(
    repository: Repository, mail_settings: Settings, relay: Relay
) -> None:
    emailed_and_accepted(repository, mail_settings, relay)
    with repository.unit_of_work() as uow:
        user = uow.user_by_telegram_id(1001)
        data = json.loads(zipfile.ZipFile(io.BytesIO(uow.export_everything(user.id))).read("data.json"))
    [case] = data["cases"]
    [sent] = [mail for mail in case["emails"] if mail["direction"] == "out"]
    assert sent["relay_reply"] == "250 2.0.0 Ok: queued as 4QX00001" and sent["to_address"] == LANDLORD
    assert sent["sending"]["consent_version"] == "email-for-me-2" and sent["sending"]["consent_at"]
