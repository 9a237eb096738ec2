"""Conversations as `transitions` machines, described in domain terms: steps with a prompt, choices,
validation and the next step.

A flow is a set of `Step`s and a list of transitions. The `next` trigger moves on after a valid
answer; its conditions (questions on the flow's model, e.g. `is_first_report`) pick the branch.
Every flow has one shared Machine; the model is a plain object holding the answers, rebuilt from
the database on every update, so no conversation lives only in memory.

Where a conversation stands is `ConversationState(flow, state, answers)`, which the bot stores per
user. Internal keys in `answers` start with "_": `_trail` (for /back, from the menu on), `_return_to` (editing
from a review screen), `_draft` (a complaint left half-written, to resume: [flow, step, {its `_trail`
and `case`}]; older ones are [flow, step]) and `_held` (a typed answer that spoke of a crisis, not used
until the resident says so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from transitions import EventData, Machine, MachineError

from flows.conversations.parsing import date_problem_message, read_date, read_number, show_answer_date
from flows.conversations.types import Button, Document, Incoming, Reply
from flows.i18n import N_, Translator

if TYPE_CHECKING:
    from flows.conversations.workspace import People, Workspace

MAX_TEXT = 3_000  # per answer; a Telegram message is at most 4,096 characters
TRAIL = "_trail"
RETURN_TO = "_return_to"
NEXT, ARRIVE, FILE = "next", "arrive", "file"  # the triggers (Flow's docstring)
EXIT = "__"  # in a state's name: "home__menu" is the step "menu" of the flow "home" (`exit_to`)
TO_DRAFT = "__draft"  # a `dest`: the step where a half-written complaint was left (kept under DRAFT)
DRAFT = "_draft"
TO_HELD = "__held"  # a `dest`: back to the question a message held for a crisis was typed at (HELD)
HELD = "_held"  # {"flow", "state", "text"}, and "use": True once the resident chose to use it as the answer
TERMINAL = "terminal"  # `Turn.channel` of the terminal chat, which has no buttons to tap
MAX_HOPS = 20  # routing without a question in between: more is a loop in a flow's definition


class AnswerKind(StrEnum):
    CHOICE = "choice"
    TEXT = "text"
    DATE = "date"
    FILES = "files"  # photos, documents, voice notes, until the resident says they are done
    NONE = "none"  # a message with buttons only; free text gets the buttons again


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str  # a msgid, translated when shown; `literal` labels (names, references) are not
    literal: bool = False


Prompt = str | Callable[["Turn"], str]
Choices = tuple[Choice, ...] | Callable[["Turn"], tuple[Choice, ...]]


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    kind: AnswerKind
    prompt: Prompt  # a msgid, or a function returning translated text
    key: str | None = None  # where the answer is kept in `answers`
    choices: Choices = ()
    skip_label: str | None = None  # a msgid: offer a button that answers None
    allow_future: bool = False  # DATE steps: the date of something that has not happened yet
    month_ok: bool = False  # DATE steps: a month and year will do ("August 2026", kept as "2026-08")
    max_length: int = MAX_TEXT
    # The problem with an answer, if any: the text typed (TEXT steps) or the date read, as ISO (DATE steps).
    check: Callable[[str, Turn], str | None] | None = None
    # Editing from a review screen returns there after this step; False for a step that needs the
    # next one too (a contact method needs its address).
    then_return: bool = True
    done_label: str = N_("That's all my evidence")  # FILES steps: the button that ends the step
    # Answering it records something at once (an event on the complaint, a code used): /back cannot
    # undo that, so it never returns to this question or to those before it; the trail starts afresh.
    records: bool = False
    # The key of an answer the prompt shows (a consent to "exactly this"): a button of the question as
    # asked with another value is an earlier question's, never an answer to this one.
    shows: str | None = None


@dataclass
class ConversationState:
    flow: str
    state: str
    answers: dict[str, Any] = field(default_factory=dict)


# --- one update ------------------------------------------------------------------------------------


@dataclass
class Turn:
    """Everything one update may use: the language, today, the resident's data, and the replies."""

    t: Translator
    today: date
    now: datetime
    workspace: Workspace
    replies: list[Reply] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)  # the conversation's, for prompts that show them
    people: People = field(kw_only=True)  # sharing, advocates and landlords
    crisis: tuple[str, ...] = ()  # the kinds of crisis this message spoke of, for the log (never the words)
    channel: str = "telegram"  # or "terminal" (`fairsay chat`): choices are typed as numbers there
    extra_holidays: frozenset[date] = frozenset()  # EXTRA_BANK_HOLIDAYS, for clocks of a case not stored yet

    def say(
        self,
        text: str,
        buttons: Sequence[Sequence[Button]] = (),
        *,
        document: Document | None = None,
        title: str | None = None,
    ) -> None:
        self.replies.append(Reply(text, tuple(tuple(row) for row in buttons), document, title))


def button_data(question: str, choice_id: str) -> str:
    """Callback data: the question it belongs to (`question_of`, so a stale button is recognised) and
    the choice."""
    data = f"{question}:{choice_id}"
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def split_button(data: str) -> tuple[str, str]:
    state, _, choice_id = data.partition(":")
    return state, choice_id


class FlowModel:
    """The machine's model for one update: answers plus the turn. Subclasses add conditions/callbacks."""

    def __init__(self, flow: Flow, state: ConversationState, turn: Turn) -> None:
        self.flow = flow
        self.state = state.state
        self.answers = state.answers
        self.turn = turn
        self.t = turn.t
        self.silent = False  # a callback already replied; do not show the next step's prompt


def exit_to(flow: str, step: str) -> str:
    """A transition's `dest` in another flow: the machine has it as a state, the engine goes there."""
    return f"{flow}{EXIT}{step}"


MENU = exit_to("home", "menu")
MENU_STEP = ("home", "menu")  # where every flow ends: the trail for /back starts afresh there


def answer_is(key: str, *values: str) -> Callable[[EventData], bool]:
    """A condition: the answer kept under `key` is one of `values` (named for the diagrams)."""

    def check(event: EventData) -> bool:
        model = cast(FlowModel, event.model)
        return model.answers.get(key) in values

    check.__name__ = f"{key} is {' or '.join(values)}"
    return check


def exit_target(state: str) -> tuple[str, str] | None:
    flow, separator, step = state.partition(EXIT)
    return (flow, step) if separator else None


@dataclass
class Flow:
    """A conversation: steps, transitions, and the model class holding conditions and callbacks.

    Triggers: `next` after a valid answer; `arrive` when a step is reached (from a transition or
    another flow), tried before the step is asked, so routing on arrival is declared too; `file` for
    each file sent to a FILES step. A state that is not a step is either an exit (`exit_to`) or a
    routing state, which is left at once by `arrive` (a flow's entry, where it decides the first
    question). `on_enter_<state>` methods of the model are registered on the machine's states.
    """

    name: str
    steps: Sequence[Step]
    transitions: list[dict[str, Any]]
    model: type[FlowModel] = FlowModel
    entry: str | None = None  # a routing state to start at, deciding the first question
    # Answers kept only while a step is under way (set by a callback for a later one, e.g. the kind of
    # event a date is asked for): forgotten when the flow is left by a command, so none is left half-done.
    scratch: tuple[str, ...] = ()
    machine: Machine = field(init=False, repr=False)
    by_id: dict[str, Step] = field(init=False, repr=False)
    _arriving: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {step.id: step for step in self.steps}
        self._arriving = frozenset(
            source
            for t in self.transitions
            if t["trigger"] == ARRIVE
            for source in ([t["source"]] if isinstance(t["source"], str) else t["source"])
        )
        self.machine = Machine(
            model=None,
            states=self.machine_states(),
            transitions=self.transitions,
            initial=self.first,
            auto_transitions=False,
            send_event=True,
        )

    def machine_states(self) -> list[str | dict[str, Any]]:
        names = [step.id for step in self.steps] + ([self.entry] if self.entry else [])
        for t in self.transitions:
            for name in (t["source"] if isinstance(t["source"], list) else [t["source"]], [t.get("dest")]):
                names += [n for n in name if isinstance(n, str) and n not in names and n != "*"]
        return [
            {"name": name, "on_enter": [f"on_enter_{name}"]}
            if hasattr(self.model, f"on_enter_{name}")
            else name
            for name in names
        ]

    @property
    def first(self) -> str:
        return self.entry or self.steps[0].id

    def routes_on_arrival(self, state: str) -> bool:
        return state in self._arriving

    def trigger(self, model: FlowModel, trigger: str = "next", **kwargs: Any) -> bool:
        event = self.machine.events.get(trigger)
        if event is None:  # no transition of this flow has that trigger
            return False
        try:
            return bool(event.trigger(model, **kwargs))
        except MachineError:  # none from this state; a callback's own error is not hidden
            return False

    def arrive(self, model: FlowModel) -> None:
        """Reach `model.state` from elsewhere (another flow, a command): run its `on_enter` callbacks,
        as a transition into it would."""
        state = self.machine.get_state(model.state)
        state.enter(EventData(state, None, self.machine, model, (), {}))


def flow_named(name: str) -> Flow:
    """A flow by name, from the one list of flows (flows.conversations.registry)."""
    return _flows()[name]


# --- rendering a step ------------------------------------------------------------------------------


# A file kept, in the terminal's words (`by_channel`).
SAVED_TERMINAL = N_(
    "Saved “{name}”. Send another with /file PATH, or type the number of “That's all my evidence”."
)


def by_channel(telegram: str, terminal: str) -> Callable[[Turn], str]:
    """A prompt (two msgids) in the words of the resident's channel: the terminal chat has no buttons
    to tap, and sends files with /file PATH."""

    def prompt(turn: Turn) -> str:
        return turn.t.gettext(terminal if turn.channel == TERMINAL else telegram)

    return prompt


def _text(prompt: Prompt, turn: Turn) -> str:
    return prompt(turn) if callable(prompt) else turn.t.gettext(prompt)


def step_choices(step: Step, turn: Turn) -> tuple[Choice, ...]:
    return step.choices(turn) if callable(step.choices) else step.choices


def choice_label(choice: Choice, t: Translator) -> str:
    return choice.label if choice.literal else t.gettext(choice.label)


def question_of(flow: Flow, step: Step, answers: dict[str, Any]) -> str:
    """What a button names as its question: the flow and the step (step ids repeat across flows: the
    stage 1 and stage 2 "letter"), and the complaint a question about one complaint is asked for, so
    that a button of an older message (another flow's, another complaint's) is not taken as an answer."""
    question = f"{flow.name}.{step.id}"
    case = answers.get("case")
    if flow.name in _about_one_complaint() and step.key != "case" and isinstance(case, str):
        question += f".{case}"
    if step.shows is not None and answers.get(step.shows) is not None:
        question += "." + hashlib.sha256(str(answers[step.shows]).encode()).hexdigest()[:8]
    return question


def _about_one_complaint() -> frozenset[str]:
    _flows()
    return cast(frozenset[str], _registry[1])


def step_buttons(flow: Flow, step: Step, turn: Turn) -> list[list[Button]]:
    question = question_of(flow, step, turn.answers)
    rows = [[Button(button_data(question, c.id), choice_label(c, turn.t))] for c in step_choices(step, turn)]
    if step.skip_label is not None:
        rows.append([Button(button_data(question, "_skip"), turn.t.gettext(step.skip_label))])
    if step.kind is AnswerKind.FILES:
        rows.append([Button(button_data(question, "_done"), turn.t.gettext(step.done_label))])
    return rows


def ask(flow: Flow, step: Step, turn: Turn, answers: dict[str, Any]) -> None:
    turn.answers = answers
    text = _text(step.prompt, turn)
    previous = answers.get(step.key) if step.key else None
    if previous is not None and step.kind in (AnswerKind.TEXT, AnswerKind.DATE):
        shown = previous if step.kind is AnswerKind.TEXT else show_answer_date(previous, turn.t)
        text += "\n\n" + turn.t.gettext("Your answer so far: {answer}").format(answer=_shorten(str(shown)))
    turn.say(text, step_buttons(flow, step, turn))


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading an answer -----------------------------------------------------------------------------


_NO_VALUE = object()


def read_answer(step: Step, incoming: Incoming, turn: Turn) -> tuple[Any, str | None]:
    """The value of a valid answer, or `_NO_VALUE` and the friendly reason it was not accepted."""
    t = turn.t
    if incoming.button is not None:
        _, choice_id = split_button(incoming.button)
        if choice_id == "_skip" and step.skip_label is not None:
            return None, None
        if choice_id == "_done" and step.kind is AnswerKind.FILES:
            return "_done", None
        for choice in step_choices(step, turn):
            if choice.id == choice_id:
                return choice.id, None
        return _NO_VALUE, t.gettext("Please choose one of the options below.")
    if incoming.unsupported is not None or incoming.file is not None:
        if incoming.file is not None and step.kind is AnswerKind.FILES:
            return incoming.file, None
        if turn.channel == TERMINAL:
            return _NO_VALUE, t.gettext(
                "I can't use that here. Please type your answer, or the number of an option. I'll ask for photos "
                "and documents (/file PATH) when we collect your evidence."
            )
        return _NO_VALUE, t.gettext(
            "I can't use that here. Please type your answer or tap a button. I'll ask for photos, documents "
            "and voice notes when we collect your evidence."
        )
    text = (incoming.text or "").strip()
    if step.kind in (AnswerKind.CHOICE, AnswerKind.NONE):
        choices = step_choices(step, turn)
        number = read_number(text)
        if number is not None and 1 <= number <= len(choices):
            return choices[number - 1].id, None
        folded = text.casefold()
        for choice in choices:
            if folded and folded in (choice.id.casefold(), choice_label(choice, t).casefold()):
                return choice.id, None
        if not choices:
            return _NO_VALUE, t.gettext("Please use the commands in the menu, or type /help.")
        if turn.channel == TERMINAL:
            return _NO_VALUE, t.gettext("Please choose one of the options below: type its number.")
        return _NO_VALUE, t.gettext(
            "Please choose one of the options below: tap a button or type its number."
        )
    if step.kind is AnswerKind.FILES:
        if text.casefold() in {"done", t.gettext("done").casefold()}:
            return "_done", None
        if turn.channel == TERMINAL:
            return _NO_VALUE, t.gettext(
                "Send photos or documents one at a time with /file PATH, then type the number of “That's all my "
                "evidence”."
            )
        return _NO_VALUE, t.gettext(
            "Send photos, documents or voice notes one at a time, then tap “That's all my evidence”."
        )
    if not text:
        if step.skip_label is not None and turn.channel == TERMINAL:
            return _NO_VALUE, t.gettext("Please type your answer, or the number of the option below.")
        if step.skip_label is not None:
            return _NO_VALUE, t.gettext("Please type your answer, or tap the button below.")
        return _NO_VALUE, t.gettext("Please type your answer.")
    if step.kind is AnswerKind.DATE:
        reading = read_date(text, t, turn.today, allow_future=step.allow_future, month_ok=step.month_ok)
        if reading.value is None:
            assert reading.problem is not None
            return _NO_VALUE, date_problem_message(reading.problem, text, t, turn.today)
        problem = step.check(reading.answer, turn) if step.check is not None else None
        return (reading.answer, None) if problem is None else (_NO_VALUE, problem)
    if len(text) > step.max_length:
        return _NO_VALUE, t.gettext(
            "That is {length} characters long; I can keep up to {limit} for this answer. Please shorten it and send "
            "it again. Nothing you told me before is lost."
        ).format(length=t.format_number(len(text)), limit=t.format_number(step.max_length))
    if step.check is not None:
        problem = step.check(text, turn)
        if problem is not None:
            return _NO_VALUE, problem
    return text, None


def accept(flow: Flow, state: ConversationState, incoming: Incoming, turn: Turn) -> ConversationState:
    """Handle one answer to the current step; move on, or explain and ask again. Nothing is lost."""
    step = flow.by_id[state.state]
    turn.answers = state.answers
    if incoming.button is not None:
        question, _ = split_button(incoming.button)
        if question != question_of(flow, step, state.answers):
            turn.say(turn.t.gettext("That button belongs to an earlier question. Here is where we are now:"))
            ask(flow, step, turn, state.answers)
            return state
    value, problem = read_answer(step, incoming, turn)
    if value is _NO_VALUE:
        assert problem is not None
        turn.say(problem)
        ask(flow, step, turn, state.answers)
        return state
    model = flow.model(flow, state, turn)
    if step.kind is AnswerKind.FILES and value != "_done":
        flow.trigger(model, FILE, file=value)  # an internal transition: its `after` keeps the file
        if model.state != step.id:  # one file was all the step needed
            return settle(flow, model, (flow.name, state.state))
        if turn.replies:  # the "done" button goes with the answer to each file
            last = turn.replies[-1]
            rows = tuple(tuple(row) for row in step_buttons(flow, step, turn))
            turn.replies[-1] = Reply(last.text, rows, last.document, last.title)
        return state  # stay, and take more files
    if step.key is not None:
        state.answers[step.key] = value
    return advance(flow, state, model)


def advance(flow: Flow, state: ConversationState, model: FlowModel) -> ConversationState:
    """Move on from the current step: back to a review screen, or along `next`."""
    answers = state.answers
    came_from = (flow.name, state.state)
    return_to = answers.get(RETURN_TO)
    if return_to is not None and return_to in flow.by_id and flow.by_id[state.state].then_return:
        answers.pop(RETURN_TO)
        model.state = return_to
        flow.arrive(model)
    elif not flow.trigger(model):
        raise RuntimeError(f"{flow.name}.{state.state}: no way on")  # a flow definition bug, caught by tests
    return settle(flow, model, came_from)


def settle(flow: Flow, model: FlowModel, came_from: tuple[str, str] | None) -> ConversationState:
    """After a transition (its callbacks ran through the machine): follow the routing (`arrive`
    transitions and declared exits to other flows) to the next question, and ask it."""
    resumed = False
    if (
        came_from is not None
        and _is_step(*came_from)
        and flow_named(came_from[0]).by_id[came_from[1]].records
    ):
        model.answers.pop(TRAIL, None)  # what was answered before is done: /back cannot undo it
        came_from = None
    for _ in range(MAX_HOPS):
        if model.state == TO_HELD:
            return _back_to_held(model)
        target = exit_target(model.state)
        if model.state == TO_DRAFT:
            target = resume_draft(model.answers)
            resumed = True
        if target is not None and target != (flow.name, model.state):
            flow = flow_named(target[0])
            model = flow.model(flow, ConversationState(target[0], target[1], model.answers), model.turn)
            flow.arrive(model)
            continue
        if model.silent or (model.state in flow.by_id and not flow.routes_on_arrival(model.state)):
            break
        if not flow.trigger(model, ARRIVE):
            if model.state not in flow.by_id:
                raise RuntimeError(f"{flow.name}.{model.state}: no way on")  # a flow definition bug
            break
    else:
        raise RuntimeError(f"{flow.name}.{model.state}: routing goes round in circles")
    answers = model.answers
    where = (flow.name, model.state)
    if where == MENU_STEP:  # what came before (onboarding, a letter sent) is done: /back never reopens it
        answers.pop(TRAIL, None)
    elif resumed:  # the draft's own way back; "carry on?" is not a question to go back to
        pass
    elif came_from is not None and came_from != where:  # a question asked again is not a step back
        trail = answers.setdefault(TRAIL, [])
        trail.append(list(came_from))
        del trail[:-30]  # enough to go back through a whole flow
    new = ConversationState(flow.name, model.state, answers)
    if not model.silent:
        ask(flow, flow.by_id[model.state], model.turn, answers)
    return new


_registry: list[Any] = []  # (BY_NAME, ABOUT_ONE_COMPLAINT), handed over by flows.conversations.registry


def register_flows(by_name: dict[str, Flow], about_one_complaint: frozenset[str]) -> None:
    """The one list of flows, handed over by the registry as it is imported: the registry imports every
    flow and every flow imports the engine, so the engine is given the list rather than importing it."""
    _registry[:] = [by_name, about_one_complaint]


def all_flows() -> tuple[Flow, ...]:
    return tuple(_flows().values())


def _flows() -> dict[str, Flow]:
    if not _registry:
        raise LookupError("no flows registered: import flows.conversations.registry (the router does)")
    return cast(dict[str, Flow], _registry[0])


def _is_step(flow: str, step: str) -> bool:
    return flow in _flows() and step in _flows()[flow].by_id


def keep_draft_at(answers: dict[str, Any], flow: str, step: str) -> None:
    """Keep a half-written complaint to resume at `flow`.`step`, with what it needs to carry on as it
    was: its way back (so /back after resuming goes where it went before) and the complaint it is
    about (another flow may look at another complaint meanwhile)."""
    context = {TRAIL: list(answers.get(TRAIL) or [])}
    if "case" in answers:
        context["case"] = answers["case"]
    answers[DRAFT] = [flow, step, context]


def resume_draft(answers: dict[str, Any]) -> tuple[str, str]:
    """Where a kept draft resumes (its context put back); a draft kept at a step since removed resumes
    at its flow's start."""
    kept = answers.pop(DRAFT)
    flow_name, step = str(kept[0]), str(kept[1])
    context = kept[2] if len(kept) > 2 and isinstance(kept[2], dict) else {}
    answers[TRAIL] = [list(entry) for entry in context.get(TRAIL, []) if _is_step(*entry)]
    if "case" in context:
        answers["case"] = context["case"]
    if not _is_step(flow_name, step):
        step = flow_named(flow_name).first if flow_name in _flows() else MENU_STEP[1]
        flow_name = flow_name if flow_name in _flows() else MENU_STEP[0]
    return flow_name, step


def _back_to_held(model: FlowModel) -> ConversationState:
    """The question a held message was typed at, asked again as /back would (its callbacks ran when it
    was first asked), or answered with the message if the resident chose to use it."""
    held = model.answers.pop(HELD, None)
    if not isinstance(held, dict):
        return start("home", model.turn, model.answers, "menu")
    state = ConversationState(held["flow"], held["state"], model.answers)
    if held.get("use"):
        return accept(flow_named(state.flow), state, Incoming(text=str(held["text"])), model.turn)
    return enter(state, model.turn, run_callbacks=False)


def enter(state: ConversationState, turn: Turn, *, run_callbacks: bool = True) -> ConversationState:
    """Show the step `state` points at, arriving there (its callbacks and routing) unless asked not to."""
    flow = flow_named(state.flow)
    turn.answers = state.answers
    if not run_callbacks:
        ask(flow, flow.by_id[state.state], turn, state.answers)
        return state
    model = flow.model(flow, state, turn)
    flow.arrive(model)
    return settle(flow, model, None)


def start(
    flow_name: str, turn: Turn, answers: dict[str, Any] | None = None, step: str | None = None
) -> ConversationState:
    flow = flow_named(flow_name)
    return enter(
        ConversationState(flow_name, step or flow.first, answers if answers is not None else {}), turn
    )


def back(state: ConversationState, turn: Turn) -> ConversationState:
    """One step back, answers kept: to the last other question answered, never back past the menu,
    nor to a question whose answer was recorded (or before it)."""
    trail = state.answers.get(TRAIL) or []
    # A trail stored by older versions may name a step since removed, the question we are at, or a
    # recorded one: those are passed over.
    here = [state.flow, state.state]
    while trail and (not _is_step(*trail[-1]) or list(trail[-1]) == here):
        trail.pop()
    recorded = [
        i
        for i, (flow, step) in enumerate(trail)
        if _is_step(flow, step) and flow_named(flow).by_id[step].records
    ]
    if recorded:
        del trail[: recorded[-1] + 1]
    if not trail or (state.flow, state.state) == MENU_STEP:  # a trail from before the menu started afresh
        turn.say(turn.t.gettext("There is no earlier question to go back to."))
        return enter(state, turn, run_callbacks=False)
    flow_name, step_id = trail.pop()
    state.answers.pop(RETURN_TO, None)
    return enter(ConversationState(flow_name, step_id, state.answers), turn, run_callbacks=False)


def condition(fn: Callable[[Any], bool]) -> Callable[[Any, EventData], bool]:
    """A transitions condition written as a question on the model, ignoring the event data."""

    def wrapped(self: Any, event: EventData) -> bool:
        return fn(self)

    wrapped.__name__ = fn.__name__
    wrapped.__doc__ = fn.__doc__
    return wrapped
