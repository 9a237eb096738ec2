"""Stage 2 (/status → escalate): the request to the landlord's complaints team, why the resident is
unhappy with the stage 1 answer, the letter and its sending."""

from __future__ import annotations

from datetime import date

from flows.case import CaseEvent, EventKind
from flows.code_rules import CodeVersion
from flows.conversations.engine import (
    NEXT,
    RETURN_TO,
    AnswerKind,
    Choice,
    Flow,
    Step,
    Turn,
    answer_is,
)
from flows.conversations.sending import (
    Sending,
    SendingModel,
    check_letter_words,
)
from flows.conversations.tracking import _current, deadline_summary, timeline_of
from flows.i18n import N_, translator
from flows.letters import stage2_letter
from flows.time_limits import TimeLimitId, TimeLimitStatus
from flows.working_days import Nation

STAGE2_SENDING = Sending(
    stage=2,
    event=EventKind.ESCALATION_REQUESTED,
    prompt=N_(
        "Send this request to your landlord's complaints team and keep a copy. Tell me when you've sent it."
    ),
    send_key="send2",
    date_key="sent2_on",
    date_prompt=N_("On what date did you send it? For example 14/03/2026, or “today”."),
    later=N_("OK. When you've sent it, open “My complaints” and tell me."),
    delivered=N_(
        "Sent: {landlord} has your stage 2 request through Fair Say. I'll tell you as soon as it answers."
    ),
)


def stage2_review_prompt(turn: Turn) -> str:
    """What the stage 2 request will say in the resident's own words, to check before it is written."""
    t, reasons = turn.t, turn.answers.get("stage2_reasons")
    if reasons:
        said = t.gettext("What is still not right: {text}").format(text=reasons)
    elif _stage2_code(turn) is CodeVersion.V2024:
        said = t.gettext("No reasons given: you don't have to give any (Code 6.12).")
    else:
        said = t.gettext("No reasons given.")
    return t.gettext("Please check your stage 2 request before I write it.") + "\n\n" + said


class Stage2(SendingModel):
    sending = STAGE2_SENDING

    def forget_review(self, _: object) -> None:
        self.answers.pop("stage2_review", None)

    def return_to_review(self, _: object) -> None:
        self.answers[RETURN_TO] = "review"

    def on_enter_letter(self, _: object) -> None:
        workspace, a = self.turn.workspace, self.answers
        ref = a["case"]
        workspace.update_case_details(ref, {"stage2_reasons": a.get("stage2_reasons")})
        record = workspace.case(ref)
        assert record is not None
        profile = workspace.profile()
        english = stage2_letter(record, profile, self.turn.today, translator("en"))
        if self.t.language != "en":
            self.turn.say(
                self.t.gettext(
                    "Here is your stage 2 request in your language, so you can check it. Your landlord gets it in "
                    "English (the PDF below)."
                )
            )
            self.turn.say(stage2_letter(record, profile, self.turn.today, self.t).body)
        else:
            self.turn.say(english.body)
        self.turn.say(
            self.t.gettext("Your stage 2 request as a PDF:"), document=workspace.render_pdf(english)
        )
        window = timeline_of(record, self.turn.today).facts.time_limit(TimeLimitId.STAGE2_REQUEST_WINDOW)
        if window.status in (TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING) and window.ends is not None:
            self.turn.say(
                self.t.gettext(
                    "Your landlord's policy says to ask for stage 2 by {date}. Send it soon."
                ).format(date=self.t.format_date(window.ends))
            )

    def record_sending(self, sent_on: date, *, count: bool = True) -> None:
        a = self.answers
        a.pop("sent2_on", None)
        a.pop("send2", None)
        self.turn.workspace.record_event(a["case"], CaseEvent(sent_on, EventKind.ESCALATION_REQUESTED))
        record = self.turn.workspace.case(a["case"])
        assert record is not None
        if sent_on != self.turn.today:  # the request made today said today: one with the day it went
            letter = stage2_letter(record, self.turn.workspace.profile(), sent_on, translator("en"))
            self.turn.say(
                self.t.gettext(
                    "Your letter again, dated {date}, the day you sent it, for your records:"
                ).format(date=self.t.format_date(sent_on)),
                document=self.turn.workspace.render_pdf(letter),
            )
        noted = self.t.gettext("Noted: you asked for stage 2 on {date}.").format(
            date=self.t.format_date(sent_on)
        )
        if count:
            noted += "\n\n" + deadline_summary(timeline_of(record, self.turn.today), self.t)
        self.turn.say(noted)


def _stage2_code(turn: Turn) -> CodeVersion | None:
    """The Code governing the stage 2 request; None outside England, where no Housing Ombudsman Code applies."""
    current = _current(turn)
    if current is None or current[0].case.nation is not Nation.ENGLAND:
        return None
    return current[1].facts.stage_rules[1].version


def stage2_why_prompt(turn: Turn) -> str:
    """Why stage 2, in the words of the Code that governs the request: no reasons needed is the 2024
    Code's (6.12); the 2022 Code progresses what is not resolved (5.9) and has the landlord set out its
    understanding of it (5.10; domain.md 1.7, 1.11); outside England no Housing Ombudsman Code applies."""
    t = turn.t
    code = _stage2_code(turn)
    if code is None:
        return t.gettext(
            "If you'd like, tell me what is still wrong or what you disagree with, and I'll add it to your request."
        )
    if code is CodeVersion.V2024:
        return t.gettext(
            "You can ask for stage 2 without giving reasons (Complaint Handling Code 6.12). If you'd like, tell me "
            "what is still wrong or what you disagree with, and I'll add it to your request."
        )
    return t.gettext(
        "Your request comes under the 2022 Complaint Handling Code: a complaint not resolved to your satisfaction "
        "at stage 1 must go to stage 2 (2022 Code 5.9), and your landlord sets out its understanding of what is "
        "still outstanding (2022 Code 5.10). So it helps to tell me what is still wrong or what you disagree with, "
        "and I'll add it to your request."
    )


STAGE2 = Flow(
    "stage2",
    [
        Step(
            "why",
            AnswerKind.TEXT,
            stage2_why_prompt,
            key="stage2_reasons",
            check=check_letter_words,
            skip_label=N_("I'd rather not say"),
        ),
        Step(
            "review",
            AnswerKind.CHOICE,
            stage2_review_prompt,
            key="stage2_review",
            choices=(
                Choice("letter", N_("That's right: write my request")),
                Choice("edit", N_("Change what I said")),
            ),
        ),
        *STAGE2_SENDING.steps(),
    ],
    [
        {"trigger": NEXT, "source": "why", "dest": "review"},
        {
            "trigger": NEXT,
            "source": "review",
            "dest": "why",
            "conditions": answer_is("stage2_review", "edit"),
            "before": ["forget_review", "return_to_review"],
        },
        {"trigger": NEXT, "source": "review", "dest": "letter", "before": "forget_review"},
        *STAGE2_SENDING.transitions(),
    ],
    Stage2,
)
