"""What an email that came back to a case's reply address is: an automatic reply (RFC 3834, out of
office), or a landlord's acknowledgement, extension, response, or something else. Pure rules over the
headers, the text and the response checker's findings (flows.response_check).

A wrong "acknowledgement" would move the resident's deadlines on a landlord's word it never gave, so
automatic replies are never one, and the resident confirms every classification with a tap before
anything is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flows.case import EventKind
from flows.conversations.types import Button, Reply
from flows.i18n import N_, Translator
from flows.response_check import ElementId, ResponseCheck


class MailKind(StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    EXTENSION = "extension"
    RESPONSE = "response"
    OTHER = "other"


_OUT_OF_OFFICE = re.compile(
    r"\b(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|auto-response|"
    r"away from (the )?office|on (annual )?leave|on holiday|vacation)\b",
    re.IGNORECASE,
)
_AUTOMATIC_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk", "list"})


def is_automatic(headers: Mapping[str, str], subject: str) -> bool:
    """RFC 3834 `Auto-Submitted` other than "no", `X-Autoreply`/`X-Autorespond`, `Precedence:
    auto_reply/bulk/junk`, or an out-of-office subject. Header names as lowercase keys."""
    auto_submitted = headers.get("auto-submitted", "").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if headers.get("x-autoreply", "").strip() or headers.get("x-autorespond", "").strip():
        return True
    if headers.get("precedence", "").strip().lower() in _AUTOMATIC_PRECEDENCE:
        return True
    return bool(_OUT_OF_OFFICE.search(subject))


_EXTENSION = re.compile(
    r"\b(extend(ed|ing)? (the )?(time|deadline|date|timescale|period)|an extension|extension (of|to) "
    r"(the )?(time|deadline|timescale)|need (some )?(more|further|additional) time|"
    r"(more|further|additional) time (is needed|to (respond|investigate|reply)))",
    re.IGNORECASE,
)
_ACKNOWLEDGEMENT = re.compile(
    r"\b(acknowledg(e|es|ing|ement)( of)?( receipt of)? (your|the) complaint|"
    r"(we|i) (have|\'ve) (received|logged|registered|recorded) your complaint|"
    r"your complaint (has been|was|is) (received|logged|registered|recorded)|"
    r"(write|writing) to acknowledge)",
    re.IGNORECASE,
)
# A response says what was decided and why, or where to go next: the checker's elements.
_RESPONSE_ELEMENTS = frozenset({ElementId.DECISION, ElementId.REASONS, ElementId.HOW_TO_ESCALATE})


def classify(text: str, subject: str, check: ResponseCheck | None, automatic: bool) -> MailKind:
    """The kind of a landlord's email. A response needs two of decision, reasons and how to escalate
    found by the checker; an extension and an acknowledgement are said in so many words."""
    if automatic:
        return MailKind.OTHER
    found = {element.id for element in check.elements if element.found} if check is not None else set()
    if len(found & _RESPONSE_ELEMENTS) >= 2:
        return MailKind.RESPONSE
    words = f"{subject}\n{text}"
    if _EXTENSION.search(words):
        return MailKind.EXTENSION
    if _ACKNOWLEDGEMENT.search(words):
        return MailKind.ACKNOWLEDGEMENT
    return MailKind.OTHER


_EVENT_OF = {
    (MailKind.ACKNOWLEDGEMENT, 1): EventKind.ACKNOWLEDGED,
    (MailKind.EXTENSION, 1): EventKind.STAGE1_EXTENSION,
    (MailKind.RESPONSE, 1): EventKind.STAGE1_RESPONSE,
    (MailKind.ACKNOWLEDGEMENT, 2): EventKind.STAGE2_ACKNOWLEDGED,
    (MailKind.EXTENSION, 2): EventKind.STAGE2_EXTENSION,
    (MailKind.RESPONSE, 2): EventKind.STAGE2_RESPONSE,
}


def event_kind(kind: MailKind, stage: int) -> EventKind | None:
    """The event a confirmed email records at this stage; None for "other"."""
    return _EVENT_OF.get((kind, stage))


# --- what the resident is shown ---------------------------------------------------------------------

MAIL_BUTTON = "mail.reply."  # "mail.reply.<ref>:yes-<email id>" / ":no-<email id>"
EXCERPT_CHARACTERS = 600


@dataclass(frozen=True, slots=True)
class MailReply:
    """An email that came back to a case, as the conversations see it."""

    email_id: int
    kind: MailKind
    on: date  # the day it was sent (its Date header), the day the event is recorded on
    automatic: bool
    settled: bool  # confirmed or dismissed already: its buttons are stale


def mail_button_data(ref: str, email_id: int, confirmed: bool) -> str:
    return f"{MAIL_BUTTON}{ref}:{'yes' if confirmed else 'no'}-{email_id}"


def parse_mail_button(data: str) -> tuple[str, int, bool] | None:
    """(ref, email id, confirmed) from a button's data, or None."""
    ref, _, choice = data.removeprefix(MAIL_BUTTON).partition(":")
    answer, _, number = choice.partition("-")
    if not data.startswith(MAIL_BUTTON) or answer not in ("yes", "no") or not number.isdigit():
        return None
    return ref, int(number), answer == "yes"


_OFFER = {
    MailKind.ACKNOWLEDGEMENT: N_("Yes, that's their acknowledgement dated {date}"),
    MailKind.EXTENSION: N_("Yes, that's their extension dated {date}"),
    MailKind.RESPONSE: N_("Yes, that's their response dated {date}"),
}
_LOOKS_LIKE = {
    MailKind.ACKNOWLEDGEMENT: N_("It looks like your landlord's acknowledgement of your complaint."),
    MailKind.EXTENSION: N_("It looks like your landlord is giving themselves more time (an extension)."),
    MailKind.RESPONSE: N_("It looks like your landlord's response to your complaint."),
}


def reply_message(
    ref: str,
    sender: str,
    subject: str,
    text: str,
    attachments: Sequence[str],
    refused: Sequence[str],
    reply: MailReply,
    t: Translator,
) -> Reply:
    """An email that came back, forwarded: who, what, the start of the text, the files; and, when it may
    be what the Code asks the landlord for, the one tap that records it."""
    excerpt = text.strip()
    if len(excerpt) > EXCERPT_CHARACTERS:
        excerpt = excerpt[:EXCERPT_CHARACTERS].rsplit(" ", 1)[0] + " …"
    parts = [
        t.gettext("An email came back about complaint {ref}.").format(ref=ref),
        t.gettext("From: {sender}").format(sender=sender or "?"),
        t.gettext("Subject: {subject}").format(subject=subject or "-"),
        excerpt,
    ]
    if attachments:
        parts.append(t.gettext("Attached (kept as evidence): {names}").format(names=", ".join(attachments)))
    if refused:
        parts.append(
            t.gettext(
                "Not kept: {names}. The file is not what its name says, or not a kind of file I keep."
            ).format(names=", ".join(refused))
        )
    buttons: tuple[tuple[Button, ...], ...] = ()
    if reply.automatic:
        parts.append(
            t.gettext(
                "This is an automatic reply (for example an out-of-office message): it is not your "
                "landlord's acknowledgement, and your deadlines stay as they are."
            )
        )
    elif reply.kind in _OFFER:
        day = t.format_date(reply.on)
        parts.append(t.gettext(_LOOKS_LIKE[reply.kind]) + " " + t.gettext("Shall I record it?"))
        buttons = (
            (
                Button(
                    mail_button_data(ref, reply.email_id, True),
                    t.gettext(_OFFER[reply.kind]).format(date=day),
                ),
            ),
            (Button(mail_button_data(ref, reply.email_id, False), t.gettext("Not that")),),
        )
    else:  # not recognised (another language, unusual words): the resident can still record it
        parts.append(
            t.gettext(
                "If this is your landlord's acknowledgement, a request for more time or its answer, tell me in "
                "/status: your deadlines change only once it is recorded."
            )
        )
    return Reply(
        "\n\n".join(part for part in parts if part), buttons, title=t.gettext("Email from your landlord")
    )


def bounce_message(
    ref: str, recipient: str, status: str | None, t: Translator, *, withdrawn: bool = False
) -> Reply:
    """The complaint email could not be delivered: say so, and what to do instead; `withdrawn`: the day
    it was sent is off the timeline (bot.delivery.resident_sending.withdraw_bounced)."""
    text = "\n\n".join(
        [
            t.gettext("Your complaint email (complaint {ref}) to {address} could not be delivered.").format(
                ref=ref, address=recipient or "?"
            )
            + (" " + t.gettext("The mail server said: {status}.").format(status=status) if status else ""),
            t.gettext("What to do:"),
            "• "
            + t.gettext("Check the complaints address with your landlord (their website, or a phone call)."),
            "• "
            + t.gettext(
                "Send the letter another way: by post (ask for proof of posting), or hand it in and ask "
                "for a receipt."
            ),
            "• " + t.gettext("Keep proof of when and how you sent it: your deadlines run from that day."),
        ]
    )
    if withdrawn:
        text += "\n\n" + t.gettext(
            "Your landlord never received this email, so it does not count as making your complaint: I have "
            "taken its date off your timeline and stopped the deadlines it started. When you have sent the "
            "letter another way, open it in /status and tell me the day you sent it."
        )
    return Reply(text, title=t.gettext("Your email was not delivered"))
