"""One update in, replies out: commands that work anywhere, then the current step's answer.

    /start /help /new /status /back /cancel /language /export /delete /explain /menu
    /person (advice services, and telling a helper the resident would like to talk)
    /share /helpers (a resident's helpers)  /code /cases (a helper)
    /landlord /inbox /invite /compliance (a landlord's complaints team)
    /portal (a one-time link to the web portal, for teams, helpers and operators)

Before anything else, a typed message is read for a crisis (flows.conversations.safety). A command
never loses answers: leaving a complaint half-written keeps it as a draft to resume. Free text on the
menu gets a helpful answer (a complaint in the resident's own words is recognised).
"""

from __future__ import annotations

from flows.conversations import complaint, home, landlord, new_complaint, people, safety, status
from flows.conversations.engine import (
    ConversationState,
    Flow,
    Incoming,
    Turn,
    accept,
    back,
    enter,
    read_answer,
    start,
)
from flows.submissions import LANDLORD_BUTTON, parse_landlord_button
from flows.triage import Subject, parse_subject, subject_label

COMMANDS = (
    "start",
    "help",
    "new",
    "status",
    "back",
    "cancel",
    "language",
    "export",
    "delete",
    "explain",
    "menu",
    "share",
    "helpers",
    "code",
    "cases",
    "landlord",
    "inbox",
    "invite",
    "compliance",
    "portal",
    "person",
)
# Commands that are about other people, and the flow each starts.
PEOPLE_COMMANDS = {
    "share": "share",
    "helpers": "helpers",
    "code": "code",
    "cases": "caseload",
    "landlord": "landlord",
    "inbox": "inbox",
    "invite": "invite",
    "compliance": "compliance",
    "portal": "portal",
}
# Commands that show something and come back to the same question: a held message is still asked about.
KEEP_HELD_COMMANDS = ("help", "export")
# Leaving these flows part-way keeps the answers as a draft to resume.
DRAFT_FLOWS = frozenset({"new_complaint", "complaint", "stage2"})
ONBOARDED = "_onboarded"
CASE_BUTTON = "case:"  # a button under a reminder: open that complaint's status, wherever we were
APPROVE_BUTTON = "approve:"  # "approve:<stage2|referral>:<ref>": a resident approving a helper's proposal


def case_button_data(ref: str) -> str:
    return CASE_BUTTON + ref


def open_case_status(state: ConversationState, ref: str, turn: Turn) -> ConversationState:
    if turn.workspace.case(ref) is None:
        turn.say(turn.t.gettext("I can't find that complaint any more."))
        return enter(state, turn, run_callbacks=False)
    _keep_draft(state)
    state.answers["case"] = ref
    return start("tracking", turn, state.answers, "status")


def approve_button_data(what: str, ref: str) -> str:
    return f"{APPROVE_BUTTON}{what}:{ref}"


def _approve(state: ConversationState, data: str, turn: Turn) -> ConversationState:
    """A helper proposed a step; the resident goes through it themselves, so nothing is sent unseen."""
    what, _, ref = data.removeprefix(APPROVE_BUTTON).partition(":")
    record = turn.workspace.case(ref)
    if record is None or (turn.people is not None and turn.people.role_on(ref) != "owner"):
        turn.say(turn.t.gettext("I can't find that complaint any more."))
        return enter(state, turn, run_callbacks=False)
    _keep_draft(state)
    state.answers["case"] = ref
    if what == "referral":
        return start("referral", turn, state.answers, "explain")
    return start("stage2", turn, state.answers, "why")


def _landlord_button(state: ConversationState, data: str, turn: Turn) -> ConversationState:
    parsed = parse_landlord_button(data)
    if parsed is None or turn.people is None:
        return enter(state, turn, run_callbacks=False)
    action, ref = parsed
    _keep_draft(state)
    state.answers.update({"ll_case": ref, "ll_action": action.value})
    return start("landlord_action", turn, state.answers)


def command_of(incoming: Incoming) -> str | None:
    text = (incoming.text or "").strip()
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""


def _keep_draft(state: ConversationState) -> None:
    flow = Flow.registry[state.flow]
    if state.flow in DRAFT_FLOWS and flow.by_id[state.state].kind != "none":
        state.answers["_draft"] = [state.flow, state.state]


def respond(state: ConversationState | None, incoming: Incoming, turn: Turn) -> ConversationState:
    """The new conversation state after one update; the replies are in `turn.replies`."""
    if state is not None and state.flow == "held" and not _about_held(incoming):
        state = safety.release(state)  # a command, a file or another button: the held message is left out
        if command_of(incoming) == "back":
            return enter(state, turn, run_callbacks=False)  # one step back: the question it was typed at
    after_crisis = safety.crisis_first(state, incoming, turn)
    if after_crisis is not None:
        return after_crisis
    if state is None:
        return start("onboarding", turn)
    if state.flow == "held" and command_of(incoming) is None:
        return safety.answer_held(state, incoming, turn)
    if incoming.button is not None and incoming.button.startswith(CASE_BUTTON):
        return open_case_status(state, incoming.button.removeprefix(CASE_BUTTON), turn)
    if incoming.button is not None and incoming.button.startswith("/"):  # a button that runs a command
        return respond(state, Incoming(text=incoming.button), turn)
    if incoming.button is not None and incoming.button.startswith(APPROVE_BUTTON):
        return _approve(state, incoming.button, turn)
    if incoming.button is not None and incoming.button.startswith(LANDLORD_BUTTON):
        return _landlord_button(state, incoming.button, turn)
    command = command_of(incoming)
    if command is not None:
        return _command(command, state, incoming, turn)
    if state.flow == "home" and state.state == "menu" and incoming.text and incoming.button is None:
        return _free_text_on_menu(state, incoming, turn)
    return accept(Flow.registry[state.flow], state, incoming, turn)


def _about_held(incoming: Incoming) -> bool:
    """An answer to "use it?", or a command that shows something and asks it again."""
    if incoming.button is not None:
        return incoming.button.startswith("keep:")
    return incoming.text is not None and command_of(incoming) in (None, *KEEP_HELD_COMMANDS)


def _command(command: str, state: ConversationState, incoming: Incoming, turn: Turn) -> ConversationState:
    t = turn.t
    answers = state.answers
    if command == "back":
        return back(state, turn)
    if command == "continue":  # the terminal chat starting again: show where we are
        return enter(state, turn, run_callbacks=False)
    if command == "help":
        turn.say(home.help_text(turn))
        return enter(state, turn, run_callbacks=False)
    if command == "export":
        turn.say(
            t.gettext("Here is everything I hold about you, in one file."),
            document=turn.workspace.export_all(),
        )
        return enter(state, turn, run_callbacks=False)
    if command not in COMMANDS:
        turn.say(t.gettext("I don't know that command. Type /help to see what I can do."))
        return enter(state, turn, run_callbacks=False)
    if command == "start" and not answers.get(ONBOARDED):
        return start("onboarding", turn, answers)
    _keep_draft(state)
    answers.pop("_trail", None)
    answers.pop("_return_to", None)
    if command == "cancel":
        if "_draft" in answers:
            turn.say(
                t.gettext(
                    "OK, I've stopped. Your answers are saved: choose “Start a new complaint” to carry on."
                )
            )
        else:
            turn.say(t.gettext("OK, I've stopped."))
        return start("home", turn, answers, "menu")
    if command == "start" or command == "menu":
        return start("home", turn, answers, "menu")
    if command == "new":
        return start("new_complaint", turn, answers)
    if command == "status":
        return start("tracking", turn, answers)
    if command == "language":
        answers["_language_only"] = True
        return start("onboarding", turn, answers, "language")
    if command == "delete":
        return start("delete", turn, answers)
    if command == "person":
        return start("person", turn, answers)
    if command in PEOPLE_COMMANDS:
        if turn.people is None:  # a single-resident chat with nobody else (tests)
            turn.say(t.gettext("I don't know that command. Type /help to see what I can do."))
            return start("home", turn, answers, "menu")
        return start(PEOPLE_COMMANDS[command], turn, answers)
    return start("explainer", turn, answers)  # explain


def _free_text_on_menu(state: ConversationState, incoming: Incoming, turn: Turn) -> ConversationState:
    """A resident who just says what's wrong: recognise a complaint, else show what I can do."""
    text = incoming.text or ""
    flow = Flow.registry["home"]
    value, _ = read_answer(flow.by_id["menu"], incoming, turn)
    if isinstance(value, str) and value in {choice.id for choice in home.menu_choices(turn)}:
        return accept(flow, state, incoming, turn)
    subject = parse_subject(text)
    if subject is not Subject.OTHER:
        turn.say(
            turn.t.gettext(
                "It sounds like your complaint is about: {subject}. I can help you complain about it: choose "
                "“Start a new complaint”."
            ).format(subject=subject_label(subject, turn.t))
        )
    else:
        turn.say(turn.t.gettext("I'm not sure I understood. Here is what I can do for you:"))
    return enter(state, turn, run_callbacks=False)


__all__ = ["COMMANDS", "complaint", "landlord", "new_complaint", "people", "respond", "status"]
