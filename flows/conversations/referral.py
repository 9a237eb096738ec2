"""The referral to the Housing Ombudsman: when it may look at the complaint, the summary in the
resident's own words, the pack, and the date it was sent."""

from __future__ import annotations

from datetime import date

from flows.case import CaseEvent, EventKind
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
)
from flows.conversations.sending import (
    LETTER_TEXT_STEPS,
    check_letter_words,
    event_order_check,
)
from flows.conversations.tracking import _current, timeline_of
from flows.i18n import N_, translator
from flows.letters import referral_summary
from flows.time_limits import TimeLimitId, TimeLimitStatus

HOS_RESIDENTS = "https://www.housing-ombudsman.org.uk/residents/"

REFERRAL_EXPLAINED = N_(
    "The Housing Ombudsman is free and independent of your landlord. It normally looks at a complaint once your "
    "landlord has given its final (stage 2) answer, or earlier if your landlord has missed its deadlines or "
    "refused to deal with your complaint. You fill in its online complaint form; it may ask you for letters and "
    "evidence. I can make you a pack with everything in one place: a summary, the timeline with every "
    "deadline, your letters and your evidence."
)


def referral_prompt(turn: Turn) -> str:
    t = turn.t
    current = _current(turn)
    text = t.gettext(REFERRAL_EXPLAINED)
    if current is not None:
        limit = current[1].facts.time_limit(TimeLimitId.OMBUDSMAN_REFERRAL)
        if (
            limit.status in (TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING)
            and limit.ends
            and limit.days_left is not None
        ):
            text += "\n\n" + t.ngettext(
                "You have until {date} to go to the Ombudsman ({n} day left).",
                "You have until {date} to go to the Ombudsman ({n} days left).",
                limit.days_left,
            ).format(date=t.format_date(limit.ends), n=t.format_number(limit.days_left))
    return text


# The resident's own words in the summary, which the review screen lets them change.
SUMMARY_KEYS = ("what_happened", "impact", "put_right")


def referral_review_prompt(turn: Turn) -> str:
    """The summary for the Ombudsman in the resident's language, to check before the pack is made."""
    t, current = turn.t, _current(turn)
    if current is None:
        return t.gettext("I can't find that complaint any more.")
    record, timeline = current
    summary = referral_summary(record, turn.workspace.profile(), timeline, t)
    return (
        t.gettext("Please check your summary for the Housing Ombudsman before I make your pack.")
        + "\n\n"
        + summary.body
    )


class Referral(FlowModel):
    def forget_choice(self, _: object) -> None:
        self.answers.pop("referral_choice", None)

    def on_enter_review(self, _: object) -> None:
        """The resident's words as the case has them, so an edit starts from them."""
        record = self.turn.workspace.case(str(self.answers.get("case", "")))
        for key in SUMMARY_KEYS:
            self.answers[key] = record.details.get(key) if record is not None else None

    def forget_review(self, _: object) -> None:
        self.answers.pop("referral_review", None)

    def save_summary_words(self, _: object) -> None:
        self.turn.workspace.update_case_details(
            self.answers["case"], {key: self.answers.get(key) for key in SUMMARY_KEYS}
        )

    def on_enter_pack(self, _: object) -> None:
        workspace, a = self.turn.workspace, self.answers
        for key in ("referral_choice", "referral_review", *SUMMARY_KEYS):
            a.pop(key, None)
        record = workspace.case(a["case"])
        assert record is not None
        profile = workspace.profile()
        timeline = timeline_of(record, self.turn.today)
        english = referral_summary(record, profile, timeline, translator("en"))
        self.turn.say(
            self.t.gettext("Your summary for the Housing Ombudsman (PDF):"),
            document=workspace.render_pdf(english),
        )
        self.turn.say(
            self.t.gettext(
                "Everything in one file (summary, letters and evidence, with their fingerprints):"
            ),
            document=workspace.referral_pack(record.ref, english),
        )
        self.turn.say(
            self.t.gettext(
                "Fill in the Housing Ombudsman's online complaint form using the summary: {url}\nIf you can't use the "
                "online form, the same page explains the other ways to contact the Ombudsman."
            ).format(url=HOS_RESIDENTS)
        )

    def record_referral(self, _: object) -> None:
        a = self.answers
        on = date.fromisoformat(a.pop("referred_on"))
        a.pop("referred", None)
        self.turn.workspace.record_event(a["case"], CaseEvent(on, EventKind.REFERRED_TO_OMBUDSMAN))
        self.turn.say(
            self.t.gettext(
                "Noted: you went to the Housing Ombudsman on {date}. Keep your letters and evidence together and answer "
                "its questions when it asks. Good luck."
            ).format(date=self.t.format_date(on))
        )

    def say_later(self, _: object) -> None:
        self.answers.pop("referred", None)
        self.turn.say(self.t.gettext("OK. When you've sent it, open “My complaints” and tell me."))


REFERRAL = Flow(
    "referral",
    [
        Step(
            "explain",
            AnswerKind.CHOICE,
            referral_prompt,
            key="referral_choice",
            choices=(Choice("pack", N_("Make my pack")), Choice("later", N_("Not now"))),
        ),
        Step(
            "review",
            AnswerKind.CHOICE,
            referral_review_prompt,
            key="referral_review",
            choices=(
                Choice("pack", N_("That's right: make my pack")),
                Choice("what_happened", N_("What happened")),
                Choice("impact", N_("How it affects me")),
                Choice("put_right", N_("What would put it right")),
            ),
        ),
        *(
            Step(step.id, AnswerKind.TEXT, step.prompt, key=step.key, check=check_letter_words)
            for step in LETTER_TEXT_STEPS
            if step.id in SUMMARY_KEYS
        ),
        Step(
            "pack",
            AnswerKind.CHOICE,
            N_("Tell me when you've sent your complaint to the Ombudsman."),
            key="referred",
            choices=(Choice("sent", N_("I've sent it")), Choice("later", N_("Later"))),
        ),
        Step(
            "referred_date",
            AnswerKind.DATE,
            N_("On what date did you send it? For example 14/03/2026, or “today”."),
            key="referred_on",
            check=event_order_check(EventKind.REFERRED_TO_OMBUDSMAN),
        ),
    ],
    [
        {
            "trigger": NEXT,
            "source": "explain",
            "dest": "review",
            "conditions": answer_is("referral_choice", "pack"),
        },
        {
            "trigger": NEXT,
            "source": "review",
            "dest": "pack",
            "conditions": answer_is("referral_review", "pack"),
            "before": "forget_review",
        },
        *(
            transition
            for key in SUMMARY_KEYS
            for transition in (
                {
                    "trigger": NEXT,
                    "source": "review",
                    "dest": key,
                    "conditions": answer_is("referral_review", key),
                    "before": "forget_review",
                },
                {"trigger": NEXT, "source": key, "dest": "review", "before": "save_summary_words"},
            )
        ),
        {"trigger": NEXT, "source": "explain", "dest": MENU, "before": "forget_choice"},
        {
            "trigger": NEXT,
            "source": "pack",
            "dest": MENU,
            "conditions": answer_is("referred", "later"),
            "after": "say_later",
        },
        {"trigger": NEXT, "source": "pack", "dest": "referred_date"},
        {"trigger": NEXT, "source": "referred_date", "dest": MENU, "after": "record_referral"},
    ],
    Referral,
)
