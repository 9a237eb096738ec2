"""What the resident (and the Ombudsman's pack) is told of a complaint Fair Say emailed for them: the
proof of sending (the mail server's acceptance), a refusal and what to do, a limit reached.

`proof` is the dict the sender keeps in the case's details under "sent_by_email" (per stage): "at" (ISO
time of the acceptance), "to", "reply" (the server's whole reply), "queue_id", "left_out" (evidence not
attached), and "bounced_at" (ISO time a bounce came back: the landlord never received it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.i18n import Translator

LONDON = ZoneInfo("Europe/London")


def proof_line(proof: dict[str, Any], t: Translator) -> str:
    """ "Sent by Fair Say on DATE at TIME to ADDRESS; Fair Say's mail server accepted it for delivery: '250 …'
    (queue id …)": sending, not receipt (an email normally arrives within minutes; a bounce withdraws it)."""
    at = datetime.fromisoformat(str(proof["at"])).astimezone(LONDON)
    if proof.get("bounced_at"):  # accepted, then returned: never received, so no proof of a complaint
        bounced = datetime.fromisoformat(str(proof["bounced_at"])).astimezone(LONDON)
        return t.gettext(
            "Emailed by Fair Say on {date} at {time} (UK time) to {address}, but it bounced on {bounced}: it "
            "was not delivered, so it does not show the complaint was made."
        ).format(
            date=t.format_date(at.date()),
            time=f"{at:%H:%M}",
            address=proof["to"],
            bounced=t.format_date(bounced.date()),
        )
    line = t.gettext(
        "Sent by Fair Say on {date} at {time} (UK time) to {address}; Fair Say's mail server accepted it for "
        "delivery: “{reply}”"
    ).format(date=t.format_date(at.date()), time=f"{at:%H:%M}", address=proof["to"], reply=proof["reply"])
    if proof.get("queue_id"):
        line += " " + t.gettext("(queue id {id})").format(id=proof["queue_id"])
    return line + "."


def proof_lines(details: dict[str, Any], t: Translator) -> list[str]:
    sent = details.get("sent_by_email") or {}
    return [proof_line(sent[stage], t) for stage in sorted(sent)]


def sent_message(proof: dict[str, Any], stage: int, ref: str, t: Translator) -> str:
    if stage == 1:
        head = t.gettext("Your complaint {ref} has gone to your landlord by email.").format(ref=ref)
    else:
        head = t.gettext("Your stage 2 request {ref} has gone to your landlord by email.").format(ref=ref)
    parts = [
        head,
        proof_line(proof, t),
        t.gettext(
            "An email normally reaches your landlord within minutes, so I count your landlord's deadlines from "
            "the day it was sent. If it bounces, I'll tell you, and that day won't count. Your landlord's "
            "replies come back to me and I'll show them to you."
        ),
    ]
    if proof.get("left_out"):
        parts.append(
            t.gettext(
                "These files were too large to attach, so the email says they are available on request: {names}"
            ).format(names=", ".join(proof["left_out"]))
        )
    return "\n\n".join(parts)


def failed_message(to: str, reply: str | None, t: Translator) -> str:
    said = (
        t.gettext("The mail server for {address} refused it: “{reply}”.").format(address=to, reply=reply)
        if reply
        else t.gettext(
            "I could not reach the mail server for {address}, after trying for several hours."
        ).format(address=to)
    )
    return "\n\n".join(
        [
            t.gettext(
                "I could not send your complaint by email. Nothing was sent, and no deadline has started."
            ),
            said,
            t.gettext(
                "Please check the complaints email address on your landlord's website or a letter from it. Then open "
                "the complaint in /status and choose “Email it to my landlord for me” again from your letter, or "
                "send the letter yourself and tap “I've sent it”."
            ),
        ]
    )


def limit_message(which: str, local: datetime, t: Translator) -> str:
    """`local`: when the resident may try again, in their time zone."""
    when = t.gettext("{date} at {time}").format(date=t.format_date(local.date()), time=f"{local:%H:%M}")
    if which == "resident":
        why = t.gettext(
            "I can send only a few emails a day for each person, to keep this service safe from misuse."
        )
    else:
        why = t.gettext("That address has had as many emails from Fair Say today as I can send it.")
    return "\n\n".join(
        [
            t.gettext("I can't send it by email just now.") + " " + why,
            t.gettext(
                "You can try again from {when}. Or send the letter yourself now and tap “I've sent it”."
            ).format(when=when),
        ]
    )
