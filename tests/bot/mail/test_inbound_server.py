"""The inbound mail server (bot/mail/server.py) on 127.0.0.1, with aiosmtplib as the landlord's mail
server: a reply is kept before the 250 and forwarded to the resident, who confirms it with one tap and
the deadlines move; what must be refused is refused (and counted) at the SMTP dialogue; a delivery
report updates the complaint email and tells the resident what to do; a restart after the 250 loses
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
import pytest
from mail_builders import DOMAIN
from prometheus_client import REGISTRY
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.mail.addresses import reply_address
from bot.mail.notices import mail_reply_of
from bot.mail.server import (
    MAX_CONNECTIONS,
    MAX_CONNECTIONS_PER_PEER,
    MAX_EMAILS_PER_CASE_PER_DAY,
    ConnectionLimit,
    start,
)
from bot.services.chat_service import ChatService
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.models import CaseEmailAttachmentRow, CaseEmailRow
from bot.storage.records import AdvocateScope, EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.conversations.types import Incoming, Reply
from flows.timeline import build_timeline

TELEGRAM_ID = 4242
COMPLAINED = date(2026, 12, 1)
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # a Monday, mid-morning: no quiet hours
LANDLORD = "complaints@westlea.example"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
ACKNOWLEDGEMENT = (
    "Dear Ms Example,\n\nWe have received your complaint about damp in your bedroom and it has been "
    "logged as a stage 1 complaint. We will respond within 10 working days.\n\nComplaints Team"
)


def refused(reason: str) -> float:
    return REGISTRY.get_sample_value("fairsay_inbound_mail_refused_total", {"reason": reason}) or 0.0


def seed(repo: Repository, settings: Settings) -> tuple[int, str, str]:
    """A resident whose complaint was made on COMPLAINED; (case id, ref, reply address)."""
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(TELEGRAM_ID)
        ref = uow.create_case(user.id, subject="damp", landlord_name="Westlea Housing")
        summary = uow.case_by_ref(ref)
        assert summary is not None
        uow.append_event(
            summary.id, CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE), EventSource.RESIDENT, user.id
        )
        conversation = uow.conversation(user.id)  # a resident who has used the bot: at its menu
        conversation.flow, conversation.state = "home", "menu"
        uow.save_conversation(conversation)
        return summary.id, ref, reply_address(uow, summary.id, settings)


def mail(to: str, subject: str, body: str, *, sent: datetime = NOW, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Westlea Complaints <{LANDLORD}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Message-ID"] = f"<{abs(hash((to, subject, body)))}@westlea.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


@pytest.fixture
async def server(repo: Repository, settings: Settings) -> AsyncIterator[int]:
    running = await start(repo, settings, ManualClock(NOW))
    assert settings.inbound_smtp_port is not None
    yield settings.inbound_smtp_port
    running.close()
    await running.wait_closed()


async def send(port: int, message: EmailMessage, to: str | None = None, sender: str = LANDLORD) -> None:
    await aiosmtplib.send(
        message, hostname="127.0.0.1", port=port, sender=sender, recipients=[to or str(message["To"])]
    )


async def forwarded(repo: Repository) -> list[tuple[int, Reply]]:
    """Every notice due now, as the reminder sender delivers it to Telegram."""
    sent: list[tuple[int, Reply]] = []

    async def deliver(telegram_id: int, reply: Reply) -> None:
        sent.append((telegram_id, reply))

    await ReminderSender(repo, ManualClock(NOW), deliver).run_once()
    return sent


def emails(repo: Repository, case_id: int) -> list[CaseEmailRow]:
    with repo.unit_of_work() as uow:
        rows = uow.session.exec(select(CaseEmailRow).where(col(CaseEmailRow.case_id) == case_id)).all()
        uow.session.expunge_all()
        return list(rows)


def press(service: ChatService, reply: Reply, label_start: str) -> list[Reply]:
    button = next(b for row in reply.buttons for b in row if b.label.startswith(label_start))
    return service.handle_telegram(TELEGRAM_ID, "en", Incoming(button=button.data))


async def test_an_acknowledgement_confirmed_with_one_tap_moves_the_deadlines(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, ref, address = seed(repo, settings)
    with repo.unit_of_work() as uow:
        before = uow.load_case(case_id)
    message = mail(address, "Your complaint", ACKNOWLEDGEMENT)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="damp.png")
    await send(server, message)

    [row] = emails(repo, case_id)
    assert (row.direction, row.status, row.classification) == ("in", "received", "acknowledgement")
    assert row.from_address == LANDLORD and row.raw_sha256 and len(row.raw_sha256) == 64
    with repo.unit_of_work() as uow:
        assert [a.evidence_id for a in uow.session.exec(select(CaseEmailAttachmentRow))] == [
            e.id for e in uow.evidence_of(case_id)
        ]
        assert uow.load_case(case_id) == before  # nothing recorded before the resident says so

    [(telegram_id, notice)] = await forwarded(repo)
    assert telegram_id == TELEGRAM_ID
    assert f"complaint {ref}" in notice.text and LANDLORD in notice.text and "Your complaint" in notice.text
    assert "We have received your complaint" in notice.text and "damp.png" in notice.text
    assert not await forwarded(repo)  # told once

    service = ChatService(repo, settings, ManualClock(NOW))
    [answer, *_] = press(service, notice, "Yes, that's their acknowledgement dated")
    assert "Noted" in answer.text
    with repo.unit_of_work() as uow:
        events = uow.load_case(case_id).events
    assert CaseEvent(NOW.date(), EventKind.ACKNOWLEDGED) in events
    deadlines_before = build_timeline(before, NOW.date()).deadlines
    with repo.unit_of_work() as uow:
        deadlines_after = build_timeline(uow.load_case(case_id), NOW.date()).deadlines
    assert deadlines_after != deadlines_before  # the acknowledgement's deadline met, the response's counted
    assert [r.status for r in emails(repo, case_id)] == ["confirmed"]

    [stale, *_] = press(service, notice, "Yes")  # the same button again: nothing recorded twice
    assert "already been dealt with" in stale.text
    with repo.unit_of_work() as uow:
        assert uow.load_case(case_id).events == events


async def test_not_that_keeps_the_mail_and_records_nothing(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    await send(server, mail(address, "Your complaint", ACKNOWLEDGEMENT))
    [(_, notice)] = await forwarded(repo)
    press(ChatService(repo, settings, ManualClock(NOW)), notice, "Not that")
    [row] = emails(repo, case_id)
    assert row.status == "dismissed" and row.body_text
    with repo.unit_of_work() as uow:
        assert [e.kind for e in uow.load_case(case_id).events] == [EventKind.COMPLAINT_MADE]


async def test_buttons_pressed_by_someone_who_may_not_change_the_case_change_nothing(
    repo: Repository, settings: Settings, server: int
) -> None:
    """The resident's buttons, forwarded to (or forged by) a helper who may only view the case, or a
    stranger: nothing recorded, nothing settled, no crash."""
    case_id, _, address = seed(repo, settings)
    await send(server, mail(address, "Your complaint", ACKNOWLEDGEMENT))
    [(_, notice)] = await forwarded(repo)
    service = ChatService(repo, settings, ManualClock(NOW))
    with repo.unit_of_work() as uow:
        viewer = uow.user_by_telegram_id(5151)
        uow.access.link(case_id, viewer.id, AdvocateScope.VIEW, NOW)
        for telegram_id in (5151, 5252):  # both past the welcome, at the menu
            conversation = uow.conversation(uow.user_by_telegram_id(telegram_id).id)
            conversation.flow, conversation.state = "home", "menu"
            uow.save_conversation(conversation)
    for who in (5151, 5252):
        for label in ("Yes", "Not that"):
            button = next(b for row in notice.buttons for b in row if b.label.startswith(label))
            answers = service.handle_telegram(who, "en", Incoming(button=button.data))
            assert "can't find that email" in answers[0].text
    [row] = emails(repo, case_id)
    assert row.status == "received"
    with repo.unit_of_work() as uow:
        assert [e.kind for e in uow.load_case(case_id).events] == [EventKind.COMPLAINT_MADE]


@pytest.mark.parametrize(
    "headers",
    [{"Auto_Submitted": "auto-replied"}, {"X_Autoreply": "yes"}, {"Precedence": "auto_reply"}, {}],
)
async def test_an_automatic_reply_is_never_offered_as_an_acknowledgement(
    repo: Repository, settings: Settings, server: int, headers: dict[str, str]
) -> None:
    case_id, _, address = seed(repo, settings)
    subject = "Automatic reply: Your complaint" if not headers else "Your complaint"
    await send(server, mail(address, subject, ACKNOWLEDGEMENT, **headers))
    [row] = emails(repo, case_id)
    assert row.auto_submitted and row.classification == "other"
    [(_, notice)] = await forwarded(repo)
    assert "automatic reply" in notice.text
    assert notice.buttons == ()


async def test_an_unknown_token_and_another_domain_are_refused_at_rcpt_and_counted(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    unknown, other = refused("unknown_address"), refused("other_domain")
    for to in (f"case-{'a' * 26}@{DOMAIN}", f"someone@{DOMAIN}", "case-x@elsewhere.example"):
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refusal:
            await send(server, mail(to, "Hello", "Hello"))
        assert refusal.value.recipients[0].code == 550
    assert refused("unknown_address") == unknown + 2
    assert refused("other_domain") == other + 1
    assert emails(repo, case_id) == []
    await send(server, mail(address.upper(), "Re", "Thanks"))  # the real one, its case folded
    assert len(emails(repo, case_id)) == 1


async def test_oversized_mail_is_refused_and_counted(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    before = refused("oversized")
    with pytest.raises(aiosmtplib.SMTPResponseException) as refusal:
        await send(server, mail(address, "Big", "x" * 80 + ("\n" + "y" * 70) * 4000))
    assert refusal.value.code == 552
    assert refused("oversized") == before + 1
    assert emails(repo, case_id) == []


def many_parts(to: str, parts: int) -> bytes:
    """Thousands of tiny attachments: each costs the parser a millisecond; 25 MiB of them, minutes."""
    body = b"".join(
        b'--B\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="a%d.png"\r\n\r\nxx\r\n'
        % i
        for i in range(parts)
    )
    head = (
        f'From: {LANDLORD}\r\nTo: {to}\r\nSubject: Re\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
    )
    return head.encode() + body + b"--B--\r\n"


def nested_parts(to: str, depth: int) -> bytes:
    """Multiparts inside multiparts, deeper than Python's recursion limit: RecursionError on every try."""
    raw = f"From: {LANDLORD}\r\nTo: {to}\r\nSubject: Re\r\n".encode()
    for level in range(depth):
        raw += f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'.encode()
    return raw + b"Content-Type: text/plain\r\n\r\nhello\r\n"


async def test_mail_bombs_of_parts_are_refused_for_good_and_counted(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    before = refused("too_complex")
    for raw in (many_parts(address, 2000), nested_parts(address, 3000)):
        with pytest.raises(aiosmtplib.SMTPResponseException) as refusal:
            await aiosmtplib.send(
                raw, hostname="127.0.0.1", port=server, sender=LANDLORD, recipients=[address]
            )
        assert refusal.value.code == 554  # not 451: the sender's server must not try it again for days
    assert refused("too_complex") == before + 2
    assert emails(repo, case_id) == []
    await send(server, mail(address, "Re", "Thanks"))  # the server still takes real replies
    assert len(emails(repo, case_id)) == 1


async def test_connections_beyond_the_limit_are_told_to_try_later_and_the_server_recovers(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    before = refused("too_many_connections")
    held = []  # a slow sender's idle connections (slowloris), each greeted and then left open
    for _ in range(MAX_CONNECTIONS_PER_PEER):
        reader, writer = await asyncio.open_connection("127.0.0.1", server)
        assert (await reader.readline()).startswith(b"220")
        held.append(writer)
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    assert (await reader.readline()).startswith(b"421 4.7.0")
    assert await reader.read() == b""  # and hung up
    writer.close()
    assert refused("too_many_connections") == before + 1
    for writer in held:
        writer.close()
        await writer.wait_closed()
    for _ in range(MAX_CONNECTIONS_PER_PEER + 1):  # every slot given back
        await send(server, mail(address, "Re", "Thanks"))
    assert len(emails(repo, case_id)) == 1  # the same email each time: kept once


async def test_nobody_can_flood_a_case_with_email_and_a_real_reply_arrives_later(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    before = refused("case_daily_limit")
    for number in range(MAX_EMAILS_PER_CASE_PER_DAY):
        await send(server, mail(address, f"Spam {number}", f"Buy now {number}"))
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refusal:
        await send(server, mail(address, "Your complaint", ACKNOWLEDGEMENT))
    assert refusal.value.recipients[0].code == 452  # try later: the sender's server keeps it
    assert refused("case_daily_limit") == before + 1
    assert len(emails(repo, case_id)) == MAX_EMAILS_PER_CASE_PER_DAY
    with repo.unit_of_work() as uow:  # a day on: the oldest have left the window
        for row in uow.session.exec(select(CaseEmailRow).where(col(CaseEmailRow.case_id) == case_id)):
            row.created_at = NOW - timedelta(hours=25)
    await send(server, mail(address, "Your complaint", ACKNOWLEDGEMENT))
    assert len(emails(repo, case_id)) == MAX_EMAILS_PER_CASE_PER_DAY + 1


def test_the_connection_limit_counts_all_peers_and_each_peer() -> None:
    limit = ConnectionLimit()
    assert all(limit.admit(f"192.0.2.{n}") for n in range(MAX_CONNECTIONS))
    assert not limit.admit("198.51.100.1")  # all taken, whoever asks
    limit.release("192.0.2.0")
    assert limit.admit("198.51.100.1")
    assert limit.per_peer.get("192.0.2.0") is None


async def test_a_disguised_attachment_is_refused_and_counted_and_the_mail_kept(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    before = refused("disguised_attachment")
    message = mail(address, "Photos", "Photos of the repair attached.")
    message.add_attachment(PDF, maintype="image", subtype="jpeg", filename="repair.jpg")  # a PDF really
    message.add_attachment(PNG, maintype="image", subtype="png", filename="damp.png")
    await send(server, message)
    assert refused("disguised_attachment") == before + 1
    [row] = emails(repo, case_id)
    assert row.refused_attachments == [{"name": "repair.jpg", "reason": "disguised_attachment"}]
    with repo.unit_of_work() as uow:
        assert [e.original_name for e in uow.evidence_of(case_id)] == ["damp.png"]
    [(_, notice)] = await forwarded(repo)
    assert "repair.jpg" in notice.text and "damp.png" in notice.text


def delivery_report(to: str, envelope_id: str, message_id: str, action: str = "failed") -> bytes:
    status = {"failed": "5.1.1", "delayed": "4.4.1", "delivered": "2.0.0"}[action]
    return (
        f"From: Mail Delivery System <MAILER-DAEMON@relay.example>\r\nTo: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        "Date: Mon, 07 Dec 2026 11:00:00 +0000\r\nMessage-ID: <dsn-1@relay.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; relay.example\r\nOriginal-Envelope-Id: {envelope_id}\r\n\r\n"
        f"Final-Recipient: rfc822; {LANDLORD}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {message_id}\r\nSubject: Complaint\r\n\r\n"
        "--B--\r\n"
    ).encode()


async def send_report(port: int, raw: bytes, to: str) -> None:
    """As a mail server sends a delivery report: from the null sender, MAIL FROM:<>."""
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
    async with client:
        await client.sendmail("", [to], raw)


def sent_complaint(repo: Repository, case_id: int, address: str) -> int:
    """The complaint email as the sending side records it once the relay accepted it."""
    with repo.unit_of_work() as uow:
        row = CaseEmailRow(
            case_id=case_id,
            direction="out",
            status="accepted",
            message_id="<complaint-1@fairsay.example>",
            envelope_id="fs-complaint-1",
            from_address=address,
            to_address=LANDLORD,
            dsn_requested=True,
        )
        uow.session.add(row)
        uow.session.flush()
        assert row.id is not None
        return row.id


@pytest.mark.parametrize("match_by", ["envelope_id", "message_id"])
async def test_a_bounce_updates_the_complaint_email_and_tells_the_resident_what_to_do(
    repo: Repository, settings: Settings, server: int, match_by: str
) -> None:
    case_id, ref, address = seed(repo, settings)
    out_id = sent_complaint(repo, case_id, address)
    envelope_id = "fs-complaint-1" if match_by == "envelope_id" else "not-ours"
    raw = delivery_report(address, envelope_id, "<complaint-1@fairsay.example>")
    await send_report(server, raw, address)
    out, report = emails(repo, case_id)
    assert (out.id, out.status, out.delivery_status) == (out_id, "bounced", "5.1.1")
    assert "User unknown" in (out.delivery_diagnostic or "")
    assert report.direction == "in" and report.about_email_id == out_id and report.auto_submitted
    [(telegram_id, notice)] = await forwarded(repo)
    assert telegram_id == TELEGRAM_ID
    assert ref in notice.text and LANDLORD in notice.text and "could not be delivered" in notice.text
    assert "Check the complaints address" in notice.text and "another way" in notice.text
    assert "Keep proof" in notice.text


async def test_a_delivery_report_of_success_is_recorded_without_a_message(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    sent_complaint(repo, case_id, address)
    raw = delivery_report(address, "fs-complaint-1", "<complaint-1@fairsay.example>", action="delivered")
    await send_report(server, raw, address)
    assert emails(repo, case_id)[0].status == "delivered"
    assert await forwarded(repo) == []


async def test_a_bounce_after_the_delivery_report_changes_nothing_and_says_nothing(
    repo: Repository, settings: Settings, server: int
) -> None:
    """The landlord has the reply address and the Message-ID: a "failed" report written after the
    delivery must not tell the resident their complaint never arrived."""
    case_id, _, address = seed(repo, settings)
    sent_complaint(repo, case_id, address)
    delivered = delivery_report(
        address, "fs-complaint-1", "<complaint-1@fairsay.example>", action="delivered"
    )
    await send_report(server, delivered, address)
    forged = delivery_report(address, "fs-complaint-1", "<complaint-1@fairsay.example>")
    forged = forged.replace(b"Message-ID: <", b"Message-ID: <forged-", 1)
    await send_report(server, forged, address)
    out, *reports = emails(repo, case_id)
    assert out.status == "delivered" and len(reports) == 2  # both kept for the record
    assert await forwarded(repo) == []


async def test_a_restart_between_the_250_and_forwarding_loses_nothing(
    repo: Repository, settings: Settings
) -> None:
    _, _, address = seed(repo, settings)
    running = await start(repo, settings, ManualClock(NOW))
    assert settings.inbound_smtp_port is not None
    await send(settings.inbound_smtp_port, mail(address, "Your complaint", ACKNOWLEDGEMENT))
    running.close()  # the process stops right after the 250, before anything was forwarded
    await running.wait_closed()
    repo.close()

    again = Repository.open(settings)  # the next start, on the same database
    try:
        [(telegram_id, notice)] = await forwarded(again)
        assert telegram_id == TELEGRAM_ID and "We have received your complaint" in notice.text
        assert notice.buttons
    finally:
        again.close()


async def test_mail_for_a_case_deleted_between_rcpt_and_data_is_refused(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=server)
    await client.connect()
    await client.ehlo()
    await client.mail(LANDLORD)
    await client.rcpt(address)
    with repo.unit_of_work() as uow:
        uow.delete_user(uow.case_summary(case_id).owner_user_id)
    with pytest.raises(aiosmtplib.SMTPDataError) as refusal:
        await client.data(mail(address, "Late", "Late").as_bytes())
    assert refusal.value.code == 550
    await client.quit()
    await asyncio.sleep(0)


async def test_the_same_email_sent_again_is_kept_and_told_once(
    repo: Repository, settings: Settings, server: int
) -> None:
    """The sender's server never heard our 250 (the connection dropped) and sends it again."""
    case_id, _, address = seed(repo, settings)
    message = mail(address, "Your complaint", ACKNOWLEDGEMENT)
    await send(server, message)
    await send(server, message)
    assert len(emails(repo, case_id)) == 1
    assert len(await forwarded(repo)) == 1


async def test_a_decoy_with_the_real_replys_message_id_does_not_drop_the_real_reply(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    real = mail(address, "Your complaint", ACKNOWLEDGEMENT)
    decoy = mail(address, "Hello", "Nothing to see here.")
    decoy.replace_header("Message-ID", str(real["Message-ID"]))
    await send(server, decoy)
    await send(server, real)
    assert [row.subject for row in emails(repo, case_id)] == ["Hello", "Your complaint"]
    assert len(await forwarded(repo)) == 2


async def test_a_date_ahead_of_our_clock_counts_as_when_it_arrived(
    repo: Repository, settings: Settings, server: int
) -> None:
    case_id, _, address = seed(repo, settings)
    await send(server, mail(address, "Your complaint", ACKNOWLEDGEMENT, sent=NOW + timedelta(days=30)))
    [row] = emails(repo, case_id)
    assert row.mail_date == NOW


def test_the_emails_day_is_the_residents_day() -> None:
    """An email sent at 23:30 UTC on 1 June is dated 2 June in London (summer time)."""
    row = CaseEmailRow(id=1, case_id=1, direction="in", status="received", classification="acknowledgement")
    row.mail_date = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert mail_reply_of(row, "Europe/London").on == date(2026, 6, 2)
    assert mail_reply_of(row, "UTC").on == date(2026, 6, 1)
