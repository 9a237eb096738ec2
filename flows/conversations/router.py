"""One update in, replies out: buttons that work anywhere, commands (flows.conversations.commands),
then the current step's answer.

Before anything else, a typed message is read for a crisis (flows.conversations.safety). A command
never loses answers: leaving a complaint half-written keeps it as a draft to resume. Free text on the
menu gets a helpful answer (a complaint in the resident's own words is recognised).
"""

from __future__ import annotations

from flows.conversations import home, safety
from flows.conversations import registry as _registry  # noqa: F401  (imported, it hands every flow to the engine)
from flows.conversations.commands import BY_NAME, ONBOARDED, leave, unknown_command
from flows.conversations.engine import ConversationState, Turn, accept, enter, flow_named, read_answer, start
from flows.conversations.mail import answer_mail_button
from flows.conversations.new_complaint import NOTICED_TOPICS
from flows.conversations.types import Incoming
from flows.mail_replies import MAIL_BUTTON
from flows.routing import remit_limits_said
from flows.submissions import LANDLORD_BUTTON, files_ref, parse_landlord_button
from flows.triage.parsing import parse_topics
from flows.triage.rendering import subject_label

CASE_BUTTON = "case:"  # a button under a reminder: open that complaint's status, wherever we were
APPROVE_BUTTON = "approve:"  # "approve:<stage2|referral>:<ref>": a resident approving an advocate's proposal


def case_button_data(ref: str) -> str:
    return CASE_BUTTON + ref


def open_case_status(state: ConversationState, ref: str, turn: Turn) -> ConversationState:
    if turn.workspace.case(ref) is None:
        turn.say(turn.t.gettext("I can't find that complaint any more."))
        return enter(state, turn, run_callbacks=False)
    leave(state)  # as a command would: a half-written complaint kept, the way back starts here
    state.answers["case"] = ref
    return start("tracking", turn, state.answers, "status")


def approve_button_data(what: str, ref: str) -> str:
    return f"{APPROVE_BUTTON}{what}:{ref}"


def _approve(state: ConversationState, data: str, turn: Turn) -> ConversationState:
    """An advocate proposed a step; the resident goes through it themselves, so nothing is sent unseen."""
    what, _, ref = data.removeprefix(APPROVE_BUTTON).partition(":")
    record = turn.workspace.case(ref)
    if record is None or turn.people.role_on(ref) != "owner":
        turn.say(turn.t.gettext("I can't find that complaint any more."))
        return enter(state, turn, run_callbacks=False)
    leave(state)  # as a command would: a half-written complaint kept, the way back starts here
    state.answers["case"] = ref
    if what == "referral":
        return start("referral", turn, state.answers, "explain")
    return start("stage2", turn, state.answers, "why")


def _landlord_files(state: ConversationState, ref: str, turn: Turn) -> ConversationState:
    """The complaint's letter and evidence for its landlord's team, where the question was left."""
    documents = turn.people.landlord_files(ref)
    if documents is None:
        turn.say(turn.t.gettext("I can't find that complaint in your organisation's inbox."))
    else:
        from flows.conversations.landlord import show_case

        for document in documents:
            turn.say(document.filename, document=document)
        show_case(turn, ref)  # the case again, with its buttons: the next step is one tap
    return enter(state, turn, run_callbacks=False)


def _landlord_button(state: ConversationState, data: str, turn: Turn) -> ConversationState:
    ref = files_ref(data)
    if ref is not None:
        return _landlord_files(state, ref, turn)
    parsed = parse_landlord_button(data)
    if parsed is None:
        return enter(state, turn, run_callbacks=False)
    action, ref = parsed
    leave(state)  # as a command would: a half-written complaint kept, the way back starts here
    state.answers.update({"ll_case": ref, "ll_action": action.value})
    return start("landlord_action", turn, state.answers)


def command_of(incoming: Incoming) -> str | None:
    text = (incoming.text or "").strip()
    if not text.startswith("/"):
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if len(text) > 1 else ""


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
    if incoming.button is not None and incoming.button.startswith(CASE_BUTTON):
        return open_case_status(state, incoming.button.removeprefix(CASE_BUTTON), turn)
    if incoming.button is not None and incoming.button.startswith("/"):  # a button that runs a command
        return respond(state, Incoming(text=incoming.button), turn)
    if incoming.button is not None and incoming.button.startswith(APPROVE_BUTTON):
        return _approve(state, incoming.button, turn)
    if incoming.button is not None and incoming.button.startswith(LANDLORD_BUTTON):
        return _landlord_button(state, incoming.button, turn)
    if incoming.button is not None and incoming.button.startswith(MAIL_BUTTON):
        return answer_mail_button(state, incoming.button, turn)
    command = command_of(incoming)
    if command is not None:
        return _command(command, state, turn)
    if state.flow == "home" and state.state == "menu" and incoming.text and incoming.button is None:
        return _free_text_on_menu(state, incoming, turn)
    return accept(flow_named(state.flow), state, incoming, turn)


def _about_held(incoming: Incoming) -> bool:
    """An answer to "use it?", or a command that shows something and asks it again."""
    if incoming.button is not None:
        return incoming.button.startswith("held.keep:")
    name = command_of(incoming)
    return incoming.text is not None and (name is None or (name in BY_NAME and BY_NAME[name].stays))


def _command(name: str, state: ConversationState, turn: Turn) -> ConversationState:
    command = BY_NAME.get(name)
    if command is None:
        return unknown_command(state, turn)
    if state.flow == "onboarding" and not state.answers.get(ONBOARDED) and not command.before_onboarding:
        # /new, /status, /cancel... would skip "who are you?" and the privacy notice: answer it first
        turn.say(turn.t.gettext("Please choose one of the options below: tap a button or type its number."))
        return enter(state, turn, run_callbacks=False)
    return command.run(state, turn)


def _free_text_on_menu(state: ConversationState, incoming: Incoming, turn: Turn) -> ConversationState:
    """A resident who just says what's wrong: recognise a complaint, else show what I can do."""
    text = incoming.text or ""
    flow = flow_named("home")
    value, _ = read_answer(flow.by_id["menu"], incoming, turn)
    if isinstance(value, str) and value in {choice.id for choice in home.menu_choices(turn)}:
        return accept(flow, state, incoming, turn)
    topics = parse_topics(text)
    if topics:
        lines = [
            turn.t.gettext(
                "It sounds like your complaint is about: {subject}. I can help you complain about it: choose "
                "“Start a new complaint”."
            ).format(subject="; ".join(subject_label(topic, turn.t) for topic in topics))
        ]
        lines += remit_limits_said(topics, turn.t)  # the remit, said at once in one plain sentence each
        turn.say("\n\n".join(lines))
        # Kept (ids only, never the words) for the next new complaint's topics (new_complaint.start_topics).
        state.answers[NOTICED_TOPICS] = [topic.value for topic in topics]
    else:
        turn.say(turn.t.gettext("I'm not sure I understood. Here is what I can do for you:"))
    return enter(state, turn, run_callbacks=False)


__all__ = ["respond"]
