"""The stage 1 complaint: the resident's details (asked once, reused), what happened, the impact, what
would put it right, adjustments and evidence; a review screen where any answer can be changed; the
letter (English, with a preview in the resident's language, and a PDF); and "I sent it on ...",
which starts the Code's clocks.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from transitions import EventData

from flows.case import CaseEvent, EventKind
from flows.conversations.engine import (
    ARRIVE,
    FILE,
    NEXT,
    RETURN_TO,
    SAVED_TERMINAL,
    AnswerKind,
    Choice,
    Flow,
    FlowModel,
    Step,
    Turn,
    answer_is,
    by_channel,
    condition,
)
from flows.conversations.parsing import answer_date
from flows.conversations.sending import LETTER_TEXT_STEPS, Sending, SendingModel, check_letter_words
from flows.conversations.tracking import deadline_summary
from flows.conversations.types import IncomingFile
from flows.conversations.workspace import EvidenceRejected
from flows.i18n import N_, translator
from flows.letters import stage1_letter
from flows.timeline import build_timeline

PROFILE_KEYS = ("full_name", "address", "tenancy_ref", "contact", "contact_detail")
DETAIL_KEYS = ("what_happened", "dates", "impact", "put_right", "adjustments")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_contact_detail(text: str, turn: Turn) -> str | None:
    if turn.answers.get("contact") == "email" and not _EMAIL.match(text):
        return turn.t.gettext(
            "That doesn't look like an email address. Please check it, for example name@example.com."
        )
    if turn.answers.get("contact") == "phone" and sum(ch.isdigit() for ch in text) < 7:
        return turn.t.gettext(
            "That doesn't look like a phone number. Please type the number with all its digits."
        )
    return None


def contact_detail_prompt(turn: Turn) -> str:
    if turn.answers.get("contact") == "email":
        return turn.t.gettext("What is your email address?")
    return turn.t.gettext("What is your phone number?")


def _profile_lines(values: dict[str, Any], turn: Turn) -> str:
    t = turn.t
    contact = {
        "email": t.gettext("by email: {detail}"),
        "phone": t.gettext("by phone: {detail}"),
        "post": t.gettext("by post"),
    }.get(values.get("contact") or "post", t.gettext("by post"))
    lines = [
        t.gettext("Name: {name}").format(name=values.get("full_name") or "-"),
        t.gettext("Address: {address}").format(address=values.get("address") or "-"),
        t.gettext("Tenancy reference: {reference}").format(reference=values.get("tenancy_ref") or "-"),
        t.gettext("Contact: {how}").format(how=contact.format(detail=values.get("contact_detail") or "")),
    ]
    return "\n".join(lines)


def profile_check_prompt(turn: Turn) -> str:
    return turn.t.gettext("I'll put these details on your letter:\n\n{details}\n\nAre they right?").format(
        details=_profile_lines(turn.workspace.profile(), turn)
    )


def review_prompt(turn: Turn) -> str:
    t, a = turn.t, turn.answers
    record = turn.workspace.case(a.get("case", ""))
    evidence = len(record.evidence) if record else 0
    parts = [
        t.gettext("Please check your complaint before I write the letter."),
        _profile_lines(a, turn),
        t.gettext("What happened: {text}").format(text=a.get("what_happened") or "-"),
        t.gettext("Important dates: {text}").format(text=a.get("dates") or "-"),
        t.gettext("How it affects you: {text}").format(text=a.get("impact") or "-"),
        t.gettext("What would put it right: {text}").format(text=a.get("put_right") or "-"),
        t.gettext("Adjustments you need: {text}").format(text=a.get("adjustments") or "-"),
        t.ngettext("Evidence: {n} file", "Evidence: {n} files", evidence).format(n=t.format_number(evidence)),
    ]
    return "\n\n".join(parts)


EDITABLE = (
    Choice("full_name", N_("My name")),
    Choice("address", N_("My address")),
    Choice("tenancy_ref", N_("Tenancy reference")),
    Choice("contact", N_("How to contact me")),
    Choice("what_happened", N_("What happened")),
    Choice("dates", N_("Important dates")),
    Choice("impact", N_("How it affects me")),
    Choice("put_right", N_("What would put it right")),
    Choice("adjustments", N_("Adjustments")),
    Choice("evidence", N_("Add more evidence")),
)


SENDING = Sending(
    stage=1,
    event=EventKind.COMPLAINT_MADE,
    prompt=N_(
        "Send this letter to your landlord's complaints team, by email or through its website, and keep a "
        "copy. Tell me when you've sent it: the Code's clocks start from that day."
    ),
    send_key="send",
    date_key="sent_on",
    date_prompt=N_("On what date did you send it? For example 14/03/2026."),
    later=N_(
        "OK. When you've sent it, open “My complaints” (or type /status) and tap “I've sent it”: that starts "
        "the clock on your landlord's deadlines."
    ),
    ask_when=True,
    delivered=N_(
        "Sent: {landlord} has your complaint, with your evidence, through Fair Say. I'll tell you as soon as "
        "it answers."
    ),
)


class Complaint(SendingModel):
    sending = SENDING

    @condition
    def has_profile(self) -> bool:
        """The resident's name and address from an earlier complaint, to check rather than ask again."""
        profile = self.turn.workspace.profile()
        return bool(profile.get("full_name") and profile.get("address"))

    @condition
    def profile_is_right(self) -> bool:
        return self.answers.get("profile_ok") == "yes"

    def use_profile(self, _: object) -> None:
        profile = self.turn.workspace.profile()
        for key in PROFILE_KEYS:
            self.answers[key] = profile.get(key)

    @condition
    def needs_contact_detail(self) -> bool:
        return self.answers.get("contact") in ("email", "phone")

    @condition
    def is_editing_from_review(self) -> bool:
        return self.answers.get(RETURN_TO) == "review"

    def save_profile(self, _: object) -> None:
        if self.answers.get("contact") == "post":
            self.answers["contact_detail"] = None
        self.turn.workspace.update_profile({key: self.answers.get(key) for key in PROFILE_KEYS})
        if self.answers.get(RETURN_TO) == "review":
            self.answers.pop(RETURN_TO)

    def keep_evidence(self, event: EventData) -> None:
        file: IncomingFile = event.kwargs["file"]
        t = self.t
        try:
            saved = self.turn.workspace.add_evidence(self.answers["case"], file)
        except EvidenceRejected as rejected:
            if rejected.reason == "too_large":
                self.turn.say(
                    t.gettext("That file is too big for me to keep. Please send a smaller copy, or a photo.")
                )
            else:
                self.turn.say(
                    t.gettext(
                        "I can't keep that kind of file. Please send photos, PDF or Word documents, or voice notes."
                    )
                )
            return
        self.turn.say(
            by_channel(N_("Saved “{name}”. Send another, or tap “That's all my evidence”."), SAVED_TERMINAL)(
                self.turn
            ).format(name=saved.name)
        )

    def forget_edit(self, _: object) -> None:
        self.answers.pop("edit_field", None)
        self.answers.pop("review_choice", None)

    def return_to_review(self, _: object) -> None:
        self.answers[RETURN_TO] = "review"

    def on_enter_letter(self, _: object) -> None:
        workspace, a = self.turn.workspace, self.answers
        ref = a["case"]
        workspace.update_profile({key: a.get(key) for key in PROFILE_KEYS})  # edits from the review screen
        workspace.update_case_details(ref, {key: a.get(key) for key in DETAIL_KEYS})
        record = workspace.case(ref)
        assert record is not None
        profile = workspace.profile()
        english = stage1_letter(record, profile, self.turn.today, translator("en"))
        if self.t.language != "en":
            preview = stage1_letter(record, profile, self.turn.today, self.t)
            self.turn.say(
                self.t.gettext(
                    "Here is your letter in your language, so you can check it. Your landlord gets it in English "
                    "(the PDF below), with your own words exactly as you wrote them."
                )
            )
            self.turn.say(preview.body)
        else:
            self.turn.say(english.body)
        self.turn.say(self.t.gettext("Your letter as a PDF:"), document=workspace.render_pdf(english))

    def record_sending(self, sent_on: date, *, count: bool = True) -> None:
        record_complaint_sent(self, sent_on, count=count)


def record_complaint_sent(model: FlowModel, sent_on: date, *, count: bool = True) -> None:
    """Record the complaint as made (with when the issue started, if known) and say what is due when."""
    workspace, a = model.turn.workspace, model.answers
    ref = a["case"]
    record = workspace.case(ref)
    assert record is not None
    kinds = {event.kind for event in record.case.events}
    started = record.details.get("started")
    if started and EventKind.ISSUE_STARTED not in kinds and answer_date(started) <= sent_on:
        workspace.record_event(ref, CaseEvent(answer_date(started), EventKind.ISSUE_STARTED))
    if EventKind.COMPLAINT_MADE not in kinds:
        workspace.record_event(ref, CaseEvent(sent_on, EventKind.COMPLAINT_MADE))
    record = workspace.case(ref)
    assert record is not None
    if sent_on != model.turn.today:  # the letter made today said today: one with the day it went
        letter = stage1_letter(record, workspace.profile(), sent_on, translator("en"))
        model.turn.say(
            model.t.gettext("Your letter again, dated {date}, the day you sent it, for your records:").format(
                date=model.t.format_date(sent_on)
            ),
            document=workspace.render_pdf(letter),
        )
    noted = model.t.gettext("Thank you. I've noted that you sent your complaint on {date}.").format(
        date=model.t.format_date(sent_on)
    )
    if count:
        noted += (
            "\n\n"
            + deadline_summary(build_timeline(record.case, model.turn.today), model.t)
            + "\n\n"
            + model.t.gettext("I'll remind you before each date, and tell you if your landlord misses one.")
        )
    model.turn.say(noted)
    for key in (*DETAIL_KEYS, "profile_ok", "review_choice", "send", "sent_when", "sent_on", "edit_field"):
        a.pop(key, None)


TEXT_STEPS = LETTER_TEXT_STEPS

COMPLAINT = Flow(
    "complaint",
    [
        Step(
            "profile_check",
            AnswerKind.CHOICE,
            profile_check_prompt,
            key="profile_ok",
            choices=(Choice("yes", N_("Yes, that's right")), Choice("change", N_("Change them"))),
        ),
        Step(
            "full_name",
            AnswerKind.TEXT,
            N_("What is your full name, as your landlord knows it?"),
            key="full_name",
            check=check_letter_words,
            max_length=200,
        ),
        Step(
            "address",
            AnswerKind.TEXT,
            N_("What is the address of your home, with the postcode?"),
            key="address",
            check=check_letter_words,
            max_length=500,
        ),
        Step(
            "tenancy_ref",
            AnswerKind.TEXT,
            N_("What is your tenancy reference or account number? It's on rent letters and statements."),
            key="tenancy_ref",
            check=check_letter_words,
            max_length=100,
            skip_label=N_("I don't know it"),
        ),
        Step(
            "contact",
            AnswerKind.CHOICE,
            N_("How should your landlord contact you about the complaint?"),
            key="contact",
            choices=(
                Choice("email", N_("By email")),
                Choice("phone", N_("By phone")),
                Choice("post", N_("By post")),
            ),
            then_return=False,
        ),
        Step(
            "contact_detail",
            AnswerKind.TEXT,
            contact_detail_prompt,
            key="contact_detail",
            max_length=200,
            check=check_contact_detail,
            then_return=False,
        ),
        *TEXT_STEPS,
        Step(
            "evidence",
            AnswerKind.FILES,
            by_channel(
                N_(
                    "Do you have photos, documents or voice notes that show the problem? Send them here one at a "
                    "time. When you've finished (or if you have none), tap “That's all my evidence”."
                ),
                N_(
                    "Do you have photos, documents or voice notes that show the problem? Send them one at a time "
                    "with /file PATH. When you've finished (or if you have none), type the number of “That's all "
                    "my evidence”."
                ),
            ),
        ),
        Step(
            "review",
            AnswerKind.CHOICE,
            review_prompt,
            key="review_choice",
            choices=(
                Choice("letter", N_("That's right: write my letter")),
                Choice("edit", N_("Change an answer")),
            ),
        ),
        Step(
            "edit_pick",
            AnswerKind.CHOICE,
            N_("Which answer would you like to change?"),
            key="edit_field",
            choices=EDITABLE,
        ),
        *SENDING.steps(),
    ],
    [
        {"trigger": ARRIVE, "source": "start", "dest": "profile_check", "conditions": "has_profile"},
        {"trigger": ARRIVE, "source": "start", "dest": "full_name"},
        {
            "trigger": NEXT,
            "source": "profile_check",
            "dest": "what_happened",
            "conditions": "profile_is_right",
            "before": "use_profile",
        },
        {"trigger": NEXT, "source": "profile_check", "dest": "full_name"},
        {"trigger": NEXT, "source": "full_name", "dest": "address"},
        {"trigger": NEXT, "source": "address", "dest": "tenancy_ref"},
        {"trigger": NEXT, "source": "tenancy_ref", "dest": "contact"},
        {
            "trigger": NEXT,
            "source": "contact",
            "dest": "contact_detail",
            "conditions": "needs_contact_detail",
        },
        *(
            transition
            for source in ("contact", "contact_detail")
            for transition in (
                {
                    "trigger": NEXT,
                    "source": source,
                    "dest": "review",
                    "conditions": "is_editing_from_review",
                    "before": "save_profile",
                },
                {"trigger": NEXT, "source": source, "dest": "what_happened", "before": "save_profile"},
            )
        ),
        {"trigger": NEXT, "source": "what_happened", "dest": "dates"},
        {"trigger": NEXT, "source": "dates", "dest": "impact"},
        {"trigger": NEXT, "source": "impact", "dest": "put_right"},
        {"trigger": NEXT, "source": "put_right", "dest": "adjustments"},
        {"trigger": NEXT, "source": "adjustments", "dest": "evidence"},
        {"trigger": FILE, "source": "evidence", "dest": None, "after": "keep_evidence"},
        {"trigger": NEXT, "source": "evidence", "dest": "review"},
        {
            "trigger": NEXT,
            "source": "review",
            "dest": "edit_pick",
            "conditions": answer_is("review_choice", "edit"),
        },
        {"trigger": NEXT, "source": "review", "dest": "letter"},
        *(
            {
                "trigger": NEXT,
                "source": "edit_pick",
                "dest": choice.id,
                "conditions": answer_is("edit_field", choice.id),
                "before": ["forget_edit", "return_to_review"],
            }
            for choice in EDITABLE
        ),
        {"trigger": NEXT, "source": "edit_pick", "dest": "review", "before": "forget_edit"},
        *SENDING.transitions(),
    ],
    Complaint,
    entry="start",
)
