"""Keeping what comes back to a case's reply address, in one transaction, before the mail server
answers 250: the email (`case_emails`), its attachments as the case's evidence, and the news for the
resident (a notice: bot.services.notices, sent by the reminder sender at least once). So a crash after the
250 loses nothing, and a crash before it leaves the mail with the sender, who tries again.

- A delivery status notification (RFC 3464) updates the email it reports on (matched by the
  Original-Envelope-Id we gave, or the returned Message-ID); a failure is told to the resident with
  what to do.
- Anything else is read by the response checker and classified (flows.mail_replies); the resident is
  shown it with one-tap buttons when it may be an acknowledgement, an extension or a response.
- An attachment whose bytes are not what its name or type says (a disguised file), or of a type not
  kept as evidence, is refused and counted; the rest of the mail is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlmodel import col, select

from bot import metrics
from bot.delivery.resident_sending import withdraw_bounced
from bot.mail.parsing import Attachment, DeliveryReport, InboundMail, parse
from bot.services.notices import NoticeKind, queue
from bot.storage.column_types import utcnow
from bot.storage.errors import EvidenceRejected
from bot.storage.evidence import ACCEPTED_TYPES
from bot.storage.models import CaseEmailAttachmentRow, CaseEmailRow
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from flows.mail_replies import MailKind, classify, is_automatic
from flows.response_check import check_response, stage_and_code

log = logging.getLogger(__name__)

IN, OUT = "in", "out"
RECEIVED, CONFIRMED, DISMISSED, REFUSED = "received", "confirmed", "dismissed", "refused"
_REPORT_STATUS = {"failed": "bounced", "delayed": "delayed", "delivered": "delivered", "relayed": "delivered"}
_SAME_EXTENSION = {"jpeg": "jpg", "jpe": "jpg", "heif": "heic"}


@dataclass(frozen=True, slots=True)
class Received:
    email_id: int
    kind: str  # "reply", "automatic", "delivery_report", or "duplicate" (kept before: nothing done)


def receive(repo: Repository, case_id: int, raw: bytes, now: datetime | None = None) -> Received:
    """Keep one email that arrived for the case (raises TooComplex for one that cannot be read, and
    otherwise only if the database cannot take it)."""
    return keep(repo, case_id, parse(raw), now)


def keep(repo: Repository, case_id: int, mail: InboundMail, now: datetime | None = None) -> Received:
    """Keep one email, already read, that arrived for the case."""
    return repo.run_with_retry(lambda uow: _keep(uow, case_id, mail, now or utcnow()))


def _keep(uow: UnitOfWork, case_id: int, mail: InboundMail, now: datetime) -> Received:
    again = _already_kept(uow, case_id, mail)
    if again is not None:  # the sender's server sent it again (our 250 lost on the way): told once
        return Received(again, "duplicate")
    automatic = is_automatic(mail.headers, mail.subject)
    row = CaseEmailRow(
        case_id=case_id,
        direction=IN,
        created_at=now,
        mail_date=min(mail.date, now) if mail.date else now,  # a sender's clock ahead counts as now
        message_id=mail.message_id,
        in_reply_to=mail.in_reply_to,
        from_address=mail.from_address,
        to_address=mail.to_address,
        subject=mail.subject,
        body_text=mail.text,
        raw_sha256=mail.sha256,
        raw_size=mail.size,
        status=RECEIVED,
        status_at=now,
        auto_submitted=automatic or mail.report is not None,
    )
    if mail.report is not None:
        row.about_email_id = _apply_report(uow, case_id, mail.report, now)
        row.classification = MailKind.OTHER.value
        if row.about_email_id is None:
            row.status = REFUSED  # kept for the record; nothing of ours matched it
    else:
        row.about_email_id = _replied_to(uow, case_id, mail.in_reply_to)
        row.classification = _classify(uow, case_id, mail, automatic, now).value
    uow.session.add(row)
    uow.session.flush()
    assert row.id is not None
    _keep_attachments(uow, case_id, row, mail.attachments)
    kind = "delivery_report" if mail.report is not None else ("automatic" if automatic else "reply")
    uow.audit("email_received", case_id=case_id, email_id=row.id, kind=kind)
    _tell_the_resident(uow, case_id, row, mail.report, now)
    metrics.INBOUND_MAIL_RECEIVED.labels(kind).inc()
    return Received(row.id, kind)


def _already_kept(uow: UnitOfWork, case_id: int, mail: InboundMail) -> int | None:
    """The same email kept before: its Message-ID, and its sender, subject and text. The Message-ID
    alone is the sender's to choose: anyone with the reply address who guessed the landlord's next one
    could otherwise send a decoy first and have the real reply dropped as "sent again"."""
    if not mail.message_id:
        return None
    query = select(CaseEmailRow.id).where(
        col(CaseEmailRow.case_id) == case_id,
        col(CaseEmailRow.direction) == IN,
        col(CaseEmailRow.message_id) == mail.message_id,
        col(CaseEmailRow.from_address) == mail.from_address,
        col(CaseEmailRow.subject) == mail.subject,
        col(CaseEmailRow.body_text) == mail.text,
    )
    return uow.session.exec(query).first()


def _classify(uow: UnitOfWork, case_id: int, mail: InboundMail, automatic: bool, now: datetime) -> MailKind:
    today = now.date()
    try:
        stage, code = stage_and_code(uow.load_case(case_id), today)
        check = check_response(mail.text, today, stage, code) if mail.text else None
        return classify(mail.text, mail.subject, check, automatic)
    except Exception:  # a rule tripping over odd text must not lose the mail: the resident still sees it
        log.exception("classifying an inbound email failed", extra={"case_id": case_id})
        return MailKind.OTHER


def _replied_to(uow: UnitOfWork, case_id: int, in_reply_to: str | None) -> int | None:
    if not in_reply_to:
        return None
    query = select(CaseEmailRow.id).where(
        col(CaseEmailRow.case_id) == case_id,
        col(CaseEmailRow.direction) == OUT,
        col(CaseEmailRow.message_id) == in_reply_to.split()[0],
    )
    return uow.session.exec(query).first()


def _apply_report(uow: UnitOfWork, case_id: int, report: DeliveryReport, now: datetime) -> int | None:
    """The outbound email the report is about, updated with what it says; its id, or None."""
    ours = []  # the envelope id we gave first (RFC 3461), then the Message-ID in the returned headers
    if report.original_envelope_id:
        ours.append(col(CaseEmailRow.envelope_id) == report.original_envelope_id)
    if report.original_message_id:
        ours.append(col(CaseEmailRow.message_id) == report.original_message_id)
    for condition in ours:
        query = select(CaseEmailRow).where(
            col(CaseEmailRow.case_id) == case_id, col(CaseEmailRow.direction) == OUT, condition
        )
        sent = uow.session.exec(query).first()
        if sent is not None:
            if sent.status == "delivered":
                # Final: a later "failed" is forged (anyone with the reply address and the Message-ID,
                # which the landlord has, can write one) or confused; it is kept, and changes nothing.
                return sent.id
            new_status = _REPORT_STATUS.get(report.action)
            # A late "delayed" never undoes a bounce.
            if new_status and not (new_status == "delayed" and sent.status == "bounced"):
                sent.status = new_status
                sent.status_at = now
            sent.delivery_status = report.status
            sent.delivery_diagnostic = (report.diagnostic or "")[:1000] or None
            if sent.status == "bounced":  # never received: the complaint was not made that day
                withdraw_bounced(uow, sent, now)
            uow.audit("email_status", case_id=case_id, email_id=sent.id, status=sent.status)
            return sent.id
    return None


def _disguised(attachment: Attachment, mime_type: str) -> bool:
    """The name's extension or the declared type says something other than the bytes are."""
    real = ACCEPTED_TYPES[mime_type]
    suffix = PurePosixPath(attachment.name or "").suffix.lower().lstrip(".")
    if suffix and _SAME_EXTENSION.get(suffix, suffix) != real:
        return True
    declared = attachment.declared_type.lower()
    return declared not in ("application/octet-stream", "binary/octet-stream", mime_type) and not (
        declared == "image/jpg" and mime_type == "image/jpeg"
    )


def _keep_attachments(
    uow: UnitOfWork, case_id: int, row: CaseEmailRow, attachments: list[Attachment]
) -> None:
    assert row.id is not None
    refused = []
    for position, attachment in enumerate(attachments):
        reason = None
        try:
            checked = uow.evidence.check(attachment.data)
            if _disguised(attachment, checked.mime_type):
                reason = "disguised_attachment"
        except EvidenceRejected as rejected:
            reason = "oversized_attachment" if rejected.reason == "too_large" else "unsupported_attachment"
        if reason is not None:
            metrics.INBOUND_MAIL_REFUSED.labels(reason).inc()
            refused.append({"name": (attachment.name or "")[:255], "reason": reason})
            continue
        stored = uow.store_evidence(case_id, attachment.data, attachment.name)
        exists = uow.session.get(CaseEmailAttachmentRow, (row.id, stored.id))
        if exists is None:
            uow.session.add(CaseEmailAttachmentRow(email_id=row.id, evidence_id=stored.id, position=position))
    row.refused_attachments = refused
    uow.session.flush()


def _tell_the_resident(
    uow: UnitOfWork, case_id: int, row: CaseEmailRow, report: DeliveryReport | None, now: datetime
) -> None:
    if report is not None:
        sent = uow.session.get(CaseEmailRow, row.about_email_id) if row.about_email_id else None
        if sent is None or report.action != "failed" or sent.status != "bounced":
            return  # a delivery, a delay, a report about nothing of ours or after a delivery: no message
    owner = uow.case_summary(case_id).owner_user_id
    kind = NoticeKind.MAIL_BOUNCED if report is not None else NoticeKind.MAIL_RECEIVED
    queue(uow, owner, kind, f"email:{row.id}", now, case_id=case_id, payload={"email_id": row.id})
    row.forwarded_at = now
