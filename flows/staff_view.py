"""A complaint as staff see it (a landlord's complaints team in its inbox, an advice worker in a caseload): the
Code's clocks still running, in working days with their paragraph, and the case's history named
from a neutral side ("acknowledged (stage 1)", not "the landlord acknowledged your complaint").

Plain functions over a case and a date, for the web portal's inbox, caseload and case pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.case import Case, CaseEvent, EventKind
from flows.compliance import STAFF_DEADLINE_LABELS
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import N_, Translator
from flows.labels import state_label
from flows.lifecycle import State
from flows.routing import landlord_topics, record_label
from flows.submissions import next_due
from flows.timeline import Timeline, build_timeline
from flows.triage.grounds import Subject
from flows.triage.rendering import SUBJECT_LABELS
from flows.working_days import Nation, calendar_for

STAFF_EVENT_LABELS: dict[EventKind, str] = {
    EventKind.ISSUE_STARTED: N_("The problem started"),
    EventKind.COMPLAINT_MADE: N_("Complaint made (stage 1)"),
    EventKind.ACKNOWLEDGED: N_("Acknowledged (stage 1)"),
    EventKind.STAGE1_EXTENSION: N_("Extension (stage 1)"),
    EventKind.STAGE1_RESPONSE: N_("Response (stage 1)"),
    EventKind.ESCALATION_REQUESTED: N_("Stage 2 requested"),
    EventKind.STAGE2_ACKNOWLEDGED: N_("Acknowledged (stage 2)"),
    EventKind.STAGE2_EXTENSION: N_("Extension (stage 2)"),
    EventKind.STAGE2_RESPONSE: N_("Final response (stage 2)"),
    EventKind.LANDLORD_DECLINED: N_("Declined by the landlord"),
    EventKind.REFERRED_TO_OMBUDSMAN: N_("Referred to the Housing Ombudsman"),
    EventKind.RESOLVED: N_("Resolved"),
    EventKind.WITHDRAWN: N_("Withdrawn"),
}


@dataclass(frozen=True, slots=True)
class Clock:
    """One of the Code's deadlines still open on a case."""

    deadline: DeadlineId
    due: date
    working_days_left: int  # negative: working days late
    missed: bool
    citation: str  # the Code's paragraph, e.g. "Code 5.6 (2024)"


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A case with its timeline (the case page)."""

    ref: str
    timeline: Timeline
    clocks: tuple[Clock, ...]

    @property
    def next_due(self) -> date | None:
        return self.clocks[0].due if self.clocks else None

    @property
    def overdue(self) -> bool:
        return any(clock.missed for clock in self.clocks)

    @property
    def state(self) -> State:
        return self.timeline.state


@dataclass(frozen=True, slots=True)
class ListRow:
    """A case in a page of an inbox or a caseload, from its kept clocks (no timeline is built)."""

    ref: str
    state: State
    clocks: tuple[Clock, ...]

    @property
    def next_due(self) -> date | None:
        return self.clocks[0].due if self.clocks else None

    @property
    def overdue(self) -> bool:
        return any(clock.missed for clock in self.clocks)


def list_row(
    ref: str,
    state: State,
    nation: Nation,
    kept: Iterable[tuple[DeadlineId, date, str, bool]],
    today: date,
    extra_holidays: Iterable[date] = (),
) -> ListRow:
    """`kept`: the case's open clocks as stored, soonest first: deadline, due date, paragraph, missed."""
    calendar = calendar_for(nation, extra_holidays)
    return ListRow(
        ref,
        state,
        tuple(
            Clock(deadline, due, calendar.working_days_between(today, due), missed, citation)
            for deadline, due, citation, missed in kept
        ),
    )


def open_clocks(case: Case, timeline: Timeline) -> tuple[Clock, ...]:
    """The open deadlines, soonest first, counted from the timeline's date in the case's nation."""
    calendar = calendar_for(case.nation, case.extra_holidays)
    as_of = timeline.facts.as_of
    clocks = [
        Clock(
            deadline.id,
            deadline.due,
            calendar.working_days_between(as_of, deadline.due),
            deadline.status is DeadlineStatus.MISSED,
            deadline.due_rule.citation if deadline.due_rule is not None else "",
        )
        for deadline in timeline.deadlines
        if deadline.is_open and deadline.due is not None
    ]
    return tuple(sorted(clocks, key=lambda clock: clock.due))


def timeline_row(ref: str, case: Case, as_of: date) -> TimelineRow:
    timeline = build_timeline(case, as_of)
    return TimelineRow(ref, timeline, open_clocks(case, timeline))


def deadline_order(timeline: Timeline) -> tuple[bool, date]:
    """The order of an inbox or a caseload: missed and soonest first, nothing due last. (A missed
    clock's date is before today and an open one's is not, so the missed come first by date alone.)"""
    due = next_due(timeline)
    return due is None, due or date.max


def row_order(row: TimelineRow) -> tuple[tuple[bool, date], str]:
    """`deadline_order`, then by reference: the same order on every page and every instance."""
    return deadline_order(row.timeline), row.ref


def clock_label(clock: Clock, t: Translator) -> str:
    return t.gettext(STAFF_DEADLINE_LABELS[clock.deadline])


def clock_text(clock: Clock, t: Translator) -> str:
    """How the clock stands, in words: "Due Monday, 9 March 2026, under Code 6.2 (2024): 5 working days left."."""
    values = {"due": t.format_date(clock.due), "rule": clock.citation}
    if clock.missed:
        late = max(-clock.working_days_left, 0)
        return t.ngettext(
            "Missed: it was due {due}, under {rule}; {n} working day ago.",
            "Missed: it was due {due}, under {rule}; {n} working days ago.",
            late,
        ).format(n=t.format_number(late), **values)
    if clock.working_days_left <= 0:
        return t.gettext("Due today, {due}, under {rule}.").format(**values)
    return t.ngettext(
        "Due {due}, under {rule}: {n} working day left.",
        "Due {due}, under {rule}: {n} working days left.",
        clock.working_days_left,
    ).format(n=t.format_number(clock.working_days_left), **values)


def event_text(event: CaseEvent, t: Translator) -> str:
    label = t.gettext(STAFF_EVENT_LABELS[event.kind])
    if event.new_due is not None:
        return t.gettext("{event}: new date {due}").format(event=label, due=t.format_date(event.new_due))
    return label


def status_text(timeline: Timeline, t: Translator) -> str:
    return state_label(timeline.state, t)


def about_text(details: Mapping[str, Any], subject: str | None, t: Translator) -> str:
    """What the complaint to the landlord is about: every part it carries (flows.routing), not only the
    first; a complaint made before parts were routed, its subject."""
    parts = landlord_topics(dict(details))
    if parts:
        return "; ".join(record_label(part, t) for part in parts)
    return subject_text(subject, t)


def subject_text(subject: str | None, t: Translator) -> str:
    """The complaint's subject as its label, or as the resident wrote it when it is free text."""
    if not subject:
        return ""
    try:
        return t.gettext(SUBJECT_LABELS[Subject(subject)])
    except ValueError:
        return subject
