"""Crisis help before anything else, and "I need to talk to a person".

Every typed message is read for a crisis first (`flows.crisis`), at every step. The help comes first,
then the conversation carries on at the same question. A message typed as an answer to a question is
held, not used: the resident says whether it belongs in their complaint, because what goes in a
letter is read by their landlord. An everyday idiom gets a gentle "are you safe?" and is then handled
as usual.
"""

from __future__ import annotations

from typing import Any

from flows import crisis
from flows.conversations.engine import (
    HELD,
    MENU,
    NEXT,
    TO_HELD,
    AnswerKind,
    Choice,
    ConversationState,
    Flow,
    FlowModel,
    Step,
    Turn,
    answer_is,
    enter,
    flow_named,
    start,
)
from flows.conversations.types import Incoming
from flows.crisis import CrisisKind
from flows.i18n import N_
from flows.working_days import Nation

# The landlord's complaints team writes about residents, not about themselves: no crisis help for them.
STAFF_FLOWS = frozenset({"landlord", "invite", "inbox", "landlord_action", "compliance"})


def nation_of(answers: dict[str, Any], turn: Turn) -> Nation:
    """Where the resident lives: from this complaint's answers or its record, else their latest
    complaint's (a new one starts without), England unless known."""
    if answers.get("nation"):
        return crisis.nation_of(answers["nation"])
    record = turn.workspace.case(str(answers["case"])) if answers.get("case") else None
    if record is None:
        record = next(reversed(turn.workspace.cases()), None)  # oldest first
    return record.case.nation if record is not None else Nation.ENGLAND


def crisis_first(state: ConversationState | None, incoming: Incoming, turn: Turn) -> ConversationState | None:
    """Answer a crisis in a typed message; the new state when that is all this message does, else None."""
    text = incoming.text if incoming.button is None else None
    words = text or incoming.caption
    if not words or words.startswith("/") or (state is not None and state.flow in STAFF_FLOWS):
        return None
    kinds = crisis.detect_all(words, turn.t.language)
    if not kinds:
        return None
    turn.crisis = tuple(kind.value for kind in kinds)  # logged by kind only, never the words
    answers = state.answers if state is not None else {}
    landlord = answers.get("landlord_name") if isinstance(answers.get("landlord_name"), str) else None
    turn.say(crisis.help_text(kinds, nation_of(answers, turn), turn.t, landlord))
    if kinds == (CrisisKind.IDIOM,) or not text:
        return None  # gentle, or words sent with a file (never kept): the message is then handled as usual
    if state is None:
        return start("onboarding", turn)
    step = flow_named(state.flow).by_id[state.state]
    if step.kind is AnswerKind.TEXT and state.flow != "held":
        answers[HELD] = {"flow": state.flow, "state": state.state, "text": text}
        return start("held", turn, answers)
    return enter(state, turn, run_callbacks=False)  # not an answer to this question: ask it again


def release(state: ConversationState) -> ConversationState:
    """Back to the question a held message was typed at, without it (a command came instead)."""
    held = state.answers.pop(HELD, None)
    if state.flow != "held" or not isinstance(held, dict):
        return state
    return ConversationState(held["flow"], held["state"], state.answers)


def held_prompt(turn: Turn) -> str:
    return turn.t.gettext(
        "You typed that as an answer to my last question. Shall I use it in your complaint? Your landlord "
        "would read it. If you'd rather not, leave it out and answer the question again."
    )


class Held(FlowModel):
    def use_it(self, _: object) -> None:
        self.answers.pop("keep", None)
        held = self.answers.get(HELD)
        if isinstance(held, dict):
            held["use"] = True

    def leave_it_out(self, _: object) -> None:
        self.answers.pop("keep", None)
        self.turn.say(self.t.gettext("OK, I've left it out. Nothing of it is kept."))


# Both go back to the question the message was typed at: "use" answers it with the message there, with
# that step's own checks; "leave" asks it again.
HELD_FLOW = Flow(
    "held",
    [
        Step(
            "keep",
            AnswerKind.CHOICE,
            held_prompt,
            key="keep",
            choices=(
                Choice("use", N_("Use it in my complaint")),
                Choice("leave", N_("Leave it out")),
            ),
        ),
    ],
    [
        {
            "trigger": NEXT,
            "source": "keep",
            "dest": TO_HELD,
            "conditions": answer_is("keep", "use"),
            "before": "use_it",
        },
        {
            "trigger": NEXT,
            "source": "keep",
            "dest": TO_HELD,
            "conditions": answer_is("keep", "leave"),
            "after": "leave_it_out",
        },
    ],
    Held,
)


# --- "I need to talk to a person" -----------------------------------------------------------------


def advice_text(nation: Nation, turn: Turn) -> str:
    """Advice services for the resident's nation; the Ombudsman line for questions about a complaint."""
    t = turn.t
    lines = [t.gettext("People who can talk it through with you, free:")]
    if nation is Nation.ENGLAND:
        lines += [
            t.gettext("• Citizens Advice: {number} (Adviceline), or citizensadvice.org.uk").format(
                number="0800 144 8848"
            ),
            t.gettext("• Shelter, for housing: {number}").format(number="0808 800 4444"),
            t.gettext(
                "• The Housing Ombudsman, for questions about a complaint to your landlord: {number}"
            ).format(number="0300 111 3000"),
        ]
    elif nation is Nation.WALES:
        lines += [
            t.gettext("• Citizens Advice Cymru (Advicelink): {number}").format(number="0800 702 2020"),
            t.gettext("• Shelter Cymru, for housing: {number}").format(number="08000 495 495"),
        ]
    elif nation is Nation.SCOTLAND:
        lines += [
            t.gettext("• Citizens Advice Scotland: {number}").format(number="0800 028 1456"),
            t.gettext("• Shelter Scotland, for housing: {number}").format(number="0808 800 4444"),
        ]
    else:
        lines += [t.gettext("• Advice NI: {number}").format(number="0800 915 4604")]
    lines.append(
        t.gettext("• If you feel you can't go on, Samaritans: {number}, day or night.").format(
            number=crisis.SAMARITANS
        )
    )
    return "\n".join(lines)


def _advocate_names(turn: Turn) -> dict[int, str]:
    """One link per advocate name: the advocate to tell, shown by name."""
    by_name: dict[str, int] = {}
    for advocate in turn.people.advocates():
        by_name.setdefault(advocate.name, advocate.link_id)
    return {link_id: name for name, link_id in by_name.items()}


def person_prompt(turn: Turn) -> str:
    text = advice_text(nation_of(turn.answers, turn), turn)
    if _advocate_names(turn):
        text += "\n\n" + turn.t.gettext(
            "I can also let someone who helps you know that you'd like to talk. I only tell them that, "
            "nothing else. Shall I?"
        )
    return text


def person_choices(turn: Turn) -> tuple[Choice, ...]:
    tell = tuple(
        Choice(f"tell{link_id}", turn.t.gettext("Yes, tell {name}").format(name=name), literal=True)
        for link_id, name in _advocate_names(turn).items()
    )
    return (*tell, Choice("menu", N_("Back to the menu")))


class Person(FlowModel):
    def tell_advocate(self, _: object) -> None:
        choice = str(self.answers.pop("person", ""))
        people = self.turn.people
        if choice.startswith("tell") and choice[4:].isdigit():
            if people.ask_advocate_to_call(int(choice[4:])):
                self.turn.say(self.t.gettext("Done: I've let them know you'd like to talk."))
            else:
                self.turn.say(self.t.gettext("I can't reach that helper any more."))


PERSON_FLOW = Flow(
    "person",
    [Step("services", AnswerKind.CHOICE, person_prompt, key="person", choices=person_choices)],
    [{"trigger": NEXT, "source": "services", "dest": MENU, "before": "tell_advocate"}],
    Person,
)
