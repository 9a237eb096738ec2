"""An inbound email as Fair Say keeps it: parsed with the standard library (`email`, policy=default),
its text (the plain part, or the HTML part with the markup taken out), its attachments, and, for a
delivery status notification (RFC 3464 multipart/report; report-type=delivery-status), the report.

Nothing here trusts the sender: header values are clipped, an undecodable part is skipped, and what an
attachment really is is decided by the evidence store from its bytes (bot.storage.evidence).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy, Policy
from email.utils import getaddresses, parsedate_to_datetime

MAX_TEXT = 100_000  # characters of body text kept: a reply is a letter, not a book
# MIME parts (the message itself counted) read from one email. A landlord's reply has a handful; the
# standard library's parser spends about a millisecond of CPU on each (under the GIL the bot shares),
# so 25 MiB of tiny parts would hold the process for minutes, and parts nested deeper than Python's
# recursion limit raise RecursionError on every try: both are refused instead (TooComplex).
MAX_PARTS = 100
# Header fields in one email, all its parts together: a reply has some tens (a long Received chain, a
# hundred or two). The parser keeps each as an object of some hundreds of bytes: 25 MiB of one-line
# headers took 750 MB and 11 s of CPU to read.
MAX_HEADERS = 2000
# Before the parser: lines that start like a header field ("Name:"), counted in C over the raw bytes. The
# parser holds a part's header lines in memory before it reads the first, so a single part with
# millions of them would cost hundreds of MB before MAX_HEADERS stopped it. Base64 has no colon; a text
# may have some lines like "Note: ...": hence ten times the header limit.
MAX_HEADER_LIKE_LINES = 10 * MAX_HEADERS
_HEADER_LIKE_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_BLOCKS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>", re.IGNORECASE)


class TooComplex(ValueError):
    """More MIME parts (MAX_PARTS) or header fields (MAX_HEADERS) than a reply has, or nested too deep
    to read: refused, not kept."""


def _counting_factory() -> Callable[..., EmailMessage]:
    """A message factory for the parser that stops it at MAX_PARTS parts (before it reads more)."""
    made = 0

    def factory(policy: Policy = email.policy.default) -> EmailMessage:
        nonlocal made
        made += 1
        if made > MAX_PARTS + 1:  # the parser makes one more to try the factory out
            raise TooComplex(f"more than {MAX_PARTS} MIME parts")
        return EmailMessage(policy=policy)

    return factory


def _counting_policy() -> EmailPolicy:
    """email.policy.default, stopping the parser at MAX_HEADERS header fields."""
    read = 0

    class CountingPolicy(EmailPolicy):
        def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
            nonlocal read
            read += 1
            if read > MAX_HEADERS:
                raise TooComplex(f"more than {MAX_HEADERS} header fields")
            return super().header_source_parse(sourcelines)

    return CountingPolicy()


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str | None
    declared_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """RFC 3464's per-recipient fields (the first recipient's) and what names the original message."""

    action: str  # failed, delayed, delivered, relayed, expanded
    status: str | None  # e.g. 5.1.1
    final_recipient: str | None
    diagnostic: str | None
    original_envelope_id: str | None
    original_message_id: str | None


@dataclass(frozen=True, slots=True)
class InboundMail:
    sha256: str
    size: int
    message_id: str | None
    in_reply_to: str | None
    from_address: str | None
    to_address: str | None
    subject: str
    date: datetime | None
    text: str
    headers: dict[str, str]  # lowercase names: the ones automatic replies are told by
    attachments: list[Attachment] = field(default_factory=list)
    report: DeliveryReport | None = None


def _header(message: Message, name: str, limit: int = 500) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a malformed header the parser could not make sense of
        return None
    return str(value).strip()[:limit] if value is not None else None


def _address(message: Message, name: str) -> str | None:
    value = _header(message, name, 2000)
    if not value:
        return None
    addresses = [address for _, address in getaddresses([value]) if address]
    return addresses[0][:320] if addresses else None


def _date(message: Message) -> datetime | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def html_to_text(markup: str) -> str:
    text = _TAGS.sub("", _BLOCKS.sub("\n", markup))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str | None:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else None
    return content if isinstance(content, str) else None


def _body_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = (_part_text(body) or "").replace("\r\n", "\n")  # as received over SMTP: CRLF
    if body.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.strip()[:MAX_TEXT]


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_maintype() in ("multipart", "message") or part.get_content_type() in (
            "text/rfc822-headers",
            "message/delivery-status",
        ):
            continue  # a forwarded message or a report's parts: not a file anyone sent
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            found.append(Attachment(part.get_filename(), part.get_content_type(), payload))
    return found


def _fields(block: Message | str) -> dict[str, str]:
    """A delivery-status block's fields (lowercase names); the stdlib gives them as header-like parts."""
    if isinstance(block, str):
        block = email.message_from_string(block, policy=email.policy.compat32)
    return {name.lower(): str(value).strip() for name, value in block.items()}


def _report(message: EmailMessage) -> DeliveryReport | None:
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "delivery-status":
        return None
    per_message: dict[str, str] = {}
    per_recipient: dict[str, str] = {}
    original_message_id = None
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            if isinstance(blocks, list) and blocks:
                per_message = _fields(blocks[0])
                per_recipient = _fields(blocks[1]) if len(blocks) > 1 else {}
        elif kind in ("message/rfc822", "text/rfc822-headers") and original_message_id is None:
            returned = part.get_payload()
            if isinstance(returned, list) and returned and isinstance(returned[0], Message):
                original_message_id = _header(returned[0], "Message-ID")
            elif isinstance(returned, str):
                original_message_id = _header(email.message_from_string(returned), "Message-ID")
    action = per_recipient.get("action", "").lower()
    if not action:
        return None

    def typed(value: str | None) -> str | None:  # "rfc822; someone@x" -> "someone@x"
        return value.split(";", 1)[-1].strip()[:500] if value else None

    return DeliveryReport(
        action=action[:16],
        status=(per_recipient.get("status") or "")[:16] or None,
        final_recipient=typed(per_recipient.get("final-recipient")),
        diagnostic=typed(per_recipient.get("diagnostic-code")),
        original_envelope_id=(per_message.get("original-envelope-id") or "")[:100] or None,
        original_message_id=original_message_id,
    )


def parse(raw: bytes) -> InboundMail:
    """The email read; raises TooComplex for one too many parts or too deeply nested to read."""
    try:
        return _parse(raw)
    except RecursionError:
        raise TooComplex("MIME parts nested too deep") from None


def _parse(raw: bytes) -> InboundMail:
    if sum(1 for _ in itertools.islice(_HEADER_LIKE_LINE.finditer(raw), MAX_HEADER_LIKE_LINES + 1)) > (
        MAX_HEADER_LIKE_LINES
    ):
        raise TooComplex(f"more than {MAX_HEADER_LIKE_LINES} header-like lines")
    message = BytesParser(_counting_factory(), policy=_counting_policy()).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    headers = {
        name: value
        for name in ("auto-submitted", "x-autoreply", "x-autorespond", "precedence")
        if (value := _header(message, name)) is not None
    }
    return InboundMail(
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        message_id=_header(message, "Message-ID"),
        in_reply_to=_header(message, "In-Reply-To"),
        from_address=_address(message, "From"),
        to_address=_address(message, "To"),
        subject=_header(message, "Subject", 1000) or "",
        date=_date(message),
        text=_body_text(message),
        headers=headers,
        attachments=_attachments(message),
        report=_report(message),
    )


def received_now() -> datetime:
    return datetime.now(UTC)
