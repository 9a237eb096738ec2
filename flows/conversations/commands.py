"""Every command, declared once: the router dispatches from this table, the Telegram command menu and
/help are built from it. A command names its handler here, so none can be listed without one.

    /start /help /new /status /back /cancel /language /export /delete /explain /menu
    /person (advice services, and telling an advocate the resident would like to talk)
    /share /helpers (a resident's advocates)  /code /cases (an advocate)
    /landlord /inbox /invite /compliance (a landlord's complaints team)
    /portal (a one-time link to the web portal, for teams, advocates and operators)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from flows.conversations.engine import (
    DRAFT,
    RETURN_TO,
    TERMINAL,
    TRAIL,
    AnswerKind,
    ConversationState,
    Turn,
    all_flows,
    back,
    enter,
    flow_named,
    keep_draft_at,
    start,
)
from flows.i18n import N_

# Leaving these flows part-way keeps the answers as a draft to resume.
DRAFT_FLOWS = frozenset({"new_complaint", "complaint", "stage2"})
ONBOARDED = "_onboarded"

Handler = Callable[[ConversationState, Turn], ConversationState]


class Section(StrEnum):
    """Who a command is for, which is where /help lists it."""

    RESIDENTS = "residents"
    ADVOCATES_AND_TEAMS = "advocates_and_teams"  # needs the bot's People (other people's complaints)
    UNLISTED = "unlisted"  # /start, /menu, /help itself and the terminal's /continue


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    run: Handler
    section: Section
    menu: str | None = None  # a msgid: its description in Telegram's command menu; None: not there
    help: str | None = None  # a msgid: its line in /help; None: not listed (or on another's line)
    # Shows something and asks the same question again: a message held for "use it?" is still asked about.
    stays: bool = False
    # Works before the privacy notice has been seen (the others would skip it, and the role).
    before_onboarding: bool = False


def keep_draft(state: ConversationState) -> None:
    if state.flow in DRAFT_FLOWS and flow_named(state.flow).by_id[state.state].kind is not AnswerKind.NONE:
        keep_draft_at(state.answers, state.flow, state.state)


def leave(state: ConversationState) -> None:
    """Before another flow starts: keep a half-written complaint, forget the way back and what the
    flow left kept only for its next question."""
    keep_draft(state)
    for key in (TRAIL, RETURN_TO, *scratch_keys()):
        state.answers.pop(key, None)


@cache
def scratch_keys() -> frozenset[str]:
    """Every flow's `scratch` answers: none is wanted once a command leaves for another flow."""
    return frozenset(key for flow in all_flows() for key in flow.scratch)


def unknown_command(state: ConversationState, turn: Turn) -> ConversationState:
    turn.say(turn.t.gettext("I don't know that command. Type /help to see what I can do."))
    return enter(state, turn, run_callbacks=False)


def opens(flow: str, step: str | None = None) -> Handler:
    """A command that leaves the current flow for `flow` (at `step`, or its first)."""

    def run(state: ConversationState, turn: Turn) -> ConversationState:
        leave(state)
        return start(flow, turn, state.answers, step)

    run.__name__ = f"opens_{flow}"
    return run


def opens_for_people(flow: str) -> Handler:
    """Like `opens`, for a command about other people's complaints, which needs the bot's People."""

    def run(state: ConversationState, turn: Turn) -> ConversationState:
        leave(state)
        return start(flow, turn, state.answers)

    run.__name__ = f"opens_{flow}"
    return run


def _help(state: ConversationState, turn: Turn) -> ConversationState:
    turn.say(help_text(turn))
    return enter(state, turn, run_callbacks=False)


def _export(state: ConversationState, turn: Turn) -> ConversationState:
    turn.say(
        turn.t.gettext("Here is everything I hold about you, in one file."),
        document=turn.workspace.export_all(),
    )
    return enter(state, turn, run_callbacks=False)


def _continue(state: ConversationState, turn: Turn) -> ConversationState:
    """The terminal chat starting again: show where we are."""
    return enter(state, turn, run_callbacks=False)


def _start(state: ConversationState, turn: Turn) -> ConversationState:
    if not state.answers.get(ONBOARDED):
        return start("onboarding", turn, state.answers)
    leave(state)
    return start("home", turn, state.answers, "menu")


def _cancel(state: ConversationState, turn: Turn) -> ConversationState:
    leave(state)
    if DRAFT in state.answers:
        turn.say(
            turn.t.gettext(
                "OK, I've stopped. Your answers are saved: choose “Start a new complaint” to carry on."
            )
        )
    else:
        turn.say(turn.t.gettext("OK, I've stopped."))
    return start("home", turn, state.answers, "menu")


def _language(state: ConversationState, turn: Turn) -> ConversationState:
    if not state.answers.get(ONBOARDED):  # the privacy notice is not skipped by choosing a language first
        return _start(state, turn)
    leave(state)
    state.answers["_language_only"] = True
    return start("onboarding", turn, state.answers, "language")


_R, _H, _U = Section.RESIDENTS, Section.ADVOCATES_AND_TEAMS, Section.UNLISTED

# In the order of Telegram's menu; /help lists each section's lines in this order too.
COMMANDS: tuple[Command, ...] = (
    Command(
        "new",
        opens("new_complaint"),
        _R,
        N_("Start a new complaint"),
        N_("/new: start a new complaint"),
    ),
    Command(
        "status",
        opens("tracking"),
        _R,
        N_("Your complaints and their deadlines"),
        N_("/status: your complaints, their deadlines and what to do next"),
    ),
    Command(
        "explain",
        opens("explainer"),
        _R,
        N_("The Housing Ombudsman in plain words"),
        N_("/explain: the Housing Ombudsman and your rights, in plain words"),
    ),
    Command(
        "back",
        back,
        _R,
        N_("Go back one question"),
        N_("/back: go back one question (your answers are kept)"),
        before_onboarding=True,
    ),
    Command(
        "cancel",
        _cancel,
        _R,
        N_("Stop, keeping your answers"),
        N_("/cancel: stop what we're doing (your answers are kept to finish later)"),
    ),
    Command(
        "share",
        opens_for_people("share"),
        _H,
        N_("Let someone helping you see a complaint"),
        N_("/share: let someone helping you see a complaint"),
    ),
    Command(
        "helpers",
        opens_for_people("helpers"),
        _H,
        help=N_("/helpers: see and remove who can see your complaints"),
    ),
    Command(
        "code",
        opens_for_people("code"),
        _H,
        N_("Enter a code you were given"),
        N_("/code: enter a code you were given"),
    ),
    Command(
        "cases",
        opens_for_people("caseload"),
        _H,
        N_("Complaints you help with"),
        N_("/cases: the complaints you help with"),
    ),
    Command(
        "landlord",
        opens_for_people("landlord"),
        _H,
        help=N_("/landlord, /inbox, /invite, /compliance: for landlords' complaints teams"),
    ),
    Command("inbox", opens_for_people("inbox"), _H, N_("Complaints sent to your organisation")),
    Command("invite", opens_for_people("invite"), _H),
    Command("compliance", opens_for_people("compliance"), _H),
    Command(
        "portal",
        opens_for_people("portal"),
        _H,
        N_("A sign-in link to the web portal"),
        N_("/portal: a sign-in link to the web portal, for teams and helpers"),
    ),
    Command(
        "language",
        _language,
        _R,
        N_("Change language"),
        N_("/language: change language"),
        before_onboarding=True,
    ),
    Command(
        "export",
        _export,
        _R,
        N_("Download everything I hold about you"),
        N_("/export: download everything I hold about you"),
        stays=True,
        before_onboarding=True,
    ),
    Command(
        "delete",
        opens("delete"),
        _R,
        N_("Delete everything I hold about you"),
        N_("/delete: delete everything I hold about you"),
        before_onboarding=True,
    ),
    Command("help", _help, _U, N_("What I can do"), stays=True, before_onboarding=True),
    Command(
        "person",
        opens("person"),
        _R,
        N_("I need to talk to a person"),
        N_("/person: I need to talk to a person (advice services, or telling someone who helps you)"),
        before_onboarding=True,
    ),
    Command("start", _start, _U, before_onboarding=True),
    Command("menu", opens("home", "menu"), _U),
    Command("continue", _continue, _U, before_onboarding=True),
)
BY_NAME = {command.name: command for command in COMMANDS}


def help_text(turn: Turn) -> str:
    t = turn.t

    def lines(section: Section) -> list[str]:
        return [t.gettext(c.help) for c in COMMANDS if c.section is section and c.help is not None]

    residents = [t.gettext("Here is what I can do:"), *lines(Section.RESIDENTS)]
    if turn.channel == TERMINAL:  # the terminal's own commands (bot/terminal.py)
        residents += [
            t.gettext("/file PATH: send a photo or document from your computer, when I ask for evidence"),
            t.gettext("/quit: leave the chat (everything is kept, and next time we carry on)"),
        ]
    others = [t.gettext("Helpers and landlords:"), *lines(Section.ADVOCATES_AND_TEAMS)]
    return (
        "\n".join(residents)
        + "\n\n"
        + t.gettext("You can also just tell me what's wrong, in your own words.")
        + "\n\n"
        + "\n".join(others)
    )


def menu_entries() -> list[tuple[str, str]]:
    """Telegram's command menu: (command, description msgid), in the table's order."""
    return [(c.name, c.menu) for c in COMMANDS if c.menu is not None]
