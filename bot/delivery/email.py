"""The email route: a complaint to the landlord's complaints address, with the letter as PDF and the
case as JSON attached.

The Message-ID is made from the submission's idempotency key, so a retried send (after a timeout
that in fact got through, say) is recognisable as the same message by the landlord's mail system.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import aiosmtplib

from bot.delivery.document import SubmissionDocument, document_filename
from bot.settings import Settings
from flows.conversations.types import Document
from flows.deadlines import DeadlineId

SEND_TIMEOUT = 30.0  # seconds for the whole SMTP conversation
WEBHOOK_PATH = "/telegram/webhook"

_DEADLINE_NAMES = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: "Acknowledge stage 1",
    DeadlineId.STAGE1_RESPONSE: "Respond at stage 1",
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: "Acknowledge stage 2",
    DeadlineId.STAGE2_RESPONSE: "Respond at stage 2",
}


class EmailNotConfigured(Exception):
    """SMTP_HOST is not set: the email route cannot be used."""


def message_id(idempotency_key: str, mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "fairsay.invalid"
    return f"<{idempotency_key}@{domain}>"


def _long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def api_address(settings: Settings) -> str:
    """Where the landlord API is, when this service knows its public address (webhook mode)."""
    if settings.telegram_webhook_url and settings.telegram_webhook_url.endswith(WEBHOOK_PATH):
        return settings.telegram_webhook_url.removesuffix(WEBHOOK_PATH) + "/api/v1"
    return "/api/v1 on the Fair Say service (your operator has the address)"


def body_text(document: SubmissionDocument, settings: Settings) -> str:
    ref = document.case_ref
    if document.stage == 1:
        what = (
            f"A resident has made a formal complaint (stage 1) to {document.landlord_name} through Fair Say."
        )
    else:
        what = f"A resident asks {document.landlord_name} to escalate complaint {ref} to stage 2, through Fair Say."
    deadlines = [
        f"- {_DEADLINE_NAMES[d.id]} by {_long_date(d.due)} ({d.rule or 'Complaint Handling Code'}): {d.status.value}"
        for d in document.deadlines
        if d.due is not None and d.status.value in ("pending", "missed")
    ]
    pdf_name = document.letter.filename
    parts = [
        what,
        f"Complaint reference: {ref}\nStage: {document.stage}",
        "What the Housing Ombudsman's Complaint Handling Code asks of you, and by when:\n"
        + ("\n".join(deadlines) or "- nothing is due from you at the moment"),
        f"Attached:\n- {pdf_name}: the resident's letter\n"
        f"- {document_filename(document)}: the complaint as data (schema version {document.schema_version})",
        "How to answer: record what you do (acknowledge, extend with a reason, respond, or decline with a "
        "reason) and the resident is told at once:\n"
        f"- through the Fair Say API at {api_address(settings)}: POST /complaints/{ref}/actions with your "
        "API key;\n"
        "- or in Telegram: your complaints team's Fair Say chat has the same buttons (/inbox).\n"
        "Please also answer the resident as your complaints policy and the Code require.",
        f"Delivery reference: {document.idempotency_key}",
    ]
    return "\n\n".join(parts) + "\n"


def compose(document: SubmissionDocument, letter_pdf: Document, to: str, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = f"Complaint {document.case_ref} (stage {document.stage}) through Fair Say"
    message["Date"] = formatdate(document.generated_at.timestamp(), localtime=False)
    message["Message-ID"] = message_id(document.idempotency_key, settings.mail_from)
    message.set_content(body_text(document, settings))
    message.add_attachment(
        letter_pdf.data, maintype="application", subtype="pdf", filename=letter_pdf.filename
    )
    message.add_attachment(
        document.model_dump_json(indent=2).encode(),
        maintype="application",
        subtype="json",
        filename=document_filename(document),
    )
    return message


async def send(message: EmailMessage, settings: Settings) -> None:
    """Hand the message to the mail server; raises on any failure (the worker retries)."""
    if not settings.smtp_host:
        raise EmailNotConfigured
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port_or_default,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        timeout=SEND_TIMEOUT,
    )
