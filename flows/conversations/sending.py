"""Sending a letter and noting when: the same few questions after the stage 1 complaint and the stage 2
request. Fair Say sends it where the landlord receives complaints through it; otherwise the resident
sends it and says when (or that they will later). A flow declares the piece with `Sending`, takes its
steps and transitions, and its model (a `SendingModel`) says how the sending is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from flows.case import Case, CaseEvent, EventKind
from flows.conversations.engine import (
    MENU,
    NEXT,
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


def send_choices(turn: Turn) -> tuple[Choice, ...]:
    """Through Fair Say when the landlord is onboarded, or by hand."""
    return (
        *delivery_choice(turn),
        Choice("sent", N_("I've sent it")),
        Choice("later", N_("I'll send it later")),
    )


@dataclass(frozen=True, slots=True)
class Sending:
    """The letter's stage, its prompts (msgids) and where its answers are kept. Step ids are fixed:
    "letter", "sent_when" (with `ask_when`), "sent_date", and "since" (what the landlord did since a
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
