"""Sending a letter and noting when: the same few questions after the stage 1 complaint and the stage 2
request. Fair Say sends it where the landlord receives complaints through it; otherwise the resident
sends it and says when (or that they will later). A flow declares the piece with `Sending`, takes its
steps and transitions, and its model (a `SendingModel`) says how the sending is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from flows.case import Case, CaseEvent, EventKind
from flows.conversations.engine import (
    MENU,
    NEXT,
    TERMINAL,
    AnswerKind,
    Choice,
    FlowModel,
    Step,
    Turn,
    answer_is,
    condition,
    exit_to,
)
from flows.conversations.people import delivery_choice
from flows.deadlines import DeadlineStatus
from flows.history import order_clash, order_clash_message
from flows.i18n import N_
from flows.sent_mail import limit_message
from flows.text import has_words
from flows.timeline import build_timeline

SINCE = "since"
SINCE_CHOICES = (
    Choice("acknowledged", N_("They acknowledged it")),
    Choice("more_time", N_("They asked for more time")),
    Choice("replied", N_("They replied")),
    Choice("nothing", N_("Nothing heard yet")),
)
# What the landlord did since, per stage: the event the tracking flow then asks the date of.
_SINCE_KINDS = {
    1: {
        "acknowledged": EventKind.ACKNOWLEDGED,
        "more_time": EventKind.STAGE1_EXTENSION,
        "replied": EventKind.STAGE1_RESPONSE,
    },
    2: {
        "acknowledged": EventKind.STAGE2_ACKNOWLEDGED,
        "more_time": EventKind.STAGE2_EXTENSION,
        "replied": EventKind.STAGE2_RESPONSE,
    },
}
PENDING_KIND = "pending_kind"  # the kind of event a date question is for, when it depends on the answers


def check_letter_words(text: str, turn: Turn) -> str | None:
    """A TEXT step's check for answers quoted in a letter: words, not only emoji or punctuation."""
    if has_words(text):
        return None
    return turn.t.gettext(
        "This goes into your letter, so I need it in words: emoji, punctuation or spaces on their own don't "
        "tell your landlord anything. Please type it again in words. Nothing you told me before is lost."
    )


# The questions whose answers a letter quotes (the stage 1 letter; the referral summary asks the first
# three again on its review screen).
LETTER_TEXT_STEPS = (
    Step(
        "what_happened",
        AnswerKind.TEXT,
        N_(
            "What happened? Tell me in your own words: what went wrong, and what you've already done about it. "
            "(One message is fine; you can change it later.)"
        ),
        key="what_happened",
        check=check_letter_words,
    ),
    Step(
        "dates",
        AnswerKind.TEXT,
        N_("Are there important dates? For example when you first reported it, visits, missed appointments."),
        key="dates",
        check=check_letter_words,
        skip_label=N_("Skip"),
    ),
    Step(
        "impact",
        AnswerKind.TEXT,
        N_(
            "How has this affected you and your household? For example your health, costs, time off work, stress."
        ),
        key="impact",
        check=check_letter_words,
    ),
    Step(
        "put_right",
        AnswerKind.TEXT,
        N_(
            "What would put it right? For example a repair by a date, an apology, or compensation for costs or distress."
        ),
        key="put_right",
        check=check_letter_words,
    ),
    Step(
        "adjustments",
        AnswerKind.TEXT,
        N_(
            "Do you need any adjustments from your landlord? For example large print, phone calls instead of letters, "
            "or an interpreter."
        ),
        key="adjustments",
        check=check_letter_words,
        skip_label=N_("None needed"),
    ),
)


def event_order_check(kind: EventKind | None = None) -> Callable[[str, Turn], str | None]:
    """A DATE step's check: the date must fit the case's history (flows.history), for an event of
    `kind`, or of the kind kept under `pending_kind`."""

    def check(on: str, turn: Turn) -> str | None:
        pending = kind or turn.answers.get(PENDING_KIND)
        record = turn.workspace.case(str(turn.answers.get("case", "")))
        if pending is None or record is None:
            return None
        clash = order_clash(record.case.events, CaseEvent(date.fromisoformat(on), EventKind(pending)))
        return None if clash is None else order_clash_message(clash, turn.t)

    return check


_EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)
EMAIL_TO, EMAIL_OK = "email_to", "email_ok"


def landlord_address(typed: str) -> str:
    """The address as typed, without the spaces around it or a "mailto:" copied from a web page."""
    address = typed.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:].strip()
    return address


def check_landlord_email(text: str, turn: Turn) -> str | None:
    """One plain address (name@example.org), as a mail server takes it: nothing else on the line."""
    if len(text) <= 254 and _EMAIL_ADDRESS.fullmatch(landlord_address(text)):
        if turn.people is not None and turn.people.is_own_address(landlord_address(text)):
            return turn.t.gettext(
                "That is one of Fair Say's own addresses, not your landlord's. Please type your landlord's "
                "complaints address, for example complaints@yourlandlord.org.uk."
            )
        return None
    return turn.t.gettext(
        "That doesn't look like an email address. Please type just the address, for example "
        "complaints@yourlandlord.org.uk. You'll find it on your landlord's website or on a letter from it. "
        "Nothing you told me before is lost; /back goes back."
    )


def email_choice(turn: Turn) -> tuple[Choice, ...]:
    ref = str(turn.answers.get("case", ""))
    # Not in the terminal chat: it runs no sender and shows no news, so the resident would never hear.
    if turn.channel == TERMINAL or turn.people is None or not ref or not turn.people.can_email(ref):
        return ()
    return (Choice("email", N_("Email it to my landlord for me")),)


def consent_prompt(stage: int) -> Callable[[Turn], str]:
    """Exactly what will be sent, and the one question: may Fair Say send it in the resident's name?
    The words agreed to are versioned (bot.delivery.resident_sending.CONSENT_VERSION)."""

    def prompt(turn: Turn) -> str:
        t, people = turn.t, turn.people
        question = t.gettext(
            "Do you agree that Fair Say sends this for you, in your name? I'll count your landlord's deadlines "
            "from the day it is sent (an email normally arrives within minutes); if it bounces, they won't count."
        )
        to, ref = turn.answers.get(EMAIL_TO), turn.answers.get("case")
        if people is None or not to or not ref:
            return question  # reached without its answers (only the command tests do)
        preview = people.email_preview(str(ref), stage, landlord_address(str(to)))
        lines = [
            t.gettext("Here is exactly what I will send, in English:"),
            t.gettext("To: {address}").format(address=preview.to),
            t.gettext("From: {address}").format(address=preview.mail_from),
            t.gettext(
                "Replies go to: {address} (your landlord's answers come back to me, and I show them to you)"
            ).format(address=preview.reply_to),
            t.gettext("Subject: {subject}").format(subject=preview.subject),
            t.gettext("Attached: {names}").format(names=", ".join(preview.attached)),
        ]
        if preview.left_out:
            lines.append(
                t.gettext(
                    "Too large to attach (the email says they are available on request): {names}"
                ).format(names=", ".join(preview.left_out))
            )
        lines.append(t.gettext("In the email, in your name: “{words}”").format(words=preview.authority))
        return "\n".join(lines) + "\n\n" + question

    return prompt


def send_choices(turn: Turn) -> tuple[Choice, ...]:
    """Through Fair Say when the landlord is onboarded, by email for any landlord, or by hand."""
    return (
        *delivery_choice(turn),
        *email_choice(turn),
        Choice("sent", N_("I've sent it")),
        Choice("later", N_("I'll send it later")),
    )


@dataclass(frozen=True, slots=True)
class Sending:
    """The letter's stage, its prompts (msgids) and where its answers are kept. Step ids are fixed:
    "letter", "email_to" and "email_consent" (Fair Say emails it, with consent), "sent_when" (with `ask_when`), "sent_date", and "since" (what the landlord did since a
    sending dated long enough ago that a deadline has passed, asked before anything is counted late)."""

    stage: int  # for `People.deliver`
    event: EventKind  # what sending it records
    prompt: str
    send_key: str
    date_key: str
    date_prompt: str
    later: str  # said when the resident will send it later
    ask_when: bool = False  # "Today" or "Another day" before the date
    delivered: str | None = None  # said once Fair Say has sent it, with {landlord}

    def steps(self) -> list[Step]:
        when = Step(
            "sent_when",
            AnswerKind.CHOICE,
            N_("When did you send it?"),
            key="sent_when",
            choices=(Choice("today", N_("Today")), Choice("other", N_("Another day"))),
        )
        return [
            Step("letter", AnswerKind.CHOICE, self.prompt, key=self.send_key, choices=send_choices),
            Step(
                "email_to",
                AnswerKind.TEXT,
                N_(
                    "What is your landlord's email address for complaints? It is usually on its website or on "
                    "letters from it, for example complaints@yourlandlord.org.uk."
                ),
                key=EMAIL_TO,
                check=check_landlord_email,
            ),
            Step(
                "email_consent",
                AnswerKind.CHOICE,
                consent_prompt(self.stage),
                key=EMAIL_OK,
                shows=EMAIL_TO,  # consent is to the address shown: an older preview's button is stale
                choices=(Choice("yes", N_("Yes, send it")), Choice("no", N_("No, don't send it"))),
            ),
            *([when] if self.ask_when else []),
            Step(
                "sent_date",
                AnswerKind.DATE,
                self.date_prompt,
                key=self.date_key,
                check=event_order_check(self.event),
            ),
            Step(
                "since",
                AnswerKind.CHOICE,
                N_(
                    "Before I count your landlord's deadlines from that day: has anything happened since you sent "
                    "it?"
                ),
                key=SINCE,
                choices=SINCE_CHOICES,
            ),
        ]

    def transitions(self) -> list[dict[str, Any]]:
        send = self.send_key
        asked: list[dict[str, Any]] = [
            {
                "trigger": NEXT,
                "source": "letter",
                "dest": MENU,
                "conditions": answer_is(send, "later"),
                "after": "say_later",
            },
            {
                "trigger": NEXT,
                "source": "letter",
                "dest": "letter",
                "conditions": [answer_is(send, "deliver"), "cannot_deliver"],
                "before": "forget_send",
            },
            {
                "trigger": NEXT,
                "source": "letter",
                "dest": MENU,
                "conditions": answer_is(send, "deliver"),
                "after": "deliver",
            },
            {
                "trigger": NEXT,
                "source": "letter",
                "dest": "letter",
                "conditions": [answer_is(send, "email"), "cannot_email"],
                "before": "forget_send",
            },
            {"trigger": NEXT, "source": "letter", "dest": "email_to", "conditions": answer_is(send, "email")},
            {"trigger": NEXT, "source": "email_to", "dest": "email_consent"},
            {
                "trigger": NEXT,
                "source": "email_consent",
                "dest": MENU,
                "conditions": answer_is(EMAIL_OK, "yes"),
                "after": "email_it",
            },
            {"trigger": NEXT, "source": "email_consent", "dest": "letter", "before": "forget_email"},
        ]
        if self.ask_when:
            asked += [
                {"trigger": NEXT, "source": "letter", "dest": "sent_when"},
                {
                    "trigger": NEXT,
                    "source": "sent_when",
                    "dest": MENU,
                    "conditions": answer_is("sent_when", "today"),
                    "before": "note_today",
                    "after": "record_sent",
                },
                {"trigger": NEXT, "source": "sent_when", "dest": "sent_date"},
            ]
        else:
            asked.append({"trigger": NEXT, "source": "letter", "dest": "sent_date"})
        asked += [
            # Sent a while ago: ask what has happened since before counting anything late.
            {"trigger": NEXT, "source": "sent_date", "dest": "since", "conditions": "has_a_deadline_passed"},
            {"trigger": NEXT, "source": "sent_date", "dest": MENU, "after": "record_sent"},
            {
                "trigger": NEXT,
                "source": "since",
                "dest": exit_to("tracking", "ext_given_on"),
                "conditions": answer_is(SINCE, "more_time"),
                "before": "record_sent_and_what_since",
            },
            {
                "trigger": NEXT,
                "source": "since",
                "dest": exit_to("tracking", "event_date"),
                "conditions": answer_is(SINCE, "acknowledged", "replied"),
                "before": "record_sent_and_what_since",
            },
            {"trigger": NEXT, "source": "since", "dest": MENU, "after": "record_sent"},
        ]
        return asked


def _missed(case: Case, today: date) -> set[str]:
    return {d.id for d in build_timeline(case, today).deadlines if d.status is DeadlineStatus.MISSED}


class SendingModel(FlowModel):
    """The callbacks of `Sending`'s transitions; a flow says how a sending is recorded."""

    sending: ClassVar[Sending]

    def record_sending(self, sent_on: date, *, count: bool = True) -> None:
        """Note the letter as sent on `sent_on`, say what is due (unless not `count`: the resident is
        about to say what happened since), and forget the sending's answers."""
        raise NotImplementedError

    @condition
    def has_a_deadline_passed(self) -> bool:
        """Sent long enough ago that a deadline it starts has passed by today (the landlord may have
        acted since: ask before counting it late). Deadlines missed before are not this sending's."""
        record = self.turn.workspace.case(str(self.answers.get("case", "")))
        if record is None:
            return False
        sent = CaseEvent(date.fromisoformat(self.answers[self.sending.date_key]), self.sending.event)
        case = replace(record.case, events=tuple(sorted((*record.case.events, sent), key=lambda e: e.date)))
        return bool(_missed(case, self.turn.today) - _missed(record.case, self.turn.today))

    def _sent_on(self) -> date | None:
        """The date given for the sending; None once it is recorded (its answers are forgotten then,
        so a question asked again after /back does not record it twice)."""
        value = self.answers.get(self.sending.date_key)
        return date.fromisoformat(value) if value else None

    def record_sent_and_what_since(self, _: object) -> None:
        """Record the sending without counting, and ask the date of what the landlord did since."""
        sent_on = self._sent_on()
        if sent_on is not None:
            self.record_sending(sent_on, count=False)
        self.answers[PENDING_KIND] = _SINCE_KINDS[self.sending.stage][self.answers.pop(SINCE)].value

    @condition
    def cannot_deliver(self) -> bool:
        """Fair Say no longer delivers to this landlord: the resident sends it themselves."""
        return self.turn.people.delivers_to(self.answers["case"]) is None

    def forget_send(self, _: object) -> None:
        self.answers.pop(self.sending.send_key, None)

    @condition
    def cannot_email(self) -> bool:
        """Fair Say can no longer send mail for this complaint: the resident sends it themselves."""
        people = self.turn.people
        return people is None or not people.can_email(self.answers["case"])

    def forget_email(self, _: object) -> None:
        for key in (self.sending.send_key, EMAIL_TO, EMAIL_OK):
            self.answers.pop(key, None)

    def email_it(self, _: object) -> None:
        """The resident agreed to exactly what they were shown: queue it (the consent is recorded with it).
        The complaint counts as made when the mail server accepts it: the sender records that."""
        people = self.turn.people
        assert people is not None
        to = landlord_address(str(self.answers[EMAIL_TO]))
        limit = people.email_letter(self.answers["case"], self.sending.stage, to)
        self.forget_email(None)
        if limit is not None:
            self.turn.say(limit_message(limit.which, limit.again_at, self.t))
            return
        self.turn.say(
            self.t.gettext(
                "Thank you. I'm sending it to {address} now, and I'll tell you as soon as the mail server has "
                "accepted it: that is the day your complaint counts as sent."
            ).format(address=to)
        )

    def say_later(self, _: object) -> None:
        self.forget_send(None)
        self.turn.say(self.t.gettext(self.sending.later))

    def deliver(self, _: object) -> None:
        ref = self.answers["case"]
        people = self.turn.people
        landlord = people.delivers_to(ref)
        self.record_sending(self.turn.today)
        people.deliver(ref, self.sending.stage)
        if self.sending.delivered is not None:
            self.turn.say(self.t.gettext(self.sending.delivered).format(landlord=landlord))

    def note_today(self, _: object) -> None:
        self.answers[self.sending.date_key] = self.turn.today.isoformat()

    def record_sent(self, _: object) -> None:
        self.answers.pop(SINCE, None)
        sent_on = self._sent_on()
        if sent_on is not None:
            self.record_sending(sent_on)
