"""Complaints emailed for residents, durably: queued with the resident's consent, sent once, and the
relay's acceptance recorded as the day the complaint (or stage 2 request) was made.

1. Queue (the resident's update's transaction): the limits are checked under a lock (per resident: a
   lock on their row; per recipient address: an advisory lock on PostgreSQL, SQLite's one write lock),
   so two instances never both let the Nth + 1 through. The `case_emails` row ("out", queued) carries the
   Message-ID, kept for every attempt; `case_email_sends` the consent, attempts and lease.
2. Claim (one short transaction): due sends are leased (FOR UPDATE SKIP LOCKED on PostgreSQL), as the
   submissions' worker does (bot.delivery.worker): one sender per row even with two instances.
3. Prepare and send outside any transaction: the letter typeset, the evidence read, the message composed
   and handed to the relay.
4. Record (one transaction): accepted (the proof, the sending event, the clocks replanned, the resident
   told), refused (5xx: failed, the resident told what to do), or retried with back-off.

A sender that dies after the relay accepted but before recording it leaves the lease to run out, and
the message goes again with the same Message-ID: the landlord's mail system can see it is the same mail.
Logs carry ids and error type names only.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, text
from sqlmodel import col, select

from bot import metrics
from bot.clock import Clock, SystemClock
from bot.delivery import resident_mail
from bot.mail.addresses import reply_address
from bot.services import documents
from bot.services.case_records import letter_for
from bot.services.notices import NoticeKind, queue
from bot.services.reminder_planning import plan_case_reminders
from bot.settings import Settings
from bot.storage.mapping import REMOVED
from bot.storage.models import CaseEmailRow, CaseEmailSendRow, MailSendTallyRow, UserRow
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from flows.case import CaseEvent, EventKind
from flows.conversations.parsing import answer_date
from flows.conversations.types import Document

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
# The version of the consent words the resident agreed to (flows.conversations.sending.consent_prompt):
# change it whenever those words change, so the record says which words were agreed to.
CONSENT_VERSION = "email-for-me-2"
WINDOW = timedelta(hours=24)
LEASE = timedelta(minutes=5)
GIVE_UP_AFTER = 8
STAGE_EVENT = {1: EventKind.COMPLAINT_MADE, 2: EventKind.ESCALATION_REQUESTED}


@dataclass(frozen=True, slots=True)
class LimitReached:
    """Why a send was not queued, and from when it may be tried again."""

    which: str  # "resident" or "recipient"
    again_at: datetime


@dataclass(frozen=True, slots=True)
class Preview:
    """Exactly what will be sent, for the resident to agree to."""

    to: str
    mail_from: str
    reply_to: str
    subject: str
    attached: tuple[str, ...]
    left_out: tuple[str, ...]
    authority: str


def normalise(address: str) -> str:
    """The address as the per-recipient limit counts it: any case, and without a `+tag` (sub-addressing:
    name+1@x and name+2@x reach the same mailbox, so they share one limit)."""
    local, at, domain = address.strip().lower().rpartition("@")
    return f"{local.partition('+')[0] or local}{at}{domain}"


def is_own_address(address: str, settings: Settings) -> bool:
    """An address of Fair Say's own: any at MAIL_REPLY_DOMAIN (or under it: the inbound server would
    take a case's reply address, and file the complaint as a reply in that case, perhaps another
    resident's), its From, or its abuse desk. A complaint sent there never reaches a landlord."""
    address = normalise(address)
    domain = address.rpartition("@")[2].rstrip(".")
    reply_domain = (settings.mail_reply_domain or "").lower()
    at_reply_domain = bool(reply_domain) and (domain == reply_domain or domain.endswith("." + reply_domain))
    return at_reply_domain or address in {
        normalise(parseaddr(settings.mail_from)[1]),
        normalise(parseaddr(settings.abuse_address)[1]),
    }


def _evidence(uow: UnitOfWork, case_id: int) -> list[Document]:
    return [
        Document(item.original_name or item.sha256[:12], uow.evidence.read(item.stored_path), item.mime_type)
        for item in uow.evidence_of(case_id)
    ]


def _resident_name(uow: UnitOfWork, case_id: int) -> str:
    profile = uow.profile(uow.case_summary(case_id).owner_user_id)
    return str(profile.get("full_name") or "the resident")


def preview(uow: UnitOfWork, case_id: int, stage: int, to: str, settings: Settings, today: date) -> Preview:
    # Typeset as the sender will: the letter counts towards the limit, so what is shown as attached is
    # what goes (only its creation time differs, which does not change its size).
    pdf = documents.render_pdf(letter_for(uow, case_id, stage, today))
    evidence = _evidence(uow, case_id)
    kept, left_out = resident_mail.fit_attachments(pdf, evidence, settings.mail_attachments_max_bytes)
    name = _resident_name(uow, case_id)
    reply = reply_address(uow, case_id, settings)
    summary = uow.case_summary(case_id)
    return Preview(
        to,
        settings.mail_from,
        reply,
        resident_mail.subject(stage, summary.public_ref, name),
        tuple(d.filename for d in kept),
        tuple(left_out),
        resident_mail.AUTHORITY.format(name=name, reply_address=reply),
    )


def _lock_recipient(uow: UnitOfWork, recipient: str) -> None:
    """Serialise sends to one address across instances until the transaction ends."""
    if uow.session.get_bind().dialect.name == "postgresql":
        key = int(hashlib.sha256(recipient.encode()).hexdigest()[:15], 16)
        uow.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        uow.session.execute(text("SELECT 1"))  # SQLite: the write lock every transaction here takes


def _tally_key(what: str) -> str:
    return hashlib.sha256(what.encode()).hexdigest()


def _resident_key(user: UserRow | None, user_id: int) -> str:
    # The resident as Telegram knows them: a new account after /delete is the same person.
    return _tally_key(
        f"resident:telegram:{user.telegram_id}" if user and user.telegram_id else f"resident:user:{user_id}"
    )


def _give_back_residents_send(uow: UnitOfWork, user_id: int) -> None:
    """A send the relay refused (nothing left Fair Say, e.g. a mistyped address) does not cost the
    resident one of their sends: their newest tally entry goes. The address's entry stays: every
    attempt counts against an address."""
    key = _resident_key(uow.session.get(UserRow, user_id), user_id)
    newest = uow.session.exec(
        select(MailSendTallyRow)
        .where(col(MailSendTallyRow.key) == key)
        .order_by(col(MailSendTallyRow.created_at).desc())
        .limit(1)
    ).first()
    if newest is not None:
        uow.session.delete(newest)


def _limit(uow: UnitOfWork, key: str, limit: int, now: datetime) -> datetime | None:
    """When the oldest send in the window leaves it, if `limit` sends are in the window now. Counted
    from the tally, which /delete leaves: deleting the account and starting again is no new allowance."""
    count, oldest = uow.session.exec(
        select(func.count(), func.min(MailSendTallyRow.created_at)).where(
            col(MailSendTallyRow.key) == key, col(MailSendTallyRow.created_at) > now - WINDOW
        )
    ).one()
    if count < limit:
        return None
    return (oldest or now) + WINDOW


def queue_send(
    uow: UnitOfWork, case_id: int, user_id: int, stage: int, to: str, settings: Settings, now: datetime
) -> int | LimitReached:
    """Queue the email (committed with the caller's transaction), or say which limit stops it."""
    if is_own_address(to, settings):  # the conversation refuses it first; this is the last line
        raise ValueError("a complaint email to one of Fair Say's own addresses")
    recipient = normalise(to)
    # The resident's row first, then the address: every sender takes them in this order.
    user = uow.session.exec(select(UserRow).where(col(UserRow.id) == user_id).with_for_update()).first()
    _lock_recipient(uow, recipient)
    resident_key = _resident_key(user, user_id)
    recipient_key = _tally_key(f"recipient:{recipient}")
    again = _limit(uow, resident_key, settings.mail_sends_per_resident_per_day, now)
    if again is not None:
        metrics.RESIDENT_MAIL_LIMITED.labels(which="resident").inc()
        return LimitReached("resident", again)
    again = _limit(uow, recipient_key, settings.mail_sends_per_recipient_per_day, now)
    if again is not None:
        metrics.RESIDENT_MAIL_LIMITED.labels(which="recipient").inc()
        return LimitReached("recipient", again)
    uow.session.execute(delete(MailSendTallyRow).where(col(MailSendTallyRow.created_at) <= now - WINDOW))
    uow.session.add_all(
        [
            MailSendTallyRow(key=resident_key, created_at=now),
            MailSendTallyRow(key=recipient_key, created_at=now),
        ]
    )
    key = secrets.token_hex(16)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "fairsay.invalid"
    name = _resident_name(uow, case_id)
    row = CaseEmailRow(
        case_id=case_id,
        direction="out",
        created_at=now,
        mail_date=now,
        message_id=f"<{key}@{domain}>",
        from_address=reply_address(uow, case_id, settings),
        to_address=to.strip(),
        subject=resident_mail.subject(stage, uow.case_summary(case_id).public_ref, name),
        status="queued",
        status_at=now,
        envelope_id=key,
    )
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    uow.session.add(
        CaseEmailSendRow(
            email_id=row.id,
            user_id=user_id,
            stage=stage,
            recipient=recipient,
            consent_at=now,
            consent_version=CONSENT_VERSION,
            next_attempt_at=now,
            created_at=now,
        )
    )
    uow.audit("mail_queued", case_id=case_id, email_id=row.id, stage=stage, consent=CONSENT_VERSION)
    metrics.RESIDENT_MAIL.labels(outcome="queued").inc()
    return row.id


@dataclass(frozen=True, slots=True)
class _Claimed:
    email_id: int
    case_id: int
    stage: int
    attempts: int


@dataclass(frozen=True, slots=True)
class _Ready:
    claimed: _Claimed
    message: EmailMessage | None = None
    envelope_from: str = ""
    to: str = ""
    envid: str = ""
    left_out: tuple[str, ...] = ()
    error: str | None = None


class ResidentMailDelivery:
    def __init__(
        self,
        repository: Repository,
        settings: Settings,
        clock: Clock | None = None,
        *,
        lease: timedelta = LEASE,
    ) -> None:
        self.repository, self.settings, self.clock, self.lease = (
            repository,
            settings,
            clock or SystemClock(),
            lease,
        )

    async def run_once(self, limit: int = 10) -> int:
        """Send what is due; how many the relay accepted."""
        claimed = await asyncio.to_thread(self._claim, self.clock.now(), limit)
        accepted = 0
        for item in claimed:  # one at a time: a handful a day, and the relay's limits are kinder so
            ready = await asyncio.to_thread(self._prepare, item)
            outcome = await self._send(ready)
            await asyncio.to_thread(self._record, ready, outcome)
            accepted += isinstance(outcome, resident_mail.Accepted)
        return accepted

    def _claim(self, now: datetime, limit: int) -> list[_Claimed]:
        with self.repository.unit_of_work() as uow:
            rows = uow.session.exec(
                select(CaseEmailSendRow, CaseEmailRow)
                .join(CaseEmailRow, col(CaseEmailRow.id) == col(CaseEmailSendRow.email_id))
                .where(col(CaseEmailRow.status) == "queued", col(CaseEmailSendRow.next_attempt_at) <= now)
                .order_by(col(CaseEmailSendRow.next_attempt_at))
                .limit(limit)
                .with_for_update(skip_locked=True, of=CaseEmailSendRow)
            ).all()
            claimed = []
            for send, email in rows:
                send.next_attempt_at = now + self.lease
                claimed.append(_Claimed(send.email_id, email.case_id, send.stage, send.attempts))
            return claimed

    def _prepare(self, item: _Claimed) -> _Ready:
        try:
            with self.repository.unit_of_work() as uow:
                email = uow.session.get(CaseEmailRow, item.email_id)
                assert email is not None and email.to_address and email.message_id and email.envelope_id
                made_at = email.mail_date or email.created_at
                letter = letter_for(uow, item.case_id, item.stage, made_at.astimezone(LONDON).date())
                evidence = _evidence(uow, item.case_id)
                name = _resident_name(uow, item.case_id)
                reply = reply_address(uow, item.case_id, self.settings)
                ref = uow.case_summary(item.case_id).public_ref
                landlord = uow.case_summary(item.case_id).landlord_name or "your organisation"
                to, message_id, envid, subject = (
                    email.to_address,
                    email.message_id,
                    email.envelope_id,
                    email.subject,
                )
            pdf = documents.render_pdf(letter, made_at=made_at)
            kept, left_out = resident_mail.fit_attachments(
                pdf, evidence, self.settings.mail_attachments_max_bytes
            )
            body = resident_mail.body_text(
                landlord_name=landlord,
                resident_name=name,
                stage=item.stage,
                case_ref=ref,
                reply_address=reply,
                attached=[d.filename for d in kept],
                left_out=left_out,
                abuse_address=self.settings.abuse_address,
            )
            message = resident_mail.compose(
                to=to,
                reply_address=reply,
                message_id=message_id,
                subject_line=subject or resident_mail.subject(item.stage, ref, name),
                body=body,
                attachments=kept,
                settings=self.settings,
                made_at=made_at,
            )
            return _Ready(item, message, reply, to, envid, tuple(left_out))
        except Exception as error:  # the case deleted meanwhile, a file gone: this one fails, not all
            return _Ready(item, error=type(error).__name__)

    async def _send(self, ready: _Ready) -> resident_mail.Accepted | resident_mail.Refused | str:
        if ready.message is None:
            return ready.error or "NotPrepared"
        try:
            return await resident_mail.hand_over(
                ready.message,
                envelope_from=ready.envelope_from,
                to=ready.to,
                envid=ready.envid,
                settings=self.settings,
                clock=self.clock,
            )
        except resident_mail.Refused as refused:
            return refused
        except Exception as error:  # a 4xx, the network, a timeout: tried again
            return type(error).__name__

    def _record(self, ready: _Ready, outcome: resident_mail.Accepted | resident_mail.Refused | str) -> None:
        now = self.clock.now()
        item = ready.claimed
        with self.repository.unit_of_work() as uow:
            email = uow.session.get(CaseEmailRow, item.email_id)
            send = uow.session.get(CaseEmailSendRow, item.email_id)
            if email is None or send is None or email.status != "queued":
                return  # deleted meanwhile, or another sender recorded it after our lease ran out
            send.left_out = list(ready.left_out)
            if isinstance(outcome, resident_mail.Accepted):
                assert ready.message is not None
                raw = ready.message.as_bytes()
                email.status, email.status_at, email.accepted_at = "accepted", outcome.at, outcome.at
                email.relay_reply, email.queue_id = outcome.reply[:1000], outcome.queue_id
                email.dsn_requested = outcome.dsn_requested
                email.raw_sha256, email.raw_size = hashlib.sha256(raw).hexdigest(), len(raw)
                send.attempts += 1
                self._sent(uow, email, send, outcome, now)
                metrics.RESIDENT_MAIL.labels(outcome="accepted").inc()
                log.info(
                    "resident mail %d accepted by the relay (dsn %s)", item.email_id, outcome.dsn_requested
                )
                return
            send.attempts += 1
            if isinstance(outcome, resident_mail.Refused) or send.attempts >= GIVE_UP_AFTER:
                reply = (
                    f"{outcome.code} {outcome.text}" if isinstance(outcome, resident_mail.Refused) else None
                )
                email.status, email.status_at, email.relay_reply = "failed", now, (reply or "")[:1000] or None
                send.last_error = (reply or str(outcome))[:200]
                if isinstance(outcome, resident_mail.Refused):
                    _give_back_residents_send(uow, send.user_id)
                summary = uow.case_summary(email.case_id)
                queue(
                    uow,
                    summary.owner_user_id,
                    NoticeKind.MAIL_FAILED,
                    f"{email.id}",
                    now,
                    case_id=email.case_id,
                    payload={
                        "case": summary.public_ref,
                        "stage": send.stage,
                        "to": email.to_address,
                        "reply": reply,
                    },
                )
                metrics.RESIDENT_MAIL.labels(outcome="failed").inc()
                log.warning("resident mail %d failed: %s", item.email_id, "refused" if reply else outcome)
                return
            send.last_error = str(outcome)[:200]
            send.next_attempt_at = now + min(timedelta(minutes=2 ** (send.attempts - 1)), timedelta(hours=6))
            metrics.RESIDENT_MAIL.labels(outcome="retried").inc()
            log.warning("resident mail %d not sent (attempt %d): %s", item.email_id, send.attempts, outcome)

    def _sent(
        self,
        uow: UnitOfWork,
        email: CaseEmailRow,
        send: CaseEmailSendRow,
        accepted: resident_mail.Accepted,
        now: datetime,
    ) -> None:
        """The relay took it: the complaint (or request) was made today, as if the resident had said
        "I sent it today" (flows.conversations.complaint.record_complaint_sent), with the proof kept."""
        case_id = email.case_id
        day = accepted.at.astimezone(LONDON).date()
        recorded = record_sending(uow, case_id, send.stage, day, send.user_id)
        proof = {
            "at": accepted.at.isoformat(),
            "to": email.to_address,
            "reply": accepted.reply,
            "queue_id": accepted.queue_id,
            "dsn_requested": accepted.dsn_requested,
            "left_out": list(send.left_out),
            "email_id": email.id,
            # This email opened the stage (not the resident's own earlier sending): a bounce withdraws it.
            "event_recorded": recorded,
        }
        sent = dict(uow.case_details(case_id).get("sent_by_email") or {})
        sent[str(send.stage)] = proof
        uow.update_case_details(case_id, {"sent_by_email": sent})
        plan_case_reminders(uow, case_id, now)
        summary = uow.case_summary(case_id)
        queue(
            uow,
            summary.owner_user_id,
            NoticeKind.MAIL_SENT,
            f"{email.id}",
            now,
            case_id=case_id,
            payload={"case": summary.public_ref, "stage": send.stage},
        )
        uow.audit("mail_accepted", case_id=case_id, email_id=email.id, stage=send.stage)


def record_sending(uow: UnitOfWork, case_id: int, stage: int, day: date, user_id: int) -> bool:
    """The events "I sent it on DAY" records (flows.conversations.complaint.record_complaint_sent and
    the stage 2 flow), unless already there; whether the stage's event was recorded now."""
    case = uow.load_case(case_id)
    kinds = {event.kind for event in case.events}
    if stage == 1:
        started = uow.case_details(case_id).get("started")
        if started and EventKind.ISSUE_STARTED not in kinds and answer_date(started) <= day:
            uow.append_event(
                case_id,
                CaseEvent(answer_date(started), EventKind.ISSUE_STARTED),
                EventSource.RESIDENT,
                user_id,
            )
    if STAGE_EVENT[stage] in kinds:
        return False
    uow.append_event(case_id, CaseEvent(day, STAGE_EVENT[stage]), EventSource.RESIDENT, user_id)
    return True


def withdraw_bounced(uow: UnitOfWork, email: CaseEmailRow, now: datetime) -> None:
    """The email the relay accepted bounced: the landlord never received it, so the complaint (or stage 2
    request) was not made that day (Code 6.2 and 6.11 count from receipt). The proof is kept but marked
    bounced (the timeline and the pack say it was not delivered), and the event the acceptance recorded
    is removed, with the clocks it started, unless the landlord has acted since (then it evidently
    arrived some other way, and only the flag stays)."""
    send = uow.session.get(CaseEmailSendRow, email.id)
    if send is None:
        return  # not a complaint emailed for the resident
    case_id = email.case_id
    sent = dict(uow.case_details(case_id).get("sent_by_email") or {})
    proof = sent.get(str(send.stage))
    if proof is None or proof.get("email_id") != email.id or proof.get("bounced_at"):
        return
    event = CaseEvent(datetime.fromisoformat(proof["at"]).astimezone(LONDON).date(), STAGE_EVENT[send.stage])
    events = uow.load_case(case_id).events
    since = [
        e for e in events if e.date >= event.date and e.kind not in (event.kind, EventKind.ISSUE_STARTED)
    ]
    withdrawn = bool(proof.get("event_recorded")) and event in events and not since
    sent[str(send.stage)] = {**proof, "bounced_at": now.isoformat(), "withdrawn": withdrawn}
    uow.update_case_details(case_id, {"sent_by_email": sent})
    if withdrawn:
        uow.correct_event(case_id, event, REMOVED, EventSource.RESIDENT, None)
        plan_case_reminders(uow, case_id, now)
    uow.audit("mail_bounced", case_id=case_id, email_id=email.id, stage=send.stage, withdrawn=withdrawn)
