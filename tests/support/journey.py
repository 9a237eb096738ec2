"""The "write a complaint" journey, written once as each question and its answer; every driver (the
in-memory chat, a resident on Telegram) plays it its own way, so a new question is answered here once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flows.conversations.engine import Step, choice_label
from flows.conversations.registry import BY_NAME
from flows.conversations.types import IncomingFile
from flows.i18n import Translator

CEILING = IncomingFile("ceiling.jpg", "image/jpeg", b"\xff\xd8\xff fake jpeg", "photo")
PHOTO = IncomingFile("photo.jpg", "image/jpeg", b"\xff\xd8\xff fake jpeg", "photo")  # the terminal's {photo}


@dataclass(frozen=True, slots=True)
class Answer:
    flow: str
    step: str
    choice: str | None = None  # a choice id; "_skip" and "_done" are the step's own buttons
    text: str | None = None
    file: IncomingFile | None = None

    @property
    def question(self) -> Step:
        return BY_NAME[self.flow].by_id[self.step]

    def label(self, t: Translator) -> str:
        """The button to tap, in the resident's language."""
        step = self.question
        if self.choice == "_skip" and step.skip_label is not None:
            return t.gettext(step.skip_label)
        if self.choice == "_done":
            return t.gettext(step.done_label)
        assert not callable(step.choices), f"{self.flow}.{self.step}: choices depend on the conversation"
        return next(choice_label(c, t) for c in step.choices if c.id == self.choice)

    def typed(self) -> str:
        """As typed in the terminal chat: the button's number, or the text; a file as `/file {name}`."""
        if self.file is not None:
            return "/file {" + self.file.name.split(".")[0] + "}"
        if self.choice is None:
            return self.text or ""
        step = self.question
        assert not callable(step.choices), f"{self.flow}.{self.step}: choices depend on the conversation"
        ids = [c.id for c in step.choices] + ["_skip"] * (step.skip_label is not None) + ["_done"]
        return str(ids.index(self.choice) + 1)

    def asks(self, t: Translator) -> str:
        """The start of the question, to wait for; empty when the question depends on the answers."""
        prompt = self.question.prompt
        return "" if callable(prompt) else t.gettext(prompt)[:25]


def _typed_or_skipped(flow: str, step: str, text: str | None) -> Answer:
    return Answer(flow, step, text=text) if text is not None else Answer(flow, step, choice="_skip")


def complaint(
    landlord: str = "Riverside Housing",
    *,
    subject: str = "repairs",
    landlord_type: str = "housing_association",
    topics: Sequence[str] = (),
    tenure: str | None = None,
    route: str | None = None,
    started: str | None = "01/02/2026",
    hazard_reported: str | None = None,
    risk: tuple[str, str, str] = ("no", "no", "small"),
    emergency: str | None = None,
    hazard_time: str | None = None,
    name: str = "Amina Begum",
    address: str = "Flat 3, 12 Mill Road, Leeds LS1 4AB",
    tenancy_ref: str | None = "T-123456",
    contact: tuple[str, str | None] = ("email", "amina@example.com"),
    what_happened: str = "The kitchen ceiling has leaked since January. I reported it three times.",
    dates: str | None = None,
    impact: str = "My son's asthma is worse and we can't use the kitchen.",
    put_right: str = "Fix the leak within 2 weeks and pay compensation.",
    adjustments: str | None = None,
    evidence: Sequence[IncomingFile] = (CEILING,),
) -> list[Answer]:
    """From "Where is your home?" (England, a housing association, nothing urgent, no court case, a
    repair already reported) to the review screen; `topics`: the complaint's other parts; `tenure`, the
    one tenure question's answer (flows.tenure), when a rent or service charge part asks for it or for
    damp and mould (then a housing association tenancy unless given); `hazard_reported` for damp and
    mould (with the three risk-now answers, `emergency` where the route is offered, and the report's
    time on the emergency route: None taps "I don't know the time"). A plan worth a word
    (flows.routing) shows the "route" step: answer it with `route` ("continue")."""
    nc, c = "new_complaint", "complaint"
    if tenure is None and hazard_reported is not None:
        tenure = "assured"  # a housing association's tenant: Awaab's Law covers the home
    answers = [
        Answer(nc, "nation", "england"),
        Answer(nc, "landlord_type", landlord_type),
        Answer(nc, "landlord_name", text=landlord),
        Answer(nc, "subject", subject),
        *(Answer(nc, "more_topics", topic) for topic in topics),
        Answer(nc, "more_topics", "done"),
        *([Answer(nc, "tenure", tenure)] if tenure is not None else []),
        Answer(nc, "urgent", "none"),
        Answer(nc, "court", "no"),
        _typed_or_skipped(nc, "started", started),
    ]
    if subject in ("repairs", "damp_mould"):
        answers.append(Answer(nc, "reported", "yes"))
    if hazard_reported is not None:
        answers += [
            Answer(nc, "risk_people", risk[0]),
            Answer(nc, "risk_health", risk[1]),
            Answer(nc, "risk_extent", risk[2]),
        ]
        if emergency is not None:
            answers.append(Answer(nc, "emergency", emergency))
        answers.append(Answer(nc, "hazard_reported", text=hazard_reported))
        if emergency == "emergency":
            answers.append(_typed_or_skipped(nc, "hazard_time", hazard_time))
    if route is not None:  # the plan's screen (flows.routing), for a plan worth a word
        answers.append(Answer(nc, "route", route))
    answers += [
        Answer(c, "full_name", text=name),
        Answer(c, "address", text=address),
        _typed_or_skipped(c, "tenancy_ref", tenancy_ref),
        Answer(c, "contact", contact[0]),
    ]
    if contact[1] is not None:
        answers.append(Answer(c, "contact_detail", text=contact[1]))
    answers += [
        Answer(c, "what_happened", text=what_happened),
        _typed_or_skipped(c, "dates", dates),
        Answer(c, "impact", text=impact),
        Answer(c, "put_right", text=put_right),
        _typed_or_skipped(c, "adjustments", adjustments),
        *(Answer(c, "evidence", file=file) for file in evidence),
        Answer(c, "evidence", "_done"),
    ]
    return answers


def split_at(answers: list[Answer], flow: str, step: str) -> tuple[list[Answer], list[Answer]]:
    """The answers before the question `flow.step`, and from it on: to do something else in between."""
    index = next(i for i, answer in enumerate(answers) if (answer.flow, answer.step) == (flow, step))
    return answers[:index], answers[index:]
