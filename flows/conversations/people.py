"""Advocates (support workers, advice charities, family): a resident shares one complaint with a one-time
code (/share), sees and removes everyone who can see their complaints (/helpers); an advocate enters the
code (/code), and follows their caseload (/cases) with a daily summary of what is due.

Consent is recorded per complaint with its scope: "view" (see it) or "act" (also record the
landlord's replies and propose letters, which the resident approves in their own chat before
anything is sent). Every check of who may see what is made by the bot (`People`), never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from flows.access_times import (
    CONSENT_CODE_LIFETIME,
    FAILED_CODES_WINDOW,
    STAFF_CODE_LIFETIME,
    whole_days,
    whole_hours,
    whole_minutes,
)
from flows.conversations.engine import (
    ARRIVE,
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
from flows.conversations.workspace import CaseRecord, People
from flows.i18n import N_, Translator
from flows.staff_view import ListRow, TimelineRow, clock_label, clock_text, deadline_order, timeline_row
from flows.submissions import is_overdue, next_due
from flows.timeline import build_timeline

DIGEST_HOURS = (8, 9, 12, 17)  # outside the quiet hours (21:00-08:00), when nothing is sent
MAX_LISTED = 20  # buttons in one message: more would bury the menu


def people_of(turn: Turn) -> People:
    return turn.people


def caseload_order(records: list[CaseRecord], today: date) -> list[CaseRecord]:
    """Missed deadlines first, then by the next deadline; complaints with nothing due last."""
    return sorted(records, key=lambda record: deadline_order(build_timeline(record.case, today)))


def caseload_line(record: CaseRecord, today: date, t: Translator) -> str:
    timeline = build_timeline(record.case, today)
    due = next_due(timeline)
    name = record.landlord_name[:30]
    if due is None:
        return t.gettext("{ref} · {landlord}: nothing due").format(ref=record.ref, landlord=name)
    if is_overdue(timeline):
        return t.gettext("❗ {ref} · {landlord}: missed {date}").format(
            ref=record.ref, landlord=name, date=t.format_date(due)
        )
    return t.gettext("⏳ {ref} · {landlord}: due {date}").format(
        ref=record.ref, landlord=name, date=t.format_date(due)
    )


DIGEST_HORIZON = timedelta(days=7)  # an advocate's daily summary lists what falls due this far ahead


def digest_text(records: list[CaseRecord], today: date, t: Translator) -> str | None:
    """The deadlines missed, or due within `DIGEST_HORIZON`, across an advocate's caseload, in the
    words of the inbox and caseload (flows.staff_view): "stage 1 acknowledgement: Due …, under Code 6.2 (2024): …"."""
    rows = [timeline_row(record.ref, record.case, today) for record in records]
    ordered: list[TimelineRow] = sorted(rows, key=lambda row: deadline_order(row.timeline))
    return digest_of_rows(ordered, today, t)


def digest_of_rows(rows: Iterable[TimelineRow | ListRow], today: date, t: Translator) -> str | None:
    """`digest_text` from rows already in the caseload's order (the kept clocks' rows, bot.services.notices)."""
    lines = []
    horizon_end = today + DIGEST_HORIZON
    for row in rows:
        for clock in row.clocks:
            if clock.missed or clock.due <= horizon_end:
                line = t.gettext("{ref}, {deadline}: {clock}").format(
                    ref=row.ref, deadline=clock_label(clock, t), clock=clock_text(clock, t)
                )
                lines.append(("❗ " if clock.missed else "⏳ ") + line)
    if not lines:
        return None
    return (
        t.gettext(
            "Your daily summary: deadlines missed, or due in the next {days} days, in the complaints you help with."
        ).format(days=t.format_number(whole_days(DIGEST_HORIZON)))
        + "\n\n"
        + ("\n".join(lines))
    )


def delivery_choice(turn: Turn) -> tuple[Choice, ...]:
    """ "Send it for me", offered first when the landlord receives complaints through Fair Say."""
    ref = str(turn.answers.get("case", ""))
    landlord = turn.people.delivers_to(ref) if ref else None
    if not landlord:
        return ()
    return (
        Choice(
            "deliver", turn.t.gettext("Send it to {landlord} for me").format(landlord=landlord), literal=True
        ),
    )


# --- /share: a resident gives an advocate access to one complaint ----------------------------------------


def own_case_choices(turn: Turn) -> tuple[Choice, ...]:
    return tuple(
        Choice(record.ref, f"{record.ref} · {record.landlord_name[:30]}", literal=True)
        for record in turn.workspace.cases()
    )


class Share(FlowModel):
    @condition
    def has_no_complaint(self) -> bool:
        return not self.turn.workspace.cases()

    @condition
    def has_one_complaint(self) -> bool:
        return len(self.turn.workspace.cases()) == 1

    def say_nothing_to_share(self, _: object) -> None:
        self.turn.say(self.t.gettext("You have no complaints with me yet, so there is nothing to share."))

    def pick_the_only_complaint(self, _: object) -> None:
        self.answers["share_case"] = self.turn.workspace.cases()[0].ref

    def give_code(self, _: object) -> None:
        a = self.answers
        ref, scope = a.pop("share_case"), a.pop("share_scope")
        code = people_of(self.turn).share_code(ref, scope)
        spaced = f"{code[:5]} {code[5:]}"
        self.turn.say(
            self.t.gettext(
                "Give this code to the person helping you: {code}\n\nThey open Fair Say, type /code and enter it. It "
                "works once, for {hours} hours, and only for complaint {ref}. I'll tell you when they have used "
                "it. You can remove them at any time with /helpers."
            ).format(code=spaced, ref=ref, hours=self.t.format_number(whole_hours(CONSENT_CODE_LIFETIME)))
        )


SHARE = Flow(
    "share",
    [
        Step(
            "pick",
            AnswerKind.CHOICE,
            N_("Which complaint do you want to share?"),
            key="share_case",
            choices=own_case_choices,
        ),
        Step(
            "scope",
            AnswerKind.CHOICE,
            N_(
                "What may your helper do?\n\n“See it”: they can see the complaint, its dates and letters.\n“See it "
                "and act for me”: they can also record your landlord's replies and prepare letters, which you approve "
                "here before anything is sent.\n\nLetters will say that they help you, with your consent "
                "(Complaint Handling Code 1.3)."
            ),
            key="share_scope",
            choices=(Choice("view", N_("See it")), Choice("act", N_("See it and act for me"))),
        ),
    ],
    [
        {
            "trigger": ARRIVE,
            "source": "pick",
            "dest": MENU,
            "conditions": "has_no_complaint",
            "after": "say_nothing_to_share",
        },
        {
            "trigger": ARRIVE,
            "source": "pick",
            "dest": "scope",
            "conditions": "has_one_complaint",
            "before": "pick_the_only_complaint",
        },
        {"trigger": NEXT, "source": "pick", "dest": "scope"},
        {"trigger": NEXT, "source": "scope", "dest": MENU, "after": "give_code"},
    ],
    Share,
)


# --- /helpers: who can see my complaints, and removing them --------------------------------------------


def advocate_choices(turn: Turn) -> tuple[Choice, ...]:
    t = turn.t
    choices = []
    for advocate in people_of(turn).advocates():
        scope = t.gettext("can act") if advocate.scope == "act" else t.gettext("can see")
        label = t.gettext("Remove {name} ({ref}, {scope})").format(
            name=advocate.name, ref=advocate.ref, scope=scope
        )
        choices.append(Choice(str(advocate.link_id), label, literal=True))
    return (*choices, Choice("menu", N_("Back to the menu")))


def advocates_prompt(turn: Turn) -> str:
    t = turn.t
    advocates = people_of(turn).advocates()
    lines = [
        t.gettext("• {name} · complaint {ref} · {scope} · since {date}").format(
            name=advocate.name,
            ref=advocate.ref,
            scope=t.gettext("can see it and act for you")
            if advocate.scope == "act"
            else t.gettext("can see it"),
            date=t.format_date(advocate.since),
        )
        for advocate in advocates
    ]
    return (
        t.gettext("These people can see your complaints:")
        + "\n"
        + "\n".join(lines)
        + "\n\n"
        + t.gettext("Removing someone takes effect at once.")
    )


class Advocates(FlowModel):
    @condition
    def has_no_advocate(self) -> bool:
        return not people_of(self.turn).advocates()

    def say_nobody(self, _: object) -> None:
        self.turn.say(
            self.t.gettext("Nobody else can see your complaints. To let a helper see one, type /share.")
        )

    def forget_choice(self, _: object) -> None:
        self.answers.pop("advocate", None)

    def remove_advocate(self, _: object) -> None:
        choice = self.answers.pop("advocate", "menu")
        people = people_of(self.turn)
        advocate = next((h for h in people.advocates() if str(h.link_id) == choice), None)
        if advocate is not None and people.remove_advocate(advocate.link_id):
            self.turn.say(
                self.t.gettext("Done: {name} can no longer see complaint {ref}.").format(
                    name=advocate.name, ref=advocate.ref
                )
            )


ADVOCATES = Flow(
    "helpers",
    [
        Step("list", AnswerKind.CHOICE, advocates_prompt, key="advocate", choices=advocate_choices),
    ],
    [
        {
            "trigger": ARRIVE,
            "source": "list",
            "dest": MENU,
            "conditions": "has_no_advocate",
            "after": "say_nobody",
        },
        {
            "trigger": NEXT,
            "source": "list",
            "dest": MENU,
            "conditions": answer_is("advocate", "menu"),
            "before": "forget_choice",
        },
        {"trigger": NEXT, "source": "list", "dest": "list", "before": "remove_advocate"},
    ],
    Advocates,
)


# --- /code: an advocate (or a landlord's new colleague) enters a code ---------------------------------------


def check_code(text: str, turn: Turn) -> str | None:
    letters = [ch for ch in text if ch.isalnum()]
    if not 8 <= len(letters) <= 12:
        return turn.t.gettext("A code has 10 letters and numbers, like “7KQ2M XH4PD”. Please type it again.")
    return None


class Code(FlowModel):
    outcome: str | None = None  # of the code just entered, for the routing after it

    def on_enter_redeem(self, _: object) -> None:
        result = people_of(self.turn).redeem_code(str(self.answers.pop("code", "")))
        self.outcome = result.outcome
        t = self.t
        if result.outcome == "linked":
            self.turn.say(
                t.gettext(
                    "Thank you. You can now see complaint {ref}. Type /cases to see the complaints you help with."
                ).format(ref=result.ref)
            )
        elif result.outcome == "joined":
            self.turn.say(
                t.gettext(
                    "Welcome to {landlord}'s complaints team. Type /inbox to see the complaints you receive."
                ).format(landlord=result.landlord)
            )
        elif result.outcome == "slow_down":
            self.turn.say(
                t.gettext(
                    "Too many codes didn't work, so I've paused code entry for up to {minutes} minutes. Please "
                    "try again later."
                ).format(minutes=t.format_number(whole_minutes(FAILED_CODES_WINDOW)))
            )
        elif result.outcome == "own_case":
            self.turn.say(
                t.gettext("That code is for your own complaint: give it to the person helping you.")
            )
        else:
            self.turn.say(
                t.gettext(
                    "That code doesn't work. It may be mistyped or already used, or it has run out: a resident's "
                    "code lasts {hours} hours, a colleague's invitation {days} days. Please check it, or ask for a "
                    "new one."
                ).format(
                    hours=t.format_number(whole_hours(CONSENT_CODE_LIFETIME)),
                    days=t.format_number(whole_days(STAFF_CODE_LIFETIME)),
                )
            )

    @condition
    def is_new_advocate(self) -> bool:
        """Linked to a resident's complaint, and residents don't know this advocate's name yet."""
        return self.outcome == "linked" and not people_of(self.turn).display_name()

    @condition
    def is_new_colleague(self) -> bool:
        return self.outcome == "joined" and not people_of(self.turn).display_name()

    def save_name(self, _: object) -> None:
        people_of(self.turn).set_display_name(str(self.answers.pop("display_name")))
        self.turn.say(self.t.gettext("Thank you."))


CODE = Flow(
    "code",
    [
        Step(
            "enter",
            AnswerKind.TEXT,
            N_("Please type the code you were given."),
            key="code",
            max_length=40,
            check=check_code,
            records=True,  # a code works once
        ),
        Step(
            "name",
            AnswerKind.TEXT,
            N_(
                "What name should residents and landlords see for you? For example “Sam Patel, Citizens Advice”. "
                "Letters will say that you help, with the resident's consent."
            ),
            key="display_name",
            max_length=120,
        ),
        Step(
            "staff_name",
            AnswerKind.TEXT,
            N_(
                "What name should residents see for you when you answer their complaints? For example “Jo Smith, "
                "Complaints Team”."
            ),
            key="display_name",
            max_length=120,
        ),
    ],
    [
        {"trigger": NEXT, "source": "enter", "dest": "redeem"},
        {"trigger": ARRIVE, "source": "redeem", "dest": "name", "conditions": "is_new_advocate"},
        {"trigger": ARRIVE, "source": "redeem", "dest": "staff_name", "conditions": "is_new_colleague"},
        {"trigger": ARRIVE, "source": "redeem", "dest": MENU},
        {"trigger": NEXT, "source": "name", "dest": MENU, "after": "save_name"},
        {"trigger": NEXT, "source": "staff_name", "dest": MENU, "after": "save_name"},
    ],
    Code,
)


# --- /cases: an advocate's caseload -----------------------------------------------------------------------


def caseload_prompt(turn: Turn) -> str:
    t = turn.t
    records = caseload_order(people_of(turn).caseload(), turn.today)
    lines = [caseload_line(record, turn.today, t) for record in records]
    hour = people_of(turn).digest_hour()
    digest = (
        t.gettext("Daily summary: at {hour}:00.").format(hour=hour)
        if hour is not None
        else t.gettext("Daily summary: off.")
    )
    return "\n\n".join(
        [t.gettext("The complaints you help with, most urgent first:"), "\n".join(lines), digest]
    )


def caseload_choices(turn: Turn) -> tuple[Choice, ...]:
    records = caseload_order(people_of(turn).caseload(), turn.today)[:MAX_LISTED]
    return (
        *(
            Choice(record.ref, f"{record.ref} · {record.landlord_name[:30]}", literal=True)
            for record in records
        ),
        Choice("_digest", N_("Set the daily summary")),
        Choice("_menu", N_("Back to the menu")),
    )


def digest_choices(turn: Turn) -> tuple[Choice, ...]:
    return (
        *(Choice(str(hour), f"{hour}:00", literal=True) for hour in DIGEST_HOURS),
        Choice("off", N_("No summary")),
    )


class Caseload(FlowModel):
    @condition
    def helps_nobody(self) -> bool:
        return not people_of(self.turn).caseload()

    def say_how_to_start(self, _: object) -> None:
        self.turn.say(
            self.t.gettext(
                "You are not helping with any complaint yet. Ask the resident to type /share and give you the "
                "code, then type /code."
            )
        )

    def forget_choice(self, _: object) -> None:
        self.answers.pop("caseload_pick", None)

    def open_case(self, _: object) -> None:
        self.answers["case"] = str(self.answers.pop("caseload_pick"))

    def set_digest(self, _: object) -> None:
        self.answers.pop("caseload_pick", None)
        choice = str(self.answers.pop("digest_hour", "off"))
        hour = int(choice) if choice.isdigit() else None
        people_of(self.turn).set_digest_hour(hour)
        if hour is None:
            self.turn.say(self.t.gettext("OK: no daily summary."))
        else:
            self.turn.say(
                self.t.gettext(
                    "OK: every day at {hour}:00 I'll list what is due this week, if anything is."
                ).format(hour=hour)
            )


CASELOAD = Flow(
    "caseload",
    [
        Step("list", AnswerKind.CHOICE, caseload_prompt, key="caseload_pick", choices=caseload_choices),
        Step(
            "digest",
            AnswerKind.CHOICE,
            N_("When should I send your daily summary?"),
            key="digest_hour",
            choices=digest_choices,
        ),
    ],
    [
        {
            "trigger": ARRIVE,
            "source": "list",
            "dest": MENU,
            "conditions": "helps_nobody",
            "after": "say_how_to_start",
        },
        {
            "trigger": NEXT,
            "source": "list",
            "dest": "digest",
            "conditions": answer_is("caseload_pick", "_digest"),
        },
        {
            "trigger": NEXT,
            "source": "list",
            "dest": MENU,
            "conditions": answer_is("caseload_pick", "_menu"),
            "before": "forget_choice",
        },
        {"trigger": NEXT, "source": "list", "dest": exit_to("tracking", "status"), "before": "open_case"},
        {"trigger": NEXT, "source": "digest", "dest": "list", "after": "set_digest"},
    ],
    Caseload,
)
