"""Triage for a new complaint: where the home is, who the landlord is, what it is about, how urgent.

Routes to the right body (flows.triage), coaches a first repair report to go in as a service request
(Code 1.4) without blocking a resident who wants to complain now, and signposts crisis help for
danger, homelessness today or court papers before anything else.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flows import crisis
from flows.conversations.engine import (
    ARRIVE,
    DRAFT,
    MENU,
    NEXT,
    TO_DRAFT,
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
from flows.conversations.safety import advice_text
from flows.conversations.sending import check_letter_words
from flows.crisis import CrisisKind
from flows.hazards import HazardLevel, render_hazard_deadlines, tracked_deadlines
from flows.i18n import N_
from flows.triage import Body, Route, Subject, render_route, route_for, subject_label

# Keys this flow writes; cleared when a new complaint starts.
TRIAGE_KEYS = (
    "nation",
    "landlord_type",
    "landlord_name",
    "subject",
    "urgent",
    "court",
    "started",
    "reported",
    "first_report",
    "route_choice",
    "crisis_choice",
    "resume",
)

LONDON = ZoneInfo("Europe/London")
COMPLAINT = exit_to("complaint", "start")  # the complaint itself, once triage has opened the case

SUBJECT_CHOICES = tuple(
    Choice(subject.value, label)
    for subject, label in (
        (Subject.REPAIRS, N_("Repairs")),
        (Subject.DAMP_MOULD, N_("Damp and mould")),
        (Subject.ANTISOCIAL_BEHAVIOUR, N_("Anti-social behaviour")),
        (Subject.STAFF_CONDUCT, N_("How staff treated me")),
        (Subject.COMPLAINT_HANDLING, N_("How my complaint was handled")),
        (Subject.SERVICE_CHARGE_LEVEL, N_("Rent or service charges")),
        (Subject.ALLOCATIONS, N_("The housing register or a move")),
        (Subject.HOMELESSNESS, N_("Homelessness or temporary accommodation")),
        (Subject.OTHER, N_("Something else")),
    )
)


def crisis_text(turn: Turn) -> str:
    """Help for the one thing chosen: danger at home, homeless today, or court papers."""
    t = turn.t
    a = turn.answers
    nation = crisis.nation_of(a.get("nation"))
    landlord = a.get("landlord_name") or None
    if a.get("urgent") == "danger":
        lines = crisis.kind_lines(CrisisKind.DANGER_AT_HOME, nation, t, landlord)
    elif a.get("urgent") == "homeless":
        lines = crisis.kind_lines(CrisisKind.HOMELESS_TONIGHT, nation, t)
    else:
        lines = t.gettext(
            "• If you have court papers, don't ignore them: get advice today from Citizens Advice (0800 144 8848) or "
            "a local law centre, and note any court date and deadline on the papers."
        )
    return "\n".join(
        (
            t.gettext("Please get help now, before anything else:"),
            lines,
            "",
            t.gettext(
                "When you're ready, we can carry on with your complaint. I can also show a short summary you can "
                "pass to an adviser."
            ),
        )
    )


class NewComplaint(FlowModel):
    @condition
    def has_draft(self) -> bool:
        """A complaint left half-written (the answers are kept when a command leaves it)."""
        return bool(self.answers.get(DRAFT))

    def start_afresh(self, _: object) -> None:
        for key in (*TRIAGE_KEYS, DRAFT, "case"):
            self.answers.pop(key, None)

    def forget_choice(self, _: object) -> None:
        self.answers.pop("resume", None)

    def drop_draft(self, _: object) -> None:
        self.answers.pop(DRAFT, None)

    @condition
    def is_urgent(self) -> bool:
        return bool(self.answers.get("urgent", "none") != "none")

    @condition
    def wants_summary(self) -> bool:
        return self.answers.get("crisis_choice") == "summary"

    def say_summary(self, _: object) -> None:
        t = self.t
        a = self.answers
        urgent_labels = {
            "danger": t.gettext("someone may be in danger at home"),
            "homeless": t.gettext("homeless or about to lose their home today"),
            "court": t.gettext("has court papers"),
        }
        lines = [
            t.gettext("Summary for an adviser"),
            t.gettext("Urgent: {what}").format(what=urgent_labels.get(a.get("urgent", ""), "-")),
            t.gettext("Landlord: {name}").format(name=a.get("landlord_name") or "-"),
            t.gettext("About: {subject}").format(
                subject=subject_label(Subject(a.get("subject", "other")), t)
            ),
        ]
        self.turn.say("\n".join(lines) + "\n\n" + advice_text(crisis.nation_of(a.get("nation")), self.turn))

    @condition
    def asks_about_repairs(self) -> bool:
        return self.answers.get("subject") in (Subject.REPAIRS, Subject.DAMP_MOULD)

    @condition
    def is_damp_reported_in_england(self) -> bool:
        """Awaab's Law clocks apply to social homes in England once the landlord knows of the hazard."""
        a = self.answers
        return (
            a.get("subject") == Subject.DAMP_MOULD
            and a.get("reported") == "yes"
            and a.get("nation") == "england"
        )

    def say_hazard_deadlines(self, _: object) -> None:
        if self.answers.get("hazard_reported"):
            self.turn.say(hazard_text(hazard_details(self.answers), self.turn))

    @condition
    def is_first_report(self) -> bool:
        return self.answers.get("reported") == "no"

    @condition
    def reports_first(self) -> bool:
        return self.answers.get("first_report") == "report_first"

    def advise_reporting_first(self, _: object) -> None:
        t = self.t
        self.turn.say(
            t.gettext(
                "Good plan. Report it to {landlord} as a repair (by phone, online or in writing) and keep a note of "
                "the date and any reference number. For example:\n\n"
                "“I am reporting a repair at my home: {what}. Please tell me when you will inspect and fix it.”\n\n"
                "If they don't fix it, or you're unhappy with how they respond, come back and choose “Start a new "
                "complaint”: we'll write the complaint together, and that date will help."
            ).format(landlord=self.answers.get("landlord_name", ""), what=t.gettext("describe the problem"))
        )

    @condition
    def is_route_notable(self) -> bool:
        return route_is_notable(self.answers)

    @condition
    def stops_here(self) -> bool:
        return self.answers.get("route_choice") == "menu"

    def open_case(self, _: object) -> None:
        a = self.answers
        details = {
            "urgent": a.get("urgent"),
            "court": a.get("court"),
            "started": a.get("started"),
            "hazard": hazard_details(a),
        }
        ref = self.turn.workspace.open_case(
            nation=a.get("nation", "england"),
            landlord_type=a.get("landlord_type"),
            landlord_name=a.get("landlord_name", ""),
            subject=a.get("subject"),
            details={key: value for key, value in details.items() if value is not None},
        )
        a["case"] = ref


def hazard_details(answers: dict[str, Any]) -> dict[str, Any] | None:
    """What /status needs to track the Awaab's Law clocks: when the landlord knew, and how serious."""
    reported = answers.get("hazard_reported")
    if not reported:
        return None
    level = HazardLevel.EMERGENCY if answers.get("urgent") == "danger" else HazardLevel.SIGNIFICANT
    return {"reported_on": reported, "level": level.value}


def hazard_text(hazard: dict[str, Any] | None, turn: Turn, investigated_on: str | None = None) -> str:
    if not hazard:
        return ""
    deadlines = tracked_deadlines(hazard, turn.now, investigated_on)
    if deadlines is None:
        return turn.t.gettext(
            "Awaab's Law (legal timescales for damp and mould) applies to reports made from 27 October 2025. If you "
            "report the problem again now, the timescales apply from your new report."
        )
    return render_hazard_deadlines(deadlines, turn.t)


def route_of(answers: dict[str, Any]) -> Route:
    return route_for(
        answers.get("nation"),
        answers.get("landlord_type"),
        answers.get("subject"),
        court_proceedings=answers.get("court") == "yes",
    )


def route_is_notable(answers: dict[str, Any]) -> bool:
    """Another body, or a Scheme ground: worth a word before writing to the landlord."""
    route = route_of(answers)
    return route.body is not Body.HOUSING_OMBUDSMAN or bool(route.grounds)


def route_text(turn: Turn) -> str:
    text = render_route(route_of(turn.answers), turn.t)
    return (
        text
        + "\n\n"
        + turn.t.gettext(
            "Your landlord's own complaints process comes first in every case. Shall we write to your landlord?"
        )
    )


NEW_COMPLAINT = Flow(
    "new_complaint",
    [
        Step(
            "resume",
            AnswerKind.CHOICE,
            N_("You have an unfinished complaint. Would you like to carry on with it, or start a new one?"),
            key="resume",
            choices=(
                Choice("continue", N_("Carry on where I left off")),
                Choice("new", N_("Start a new one")),
            ),
        ),
        Step(
            "nation",
            AnswerKind.CHOICE,
            N_("Let's start. Where is your home?"),
            key="nation",
            choices=(
                Choice("england", N_("England")),
                Choice("wales", N_("Wales")),
                Choice("scotland", N_("Scotland")),
                Choice("northern_ireland", N_("Northern Ireland")),
            ),
        ),
        Step(
            "landlord_type",
            AnswerKind.CHOICE,
            N_("Who is your landlord?"),
            key="landlord_type",
            choices=(
                Choice("housing_association", N_("A housing association")),
                Choice("council", N_("The council")),
                Choice("registered_provider", N_("Another social landlord (co-op, trust)")),
                Choice("private_landlord", N_("A private landlord")),
                Choice("letting_agent", N_("A letting agent")),
                Choice("unknown", N_("I'm not sure")),
            ),
        ),
        Step(
            "landlord_name",
            AnswerKind.TEXT,
            N_("What is your landlord called? For example “Riverside Housing” or “Leeds City Council”."),
            key="landlord_name",
            check=check_letter_words,
            max_length=200,
        ),
        Step(
            "subject",
            AnswerKind.CHOICE,
            N_("What is your complaint mainly about?"),
            key="subject",
            choices=SUBJECT_CHOICES,
        ),
        Step(
            "urgent",
            AnswerKind.CHOICE,
            N_("Is any of these happening right now?"),
            key="urgent",
            choices=(
                Choice("danger", N_("Someone is in danger at home (gas, electrics, no heat, collapse)")),
                Choice("homeless", N_("I'm homeless, or will be today")),
                Choice("court", N_("I have court papers")),
                Choice("none", N_("None of these")),
            ),
        ),
        Step(
            "crisis",
            AnswerKind.CHOICE,
            crisis_text,
            key="crisis_choice",
            choices=(
                Choice("continue", N_("Carry on with my complaint")),
                Choice("summary", N_("Show a summary for an adviser")),
            ),
        ),
        Step(
            "court",
            AnswerKind.CHOICE,
            N_("Have court proceedings about this problem started (for example a claim for disrepair)?"),
            key="court",
            choices=(
                Choice("yes", N_("Yes")),
                Choice("no", N_("No")),
                Choice("not_sure", N_("I'm not sure")),
            ),
        ),
        Step(
            "started",
            AnswerKind.DATE,
            N_("When did the problem start, or when did you first notice it? For example 14/03/2026."),
            key="started",
            skip_label=N_("I'm not sure"),
            month_ok=True,
        ),
        Step(
            "reported",
            AnswerKind.CHOICE,
            N_("Have you already reported this to your landlord as a repair?"),
            key="reported",
            choices=(
                Choice("yes", N_("Yes, I've reported it")),
                Choice("no", N_("No, this is the first time")),
            ),
        ),
        Step(
            "first_report",
            AnswerKind.CHOICE,
            N_(
                "A first report of a repair is a “service request”, not yet a complaint (Complaint Handling Code 1.4). "
                "Your landlord must record it and act on it. Often the quickest fix is to report it first, and "
                "complain if they don't put it right. But you can complain now if you prefer."
            ),
            key="first_report",
            choices=(
                Choice("report_first", N_("I'll report it first")),
                Choice("complain_now", N_("I want to complain now")),
            ),
        ),
        Step(
            "hazard_reported",
            AnswerKind.DATE,
            N_(
                "When did you first tell your landlord about the damp or mould? Under Awaab's Law, its legal "
                "timescales count from when it knew. For example 14/03/2026."
            ),
            key="hazard_reported",
            skip_label=N_("I'm not sure"),
        ),
        Step(
            "route",
            AnswerKind.CHOICE,
            route_text,
            key="route_choice",
            choices=(
                Choice("continue", N_("Write to my landlord")),
                Choice("menu", N_("Back to the menu")),
            ),
        ),
    ],
    [
        {"trigger": ARRIVE, "source": "start", "dest": "resume", "conditions": "has_draft"},
        {"trigger": ARRIVE, "source": "start", "dest": "nation", "before": "start_afresh"},
        {
            "trigger": NEXT,
            "source": "resume",
            "dest": TO_DRAFT,
            "conditions": [answer_is("resume", "continue"), "has_draft"],
            "before": "forget_choice",
        },
        {"trigger": NEXT, "source": "resume", "dest": "start", "before": ["forget_choice", "drop_draft"]},
        {"trigger": NEXT, "source": "nation", "dest": "landlord_type"},
        {"trigger": NEXT, "source": "landlord_type", "dest": "landlord_name"},
        {"trigger": NEXT, "source": "landlord_name", "dest": "subject"},
        {"trigger": NEXT, "source": "subject", "dest": "urgent"},
        {"trigger": NEXT, "source": "urgent", "dest": "crisis", "conditions": "is_urgent"},
        {"trigger": NEXT, "source": "urgent", "dest": "court"},
        {
            "trigger": NEXT,
            "source": "crisis",
            "dest": "crisis",
            "conditions": "wants_summary",
            "after": "say_summary",
        },
        {"trigger": NEXT, "source": "crisis", "dest": "court"},
        {"trigger": NEXT, "source": "court", "dest": "started"},
        {"trigger": NEXT, "source": "started", "dest": "reported", "conditions": "asks_about_repairs"},
        {"trigger": NEXT, "source": "started", "dest": "route", "conditions": "is_route_notable"},
        {"trigger": NEXT, "source": "started", "dest": COMPLAINT, "after": "open_case"},
        {"trigger": NEXT, "source": "reported", "dest": "first_report", "conditions": "is_first_report"},
        {
            "trigger": NEXT,
            "source": "reported",
            "dest": "hazard_reported",
            "conditions": "is_damp_reported_in_england",
        },
        {"trigger": NEXT, "source": "reported", "dest": "route", "conditions": "is_route_notable"},
        {"trigger": NEXT, "source": "reported", "dest": COMPLAINT, "after": "open_case"},
        {
            "trigger": NEXT,
            "source": "hazard_reported",
            "dest": "route",
            "conditions": "is_route_notable",
            "after": "say_hazard_deadlines",
        },
        {
            "trigger": NEXT,
            "source": "hazard_reported",
            "dest": COMPLAINT,
            "after": ["say_hazard_deadlines", "open_case"],
        },
        {
            "trigger": NEXT,
            "source": "first_report",
            "dest": MENU,
            "conditions": "reports_first",
            "after": "advise_reporting_first",
        },
        {"trigger": NEXT, "source": "first_report", "dest": "route", "conditions": "is_route_notable"},
        {"trigger": NEXT, "source": "first_report", "dest": COMPLAINT, "after": "open_case"},
        {"trigger": NEXT, "source": "route", "dest": MENU, "conditions": "stops_here"},
        {"trigger": NEXT, "source": "route", "dest": COMPLAINT, "after": "open_case"},
    ],
    NewComplaint,
    entry="start",
)
