"""Sending a letter and noting when: the same few questions after the stage 1 complaint and the stage 2
request. Fair Say sends it where the landlord receives complaints through it; otherwise the resident
sends it and says when (or that they will later). A flow declares the piece with `Sending`, takes its
steps and transitions, and its model (a `SendingModel`) says how the sending is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

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
)
from flows.conversations.people import delivery_choice
from flows.i18n import N_


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
    "letter", "sent_when" (with `ask_when`), "sent_date"."""

    stage: int  # for `People.deliver`
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
            Step("sent_date", AnswerKind.DATE, self.date_prompt, key=self.date_key),
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
        asked.append({"trigger": NEXT, "source": "sent_date", "dest": MENU, "after": "record_sent"})
        return asked


class SendingModel(FlowModel):
    """The callbacks of `Sending`'s transitions; a flow says how a sending is recorded."""

    sending: ClassVar[Sending]

    def record_sending(self, sent_on: date) -> None:
        """Note the letter as sent on `sent_on`, say what is due, and forget the sending's answers."""
        raise NotImplementedError

    @condition
    def cannot_deliver(self) -> bool:
        """Fair Say no longer delivers to this landlord: the resident sends it themselves."""
        people = self.turn.people
        return people is None or people.delivers_to(self.answers["case"]) is None

    def forget_send(self, _: object) -> None:
        self.answers.pop(self.sending.send_key, None)

    def say_later(self, _: object) -> None:
        self.forget_send(None)
        self.turn.say(self.t.gettext(self.sending.later))

    def deliver(self, _: object) -> None:
        ref = self.answers["case"]
        people = self.turn.people
        assert people is not None  # `cannot_deliver` is asked first
        landlord = people.delivers_to(ref)
        self.record_sending(self.turn.today)
        people.deliver(ref, self.sending.stage)
        if self.sending.delivered is not None:
            self.turn.say(self.t.gettext(self.sending.delivered).format(landlord=landlord))

    def note_today(self, _: object) -> None:
        self.answers[self.sending.date_key] = self.turn.today.isoformat()

    def record_sent(self, _: object) -> None:
        self.record_sending(date.fromisoformat(self.answers[self.sending.date_key]))
