"""Getting started and finding your way: /start, the menu, /help, /language, /explain and /delete."""

from __future__ import annotations

from babel import Locale

from flows import scheme
from flows.conversations.commands import help_text
from flows.conversations.engine import (
    MENU,
    NEXT,
    AnswerKind,
    Choice,
    Flow,
    FlowModel,
    Step,
    Turn,
    answer_is,
    condition,
    exit_to,
)
from flows.i18n import N_, available_languages, translator


def language_choices(turn: Turn) -> tuple[Choice, ...]:
    """Each language in its own name, so a resident who reads no English can still find theirs."""
    choices = []
    current = turn.workspace.language  # from the Telegram app's language on first contact: offered first
    for code in sorted(available_languages(), key=lambda code: code != current):
        name = Locale.parse(code).get_display_name() or code
        choices.append(Choice(code, name[:1].upper() + name[1:], literal=True))
    return tuple(choices)


def welcome(turn: Turn) -> str:
    return turn.t.gettext(
        "Hello, I'm Fair Say. I help people who rent from a housing association or a council in England get a "
        "complaint heard: I write the letters, count your landlord's deadlines, remind you, and help you take it to "
        "the Housing Ombudsman.\n\nWhich language would you like me to use?"
    )


class Onboarding(FlowModel):
    def on_enter_role(self, _: object) -> None:
        language = self.answers.get("language")
        if language:
            self.turn.workspace.set_language(language)
            self.turn.t = self.t = translator(language)

    def on_enter_privacy(self, _: object) -> None:
        role = self.answers.get("role")
        if role:
            self.turn.workspace.set_role(role)

    @condition
    def is_language_only(self) -> bool:
        """/language: after choosing, go back to the menu instead of the rest of /start."""
        return bool(self.answers.get("_language_only"))

    def finish(self, _: object) -> None:
        self.answers["_onboarded"] = True
        if self.answers.pop("_language_only", None):
            self.turn.workspace.set_language(self.answers["language"])
            self.turn.t = self.t = translator(self.answers["language"])
            self.turn.say(self.t.gettext("Done: I'll speak to you in this language from now on."))


ONBOARDING = Flow(
    "onboarding",
    [
        Step("language", AnswerKind.CHOICE, welcome, key="language", choices=language_choices),
        Step(
            "role",
            AnswerKind.CHOICE,
            N_("Who are you?"),
            key="role",
            choices=(
                Choice("resident", N_("I rent my home and want to complain")),
                Choice("advocate", N_("I'm helping someone who rents")),
                Choice("landlord_staff", N_("I work for a landlord")),
            ),
        ),
        Step(
            "privacy",
            AnswerKind.NONE,
            N_(
                "Before we start: I keep what you tell me (your answers, dates, letters and files) so that I can count "
                "your deadlines and remind you. I don't share it with anyone unless you ask me to send something. You "
                "can download everything with /export and delete everything with /delete at any time."
            ),
            choices=(Choice("ok", N_("OK, let's start")),),
        ),
    ],
    [
        {
            "trigger": NEXT,
            "source": "language",
            "dest": MENU,
            "conditions": "is_language_only",
            "after": "finish",
        },
        {"trigger": NEXT, "source": "language", "dest": "role"},
        {"trigger": NEXT, "source": "role", "dest": "privacy"},
        {"trigger": NEXT, "source": "privacy", "dest": MENU, "after": "finish"},
    ],
    Onboarding,
    scratch=("_language_only",),
)


MENU_CHOICES = (
    Choice("new", N_("Start a new complaint")),
    Choice("status", N_("My complaints")),
    Choice("explain", N_("How the Housing Ombudsman works")),
    Choice("language", N_("Change language")),
    Choice("help", N_("Help")),
    Choice("person", N_("I need to talk to a person")),
)
ADVOCATE_CHOICES = (Choice("cases", N_("Complaints I help with")), Choice("code", N_("Enter a code")))
STAFF_CHOICES = (Choice("inbox", N_("Complaints inbox")), Choice("compliance", N_("Our compliance figures")))
NEW_STAFF_CHOICES = (Choice("landlord", N_("Register my organisation")), Choice("code", N_("Enter a code")))
SHARING_CHOICES = (Choice("share", N_("Share a complaint with a helper")),)
# Menu choice -> where it leads.
MENU_ROUTES = {
    "new": exit_to("new_complaint", "start"),
    "status": exit_to("tracking", "pick_case"),
    "explain": exit_to("explainer", "topics"),
    "language": exit_to("onboarding", "language"),
    "cases": exit_to("caseload", "list"),
    "code": exit_to("code", "enter"),
    "inbox": exit_to("inbox", "list"),
    "compliance": exit_to("compliance", "show"),
    "landlord": exit_to("landlord", "start"),
    "share": exit_to("share", "pick"),
    "person": exit_to("person", "services"),
}


def menu_choices(turn: Turn) -> tuple[Choice, ...]:
    """The resident's menu, with what an advocate or a landlord's team also needs."""
    people = turn.people
    roles = people.roles()
    extra: tuple[Choice, ...] = ()
    if "landlord_staff" in roles:
        extra += STAFF_CHOICES if people.organisation() is not None else NEW_STAFF_CHOICES
    if "advocate" in roles:
        extra += tuple(c for c in ADVOCATE_CHOICES if c.id not in {e.id for e in extra})
    if turn.workspace.cases():
        extra += SHARING_CHOICES
    if "landlord_staff" in roles or "advocate" in roles:
        return (*extra, *MENU_CHOICES)  # their work first
    return (*MENU_CHOICES[:2], *extra, *MENU_CHOICES[2:])


class Home(FlowModel):
    def forget_choice(self, _: object) -> None:
        self.answers.pop("menu", None)

    def only_language(self, _: object) -> None:
        self.answers["_language_only"] = True

    def show_help(self, _: object) -> None:
        self.turn.say(help_text(self.turn))


HOME = Flow(
    "home",
    [Step("menu", AnswerKind.CHOICE, N_("What would you like to do?"), key="menu", choices=menu_choices)],
    [
        *(
            {
                "trigger": NEXT,
                "source": "menu",
                "dest": dest,
                "conditions": answer_is("menu", choice),
                "before": ["forget_choice", "only_language"] if choice == "language" else "forget_choice",
            }
            for choice, dest in MENU_ROUTES.items()
        ),
        {"trigger": NEXT, "source": "menu", "dest": "menu", "before": "forget_choice", "after": "show_help"},
    ],
    Home,
)


# --- /explain ---------------------------------------------------------------------------------------------


def topic_choices(turn: Turn) -> tuple[Choice, ...]:
    return tuple(Choice(topic.id, topic.title) for topic in scheme.TOPICS)


class Explainer(FlowModel):
    def on_enter_topic(self, _: object) -> None:
        topic = scheme.find_topic(str(self.answers.get("topic", "")))
        if topic is not None:
            self.turn.say(scheme.render_topic(topic, self.t, more=bool(self.answers.pop("_more", False))))

    def forget_choice(self, _: object) -> None:
        self.answers.pop("after_topic", None)

    def read_more(self, _: object) -> None:
        self.answers["_more"] = True


EXPLAINER = Flow(
    "explainer",
    [
        Step(
            "topics",
            AnswerKind.CHOICE,
            N_("What would you like to know about?"),
            key="topic",
            choices=topic_choices,
        ),
        Step(
            "topic",
            AnswerKind.CHOICE,
            N_("Anything else?"),
            key="after_topic",
            choices=(
                Choice("more", N_("Read more")),
                Choice("topics", N_("Other topics")),
                Choice("menu", N_("Back to the menu")),
            ),
        ),
    ],
    [
        {"trigger": NEXT, "source": "topics", "dest": "topic"},
        {
            "trigger": NEXT,
            "source": "topic",
            "dest": "topic",
            "conditions": answer_is("after_topic", "more"),
            "before": ["forget_choice", "read_more"],
        },
        {
            "trigger": NEXT,
            "source": "topic",
            "dest": "topics",
            "conditions": answer_is("after_topic", "topics"),
            "before": "forget_choice",
        },
        {"trigger": NEXT, "source": "topic", "dest": MENU, "before": "forget_choice"},
    ],
    Explainer,
)


# --- /delete --------------------------------------------------------------------------------------------


class Deletion(FlowModel):
    def delete_everything(self, _: object) -> None:
        self.turn.workspace.delete_everything()
        self.answers.clear()
        self.turn.say(
            self.t.gettext(
                "Done. I have deleted everything I held about you: your complaints, dates, letters and files. "
                "If you write to me again, we start afresh."
            )
        )
        self.silent = True  # nothing more to ask: the bot forgets this conversation too

    def keep_everything(self, _: object) -> None:
        self.answers.pop("confirm", None)
        self.turn.say(self.t.gettext("Nothing was deleted."))


DELETION = Flow(
    "delete",
    [
        Step(
            "confirm",
            AnswerKind.CHOICE,
            N_(
                "This deletes everything I hold about you: your complaints, dates, letters and files. It cannot be "
                "undone. You may want to use /export first. Delete everything?"
            ),
            key="confirm",
            choices=(Choice("delete", N_("Yes, delete everything")), Choice("keep", N_("No, keep my data"))),
        ),
    ],
    [
        {
            "trigger": NEXT,
            "source": "confirm",
            "dest": "confirm",
            "conditions": answer_is("confirm", "delete"),
            "after": "delete_everything",
        },
        {"trigger": NEXT, "source": "confirm", "dest": MENU, "after": "keep_everything"},
    ],
    Deletion,
)
