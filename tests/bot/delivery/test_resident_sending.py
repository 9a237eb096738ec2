"""Complaints emailed for residents, through the durable sender, against a real relay on 127.0.0.1:
queued only with consent and within the limits (in the database), sent once, the acceptance recorded as
the day the complaint was made (the clocks start), the proof kept for the timeline and the pack, a 5xx
told to the resident, a sender that died mid-send replaced without a second Message-ID."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from support.databases import make_settings
from support.delivery_servers import NOW
from support.landlords import DETAILS, PROFILE, sample_pdf
from support.mail_relay import Relay

from bot.clock import ManualClock
from bot.delivery import resident_sending
from bot.delivery.resident_sending import LimitReached, ResidentMailDelivery, queue_send
from bot.mail import inbound
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.models import CaseEmailRow, CaseEmailSendRow, MailSendTallyRow, ReminderRow
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.conversations.types import Reply
from flows.i18n import translator
from flows.sent_mail import proof_lines

LANDLORD = "Complaints@Northgate.example"


def mail_settings(settings: Settings, tmp_path: Path, port: int, **values: object) -> Settings:
    return make_settings(
        settings.database_url,
        tmp_path,
        mail_from="Fair Say <complaints@fairsay.example>",
        mail_reply_domain="replies.fairsay.example",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        **values,
    )


def a_complaint(
    repo: Repository, telegram_id: int = 1001, evidence: list[bytes] | None = None
) -> tuple[int, int]:
    """A resident's stage 1 complaint to a landlord Fair Say does not know, not yet sent."""
    with repo.unit_of_work() as uow:
        owner = uow.user_by_telegram_id(telegram_id)
        uow.update_profile(owner.id, PROFILE)
        ref = uow.create_case(
            owner.id,
            landlord_name="Northgate Homes",
            landlord_type="housing_association",
            subject="damp_mould",
            details=dict(DETAILS),
        )
        summary = uow.case_by_ref(ref)
        assert summary is not None
        for n, data in enumerate(evidence or []):
            uow.store_evidence(summary.id, data, f"photo-{n}.pdf")
        return owner.id, summary.id


def queue(repo: Repository, settings: Settings, user_id: int, case_id: int, to: str = LANDLORD):  # type: ignore[no-untyped-def]
    with repo.unit_of_work() as uow:
        return queue_send(uow, case_id, user_id, 1, to, settings, NOW)


def rows(repo: Repository, case_id: int) -> tuple[CaseEmailRow, CaseEmailSendRow]:
    with repo.unit_of_work() as uow:
        [mail] = uow.session.exec(select(CaseEmailRow).where(CaseEmailRow.case_id == case_id)).all()
        send = uow.session.get(CaseEmailSendRow, mail.id)
        assert send is not None
        uow.session.expunge_all()
        return mail, send


async def test_sent_once_accepted_and_the_clocks_start(
    repo: Repository, settings: Settings, tmp_path: Path, dsn_relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, dsn_relay.port)
    user_id, case_id = a_complaint(repo, evidence=[sample_pdf(b"one")])
    assert isinstance(queue(repo, settings, user_id, case_id), int)
    with repo.unit_of_work() as uow:
        assert uow.load_case(case_id).events == ()  # nothing counts until the relay has it
    worker = ResidentMailDelivery(repo, settings, ManualClock(NOW + timedelta(minutes=1)))

    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # sent once

    [got] = dsn_relay.handler.received
    mail, send = rows(repo, case_id)
    assert mail.status == "accepted" and mail.relay_reply == "250 2.0.0 Ok: queued as 4QX00001"
    assert (
        mail.queue_id == "4QX00001" and mail.dsn_requested and mail.accepted_at == NOW + timedelta(minutes=1)
    )
    assert send.consent_version == resident_sending.CONSENT_VERSION and send.consent_at == NOW
    assert got.mail_from == mail.from_address and got.mail_from.endswith("@replies.fairsay.example")
    assert got.mail_options == ["RET=HDRS", f"ENVID={mail.envelope_id}"]
    message = email.message_from_bytes(got.data, policy=email.policy.default)
    assert message["Message-ID"] == mail.message_id and message["Reply-To"] == mail.from_address
    names = [part.get_filename() for part in message.iter_attachments()]
    assert len(names) == 2 and names[0].endswith(".pdf") and names[1] == "photo-0.pdf"
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert f"I, {PROFILE['full_name']}, authorise Fair Say to send this complaint on my behalf" in body
    assert mail.from_address in body and "report unwanted mail" in body

    with repo.unit_of_work() as uow:
        events = uow.load_case(case_id).events
        assert [(e.kind, e.date) for e in events if e.kind is EventKind.COMPLAINT_MADE] == [
            (EventKind.COMPLAINT_MADE, NOW.date())
        ]
        details = uow.case_details(case_id)
        kinds = [
            r.kind for r in uow.session.exec(select(ReminderRow).where(ReminderRow.case_id == case_id)).all()
        ]
    assert "notice_mail_sent" in kinds and any(not k.startswith("notice_") for k in kinds)  # clocks planned
    [line] = proof_lines(details, translator("en"))
    assert line == (
        "Sent by Fair Say on Tuesday, 10 March 2026 at 10:01 (UK time) to Complaints@Northgate.example; Fair Say's "
        "mail server accepted it for delivery: “250 2.0.0 Ok: queued as 4QX00001” (queue id 4QX00001)."
    )


async def test_evidence_over_the_size_limit_is_listed_not_attached(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port, mail_attachments_max_bytes=60_000)
    user_id, case_id = a_complaint(repo, evidence=[sample_pdf(b"a" * 100_000), sample_pdf(b"small")])
    queue(repo, settings, user_id, case_id)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    message = email.message_from_bytes(relay.handler.received[0].data, policy=email.policy.default)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "photo-1.pdf" in names and "photo-0.pdf" not in names
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "available on request" in body and "- photo-0.pdf" in body
    with repo.unit_of_work() as uow:
        assert uow.case_details(case_id)["sent_by_email"]["1"]["left_out"] == ["photo-0.pdf"]


async def test_no_dsn_asked_of_a_relay_without_it(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    assert relay.handler.received[0].mail_options == []
    assert not rows(repo, case_id)[0].dsn_requested


async def test_a_5xx_fails_it_and_tells_the_resident(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    relay.handler.planned.append("550 5.1.1 <complaints@northgate.example>: Recipient address rejected")
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 0
    mail, _ = rows(repo, case_id)
    assert mail.status == "failed" and "550 5.1.1" in (mail.relay_reply or "")
    with repo.unit_of_work() as uow:
        assert uow.load_case(case_id).events == ()  # no deadline started
        kinds = [
            r.kind for r in uow.session.exec(select(ReminderRow).where(ReminderRow.case_id == case_id)).all()
        ]
    assert kinds == ["notice_mail_failed"]
    told: list[Reply] = []

    async def deliver(telegram_id: int, reply: Reply) -> None:
        told.append(reply)

    await ReminderSender(repo, ManualClock(NOW), deliver).run_once()
    [notice] = told
    assert (
        "I could not send your complaint by email. Nothing was sent, and no deadline has started."
        in notice.text
    )
    assert "refused it: “550 5.1.1 <complaints@northgate.example>: Recipient address rejected”" in notice.text
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW + timedelta(hours=1))).run_once() == 0
    assert relay.handler.received == []  # not tried again


async def test_a_4xx_is_retried_later(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    relay.handler.planned.append("451 4.3.0 Try again later")
    clock = ManualClock(NOW)
    worker = ResidentMailDelivery(repo, settings, clock)
    assert await worker.run_once() == 0
    assert rows(repo, case_id)[0].status == "queued"
    assert await worker.run_once() == 0  # backing off
    clock.advance(timedelta(minutes=1))
    assert await worker.run_once() == 1


async def test_a_sender_that_died_mid_send_is_replaced_with_the_same_message_id(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    clock = ManualClock(NOW)
    dead = ResidentMailDelivery(repo, settings, clock)
    # The first sender claims it, hands it over and dies before recording anything.
    [claimed] = dead._claim(clock.now(), 10)
    ready = dead._prepare(claimed)
    assert ready.message is not None
    await dead._send(ready)
    other = ResidentMailDelivery(repo, settings, clock)
    assert await other.run_once() == 0  # leased: not sent twice while the first may still be at it
    clock.advance(resident_sending.LEASE + timedelta(seconds=1))
    assert await other.run_once() == 1
    first, second = (email.message_from_bytes(r.data) for r in relay.handler.received)
    assert first["Message-ID"] == second["Message-ID"] == rows(repo, case_id)[0].message_id
    with repo.unit_of_work() as uow:
        made = [e for e in uow.load_case(case_id).events if e.kind is EventKind.COMPLAINT_MADE]
    assert len(made) == 1


def test_the_per_resident_limit(repo: Repository, settings: Settings, tmp_path: Path, relay: Relay) -> None:
    settings = mail_settings(settings, tmp_path, relay.port, mail_sends_per_resident_per_day=2)
    user_id, case_id = a_complaint(repo)
    assert isinstance(queue(repo, settings, user_id, case_id, "a@one.example"), int)
    assert isinstance(queue(repo, settings, user_id, case_id, "b@two.example"), int)
    refused = queue(repo, settings, user_id, case_id, "c@three.example")
    assert refused == LimitReached("resident", NOW + timedelta(hours=24))
    other_user, other_case = a_complaint(repo, telegram_id=1002)
    assert isinstance(queue(repo, settings, other_user, other_case, "c@three.example"), int)


def test_the_per_recipient_limit_across_residents(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port, mail_sends_per_recipient_per_day=2)
    for telegram_id in (1001, 1002):
        user_id, case_id = a_complaint(repo, telegram_id=telegram_id)
        assert isinstance(queue(repo, settings, user_id, case_id), int)
    user_id, case_id = a_complaint(repo, telegram_id=1003)
    refused = queue(repo, settings, user_id, case_id, LANDLORD.upper())  # the same address, however written
    assert isinstance(refused, LimitReached) and refused.which == "recipient"


def test_sub_addresses_share_the_recipients_limit(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    """A spammer with many accounts cannot reach one mailbox more often by writing name+1@, name+2@…"""
    settings = mail_settings(settings, tmp_path, relay.port, mail_sends_per_recipient_per_day=2)
    for telegram_id, to in ((1001, "victim+1@northgate.example"), (1002, "Victim+2@Northgate.example")):
        user_id, case_id = a_complaint(repo, telegram_id=telegram_id)
        assert isinstance(queue(repo, settings, user_id, case_id, to), int)
    user_id, case_id = a_complaint(repo, telegram_id=1003)
    refused = queue(repo, settings, user_id, case_id, "victim@northgate.example")
    assert isinstance(refused, LimitReached) and refused.which == "recipient"


async def test_a_line_break_in_the_residents_name_neither_injects_a_header_nor_stops_the_email(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    with repo.unit_of_work() as uow:
        uow.update_profile(user_id, {**PROFILE, "full_name": "Ann Example\r\nBcc: victim@elsewhere.example"})
    assert isinstance(queue(repo, settings, user_id, case_id), int)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    [got] = relay.handler.received
    assert got.rcpt_tos == [LANDLORD]
    message = email.message_from_bytes(got.data, policy=email.policy.default)
    assert message["Bcc"] is None
    assert (
        message["Subject"]
        == "Formal complaint (stage 1) from Ann Example Bcc: victim@elsewhere.example, ref "
        + (message["Subject"].rpartition("ref ")[2])
    )


def test_fair_says_own_addresses_are_never_a_recipient(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    own = (
        "case-abcdefghijklmnopqrstuvwxyz@Replies.FairSay.example",
        "anything@mx.replies.fairsay.example",
        "Complaints@fairsay.example",  # MAIL_FROM
        settings.abuse_address,
    )
    for address in own:
        assert resident_sending.is_own_address(address, settings), address
        with pytest.raises(ValueError):
            queue(repo, settings, user_id, case_id, address)
    assert not resident_sending.is_own_address("complaints@northgate.example", settings)
    assert not resident_sending.is_own_address("someone@notreplies.fairsay.example.org", settings)


def test_deleting_the_account_and_starting_again_gives_no_new_allowance(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    """/delete takes the sends (the resident's data), but not the count the limits are taken from:
    otherwise one Telegram account could mail one address without end, /delete after each."""
    settings = mail_settings(
        settings, tmp_path, relay.port, mail_sends_per_resident_per_day=5, mail_sends_per_recipient_per_day=2
    )
    for _ in range(2):
        user_id, case_id = a_complaint(repo)
        assert isinstance(queue(repo, settings, user_id, case_id, "victim@northgate.example"), int)
        repo.delete_user(user_id)
    user_id, case_id = a_complaint(repo)
    refused = queue(repo, settings, user_id, case_id, "victim@northgate.example")
    assert isinstance(refused, LimitReached) and refused.which == "recipient"
    settings = mail_settings(settings, tmp_path, relay.port, mail_sends_per_resident_per_day=2)
    refused = queue(repo, settings, user_id, case_id, "someone.else@northgate.example")
    assert isinstance(refused, LimitReached) and refused.which == "resident"  # the same Telegram user
    with repo.unit_of_work() as uow:  # what stays names no one
        keys = {row.key for row in uow.session.exec(select(MailSendTallyRow))}
    assert len(keys) == 2 and all(len(key) == 64 and "@" not in key for key in keys)


async def test_a_stage_2_request_emailed_is_asked_for_on_the_day_the_relay_accepts_it(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, relay.port)
    user_id, case_id = a_complaint(repo)
    with repo.unit_of_work() as uow:
        for day, kind in (
            (date(2026, 2, 2), EventKind.COMPLAINT_MADE),
            (date(2026, 2, 20), EventKind.STAGE1_RESPONSE),
        ):
            uow.append_event(case_id, CaseEvent(day, kind), EventSource.RESIDENT, user_id)
        uow.update_case_details(case_id, {"stage2_reasons": "The leak is still there."})
        assert isinstance(queue_send(uow, case_id, user_id, 2, LANDLORD, settings, NOW), int)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    message = email.message_from_bytes(relay.handler.received[0].data, policy=email.policy.default)
    assert "stage 2" in str(message["Subject"])
    with repo.unit_of_work() as uow:
        events = uow.load_case(case_id).events
        assert "2" in uow.case_details(case_id)["sent_by_email"]
    assert CaseEvent(NOW.date(), EventKind.ESCALATION_REQUESTED) in events


def bounce_of(mail: CaseEmailRow) -> bytes:
    """The relay's delivery report (RFC 3464) that the landlord's server refused the complaint email."""
    return (
        f"From: Mail Delivery System <MAILER-DAEMON@relay.example>\r\nTo: {mail.from_address}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n"
        "Date: Tue, 10 Mar 2026 14:00:00 +0000\r\nMessage-ID: <dsn-9@relay.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; relay.example\r\nOriginal-Envelope-Id: {mail.envelope_id}\r\n\r\n"
        f"Final-Recipient: rfc822; {LANDLORD}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--B--\r\n"
    ).encode()


async def told_now(repo: Repository, at: datetime) -> list[Reply]:
    told: list[Reply] = []

    async def deliver(telegram_id: int, reply: Reply) -> None:
        told.append(reply)

    await ReminderSender(repo, ManualClock(at), deliver).run_once()
    return told


async def test_a_bounce_after_acceptance_withdraws_the_complaint_date_and_its_proof(
    repo: Repository, settings: Settings, tmp_path: Path, dsn_relay: Relay
) -> None:
    """Code 6.2 counts from the complaint being received: one that bounced was never received, so its
    day is off the timeline, the clocks stop, and the proof says it was not delivered."""
    settings = mail_settings(settings, tmp_path, dsn_relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    await told_now(repo, NOW)  # "it has gone": told before the bounce came back
    later = NOW + timedelta(hours=3)
    mail, _ = rows_out(repo, case_id)
    assert inbound.receive(repo, case_id, bounce_of(mail), later).kind == "delivery_report"

    with repo.unit_of_work() as uow:
        assert EventKind.COMPLAINT_MADE not in {e.kind for e in uow.load_case(case_id).events}
        assert uow.delivered_kinds(case_id) == frozenset()
        details = uow.case_details(case_id)
        clocks = [
            r.kind
            for r in uow.session.exec(select(ReminderRow).where(ReminderRow.case_id == case_id)).all()
            if not r.kind.startswith("notice_") and r.cancelled_at is None
        ]
    assert clocks == []
    [line] = proof_lines(details, translator("en"))
    assert "bounced on Tuesday, 10 March 2026" in line and "not delivered" in line
    assert "accepted it" not in line
    [notice] = await told_now(repo, later)
    assert "could not be delivered" in notice.text
    assert "taken its date off your timeline" in notice.text


async def test_a_bounce_after_the_landlord_acknowledged_keeps_the_dates_and_flags_the_proof(
    repo: Repository, settings: Settings, tmp_path: Path, dsn_relay: Relay
) -> None:
    settings = mail_settings(settings, tmp_path, dsn_relay.port)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    with repo.unit_of_work() as uow:  # it reached the landlord after all (another copy, a forward)
        uow.append_event(case_id, CaseEvent(NOW.date(), EventKind.ACKNOWLEDGED), EventSource.LANDLORD, None)
    mail, _ = rows_out(repo, case_id)
    inbound.receive(repo, case_id, bounce_of(mail), NOW + timedelta(hours=3))
    with repo.unit_of_work() as uow:
        assert EventKind.COMPLAINT_MADE in {e.kind for e in uow.load_case(case_id).events}
        [line] = proof_lines(uow.case_details(case_id), translator("en"))
    assert "bounced" in line
    notices = [r for r in await told_now(repo, NOW + timedelta(hours=3)) if "not be delivered" in r.text]
    assert notices and "taken its date off" not in notices[-1].text


def rows_out(repo: Repository, case_id: int) -> tuple[CaseEmailRow, CaseEmailSendRow]:
    with repo.unit_of_work() as uow:
        [mail] = uow.session.exec(
            select(CaseEmailRow).where(CaseEmailRow.case_id == case_id, CaseEmailRow.direction == "out")
        ).all()
        send = uow.session.get(CaseEmailSendRow, mail.id)
        assert send is not None
        uow.session.expunge_all()
        return mail, send


async def test_the_preview_counts_the_letter_so_it_lists_what_the_mail_leaves_out(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    """Evidence that fits the limit only without the letter: the preview the resident agrees to must
    say it is left out, as the mail then does."""
    settings = mail_settings(settings, tmp_path, relay.port, mail_attachments_max_bytes=60_000)
    user_id, case_id = a_complaint(repo, evidence=[sample_pdf(b"a" * 59_000)])
    with repo.unit_of_work() as uow:
        shown = resident_sending.preview(uow, case_id, 1, LANDLORD, settings, NOW.date())
    queue(repo, settings, user_id, case_id)
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 1
    message = email.message_from_bytes(relay.handler.received[0].data, policy=email.policy.default)
    sent = [part.get_filename() for part in message.iter_attachments()]
    assert shown.left_out == ("photo-0.pdf",) and "photo-0.pdf" not in sent
    assert list(shown.attached) == sent


async def test_a_send_the_relay_refused_does_not_use_up_the_residents_daily_sends(
    repo: Repository, settings: Settings, tmp_path: Path, relay: Relay
) -> None:
    """A typo in the address refused at once (nothing left Fair Say) must not stop the resident sending
    it to the right address today; the per-recipient limit still counts every attempt."""
    settings = mail_settings(settings, tmp_path, relay.port, mail_sends_per_resident_per_day=1)
    user_id, case_id = a_complaint(repo)
    queue(repo, settings, user_id, case_id, "complaints@typo.example")
    relay.handler.planned.append("550 5.1.1 <complaints@typo.example>: Recipient address rejected")
    assert await ResidentMailDelivery(repo, settings, ManualClock(NOW)).run_once() == 0
    assert isinstance(queue(repo, settings, user_id, case_id, LANDLORD), int)
    assert isinstance(queue(repo, settings, user_id, case_id, "third@one.example"), LimitReached)
