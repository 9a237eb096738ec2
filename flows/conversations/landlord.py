"""A landlord's complaints team in chat: registering the organisation (/landlord), inviting colleagues
(/invite), the inbox of complaints delivered through Fair Say (/inbox), answering one with the
buttons Acknowledge / Extend / Upload response / Decline, and the compliance figures (/compliance).

The rules of each action (an extension needs a later date and the reason; a decline needs the reason,
and the resident is told they may go to the Ombudsman) are in `flows.landlord_actions`; the bot
checks that the complaint is this organisation's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from transitions import EventData

from flows.access_times import STAFF_CODE_LIFETIME, whole_days
from flows.case import LandlordType
from flows.code_rules import CODE_2024
from flows.conversations.engine import (
    ARRIVE,
    FILE,
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
)
from flows.conversations.parsing import read_number
from flows.conversations.people import caseload_order, people_of
from flows.conversations.types import IncomingFile
from flows.conversations.workspace import CaseRecord
from flows.i18n import N_
from flows.landlord_actions import (
    PROBLEM_TEXT,
    ActionKind,
    Caution,
    LandlordAction,
    Problem,
    caution_message,
    cautions,
    new_due_problem,
    open_stage,
)
from flows.refusals import decline_rule_if_declined
from flows.staff_view import about_text
from flows.submissions import duty_lines, inbox_line, submission_buttons
from flows.timeline import COMPLAINT_REFUSED_GUIDANCE, build_timeline

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_RP_NUMBER = re.compile(r"[A-Z0-9]{3,8}")
# A policy may answer sooner than the Code now in force, never later (its response times, Code 6.3 and 6.14).
STAGE_MAX = {1: CODE_2024.stage1.response_working_days, 2: CODE_2024.stage2.response_working_days}
_ACTION_IS = {kind: answer_is("ll_action", kind.value) for kind in ActionKind}


class TeamOnly(FlowModel):
    """For a landlord's complaints team, once Fair Say approved it: see `team_only`."""

    @condition
    def is_not_an_approved_team(self) -> bool:
        organisation = people_of(self.turn).organisation()
        return organisation is None or not organisation.approved

    def explain_not_a_team(self, _: object) -> None:
        organisation = people_of(self.turn).organisation()
        if organisation is None:
            self.turn.say(
                self.t.gettext(
                    "This is for landlords' complaints teams. Type /landlord to register your organisation, or /code "
                    "to enter an invitation from a colleague."
                )
            )
        else:
            self.turn.say(
                self.t.gettext(
                    "{landlord} is waiting for approval by Fair Say. I'll be ready once it is approved."
                ).format(landlord=organisation.name)
            )


def team_only(source: str) -> dict[str, Any]:
    """The first transition on arriving at `source`: back to the menu, saying why, unless an approved team."""
    return {
        "trigger": ARRIVE,
        "source": source,
        "dest": MENU,
        "conditions": "is_not_an_approved_team",
        "after": "explain_not_a_team",
    }


# --- /landlord: register the organisation --------------------------------------------------------------


def check_email(text: str, turn: Turn) -> str | None:
    return (
        None
        if _EMAIL.fullmatch(text.strip())
        else turn.t.gettext(
            "That doesn't look like an email address. Please type it like complaints@example.org."
        )
    )


def check_rp_number(text: str, turn: Turn) -> str | None:
    cleaned = text.strip().upper().replace(" ", "")
    return (
        None
        if _RP_NUMBER.fullmatch(cleaned)
        else turn.t.gettext(
            "A registered provider number is letters and digits, like L1234 or 4321. Please check it."
        )
    )


def check_homes(text: str, turn: Turn) -> str | None:
    number = read_number(text, max_digits=7)
    return (
        None
        if number is not None and 0 < number < 1_000_000
        else turn.t.gettext("Please type the number of homes as a number, like 12500.")
    )


def _check_days(stage: int) -> Callable[[str, Turn], str | None]:
    def check(text: str, turn: Turn) -> str | None:
        number = read_number(text)
        if number is None or not 1 <= number <= STAGE_MAX[stage]:
            return turn.t.gettext(
                "Please type a number of working days from 1 to {max}: a policy can be quicker than the Code, "
                "not slower."
            ).format(max=STAGE_MAX[stage])
        return None

    return check


def check_window(text: str, turn: Turn) -> str | None:
    number = read_number(text)
    if number is None or not 1 <= number <= 366:
        return turn.t.gettext("Please type a number of days from 1 to 366, like 28.")
    return None


def registration_summary(turn: Turn) -> str:
    a, t = turn.answers, turn.t
    lines = [
        t.gettext("Name: {value}").format(value=a.get("org_name")),
        t.gettext("Registered provider number: {value}").format(value=a.get("org_rp") or "-"),
        t.gettext("Complaints email: {value}").format(value=a.get("org_email") or "-"),
        t.gettext("Homes: {value}").format(value=a.get("org_homes") or "-"),
        t.gettext("Stage 1 response (working days): {value}").format(value=a.get("org_stage1") or "10"),
        t.gettext("Stage 2 response (working days): {value}").format(value=a.get("org_stage2") or "20"),
        t.gettext("Days to ask for stage 2: {value}").format(value=a.get("org_window") or "-"),
    ]
    return t.gettext("Please check:") + "\n" + "\n".join(lines)


class Registration(FlowModel):
    @condition
    def has_no_organisation(self) -> bool:
        return people_of(self.turn).organisation() is None

    def say_membership(self, _: object) -> None:
        organisation = people_of(self.turn).organisation()
        assert organisation is not None
        t = self.t
        status = t.gettext("approved") if organisation.approved else t.gettext("waiting for approval")
        role = t.gettext("an administrator") if organisation.admin else t.gettext("a member of the team")
        self.turn.say(
            t.gettext("You are {role} of {landlord} ({status}).").format(
                role=role, landlord=organisation.name, status=status
            )
            + "\n\n"
            + t.gettext("/inbox: complaints received\n/compliance: your figures\n/invite: add a colleague")
        )

    @condition
    def is_council(self) -> bool:
        return self.answers.get("org_type") == LandlordType.COUNCIL.value

    def register(self, _: object) -> None:
        a = self.answers
        values = {
            "name": a.pop("org_name"),
            "landlord_type": a.pop("org_type"),
            "registered_provider_number": (a.pop("org_rp", None) or "").strip().upper().replace(" ", "")
            or None,
            "complaint_email": (a.pop("org_email", None) or "").strip() or None,
            "homes": read_number(str(a.pop("org_homes", None) or ""), max_digits=7),
            "stage1_response_working_days": read_number(str(a.pop("org_stage1", None) or "")),
            "stage2_response_working_days": read_number(str(a.pop("org_stage2", None) or "")),
            "escalation_window_days": read_number(str(a.pop("org_window", None) or "")),
        }
        confirmed = a.pop("org_confirm", None) == "yes"
        if not confirmed:
            self.turn.say(self.t.gettext("OK, I haven't registered anything."))
            return
        if people_of(self.turn).register_organisation(values) == "number_taken":
            self.turn.say(
                self.t.gettext(
                    "An organisation with that registered provider number is already registered. If you work there, "
                    "ask a colleague who uses Fair Say for an invitation (/invite)."
                )
            )
            return
        self.turn.say(
            self.t.gettext(
                "Thank you. Fair Say will check {landlord} and approve it, usually within two working days. Then "
                "complaints to {landlord} come to you here, and you can invite colleagues with /invite."
            ).format(landlord=values["name"])
        )


LANDLORD = Flow(
    "landlord",
    [
        Step(
            "org_name",
            AnswerKind.TEXT,
            N_("What is your organisation's name, as residents know it?"),
            key="org_name",
            max_length=200,
        ),
        Step(
            "org_type",
            AnswerKind.CHOICE,
            N_("What kind of landlord is it?"),
            key="org_type",
            choices=(
                Choice(LandlordType.HOUSING_ASSOCIATION.value, N_("A housing association")),
                Choice(LandlordType.COUNCIL.value, N_("A council")),
                Choice(LandlordType.ALMO.value, N_("An arm's-length management organisation (ALMO)")),
                Choice(LandlordType.REGISTERED_PROVIDER.value, N_("Another registered provider")),
            ),
        ),
        Step(
            "org_rp",
            AnswerKind.TEXT,
            N_("What is its registered provider number (from the Regulator of Social Housing's list)?"),
            key="org_rp",
            max_length=20,
            check=check_rp_number,
        ),
        Step(
            "org_email",
            AnswerKind.TEXT,
            N_(
                "Which email address should receive complaints, with the letter and "
                "the case attached? (Optional.)"
            ),
            key="org_email",
            max_length=320,
            check=check_email,
            skip_label=N_("Only here in chat"),
        ),
        Step(
            "org_homes",
            AnswerKind.TEXT,
            N_(
                "How many homes do you manage? It is used for the Regulator's "
                "complaints per 1,000 homes (CH01)."
            ),
            key="org_homes",
            max_length=12,
            check=check_homes,
            skip_label=N_("Skip"),
        ),
        Step(
            "org_stage1",
            AnswerKind.TEXT,
            lambda turn: turn.t.gettext(
                "Does your policy answer stage 1 complaints sooner than the Code's {days} "
                "working days? If so, how many working days?"
            ).format(days=turn.t.format_number(STAGE_MAX[1])),
            key="org_stage1",
            max_length=4,
            check=_check_days(1),
            skip_label=N_("We follow the Code"),
        ),
        Step(
            "org_stage2",
            AnswerKind.TEXT,
            lambda turn: turn.t.gettext("And stage 2, sooner than the Code's {days} working days?").format(
                days=turn.t.format_number(STAGE_MAX[2])
            ),
            key="org_stage2",
            max_length=4,
            check=_check_days(2),
            skip_label=N_("We follow the Code"),
        ),
        Step(
            "org_window",
            AnswerKind.TEXT,
            N_(
                "How many days after your stage 1 answer do residents have to ask for stage 2, if your policy sets "
                "a limit? Count calendar days, not working days: 15 working days are about 21 days. Residents are "
                "told whether a request was in time."
            ),
            key="org_window",
            max_length=4,
            check=check_window,
            skip_label=N_("No time limit"),
        ),
        Step(
            "org_confirm",
            AnswerKind.CHOICE,
            registration_summary,
            key="org_confirm",
            choices=(Choice("yes", N_("Register")), Choice("no", N_("Cancel"))),
        ),
    ],
    [
        {"trigger": ARRIVE, "source": "start", "dest": "org_name", "conditions": "has_no_organisation"},
        {"trigger": ARRIVE, "source": "start", "dest": MENU, "after": "say_membership"},
        {"trigger": "next", "source": "org_name", "dest": "org_type"},
        {"trigger": "next", "source": "org_type", "dest": "org_email", "conditions": "is_council"},
        {"trigger": "next", "source": "org_type", "dest": "org_rp"},
        {"trigger": "next", "source": "org_rp", "dest": "org_email"},
        {"trigger": "next", "source": "org_email", "dest": "org_homes"},
        {"trigger": "next", "source": "org_homes", "dest": "org_stage1"},
        {"trigger": "next", "source": "org_stage1", "dest": "org_stage2"},
        {"trigger": "next", "source": "org_stage2", "dest": "org_window"},
        {"trigger": "next", "source": "org_window", "dest": "org_confirm"},
        {"trigger": "next", "source": "org_confirm", "dest": MENU, "after": "register"},
    ],
    Registration,
    entry="start",
)


# --- /invite: a colleague joins the team ---------------------------------------------------------------


class Invite(TeamOnly):
    @condition
    def is_not_an_administrator(self) -> bool:
        organisation = people_of(self.turn).organisation()
        return organisation is not None and not organisation.admin

    def say_only_administrators(self, _: object) -> None:
        self.turn.say(self.t.gettext("Only your team's administrators can invite colleagues."))

    def give_invitation(self, _: object) -> None:
        code = people_of(self.turn).invite_colleague(str(self.answers.pop("invite_role", "member")))
        self.turn.say(
            self.t.gettext(
                "Give this code to your colleague: {code}\n\nThey open Fair Say, type /code and enter it. It works "
                "once, for {days} days."
            ).format(
                code=f"{code[:5]} {code[5:]}", days=self.t.format_number(whole_days(STAFF_CODE_LIFETIME))
            )
        )


INVITE = Flow(
    "invite",
    [
        Step(
            "role",
            AnswerKind.CHOICE,
            N_("What may your colleague do?"),
            key="invite_role",
            choices=(
                Choice("member", N_("Answer complaints")),
                Choice("admin", N_("Answer complaints and invite others")),
            ),
        ),
    ],
    [
        team_only("start"),
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": MENU,
            "conditions": "is_not_an_administrator",
            "after": "say_only_administrators",
        },
        {"trigger": ARRIVE, "source": "start", "dest": "role"},
        {"trigger": NEXT, "source": "role", "dest": MENU, "after": "give_invitation"},
    ],
    Invite,
    entry="start",
)


# --- /inbox and the actions ----------------------------------------------------------------------------


def _inbox(turn: Turn) -> list[CaseRecord]:
    return caseload_order(people_of(turn).inbox(), turn.today)


def inbox_prompt(turn: Turn) -> str:
    t = turn.t
    lines = [inbox_line(record.ref, build_timeline(record.case, turn.today), t) for record in _inbox(turn)]
    return t.gettext("Complaints waiting for you, most urgent first:") + "\n" + "\n".join(lines)


def inbox_choices(turn: Turn) -> tuple[Choice, ...]:
    return (
        *(Choice(record.ref, record.ref, literal=True) for record in _inbox(turn)[:20]),
        Choice("_menu", N_("Back to the menu")),
    )


def case_view(record: CaseRecord, turn: Turn) -> str:
    t = turn.t
    timeline = build_timeline(record.case, turn.today)
    waiting = open_stage(timeline)
    parts = [t.gettext("Complaint {ref}").format(ref=record.ref)]
    about = about_text(record.details, record.case.subject, t)  # every part for the landlord
    if about:
        parts.append(f"{t.gettext('About')}: {about}")
    for key, label in (
        ("what_happened", N_("What happened")),
        ("put_right", N_("What would put it right")),
        ("adjustments", N_("Adjustments needed")),
    ):
        if record.details.get(key):
            parts.append(f"{t.gettext(label)}: {str(record.details[key])[:600]}")
    if waiting is None:
        parts.append(t.gettext("Nothing is waiting for you on this complaint."))
    else:
        parts.append("\n".join(duty_lines(timeline, t)))
    return "\n\n".join(parts)


def show_case(turn: Turn, ref: str) -> bool:
    """The complaint as the team sees it, with the action buttons while a stage waits for them."""
    record = next((r for r in people_of(turn).inbox() if r.ref == ref), None)
    if record is None:
        return False
    waiting = open_stage(build_timeline(record.case, turn.today)) is not None
    turn.say(case_view(record, turn), submission_buttons(ref, turn.t) if waiting else ())
    return True


class Inbox(TeamOnly):
    @condition
    def is_empty(self) -> bool:
        return not people_of(self.turn).inbox()

    def say_empty(self, _: object) -> None:
        self.turn.say(self.t.gettext("No complaints are waiting for you."))

    def open_case(self, _: object) -> None:
        show_case(self.turn, str(self.answers.pop("inbox_pick", "_menu")))


INBOX = Flow(
    "inbox",
    [
        Step("list", AnswerKind.CHOICE, inbox_prompt, key="inbox_pick", choices=inbox_choices),
    ],
    [
        team_only("list"),
        {"trigger": ARRIVE, "source": "list", "dest": MENU, "conditions": "is_empty", "after": "say_empty"},
        {"trigger": NEXT, "source": "list", "dest": MENU, "after": "open_case"},
    ],
    Inbox,
)


def _result(model: FlowModel, problem: str | None) -> None:
    t, ref = model.t, model.answers.get("ll_case")
    if problem is None:
        model.turn.say(
            t.gettext("Done: recorded on complaint {ref}, and the resident has been told.").format(ref=ref)
        )
        show_case(model.turn, str(ref))  # with the buttons still useful: the next step is one tap
    elif problem == "not_found":
        model.turn.say(t.gettext("I can't find that complaint in your organisation's inbox."))
    elif problem == "too_large":
        model.turn.say(t.gettext("That file is too big for me to keep. Please send a smaller copy."))
    elif problem == "unsupported_type":
        model.turn.say(
            t.gettext("I can't keep that kind of file. Please send the letter as a PDF or Word document.")
        )
    else:
        model.turn.say(t.gettext(PROBLEM_TEXT[Problem(problem)]))
    _result_cleanup(model)


def _received(turn: Turn) -> CaseRecord | None:
    ref = turn.answers.get("ll_case")
    return next((r for r in people_of(turn).inbox() if r.ref == ref), None)


def _new_due(turn: Turn) -> date | None:
    typed = turn.answers.get("ll_new_due")
    return date.fromisoformat(typed) if typed else None


def _cautions(turn: Turn) -> list[Caution]:
    """What the team should read before this action goes ahead (flows.landlord_actions.cautions)."""
    record = _received(turn)
    kind = turn.answers.get("ll_action")
    if record is None or kind not in set(ActionKind):
        return []
    action = LandlordAction(ActionKind(str(kind)), turn.today, _new_due(turn), "-")
    return cautions(record.case, action, turn.today)


def confirm_prompt(turn: Turn) -> str:
    t = turn.t
    warnings = [f"⚠️ {caution_message(caution, t)}" for caution in _cautions(turn)]
    if turn.answers.get("ll_action") == ActionKind.EXTEND:
        question = t.gettext("Extend complaint {ref} to {date} anyway?").format(
            ref=turn.answers.get("ll_case"), date=t.format_date(_new_due(turn) or turn.today)
        )
    else:
        record = _received(turn)
        rule = (
            decline_rule_if_declined(record.case, turn.today)
            if record is not None
            else COMPLAINT_REFUSED_GUIDANCE
        )
        question = t.gettext(
            "Decline complaint {ref}? The resident will be told your reason and that they can take your decision to "
            "the Housing Ombudsman ({rule})."
        ).format(ref=turn.answers.get("ll_case"), rule=rule)
    return "\n\n".join([*warnings, question])


def confirm_choices(turn: Turn) -> tuple[Choice, ...]:
    if turn.answers.get("ll_action") == ActionKind.EXTEND:
        return (Choice("yes", N_("Extend anyway")), Choice("no", N_("Cancel")))
    return (Choice("yes", N_("Decline the complaint")), Choice("no", N_("Cancel")))


class LandlordActionFlow(TeamOnly):
    @condition
    def is_unknown_action(self) -> bool:
        return self.answers.get("ll_action") not in set(ActionKind)

    @condition
    def is_not_our_complaint(self) -> bool:
        return people_of(self.turn).role_on(str(self.answers["ll_case"])) != "landlord"

    def forget_action(self, _: object) -> None:
        _result_cleanup(self)

    def say_not_found(self, _: object) -> None:
        _result(self, "not_found")

    def record_response(self, event: EventData) -> None:
        file: IncomingFile = event.kwargs["file"]
        ref = str(self.answers.get("ll_case", ""))
        problem = people_of(self.turn).landlord_act(ref, ActionKind.RESPOND, response=file)
        _result(self, problem)

    @condition
    def needs_confirmation(self) -> bool:
        """A decline always; an extension when it is past the Code's cap (flows.landlord_actions.cautions)."""
        return self.answers.get("ll_action") == ActionKind.DECLINE or bool(_cautions(self.turn))

    @condition
    def is_a_refused_date(self) -> bool:
        """The new date is checked before the reason is asked, so no reason is typed for nothing."""
        record, new_due = _received(self.turn), _new_due(self.turn)
        return (
            record is not None
            and new_due is not None
            and new_due_problem(record.case, new_due, self.turn.today) is not None
        )

    def say_date_refused(self, _: object) -> None:
        self.answers.pop("ll_new_due", None)
        self.turn.say(self.t.gettext(PROBLEM_TEXT[Problem.DATE_NOT_LATER]))

    def act(self, _: object) -> None:
        a = self.answers
        if a.get("ll_confirm") == "no":
            self.turn.say(self.t.gettext("OK, nothing was sent."))
            _result_cleanup(self)
            return
        if not a.get("ll_case") or not a.get("ll_action"):  # a stale conversation: start again from /inbox
            _result_cleanup(self)
            return
        new_due = a.get("ll_new_due")
        problem = people_of(self.turn).landlord_act(
            str(a["ll_case"]),
            str(a["ll_action"]),
            new_due=date.fromisoformat(new_due) if new_due else None,
            reason=a.get("ll_reason"),
            confirmed=a.get("ll_confirm") == "yes",
        )
        _result(self, problem)


def _result_cleanup(model: FlowModel) -> None:
    """Forget the action's answers (the transitions go back to the menu)."""
    for key in ("ll_case", "ll_action", "ll_new_due", "ll_reason", "ll_confirm"):
        model.answers.pop(key, None)


LANDLORD_ACTION = Flow(
    "landlord_action",
    [
        Step(
            "new_due",
            AnswerKind.DATE,
            N_("By what date will you respond now? For example 30/04/2026."),
            key="ll_new_due",
            allow_future=True,
        ),
        Step(
            "reason",
            AnswerKind.TEXT,
            N_("What is the reason? The resident will see it as you write it."),
            key="ll_reason",
            max_length=2_000,
        ),
        Step(
            "confirm",
            AnswerKind.CHOICE,
            confirm_prompt,
            key="ll_confirm",
            choices=confirm_choices,
        ),
        Step(
            "response",
            AnswerKind.FILES,
            N_("Please send your response letter as a PDF or Word document. The resident gets a copy."),
            done_label=N_("Record it without a letter"),
        ),
    ],
    [
        team_only("start"),
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": MENU,
            "conditions": "is_unknown_action",
            "after": "forget_action",
        },
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": MENU,
            "conditions": "is_not_our_complaint",
            "after": "say_not_found",
        },
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": MENU,
            "conditions": _ACTION_IS[ActionKind.ACKNOWLEDGE],
            "after": "act",
        },
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": "new_due",
            "conditions": _ACTION_IS[ActionKind.EXTEND],
        },
        {
            "trigger": ARRIVE,
            "source": "start",
            "dest": "response",
            "conditions": _ACTION_IS[ActionKind.RESPOND],
        },
        {"trigger": ARRIVE, "source": "start", "dest": "reason"},
        {
            "trigger": NEXT,
            "source": "new_due",
            "dest": "new_due",
            "conditions": "is_a_refused_date",
            "after": "say_date_refused",
        },
        {"trigger": NEXT, "source": "new_due", "dest": "reason"},
        {"trigger": NEXT, "source": "reason", "dest": "confirm", "conditions": "needs_confirmation"},
        {"trigger": NEXT, "source": "reason", "dest": MENU, "after": "act"},
        {"trigger": NEXT, "source": "confirm", "dest": MENU, "after": "act"},
        {"trigger": FILE, "source": "response", "dest": MENU, "after": "record_response"},
        {"trigger": NEXT, "source": "response", "dest": MENU, "after": "act"},
    ],
    LandlordActionFlow,
    entry="start",
    scratch=("ll_case", "ll_action", "ll_new_due", "ll_reason", "ll_confirm"),
)


class Compliance(TeamOnly):
    def show_figures(self, _: object) -> None:
        report = people_of(self.turn).compliance()
        if report is not None:
            text, csv = report
            self.turn.say(text)
            self.turn.say(
                self.t.gettext("The same figures, one row per complaint, for a spreadsheet:"), document=csv
            )


# Nothing to ask: it answers and goes back to the menu.
COMPLIANCE = Flow(
    "compliance",
    [],
    [team_only("show"), {"trigger": ARRIVE, "source": "show", "dest": MENU, "after": "show_figures"}],
    Compliance,
    "show",
)
