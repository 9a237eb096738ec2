"""The resident's messages about their case's email: a reply forwarded (with the one-tap question), or
their complaint email bounced. Written when they go out, in the resident's language."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.storage.column_types import utcnow
from bot.storage.models import CaseEmailAttachmentRow, CaseEmailRow, EvidenceFileRow
from bot.storage.unit_of_work import UnitOfWork
from flows.conversations.types import Reply
from flows.i18n import Translator
from flows.mail_replies import MailKind, MailReply, bounce_message, reply_message

CONFIRMED, DISMISSED = "confirmed", "dismissed"


def mail_reply_of(row: CaseEmailRow, time_zone: str) -> MailReply:
    """The email as the conversations see it, dated in the resident's time zone."""
    assert row.id is not None
    on = (row.mail_date or row.created_at).astimezone(ZoneInfo(time_zone)).date()
    return MailReply(
        row.id,
        MailKind(row.classification or MailKind.OTHER.value),
        on,
        row.auto_submitted,
        row.status in (CONFIRMED, DISMISSED),
    )


def attachment_names(uow: UnitOfWork, email_id: int) -> list[str]:
    query = (
        select(EvidenceFileRow.original_name, EvidenceFileRow.sha256)
        .join(CaseEmailAttachmentRow, col(CaseEmailAttachmentRow.evidence_id) == col(EvidenceFileRow.id))
        .where(col(CaseEmailAttachmentRow.email_id) == email_id)
        .order_by(col(CaseEmailAttachmentRow.position))
    )
    return [name or sha256[:12] for name, sha256 in uow.session.exec(query)]


def mail_notice(
    uow: UnitOfWork, case_id: int, email_id: int, kind: str, t: Translator, time_zone: str
) -> Reply | None:
    row = uow.session.get(CaseEmailRow, email_id)
    if row is None or row.case_id != case_id:
        return None  # deleted meanwhile
    ref = uow.case_summary(case_id).public_ref
    if kind.endswith("mail_bounced"):
        sent = uow.session.get(CaseEmailRow, row.about_email_id) if row.about_email_id else None
        recipient = (sent.to_address if sent is not None else None) or ""
        status = sent.delivery_status if sent is not None else None
        proofs = uow.case_details(case_id).get("sent_by_email") or {}
        withdrawn = any(
            p.get("email_id") == row.about_email_id and p.get("withdrawn") for p in proofs.values()
        )
        return bounce_message(ref, recipient, status, t, withdrawn=withdrawn)
    refused = [str(item.get("name") or "?") for item in row.refused_attachments or []]
    return reply_message(
        ref,
        row.from_address or "",
        row.subject or "",
        row.body_text or "",
        attachment_names(uow, email_id),
        refused,
        mail_reply_of(row, time_zone),
        t,
    )


def mail_reply_of_case(uow: UnitOfWork, case_id: int, email_id: int, time_zone: str) -> MailReply | None:
    row = uow.session.get(CaseEmailRow, email_id)
    if row is None or row.case_id != case_id or row.direction != "in":
        return None
    return mail_reply_of(row, time_zone)


def settle(uow: UnitOfWork, case_id: int, email_id: int, *, confirmed: bool, by_user_id: int) -> None:
    """The resident's tap: the email confirmed (its event recorded by the caller) or dismissed (kept)."""
    row = uow.session.get(CaseEmailRow, email_id)
    if row is None or row.case_id != case_id:
        return
    row.status = CONFIRMED if confirmed else DISMISSED
    row.status_at = utcnow()
    uow.audit(f"email_{row.status}", case_id=case_id, actor_user_id=by_user_id, email_id=email_id)
