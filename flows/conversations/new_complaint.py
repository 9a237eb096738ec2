"""Triage for a new complaint: where the home is, who the landlord is, what it is about, how urgent.

Routes to the right body (flows.triage), coaches a first repair report to go in as a service request
(Code 1.4) without blocking a resident who wants to complain now, and signposts crisis help for
danger, homelessness today or court papers before anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flows import awaab, crisis
from flows.case import LandlordType
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
from flows.hazards import (
    EMERGENCY_INVESTIGATION,
    EMERGENCY_MAKE_SAFE,
    HazardLevel,
    render_hazard_deadlines,
    rule_lines,
    tracked_deadlines,
)
from flows.i18n import N_, translator
from flows.routing import Plan, plan_from_answers, render_plan, render_why, topics_of
from flows.tenure import TENURE_CHOICES, TENURE_KEY
from flows.triage.grounds import Subject
from flows.triage.rendering import subject_label

# Keys this flow writes; cleared when a new complaint starts.
TRIAGE_KEYS = (
    "nation",
    "landlord_type",
    "landlord_name",
    "subject",
    "topics",
    "more_topic",
    "tenure",
    "urgent",
    "court",
    "started",
    "reported",
    "first_report",
    "risk_people",
    "risk_health",
    "risk_extent",
    "hazard_level",
    "hazard_reported",
    "hazard_time",
    "route_choice",
    "crisis_choice",
    "resume",
    "triage_case",  # the case this triage opened, if it ended once already
)

# The topics the resident's words on the menu spoke of (ids; flows.conversations.router): they become the
# next complaint's other topics, shown with the question so they can be checked (/back takes them out).
NOTICED_TOPICS = "noticed_topics"

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
        # Rent and service charges apart: the tribunal's routes differ (s.13/14 HA 1988 for a rent increase,
        # s.27A LTA 1985 for a service charge), so one button for both routed a rent as a service charge.
        (Subject.RENT_LEVEL, N_("How much rent I pay")),
        (Subject.SERVICE_CHARGE_LEVEL, N_("How much service charge I pay")),
        (Subject.ALLOCATIONS, N_("The housing register or a move")),
        (Subject.HOMELESSNESS, N_("Homelessness or temporary accommodation")),
        (Subject.OTHER, N_("Something else")),
    )
)


# Further topics of the same complaint, one at a time (flows.routing routes each part).
MORE_TOPIC_CHOICES = (
    *(
        Choice(subject.value, label)
        for subject, label in (
            (Subject.REPAIRS, N_("Repairs")),
            (Subject.DAMP_MOULD, N_("Damp and mould")),
            (Subject.ANTISOCIAL_BEHAVIOUR, N_("Anti-social behaviour")),
            (Subject.STAFF_CONDUCT, N_("How staff treated me")),
            (Subject.PERSONNEL, N_("I want a member of staff disciplined")),
            (Subject.COMPLAINT_HANDLING, N_("How my complaint was handled")),
            (Subject.RENT_LEVEL, N_("How much rent I pay")),
            (Subject.SERVICE_CHARGE_LEVEL, N_("How much service charge I pay")),
            (Subject.ALLOCATIONS, N_("The housing register or a move")),
            (Subject.HOMELESSNESS, N_("Homelessness or temporary accommodation")),
            (Subject.GRANTS_ADAPTATIONS, N_("Adaptations or a disabled facilities grant")),
            (Subject.CRIME, N_("A crime")),
        )
    ),
    Choice("done", N_("That's all")),
)
_CHARGES = frozenset({Subject.RENT_LEVEL.value, Subject.SERVICE_CHARGE_LEVEL.value})
_NO_TENURE_QUESTION = awaab.PRIVATE_LANDLORDS  # their tenants are private renters


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
    def adds_topic(self) -> bool:
        return self.answers.get("more_topic") not in (None, "done")

    def add_topic(self, _: object) -> None:
        """Each topic once; the list so far is shown with the question (`more_topics_prompt`)."""
        topic = self.answers.pop("more_topic", None)
        topics = self.answers.setdefault("topics", [])
        if topic and topic != self.answers.get("subject") and topic not in topics:
            topics.append(topic)

    def start_topics(self, _: object) -> None:
        """The main topic answered (again, after /back): the other topics are chosen afresh, so a topic
        added by mistake can be taken out by going back to the main topic."""
        self.answers.pop("topics", None)
        self.answers.pop("more_topic", None)
        noticed = self.answers.pop(NOTICED_TOPICS, None) or ()  # said on the menu: used once
        topics = [
            str(topic)
            for topic in dict.fromkeys(noticed)
            if str(topic) in {subject.value for subject in Subject} - {Subject.OTHER.value}
            and str(topic) != self.answers.get("subject")
        ]
        if topics:
            self.answers["topics"] = topics

    @condition
    def asks_tenure(self) -> bool:
        """The tenure, asked once for whichever needs it (`needs_tenure`)."""
        return needs_tenure(self.answers)

    @condition
    def wants_why(self) -> bool:
        return self.answers.get("route_choice") == "why"

    def say_why(self, _: object) -> None:
        self.answers.pop("route_choice", None)
        self.turn.say(render_why(plan_from_answers(self.answers), self.t), title=self.t.gettext("Why?"))

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
                subject="; ".join(subject_label(Subject(topic), t) for topic in topics_of(a))
            ),
        ]
        self.turn.say("\n".join(lines) + "\n\n" + advice_text(crisis.nation_of(a.get("nation")), self.turn))

    @condition
    def asks_about_repairs(self) -> bool:
        return self.answers.get("subject") in (Subject.REPAIRS, Subject.DAMP_MOULD)

    @condition
    def is_damp_in_england(self) -> bool:
        return _is_damp_in_england(self.answers)

    @condition
    def is_awaab_covered(self) -> bool:
        return awaab.scope_of(self.answers) is awaab.Scope.COVERED

    def say_awaab_scope(self, _: object) -> None:
        """For damp and mould in a home Awaab's Law does not cover: what applies instead."""
        if self.answers.get("subject") == Subject.DAMP_MOULD:
            text = awaab.not_covered_text(awaab.scope_of(self.answers), self.t)
            if text:
                self.turn.say(text)
            temporary = awaab.temporary_accommodation_text(self.answers, self.t)
            if temporary:
                self.turn.say(temporary)

    def say_assumed_tenure(self, _: object) -> None:
        """Not sure of the tenure, with a social landlord: the clocks are counted, and when they would not apply."""
        text = awaab.assumed_tenure_text(self.answers, self.t)
        if text:
            self.turn.say(text)

    @condition
    def is_risk_now(self) -> bool:
        """What the resident told us points to an emergency: offer the 24-hour route."""
        return awaab.is_risk_now(self.answers)

    @condition
    def is_emergency(self) -> bool:
        return awaab.hazard_level(self.answers) is HazardLevel.EMERGENCY

    @condition
    def knows_report_day(self) -> bool:
        return bool(self.answers.get("hazard_reported"))

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
        """How to report it, the message in English for the landlord (a preview in the resident's
        language), and for damp and mould Awaab's Law's timescales once the landlord has the report."""
        t, a = self.t, self.answers
        parts = [
            t.gettext(
                "Good plan. Report it to {landlord} as a repair (by phone, online or in writing) and keep a note of "
                "the date and any reference number. Here is a message you can send, in English for your landlord:"
            ).format(landlord=a.get("landlord_name", "")),
            "“" + awaab.report_message(a, translator("en")) + "”",
        ]
        if t.language != "en":
            parts += [t.gettext("What it says:"), awaab.report_message(a, t)]
        parts.append(awaab.report_timescales(a, t))
        parts.append(
            t.gettext(
                "If they don't fix it, or you're unhappy with how they respond, come back and choose “Start a new "
                "complaint”: we'll write the complaint together, and that date will help."
            )
        )
        self.turn.say("\n\n".join(part for part in parts if part))

    @condition
    def keeps_other_topics(self) -> bool:
        """Reporting the repair first, with other topics chosen (not repairs or damp, which the report
        covers): those go on as the complaint."""
        return bool(_other_than_disrepair(self.answers))

    @condition
    def is_rest_notable(self) -> bool:
        return route_is_notable(without_first_report(self.answers))

    def carry_on_with_the_rest(self, _: object) -> None:
        """The repair goes to the landlord as a service request; the other topics stay the complaint (the
        first of them becomes its main topic), so nothing the resident chose is dropped."""
        rest = without_first_report(self.answers)
        self.answers.clear()
        self.answers.update(rest)
        chosen = "; ".join(subject_label(Subject(value), self.t) for value in topics_of(rest))
        self.turn.say(self.t.gettext("Now the rest of your complaint: {topics}.").format(topics=chosen))

    @condition
    def is_route_notable(self) -> bool:
        return route_is_notable(self.answers)

    @condition
    def stops_here(self) -> bool:
        return self.answers.get("route_choice") == "menu"

    def open_case(self, _: object) -> None:
        a = self.answers
        # Triage ended once already and /back came into it again: the draft opened then (never sent) is
        # left behind, so it must stop counting Awaab's Law's clocks (its reminders) from old answers.
        # ("case" may name another complaint, opened from /status before a draft of this one was resumed.)
        earlier = self.turn.workspace.case(str(a.get("triage_case", "")))
        if earlier is not None and not earlier.case.events and earlier.details.get("hazard"):
            self.turn.workspace.update_case_details(earlier.ref, {"hazard": None})
        plan = plan_from_answers(a)
        details = {
            "urgent": a.get("urgent"),
            "court": a.get("court"),
            "started": a.get("started"),
            "hazard": hazard_details(a),
            "tenure": a.get("tenure"),
            "routing": plan.record(),
        }
        # The case is the complaint to the landlord: its subject is the first part the letter carries,
        # so /status, reminders and the landlord's inbox never route it by a part for another body.
        subject = plan.landlord_subject
        ref = self.turn.workspace.open_case(
            nation=a.get("nation", "england"),
            landlord_type=a.get("landlord_type"),
            landlord_name=a.get("landlord_name", ""),
            subject=subject.value if subject is not None else a.get("subject"),
            details={key: value for key, value in details.items() if value is not None},
        )
        a["case"] = a["triage_case"] = ref


def hazard_details(answers: dict[str, Any]) -> dict[str, Any] | None:
    """What /status needs to track the Awaab's Law clocks: when the landlord knew, and how serious."""
    return awaab.hazard_details(answers)


def hazard_text(
    hazard: dict[str, Any] | None,
    turn: Turn,
    investigated_on: str | None = None,
    extra_holidays: Iterable[date] | None = None,
) -> str:
    """`extra_holidays`: the case's; by default the turn's (a complaint not stored yet has no case)."""
    if not hazard:
        return ""
    holidays = turn.extra_holidays if extra_holidays is None else extra_holidays
    deadlines = tracked_deadlines(hazard, turn.now, investigated_on, holidays)
    if deadlines is None:
        return turn.t.gettext(
            "Awaab's Law (legal timescales for damp and mould) applies to reports made from 27 October 2025. If you "
            "report the problem again now, the timescales apply from your new report."
        )
    note = awaab.report_time_note(hazard, turn.t)
    return render_hazard_deadlines(deadlines, turn.t) + ("\n\n" + note if note else "")


_HAZARD_KEYS = ("risk_people", "risk_health", "risk_extent", "hazard_level", "hazard_reported", "hazard_time")


_DISREPAIR_TOPICS = frozenset({Subject.REPAIRS.value, Subject.DAMP_MOULD.value})


def _other_than_disrepair(answers: dict[str, Any]) -> list[str]:
    return [str(topic) for topic in answers.get("topics") or () if str(topic) not in _DISREPAIR_TOPICS]


def without_first_report(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without the repair reported first (with any repairs or damp among the other topics: the
    report is about the home's condition): the first other topic becomes the main one, and the damp and
    mould's Awaab's Law answers go with the report."""
    rest = {key: value for key, value in answers.items() if key not in _HAZARD_KEYS}
    topics = _other_than_disrepair(answers)
    if topics:
        rest["subject"], rest["topics"] = topics[0], topics[1:]
    return rest


def plan_of(answers: dict[str, Any]) -> Plan:
    return plan_from_answers(answers)


def route_is_notable(answers: dict[str, Any]) -> bool:
    """Worth a word before writing to the landlord (`Plan.is_notable`)."""
    return plan_of(answers).is_notable


def route_text(turn: Turn) -> str:
    plan = plan_of(turn.answers)
    closing = (
        turn.t.gettext(
            "Your landlord's own complaints process comes first in every case. Shall we write to your landlord?"
        )
        if plan.landlord_parts
        else turn.t.gettext("You can still write to your landlord if you want to.")
    )
    return render_plan(plan, turn.t) + "\n" + closing


def _is_damp_in_england(answers: dict[str, Any]) -> bool:
    return answers.get("subject") == Subject.DAMP_MOULD and answers.get("nation") == "england"


def needs_tenure(answers: dict[str, Any]) -> bool:
    """Rent or service charges in England: the tenure decides whether the tribunal is open (flows.routing).
    Damp and mould in England: Awaab's Law covers social rented homes, so the tenure is asked where the
    landlord type does not settle it (flows.awaab)."""
    topics = {answers.get("subject"), *(answers.get("topics") or ())}
    for_charges = (
        bool(topics & _CHARGES)
        and answers.get("nation") == "england"
        and answers.get("landlord_type") not in _NO_TENURE_QUESTION
    )
    for_awaab = _is_damp_in_england(answers) and (
        awaab.awaab_scope(answers.get("nation"), answers.get("landlord_type"), None) is awaab.Scope.ASK_TENURE
    )
    return for_charges or for_awaab


def more_topics_prompt(turn: Turn) -> str:
    """The question, and the topics chosen so far (also when /back returns here from a later question)."""
    t, a = turn.t, turn.answers
    question = t.gettext(
        "Is your complaint also about any of these? Choose one at a time, then “That's all”."
    )
    topics = [str(topic) for topic in a.get("topics") or ()]
    if not topics:
        return question
    chosen = [subject_label(Subject(value), t) for value in (a.get("subject"), *topics) if value]
    return t.gettext("So far: {topics}.").format(topics="; ".join(chosen)) + "\n\n" + question


def tenure_prompt(turn: Turn) -> str:
    """The one tenure question; for damp and mould, first why it matters (Awaab's Law)."""
    if _is_damp_in_england(turn.answers):
        return turn.t.gettext(
            "Awaab's Law sets deadlines for damp and mould in homes rented from a council or housing association. "
            "Which of these is your home?"
        )
    return turn.t.gettext("What kind of tenancy or lease do you have?")


def emergency_text(turn: Turn) -> str:
    """The emergency route, offered when the answers point to a risk to health now."""
    t = turn.t
    lines = [
        t.gettext(
            "From what you've told me, this may be an emergency: a risk to health that a reasonable landlord "
            "would make safe within {safe_hours} hours. If it is, Awaab's Law gives your landlord "
            "{investigate_hours} hours from when it knew to investigate and {safe_hours} hours to make your home "
            "safe."
        ).format(
            investigate_hours=t.format_number(EMERGENCY_INVESTIGATION.hours or 0),
            safe_hours=t.format_number(EMERGENCY_MAKE_SAFE.hours or 0),
        ),
        t.gettext(
            "Phone your landlord's emergency repairs line now, say it is an emergency under Awaab's Law, and note "
            "the time. If anyone is very unwell, call 111, or 999 in an emergency."
        ),
    ]
    lines += rule_lines(awaab.EMERGENCY_MEANING_RULE, t)
    lines += ["", t.gettext("Shall we count your landlord's deadlines as an emergency?")]
    return "\n".join(lines)


def onward(source: str) -> list[dict[str, Any]]:
    """From triage on to the service-request question, the right body or the complaint, saying first
    what applies instead for damp and mould in a home Awaab's Law does not cover (`say_awaab_scope`)."""
    return [
        {
            "trigger": NEXT,
            "source": source,
            "dest": "first_report",
            "conditions": "is_first_report",
            "after": "say_awaab_scope",
        },
        {
            "trigger": NEXT,
            "source": source,
            "dest": "route",
            "conditions": "is_route_notable",
            "after": "say_awaab_scope",
        },
        {"trigger": NEXT, "source": source, "dest": COMPLAINT, "after": ["say_awaab_scope", "open_case"]},
    ]


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
                Choice(LandlordType.HOUSING_ASSOCIATION.value, N_("A housing association")),
                Choice(LandlordType.COUNCIL.value, N_("The council")),
                Choice(LandlordType.REGISTERED_PROVIDER.value, N_("Another social landlord (co-op, trust)")),
                Choice(LandlordType.PRIVATE_LANDLORD.value, N_("A private landlord")),
                Choice(LandlordType.LETTING_AGENT.value, N_("A letting agent")),
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
            "more_topics",
            AnswerKind.CHOICE,
            more_topics_prompt,
            key="more_topic",
            choices=MORE_TOPIC_CHOICES,
        ),
        Step(
            "tenure",
            AnswerKind.CHOICE,
            tenure_prompt,
            key=TENURE_KEY,
            choices=tuple(Choice(tenure.value, label) for tenure, label in TENURE_CHOICES),
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
            check=lambda reported, turn: awaab.report_date_problem(
                reported, turn.answers.get("started"), turn.t
            ),
        ),
        Step(
            "risk_people",
            AnswerKind.CHOICE,
            N_(
                "Is anyone in your home more at risk from damp and mould: a baby or young child, someone older or "
                "pregnant, or someone with asthma, another lung or heart condition, or a weak immune system?"
            ),
            key="risk_people",
            choices=tuple(Choice(id_, label) for id_, label in awaab.RISK_PEOPLE_CHOICES),
        ),
        Step(
            "risk_health",
            AnswerKind.CHOICE,
            N_("Has the damp or mould affected anyone's health?"),
            key="risk_health",
            choices=tuple(Choice(id_, label) for id_, label in awaab.RISK_HEALTH_CHOICES),
        ),
        Step(
            "risk_extent",
            AnswerKind.CHOICE,
            N_("How much of your home does it affect?"),
            key="risk_extent",
            choices=tuple(Choice(id_, label) for id_, label in awaab.RISK_EXTENT_CHOICES),
        ),
        Step(
            "emergency",
            AnswerKind.CHOICE,
            emergency_text,
            key="hazard_level",
            choices=(
                Choice(HazardLevel.EMERGENCY.value, N_("Yes, treat it as an emergency")),
                Choice(HazardLevel.SIGNIFICANT.value, N_("No, the usual timescales")),
            ),
        ),
        Step(
            "hazard_time",
            AnswerKind.TEXT,
            N_(
                "At what time did you tell your landlord? The 24-hour deadlines count from then. For example 14:30."
            ),
            key="hazard_time",
            skip_label=N_("I don't know the time"),
            max_length=20,
            check=lambda text, turn: awaab.time_problem(
                text, turn.answers.get("hazard_reported"), turn.now, turn.t
            ),
        ),
        Step(
            "route",
            AnswerKind.CHOICE,
            route_text,
            key="route_choice",
            choices=(
                Choice("continue", N_("Write to my landlord")),
                Choice("why", N_("Why?")),
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
        {"trigger": NEXT, "source": "subject", "dest": "more_topics", "before": "start_topics"},
        {
            "trigger": NEXT,
            "source": "more_topics",
            "dest": "more_topics",
            "conditions": "adds_topic",
            "after": "add_topic",
        },
        {"trigger": NEXT, "source": "more_topics", "dest": "tenure", "conditions": "asks_tenure"},
        {"trigger": NEXT, "source": "more_topics", "dest": "urgent"},
        {"trigger": NEXT, "source": "tenure", "dest": "urgent"},
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
        # Damp and mould in England: whom Awaab's Law covers, the risk now, and when the landlord knew.
        # (The tenure, when it decides Awaab's Law's scope, was asked with the topics.)
        {
            "trigger": NEXT,
            "source": "reported",
            "dest": "risk_people",
            "conditions": ["is_damp_in_england", "is_awaab_covered"],
            "after": "say_assumed_tenure",
        },
        *onward("reported"),
        {"trigger": NEXT, "source": "risk_people", "dest": "risk_health"},
        {"trigger": NEXT, "source": "risk_health", "dest": "risk_extent"},
        {"trigger": NEXT, "source": "risk_extent", "dest": "emergency", "conditions": "is_risk_now"},
        {"trigger": NEXT, "source": "risk_extent", "dest": "first_report", "conditions": "is_first_report"},
        {"trigger": NEXT, "source": "risk_extent", "dest": "hazard_reported"},
        {"trigger": NEXT, "source": "emergency", "dest": "first_report", "conditions": "is_first_report"},
        {"trigger": NEXT, "source": "emergency", "dest": "hazard_reported"},
        {
            "trigger": NEXT,
            "source": "hazard_reported",
            "dest": "hazard_time",
            "conditions": ["is_emergency", "knows_report_day"],
        },
        {
            "trigger": NEXT,
            "source": ["hazard_reported", "hazard_time"],
            "dest": "route",
            "conditions": "is_route_notable",
            "after": "say_hazard_deadlines",
        },
        {
            "trigger": NEXT,
            "source": ["hazard_reported", "hazard_time"],
            "dest": COMPLAINT,
            "after": ["say_hazard_deadlines", "open_case"],
        },
        # The repair reported first: the other topics carry on as the complaint.
        {
            "trigger": NEXT,
            "source": "first_report",
            "dest": "route",
            "conditions": ["reports_first", "keeps_other_topics", "is_rest_notable"],
            "after": ["advise_reporting_first", "carry_on_with_the_rest"],
        },
        {
            "trigger": NEXT,
            "source": "first_report",
            "dest": COMPLAINT,
            "conditions": ["reports_first", "keeps_other_topics"],
            "after": ["advise_reporting_first", "carry_on_with_the_rest", "open_case"],
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
        {"trigger": NEXT, "source": "route", "dest": "route", "conditions": "wants_why", "after": "say_why"},
        {"trigger": NEXT, "source": "route", "dest": MENU, "conditions": "stops_here"},
        {"trigger": NEXT, "source": "route", "dest": COMPLAINT, "after": "open_case"},
    ],
    NewComplaint,
    entry="start",
)
