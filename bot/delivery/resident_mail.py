"""A complaint emailed for the resident to any landlord's complaints address: the message, and handing it
to the project's relay with the relay's acceptance kept as proof.

The message is addressed so that every answer comes back to the case: `Reply-To:` and the envelope
sender (MAIL FROM, where bounces and delivery reports go) are the case's reply address, read by the
inbound route. A delivery status notification (RFC 3461) is asked for only where the relay says in its
EHLO that it supports DSN: the parameters are refused (555) by a relay that does not.

The relay's reply to DATA is the proof: "250 2.0.0 Ok: queued as 4BX1y2" says, on that day and time,
that the mail server took the complaint for delivery. The queue id is read from it where the server
gives one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from bot.clock import Clock
from bot.settings import Settings
from flows.conversations.types import Document

SEND_TIMEOUT = 30.0  # seconds for each step of the SMTP conversation
DSN_NOTIFY = "NOTIFY=SUCCESS,FAILURE,DELAY"

# ../shared/domain.md 1.10: complaints by a representative are handled under the landlord's policy
# (Code 1.3, VERIFIED); the resident's own words of authority let the landlord accept Fair Say as the
# channel the complaint came by, and tell it where the answers go. English, as every letter to a landlord.
AUTHORITY = (
    "I, {name}, authorise Fair Say to send this complaint on my behalf and to receive your replies at "
    "{reply_address}. Please answer to that address (replying to this email does it): your reply reaches me."
)

# Queue ids as the common relays say them: Postfix "Ok: queued as 4BX1y2", Sendmail "Message accepted
# for delivery" with "<id> Message accepted", Exim "OK id=1abc-0002-XY", Microsoft's "Queued mail for
# delivery" has none.
_QUEUE_ID = (
    re.compile(r"queued as\s+<?([A-Za-z0-9][A-Za-z0-9._@+-]*)>?", re.IGNORECASE),
    re.compile(r"\bid=([A-Za-z0-9][A-Za-z0-9._-]*)", re.IGNORECASE),
    re.compile(r"^2\.0\.0\s+([A-Za-z0-9]{6,})\s+Message accepted", re.IGNORECASE),
)


def queue_id(reply: str) -> str | None:
    """The relay's own id for the message, from its reply to DATA, where it gives one."""
    text = reply.removeprefix("250").strip(" -")
    for pattern in _QUEUE_ID:
        if (found := pattern.search(text)) is not None:
            return found.group(1)
    return None


@dataclass(frozen=True, slots=True)
class Accepted:
    """The relay took the message: when, its whole reply, the queue id in it, and whether a DSN was asked."""

    at: datetime
    reply: str
    queue_id: str | None
    dsn_requested: bool


class Refused(Exception):
    """The relay answered 5xx: it will not take this message, now or later."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(code)
        self.code, self.text = code, text


class NotConfigured(Exception):
    """SMTP_HOST is not set."""


def fit_attachments(
    letter: Document, evidence: Sequence[Document], limit: int
) -> tuple[list[Document], list[str]]:
    """The letter always, then evidence in the resident's order while the total stays within `limit`;
    and the names of those left out (listed in the mail as available on request)."""
    kept, left_out, total = [letter], [], len(letter.data)
    for item in evidence:
        if total + len(item.data) <= limit:
            kept.append(item)
            total += len(item.data)
        else:
            left_out.append(item.filename)
    return kept, left_out


def subject(stage: int, case_ref: str, resident_name: str) -> str:
    # The name as typed may hold a line break: a header must not (the standard library refuses to
    # write one, so the email would fail at every attempt), and it must never start a header of its own.
    resident_name = " ".join(resident_name.split())
    if stage == 1:
        return f"Formal complaint (stage 1) from {resident_name}, ref {case_ref}"
    return f"Request to escalate complaint to stage 2 from {resident_name}, ref {case_ref}"


def body_text(
    *,
    landlord_name: str,
    resident_name: str,
    stage: int,
    case_ref: str,
    reply_address: str,
    attached: Sequence[str],
    left_out: Sequence[str],
    abuse_address: str,
) -> str:
    what = (
        f"Please find attached a formal complaint to {landlord_name} under your complaints policy and the "
        "Housing Ombudsman's Complaint Handling Code (stage 1)."
        if stage == 1
        else f"Please find attached a request to escalate complaint {case_ref} to stage 2 of your complaints "
        "process, under the Housing Ombudsman's Complaint Handling Code."
    )
    parts = [
        "Dear Complaints Team,",
        what,
        AUTHORITY.format(name=resident_name, reply_address=reply_address),
        "Attached:\n" + "\n".join(f"- {name}" for name in attached),
    ]
    if left_out:
        parts.append(
            "Also available on request (too large to attach to this email):\n"
            + "\n".join(f"- {name}" for name in left_out)
        )
    parts += [
        f"Yours faithfully,\n{resident_name}",
        "--\n"
        f"Sent by Fair Say for the resident named above, with their consent (reference {case_ref}). Fair Say "
        "helps social housing residents in England make complaints. To report unwanted mail from Fair Say: "
        f"{abuse_address}",
    ]
    return "\n\n".join(parts) + "\n"


def compose(
    *,
    to: str,
    reply_address: str,
    message_id: str,
    subject_line: str,
    body: str,
    attachments: Sequence[Document],
    settings: Settings,
    made_at: datetime,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Reply-To"] = reply_address
    message["Subject"] = subject_line
    message["Date"] = formatdate(made_at.timestamp(), localtime=False)
    message["Message-ID"] = message_id
    # RFC 3834: written by a person (the resident consented to each one), so autoresponders may answer.
    message["Auto-Submitted"] = "no"
    # Where operators look for the sender's abuse desk (as in the footer); no List-Unsubscribe: this is
    # one complaint from one person, not a list anyone is subscribed to.
    message["X-Abuse"] = f"Please report abuse to {settings.abuse_address}"
    message.set_content(body)
    for item in attachments:
        maintype, _, subtype = (item.mime_type or "application/octet-stream").partition("/")
        message.add_attachment(
            item.data, maintype=maintype, subtype=subtype or "octet-stream", filename=item.filename
        )
    return message


async def hand_over(
    message: EmailMessage, *, envelope_from: str, to: str, envid: str, settings: Settings, clock: Clock
) -> Accepted:
    """Give the message to the relay. Raises `Refused` on a 5xx; any other failure (a 4xx, the network,
    a timeout) raises as it came, for a retry."""
    if not settings.smtp_host:
        raise NotConfigured
    smtp = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port_or_default,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        timeout=SEND_TIMEOUT,
    )
    async with smtp:
        if smtp.is_ehlo_or_helo_needed:  # connecting says EHLO only for STARTTLS
            await smtp.ehlo()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            await smtp.login(settings.smtp_username, password)
        dsn = smtp.supports_extension("dsn")
        try:
            await smtp.mail(envelope_from, options=["RET=HDRS", f"ENVID={envid}"] if dsn else [])
            await smtp.rcpt(to, options=[DSN_NOTIFY] if dsn else [])
            response = await smtp.data(message.as_bytes())
        except aiosmtplib.SMTPResponseException as error:
            if 500 <= error.code < 600:
                raise Refused(error.code, error.message) from None
            raise
    return Accepted(clock.now(), f"{response.code} {response.message}", queue_id(response.message), dsn)
