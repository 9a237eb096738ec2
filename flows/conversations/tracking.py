"""Tracking a complaint (/status): the timeline in plain words, and recording or correcting what the
landlord did. Stage 2 (flows.conversations.stage2) and the referral to the Housing Ombudsman
(flows.conversations.referral) are flows of their own, entered from here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from transitions import EventData

from flows.awaab import covered_hazard
from flows.case import CaseEvent, EventKind
from flows.conversations.chosen_case import current_case, role_on, timeline_of
from flows.conversations.corrections import (
    check_corrected_date,
    chosen_event,
    correct_how_choices,
    correct_how_prompt,
    correction_choices,
)
from flows.conversations.engine import (
    ARRIVE,
    MENU,
    NEXT,
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
    exit_to,
)
from flows.conversations.limit_reading import check_limit_days, read_limit
from flows.conversations.new_complaint import hazard_text
from flows.conversations.parsing import (
    DateProblem,
    answer_date,
    date_problem_message,
    show_answer_date,
)
from flows.conversations.sending import (
    event_order_check,
)
from flows.conversations.types import IncomingFile
from flows.conversations.workspace import CaseRecord, EvidenceRejected, LetterText
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.history import order_clash_message, refusal_clash
from flows.i18n import N_, Translator
from flows.labels import deadline_label, event_label, state_label
from flows.lifecycle import State
from flows.messages import as_the_resident_said, finding_message, how_counted, next_step_message
from flows.refusals import (
    REASON_LABELS,
    REFUSAL_KEY,
    RefusalReason,
    refusal_answer,
    stage2_pending,
    with_refusal_limit,
)
from flows.response_check import MAX_TEXT_CHARACTERS, check_response, missing_message, stage_and_code
from flows.sent_mail import proof_lines
from flows.timeline import OWED_WHILE, Timeline, build_timeline, early_stage2_rule
from flows.working_days import Nation, calendar_for

_STAGE2_STATES = {State.STAGE2_WAITING_ACKNOWLEDGEMENT, State.STAGE2_WAITING_RESPONSE}
_WAITING_STATES = {State.STAGE1_WAITING_ACKNOWLEDGEMENT, State.STAGE1_WAITING_RESPONSE, *_STAGE2_STATES}


def deadline_summary(timeline: Timeline, t: Translator) -> str:
    """The landlord's open deadlines, with days left or working days late."""
    lines = []
    today = timeline.facts.as_of
    for deadline in timeline.deadlines:
        if not deadline.is_open or deadline.due is None:
            continue
        label = deadline_label(deadline.id, t)
        if deadline.status is DeadlineStatus.PENDING:
            days = (deadline.due - today).days
            line = t.ngettext(
                "⏳ {deadline}: due {due} ({n} day left).",
                "⏳ {deadline}: due {due} ({n} days left).",
                days,
            ).format(deadline=label, due=t.format_date(deadline.due), n=t.format_number(days))
            if deadline.landlord_due is not None and deadline.landlord_due < deadline.due:
                # A registered timescale shorter than the Code's, beside the Code's (the Code is the floor).
                line += " " + t.gettext("Your landlord's policy: by {date}.").format(
                    date=t.format_date(deadline.landlord_due)
                )
            lines.append(line)
        else:
            late = deadline.working_days_late or 0
            lines.append(
                t.ngettext(
                    "❗ {deadline}: was due {due}, now {n} working day late.",
                    "❗ {deadline}: was due {due}, now {n} working days late.",
                    late,
                ).format(deadline=label, due=t.format_date(deadline.due), n=t.format_number(late))
            )
    if not lines:
        return t.gettext("Your landlord has no open deadline right now.")
    return "\n".join(lines)


def _event_date(event: CaseEvent, record: CaseRecord, t: Translator) -> str:
    """An event's date; when the problem started, as the resident gave it (maybe only the month)."""
    started = record.details.get("started")
    if (
        event.kind is EventKind.ISSUE_STARTED
        and isinstance(started, str)
        and answer_date(started) == event.date
    ):
        return show_answer_date(started, t)
    return t.format_date(event.date)


def status_text(record: CaseRecord, timeline: Timeline, t: Translator, turn: Turn | None = None) -> str:
    parts = [
        t.gettext("Complaint {reference} to {landlord}").format(
            reference=record.ref, landlord=record.landlord_name
        ),
        t.gettext("Where it stands: {state}").format(state=state_label(timeline.state, t)),
    ]
    if timeline.facts.events:
        history = "\n".join(
            f"• {_event_date(event, record, t)}: {event_label(event.kind, t)}"
            + (" " + t.gettext("(you dispute this)") if event in record.disputed else "")
            for event in timeline.facts.events
        )
        parts.append(t.gettext("What has happened:") + "\n" + history)
    parts += [f"✉️ {line}" for line in proof_lines(record.details, t)]  # emailed for them: the proof
    if timeline.state is not State.DRAFTING:
        parts.append(deadline_summary(timeline, t))
    hazard = covered_hazard(record.details, record.case.nation.value, record.case.landlord_type)
    if hazard and turn is not None:
        parts.append(
            hazard_text(
                dict(hazard), turn, record.details.get("hazard_investigated"), record.case.extra_holidays
            )
        )
    warnings = [
        finding_message(f, t)
        for f in as_the_resident_said(timeline.findings, record.details.get("started"))
        if f.id != "deadline_missed"
    ]
    if warnings:
        parts.append(t.gettext("Things to know:") + "\n" + "\n".join(f"• {w}" for w in warnings))
    steps = [next_step_message(step, t) for step in timeline.next_steps]
    if steps:
        parts.append(t.gettext("What you can do now:") + "\n" + "\n".join(f"• {s}" for s in steps))
    return "\n\n".join(parts)


# --- choosing a complaint and acting on it ----------------------------------------------------------


def case_choices(turn: Turn) -> tuple[Choice, ...]:
    choices = []
    for record in turn.workspace.cases():
        state = build_timeline(record.case, turn.today).state
        label = f"{record.ref} · {record.landlord_name[:30]} · {state_label(state, turn.t)}"
        choices.append(Choice(record.ref, label, literal=True))
    return tuple(choices)


def status_prompt(turn: Turn) -> str:
    current = current_case(turn)
    if current is None:
        return turn.t.gettext("I can't find that complaint any more.")
    return status_text(*current, turn.t, turn)


def ways_forward(timeline: Timeline) -> tuple[str, ...]:
    """Where the resident may take the complaint now: "stage2", "ombudsman". A landlord's missed
    deadline opens these early (the findings in flows.timeline say which paragraph). Outside England the
    Housing Ombudsman and its Code do not apply: only stage 2 after the stage 1 answer."""
    state, ways = timeline.state, []
    if state is State.STAGE1_ANSWERED:
        ways.append("stage2")
    if timeline.facts.case.nation is not Nation.ENGLAND:
        return tuple(ways)
    if (
        state in _WAITING_STATES
        and timeline.facts.deadline(OWED_WHILE[state]).status is DeadlineStatus.MISSED
    ):
        stage1_response = timeline.facts.deadline(DeadlineId.STAGE1_RESPONSE)
        if (
            state not in _STAGE2_STATES
            and stage1_response.status is DeadlineStatus.MISSED
            and early_stage2_rule(timeline.facts) is not None  # 2024 Code 6.10, not 2022 Code 5.11
        ):
            ways.append("stage2")
        ways.append("ombudsman")
    if state in (State.FINAL_RESPONSE, State.DECLINED):
        ways.append("ombudsman")
    return tuple(ways)


def status_choices(turn: Turn) -> tuple[Choice, ...]:
    current = current_case(turn)
    if current is None:
        return (Choice("menu", N_("Back to the menu")),)
    _, timeline = current
    state = timeline.state
    choices: list[Choice] = []
    if state is State.DRAFTING:
        choices += [Choice("sent", N_("I've sent it")), Choice("finish", N_("Finish or change my letter"))]
    if state in _WAITING_STATES:
        choices += [
            Choice("acknowledged", N_("They acknowledged it")),
            Choice("more_time", N_("They asked for more time")),
            Choice("replied", N_("They replied")),
            Choice("reply_letter", N_("They replied: read their letter")),
            Choice("refused", N_("They refused to deal with it")),
            Choice("nothing", N_("Nothing heard yet")),
        ]
    ways = ways_forward(timeline)
    if "stage2" in ways:
        choices.append(Choice("stage2", N_("Ask for stage 2")))
    if "ombudsman" in ways:
        choices.append(Choice("ombudsman", N_("Go to the Housing Ombudsman")))
    if state is State.STAGE1_ANSWERED:
        choices.append(Choice("resolved", N_("I'm happy: close it")))
    if state in (State.FINAL_RESPONSE, State.DECLINED):
        choices.append(Choice("resolved", N_("Close this complaint")))
    if state is State.REFERRED:
        choices.append(Choice("resolved", N_("It's sorted: close it")))
    record = current[0]
    if (
        covered_hazard(record.details, record.case.nation.value, record.case.landlord_type)
        and not record.details.get("hazard_investigated")
        and state is not State.CLOSED
    ):
        choices.append(Choice("inspected", N_("They inspected the damp or mould")))
    if state is not State.DRAFTING and record.case.events:
        choices.append(Choice("correct", N_("Correct or remove something I recorded")))
    if state is not State.DRAFTING:
        choices.append(Choice("counted", N_("How did you count?")))
    choices.append(Choice("menu", N_("Back to the menu")))
    return for_role(tuple(choices), role_on(turn, record.ref))


# An advocate may see (view) or also act; what only the resident may do becomes a proposal they approve.
_VIEW_ONLY = frozenset({"counted", "menu"})
_OWNER_ONLY = frozenset({"sent", "finish", "resolved"})
_PROPOSALS = {
    "stage2": Choice("propose_stage2", N_("Ask the resident to approve a stage 2 request")),
    "ombudsman": Choice("propose_referral", N_("Ask the resident to approve going to the Ombudsman")),
}


def for_role(choices: tuple[Choice, ...], role: str) -> tuple[Choice, ...]:
    if role == "owner":
        return choices
    if role == "act":
        return tuple(_PROPOSALS.get(c.id, c) for c in choices if c.id not in _OWNER_ONLY)
    return tuple(c for c in choices if c.id in _VIEW_ONLY)


def _in_stage2(record: CaseRecord) -> bool:
    return any(
        event.kind in (EventKind.ESCALATION_REQUESTED, EventKind.STAGE2_ACKNOWLEDGED)
        for event in record.case.events
    )


# Why a letter could not be read, in plain words (bot/services/response_reading.py names the kinds).
UNREADABLE = {
    "empty": N_("the file is empty"),
    "too_large": N_("it is too big"),
    "too_many_pages": N_("it has too many pages"),
    "unsupported_type": N_("I can read photos, PDF and Word files"),
    "encrypted": N_("it is protected by a password"),
    "damaged": N_("the file seems damaged"),
    "not_english": N_("it is not in English, and I can only check letters written in English"),
    "no_text": N_("I couldn't find any writing in it"),
    "ocr_unavailable": N_("I can't read photos at the moment"),
}


def reply_dated_prompt(turn: Turn) -> str:
    if not turn.answers.get("reply_letter_date"):
        return turn.t.gettext("Is the date on their letter the day they replied?")
    on = date.fromisoformat(str(turn.answers["reply_letter_date"]))
    return turn.t.gettext("Their letter is dated {date}. Is that the day they replied?").format(
        date=turn.t.format_date(on)
    )


_in_order = event_order_check()


def check_event_date(on: str, turn: Turn) -> str | None:
    """The date of what the landlord did must fit the history (flows.history); a refusal must also come after
    the stage 2 request or acknowledgement it refuses."""
    refused = _in_order(on, turn)
    record = turn.workspace.case(str(turn.answers.get("case", "")))
    if (
        refused is not None
        or record is None
        or turn.answers.get("pending_kind") != EventKind.LANDLORD_DECLINED
    ):
        return refused
    clash = refusal_clash(record.case.events, CaseEvent(date.fromisoformat(on), EventKind.LANDLORD_DECLINED))
    return None if clash is None else order_clash_message(clash, turn.t)


class Tracking(FlowModel):
    @condition
    def has_no_complaint(self) -> bool:
        return not self.turn.workspace.cases()

    @condition
    def has_one_complaint(self) -> bool:
        return len(self.turn.workspace.cases()) == 1

    def say_no_complaint(self, _: object) -> None:
        self.turn.say(self.t.gettext("You have no complaints with me yet."))

    def pick_the_only_complaint(self, _: object) -> None:
        self.answers["case"] = self.turn.workspace.cases()[0].ref

    def _record(self) -> CaseRecord:
        record = self.turn.workspace.case(str(self.answers.get("case", "")))
        assert record is not None  # `is_gone` is asked first
        return record

    @condition
    def is_gone(self) -> bool:
        """The complaint was deleted (or the resident chose the menu): nothing to act on."""
        return self.turn.workspace.case(str(self.answers.get("case", ""))) is None

    def forget_action(self, _: object) -> None:
        self.answers.pop("action", None)

    def note_event(self, _: object) -> None:
        stage2 = _in_stage2(self._record())
        kind = {
            "acknowledged": EventKind.STAGE2_ACKNOWLEDGED if stage2 else EventKind.ACKNOWLEDGED,
            "replied": EventKind.STAGE2_RESPONSE if stage2 else EventKind.STAGE1_RESPONSE,
            "reply_letter": EventKind.STAGE2_RESPONSE if stage2 else EventKind.STAGE1_RESPONSE,
            "refused": EventKind.LANDLORD_DECLINED,
        }[str(self.answers["action"])]
        self.answers["pending_kind"] = kind.value

    def note_extension(self, _: object) -> None:
        stage2 = _in_stage2(self._record())
        self.answers["pending_kind"] = (
            EventKind.STAGE2_EXTENSION if stage2 else EventKind.STAGE1_EXTENSION
        ).value

    def say_deadlines(self, _: object) -> None:
        timeline = timeline_of(self._record(), self.turn.today)
        self.turn.say(
            deadline_summary(timeline, self.t)
            + "\n\n"
            + "\n".join(f"• {next_step_message(step, self.t)}" for step in timeline.next_steps)
        )

    def say_how_counted(self, _: object) -> None:
        record = self._record()
        timeline = timeline_of(record, self.turn.today)
        calendar = calendar_for(record.case.nation, record.case.extra_holidays)
        texts = [
            f"{deadline_label(d.id, self.t)}\n{text}"
            for d in timeline.deadlines
            if (text := how_counted(d, calendar, self.t)) is not None
        ]
        self.turn.say("\n\n".join(texts) or self.t.gettext("No deadline has started yet."))

    def ask_resident(self, _: object) -> None:
        what = "stage2" if self.answers.get("action") == "propose_stage2" else "referral"
        self.turn.people.ask_resident(self._record().ref, what)
        self.turn.say(
            self.t.gettext(
                "I've asked the resident to approve it. They'll see your suggestion in their chat, and nothing is "
                "sent until they do."
            )
        )

    def close_case(self, _: object) -> None:
        self.turn.workspace.record_event(self._record().ref, CaseEvent(self.turn.today, EventKind.RESOLVED))
        self.turn.say(
            self.t.gettext("I'm glad it's sorted. I've closed this complaint and stopped the reminders.")
        )

    @condition
    def is_a_refusal(self) -> bool:
        return self.answers.get("pending_kind") == EventKind.LANDLORD_DECLINED

    @condition
    def needs_the_limit(self) -> bool:
        """ "Out of time" refusing a stage 2 request, and no time limit known for asking (registered by an
        onboarded landlord, or told us before)."""
        if self.answers.get("refusal_reason") != RefusalReason.OUT_OF_TIME:
            return False
        case = with_refusal_limit(self._record().case, self._record().details)
        answered = any(event.kind is EventKind.STAGE1_RESPONSE for event in case.events)
        # The limit counts from the stage 1 answer: asked before one (issue 22's early escalation), it is moot.
        return answered and stage2_pending(case) and case.landlord_policy.escalation_window_days is None

    def record_refusal(self, _: object) -> None:
        a = self.answers
        typed = a.pop("refusal_limit", None)
        limit = read_limit(typed) if isinstance(typed, str) else None
        refusal: dict[str, object] = {
            "reason": a.pop("refusal_reason", None) or RefusalReason.OTHER.value,
            "limit_days": None if limit is None else limit[0],
        }
        if limit is not None and limit[1]:
            refusal["working_days"] = True
        if a.get("pending_kind") != EventKind.LANDLORD_DECLINED or "event_on" not in a:
            return  # a stale conversation: nothing refused to record
        self.turn.workspace.update_case_details(a["case"], {REFUSAL_KEY: refusal})
        self.record_event(None)
        record = self._record()
        answer = refusal_answer(timeline_of(record, self.turn.today), record.details, self.t)
        if answer is not None:
            self.turn.say(answer)

    @condition
    def is_a_reply(self) -> bool:
        return self.answers.get("pending_kind") in (EventKind.STAGE1_RESPONSE, EventKind.STAGE2_RESPONSE)

    def record_event(self, _: object) -> None:
        kind = EventKind(self.answers.pop("pending_kind"))
        on = date.fromisoformat(self.answers.pop("event_on"))
        for key in ("reply_read", "reply_letter_date", "letter_date_ok", "reply_pages"):
            self.answers.pop(key, None)
        self.turn.workspace.record_event(self.answers["case"], CaseEvent(on, kind))
        self.turn.say(
            self.t.gettext("Noted: {event} on {date}.").format(
                event=event_label(kind, self.t), date=self.t.format_date(on)
            )
        )

    def record_inspection(self, _: object) -> None:
        on = self.answers.pop("inspected_on")
        self.turn.workspace.update_case_details(self.answers["case"], {"hazard_investigated": on})
        self.turn.say(
            self.t.gettext("Noted: your landlord inspected on {date}.").format(
                date=self.t.format_date(date.fromisoformat(on))
            )
        )

    def keep_reply(self, event: EventData) -> None:
        file: IncomingFile = event.kwargs["file"]
        try:
            saved = self.turn.workspace.add_evidence(self.answers["case"], file)
        except EvidenceRejected:
            self.turn.say(
                self.t.gettext("I can't keep that file. Please send a photo or a PDF of the letter.")
            )
            return
        self.turn.say(
            by_channel(
                N_("Saved “{name}”. Send another page, or tap “That's all my evidence”."), SAVED_TERMINAL
            )(self.turn).format(name=saved.name)
        )
        self._check_letter(self.turn.workspace.read_letter(file))

    def read_reply(self, event: EventData) -> None:
        """A reply sent before its date: kept as evidence, read, checked; its date proposed next."""
        file: IncomingFile = event.kwargs["file"]
        try:
            self.turn.workspace.add_evidence(self.answers["case"], file)
        except EvidenceRejected:
            self.turn.say(
                self.t.gettext("I can't keep that file. Please send a photo or a PDF of the letter.")
            )
            return
        self.answers["reply_read"] = True
        self._check_letter(self.turn.workspace.read_letter(file))

    def _check_letter(self, letter: LetterText) -> None:
        """Say what the landlord's letter leaves out of what the Code asks (domain.md 1.8), note it on
        the case for the stage 2 letter and the Ombudsman summary, and keep its date to propose."""
        t = self.t
        if letter.text is None:
            self.turn.say(
                t.gettext(
                    "I couldn't read the words in that file ({why}). It is kept with your evidence, and you can "
                    "tell me the date yourself."
                ).format(why=t.gettext(UNREADABLE.get(letter.unreadable or "", UNREADABLE["damaged"])))
            )
            return
        # A letter sent a page at a time (a photo each) is checked as a whole: the pages so far.
        # Kept in the conversation's row (saved every update) only up to what the checker reads: a
        # 20 MiB text file, or a hundred pages, would otherwise be stored and joined again each time.
        pages = list(self.answers.get("reply_pages", []))
        room = MAX_TEXT_CHARACTERS - sum(len(p) for p in pages)
        if room > 0:
            pages.append(letter.text[:room])
        self.answers["reply_pages"] = pages
        record = self._record()
        stage, code = stage_and_code(record.case, self.turn.today)
        check = check_response("\n\n".join(pages), self.turn.today, stage=stage, code=code)
        lines = []
        self.answers.pop("reply_letter_date", None)
        if check.letter_date is not None:
            lines.append(
                t.gettext("I've read the letter. It is dated {date}.").format(
                    date=t.format_date(check.letter_date)
                )
            )
            # Proposed in one tap only if a typed date would be taken: not after today, and not
            # before what must come first (a letter for another complaint, or misdated); otherwise
            # said why, and the date is asked for.
            on = check.letter_date.isoformat()
            if check.letter_date > self.turn.today:
                lines.append(date_problem_message(DateProblem.IN_FUTURE, on, t, self.turn.today))
            elif (clash := event_order_check()(on, self.turn)) is not None:
                lines.append(clash)
            else:
                self.answers["reply_letter_date"] = on
        else:
            lines.append(t.gettext("I've read the letter, but I couldn't find its date."))
        if check.stage_from_letter is not None and check.stage_from_letter != stage:
            lines.append(
                t.gettext(
                    "It says it answers stage {letter_stage}, but your complaint is at stage {stage}: check it is "
                    "the right letter."
                ).format(letter_stage=check.stage_from_letter, stage=stage)
            )
        missing = missing_message(check, t)
        lines.append(
            missing
            if missing is not None
            else t.gettext("It says everything the Code asks a response to say ({rule}).").format(
                rule=check.rule.citation
            )
        )
        if check.stage_from_letter is not None and check.stage_from_letter != stage:
            # Perhaps the wrong letter (the stage 1 answer sent again at stage 2): what it leaves out
            # is not this stage's response's, so nothing goes into the letters as a fact.
            self.turn.say("\n".join(lines))
            return
        gaps = dict(record.details.get("response_gaps") or {})
        gaps[str(stage)] = {
            "missing": [e.value for e in check.missing],
            "rule": check.rule.citation,
            "letter_date": check.letter_date.isoformat() if check.letter_date else None,
        }
        self.turn.workspace.update_case_details(record.ref, {"response_gaps": gaps})
        self.turn.say("\n".join(lines))

    def forget_pages(self, _: object) -> None:
        self.answers.pop("reply_pages", None)

    @condition
    def has_letter_date(self) -> bool:
        return bool(self.answers.get("reply_letter_date"))

    @condition
    def has_reply_letter(self) -> bool:
        return bool(self.answers.get("reply_read"))

    def take_letter_date(self, _: object) -> None:
        self.answers["event_on"] = self.answers["reply_letter_date"]

    @condition
    def was_stage1_answer(self) -> bool:
        record = self.turn.workspace.case(str(self.answers.get("case", "")))
        return record is not None and not _in_stage2(record)

    def record_extension(self, _: object) -> None:
        a = self.answers
        kind = EventKind(a.pop("pending_kind"))
        given_on = date.fromisoformat(a.pop("ext_given_on"))
        new_due = a.pop("ext_due", None)
        reasons = a.pop("ext_reasons", "no") == "yes"
        event = CaseEvent(
            given_on, kind, new_due=date.fromisoformat(new_due) if new_due else None, reasons_given=reasons
        )
        self.turn.workspace.record_event(a["case"], event)
        self.turn.say(
            self.t.gettext("Noted: {event} on {date}.").format(
                event=event_label(kind, self.t), date=self.t.format_date(given_on)
            )
        )

    def forget_correction(self, _: object) -> None:
        for key in ("correct_event", "correct_how", "corrected_on"):
            self.answers.pop(key, None)

    def apply_correction(self, _: object) -> None:
        chosen = chosen_event(self.turn)
        how = str(self.answers.get("correct_how"))
        on = self.answers.get("corrected_on")
        self.forget_correction(None)
        if chosen is None:
            self.turn.say(self.t.gettext("I can't find that any more. Please choose again."))
            return
        record, event = chosen
        t, label = self.t, event_label(event.kind, self.t)
        if how == "date" and on is not None:
            self.turn.workspace.correct_event(record.ref, event, on)
            self.turn.say(
                t.gettext("Corrected: “{event}” is now on {date}. I've worked your dates out again.").format(
                    event=label, date=t.format_date(date.fromisoformat(on))
                )
            )
        elif how == "remove":
            self.turn.workspace.correct_event(record.ref, event, "removed")
            self.turn.say(
                t.gettext("Removed: “{event}” on {date}. I've worked your dates out again.").format(
                    event=label, date=t.format_date(event.date)
                )
            )
        elif how == "dispute":
            self.turn.workspace.correct_event(record.ref, event, "disputed")
            self.turn.say(
                t.gettext("Noted: you dispute “{event}” on {date}.").format(
                    event=label, date=t.format_date(event.date)
                )
            )

    def forget_happy(self, _: object) -> None:
        self.answers.pop("happy", None)


# A choice on the status screen -> where it leads, and what is noted or said on the way.
STATUS_ROUTES: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("sent",), exit_to("complaint", "sent_when"), None),
    (("finish",), exit_to("complaint", "start"), None),
    (("acknowledged", "replied", "refused"), "event_date", "note_event"),
    (("reply_letter",), "reply_letter", "note_event"),
    (("more_time",), "ext_given_on", "note_extension"),
    (("nothing",), "status", "say_deadlines"),
    (("counted",), "status", "say_how_counted"),
    (("correct",), "correct_pick", None),
    (("inspected",), "inspected_on", None),
    (("stage2",), exit_to("stage2", "why"), None),
    (("ombudsman",), exit_to("referral", "explain"), None),
    (("resolved",), MENU, "close_case"),
)


def _status_transitions() -> list[dict[str, Any]]:
    def route(conditions: list[Any], dest: str, then: str | None) -> dict[str, Any]:
        return {
            "trigger": NEXT,
            "source": "status",
            "dest": dest,
            "conditions": conditions,
            "before": [then] if then else [],
            "after": "forget_action",
        }

    return [
        route(["is_gone"], MENU, None),
        route([answer_is("action", "menu")], MENU, None),
        route(
            [answer_is("action", "propose_stage2", "propose_referral")],
            "status",
            "ask_resident",
        ),
        *(route([answer_is("action", *actions)], dest, then) for actions, dest, then in STATUS_ROUTES),
        route([], "status", None),
    ]


TRACKING = Flow(
    "tracking",
    [
        Step("pick_case", AnswerKind.CHOICE, N_("Which complaint?"), key="case", choices=case_choices),
        Step("status", AnswerKind.CHOICE, status_prompt, key="action", choices=status_choices),
        Step(
            "event_date",
            AnswerKind.DATE,
            N_("When did that happen? For example 14/03/2026, or “today”."),
            key="event_on",
            check=check_event_date,
            records=True,
        ),
        Step(
            "refusal_reason",
            AnswerKind.CHOICE,
            N_("What reason did they give for refusing?"),
            key="refusal_reason",
            choices=tuple(Choice(reason.value, label) for reason, label in REASON_LABELS.items()),
        ),
        Step(
            "refusal_limit",
            AnswerKind.TEXT,
            N_(
                "How long does your landlord's complaints policy give you to ask for stage 2, counted from its "
                "stage 1 answer? Type the number of days, like 28."
            ),
            key="refusal_limit",
            max_length=40,
            check=check_limit_days,
            skip_label=N_("I don't know"),
        ),
        Step(
            "reply_file",
            AnswerKind.FILES,
            by_channel(
                N_(
                    "If you have their reply, send a photo or the document now: it goes with your evidence. Then "
                    "tap “That's all my evidence”."
                ),
                N_(
                    "If you have their reply, send a photo or the document now with /file PATH: it goes with your "
                    "evidence. Then type the number of “That's all my evidence”."
                ),
            ),
        ),
        Step(
            "reply_letter",
            AnswerKind.FILES,
            N_(
                "Send me their reply: a photo of each page, or the PDF or Word file. I'll read its date and check it "
                "against the Complaint Handling Code. Then tap “That's all my evidence”."
            ),
        ),
        Step(
            "reply_dated",
            AnswerKind.CHOICE,
            reply_dated_prompt,
            key="letter_date_ok",
            choices=(Choice("yes", N_("Yes, that's the date")), Choice("no", N_("No, another date"))),
        ),
        Step(
            "happy",
            AnswerKind.CHOICE,
            N_("Are you happy with their answer?"),
            key="happy",
            choices=(Choice("yes", N_("Yes, it's sorted")), Choice("no", N_("No, or only partly"))),
        ),
        Step(
            "ext_given_on",
            AnswerKind.DATE,
            N_("When did they ask for more time? For example 14/03/2026, or “today”."),
            key="ext_given_on",
            check=event_order_check(),
        ),
        Step(
            "ext_due",
            AnswerKind.DATE,
            N_("What new date did they give for their answer?"),
            key="ext_due",
            allow_future=True,
            skip_label=N_("They didn't give a date"),
        ),
        Step(
            "ext_reasons",
            AnswerKind.CHOICE,
            N_("Did they explain why they need more time?"),
            key="ext_reasons",
            choices=(Choice("yes", N_("Yes")), Choice("no", N_("No"))),
            records=True,
        ),
        Step(
            "inspected_on",
            AnswerKind.DATE,
            N_("When did they inspect? For example 14/03/2026, or “today”."),
            key="inspected_on",
            records=True,
        ),
        Step(
            "correct_pick",
            AnswerKind.CHOICE,
            N_("Which of these is wrong?"),
            key="correct_event",
            choices=correction_choices,
        ),
        Step(
            "correct_how",
            AnswerKind.CHOICE,
            correct_how_prompt,
            key="correct_how",
            choices=correct_how_choices,
        ),
        Step(
            "correct_date",
            AnswerKind.DATE,
            N_("What is the right date? For example 14/03/2026, or “today”."),
            key="corrected_on",
            check=check_corrected_date,
        ),
    ],
    [
        {
            "trigger": ARRIVE,
            "source": "pick_case",
            "dest": MENU,
            "conditions": "has_no_complaint",
            "after": "say_no_complaint",
        },
        {
            "trigger": ARRIVE,
            "source": "pick_case",
            "dest": "status",
            "conditions": "has_one_complaint",
            "before": "pick_the_only_complaint",
        },
        {"trigger": NEXT, "source": "pick_case", "dest": "status"},
        *_status_transitions(),
        {"trigger": "file", "source": "reply_letter", "dest": None, "after": "read_reply"},
        {"trigger": NEXT, "source": "reply_letter", "dest": "reply_dated", "conditions": "has_letter_date"},
        {"trigger": NEXT, "source": "reply_letter", "dest": "event_date"},
        {
            "trigger": NEXT,
            "source": "reply_dated",
            "dest": "happy",
            "conditions": [answer_is("letter_date_ok", "yes"), "was_stage1_answer"],
            "before": "take_letter_date",
            "after": "record_event",
        },
        {
            "trigger": NEXT,
            "source": "reply_dated",
            "dest": "status",
            "conditions": answer_is("letter_date_ok", "yes"),
            "before": "take_letter_date",
            "after": "record_event",
        },
        {"trigger": NEXT, "source": "reply_dated", "dest": "event_date"},
        {
            "trigger": NEXT,
            "source": "event_date",
            "dest": "happy",
            "conditions": ["is_a_reply", "has_reply_letter", "was_stage1_answer"],
            "after": "record_event",
        },
        {
            "trigger": NEXT,
            "source": "event_date",
            "dest": "status",
            "conditions": ["is_a_reply", "has_reply_letter"],
            "after": "record_event",
        },
        {
            "trigger": NEXT,
            "source": "event_date",
            "dest": "reply_file",
            "conditions": "is_a_reply",
            "after": "record_event",
        },
        {"trigger": NEXT, "source": "event_date", "dest": "refusal_reason", "conditions": "is_a_refusal"},
        {"trigger": NEXT, "source": "event_date", "dest": "status", "after": "record_event"},
        {
            "trigger": NEXT,
            "source": "refusal_reason",
            "dest": "refusal_limit",
            "conditions": "needs_the_limit",
        },
        {"trigger": NEXT, "source": "refusal_reason", "dest": "status", "after": "record_refusal"},
        {"trigger": NEXT, "source": "refusal_limit", "dest": "status", "after": "record_refusal"},
        {"trigger": "file", "source": "reply_file", "dest": None, "after": "keep_reply"},
        {
            "trigger": "next",
            "source": "reply_file",
            "dest": "happy",
            "conditions": "was_stage1_answer",
            "before": "forget_pages",
        },
        {"trigger": "next", "source": "reply_file", "dest": "status", "before": "forget_pages"},
        {
            "trigger": NEXT,
            "source": "happy",
            "dest": MENU,
            "conditions": answer_is("happy", "yes"),
            "before": "forget_happy",
            "after": "close_case",
        },
        {"trigger": NEXT, "source": "happy", "dest": exit_to("stage2", "why"), "before": "forget_happy"},
        {"trigger": "next", "source": "ext_given_on", "dest": "ext_due"},
        {"trigger": "next", "source": "ext_due", "dest": "ext_reasons"},
        {"trigger": "next", "source": "ext_reasons", "dest": "status", "after": "record_extension"},
        {"trigger": "next", "source": "inspected_on", "dest": "status", "after": "record_inspection"},
        {
            "trigger": NEXT,
            "source": "correct_pick",
            "dest": "status",
            "conditions": answer_is("correct_event", "none"),
            "before": "forget_correction",
        },
        {"trigger": NEXT, "source": "correct_pick", "dest": "correct_how"},
        {
            "trigger": NEXT,
            "source": "correct_how",
            "dest": "correct_date",
            "conditions": answer_is("correct_how", "date"),
        },
        {
            "trigger": NEXT,
            "source": "correct_how",
            "dest": "status",
            "conditions": answer_is("correct_how", "remove", "dispute"),
            "before": "apply_correction",
        },
        {"trigger": NEXT, "source": "correct_how", "dest": "status", "before": "forget_correction"},
        {"trigger": NEXT, "source": "correct_date", "dest": "status", "before": "apply_correction"},
    ],
    Tracking,
    scratch=(
        "action",
        "pending_kind",
        "event_on",
        "ext_given_on",
        "ext_due",
        "ext_reasons",
        "inspected_on",
        "happy",
    ),
)


def record_as_text(record: CaseRecord, today: date, t: Translator) -> str:
    return status_text(record, timeline_of(record, today), t)


__all__ = ["TRACKING", "deadline_summary", "record_as_text", "status_text"]
