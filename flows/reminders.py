"""Which reminders a case needs, and what they say when they go out.

Planning is pure: from a case's timeline (and its Awaab's Law clocks) come reminder keys and dates.
The bot stores them (upsert by key, cancel the ones no longer planned), so a recorded reply stops
the reminders it made pointless. The text is written when the reminder is sent, from the timeline
as it is then, so it never says something stale.

* before each open deadline: 2 working days before it is due;
* the day after a missed deadline: what was missed, by how much, and what the resident can do now;
* time limits (12 months to complain, the landlord's stage 2 window, 12 months to refer): 28, 7 and
  1 days before they end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from flows.deadlines import DeadlineStatus
from flows.hazards import ClockStatus, HazardDeadline
from flows.i18n import Translator
from flows.labels import deadline_label, time_limit_label
from flows.messages import next_step_message
from flows.time_limits import TimeLimitStatus
from flows.timeline import Timeline
from flows.working_days import WorkingCalendar

DAYS_BEFORE_LIMIT = (28, 7, 1)
WORKING_DAYS_BEFORE_DEADLINE = 2


class ReminderKind(StrEnum):
    DEADLINE_SOON = "deadline_soon"
    DEADLINE_MISSED = "deadline_missed"
    TIME_LIMIT = "time_limit"
    HAZARD_MISSED = "hazard_missed"  # an Awaab's Law clock passed with the work not done


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    key: str  # unique per case: scheduling the same reminder twice is a no-op
    kind: ReminderKind
    on: date  # the local day it goes out (the bot picks the hour, outside quiet hours)
    subject: str  # the deadline or time limit id


def plan(timeline: Timeline, calendar: WorkingCalendar, today: date) -> list[PlannedReminder]:
    """Reminders still to come for this case (none once it is closed or with the Ombudsman)."""
    if timeline.state in ("closed", "referred"):
        return []
    planned = []
    for deadline in timeline.deadlines:
        if deadline.due is None or not deadline.is_open:
            continue
        soon = deadline.due
        for _ in range(WORKING_DAYS_BEFORE_DEADLINE):
            soon -= timedelta(days=1)
            while not calendar.is_working_day(soon):
                soon -= timedelta(days=1)
        if deadline.status is DeadlineStatus.PENDING and soon >= today:
            planned.append(
                PlannedReminder(
                    f"{deadline.id}:{deadline.due}:soon", ReminderKind.DEADLINE_SOON, soon, deadline.id
                )
            )
        missed_on = calendar.add_working_days(deadline.due, 1)
        if missed_on >= today:
            planned.append(
                PlannedReminder(
                    f"{deadline.id}:{deadline.due}:missed",
                    ReminderKind.DEADLINE_MISSED,
                    missed_on,
                    deadline.id,
                )
            )
    for limit in timeline.time_limits:
        if limit.ends is None or limit.status not in (TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING):
            continue
        for days in DAYS_BEFORE_LIMIT:
            on = limit.ends - timedelta(days=days)
            if on >= today:
                planned.append(
                    PlannedReminder(f"{limit.id}:{limit.ends}:{days}", ReminderKind.TIME_LIMIT, on, limit.id)
                )
    return planned


def plan_hazard(
    deadlines: list[HazardDeadline], calendar: WorkingCalendar, today: date
) -> list[PlannedReminder]:
    """The day after each Awaab's Law clock that is still running falls due."""
    planned = []
    for deadline in deadlines:
        if deadline.status is not ClockStatus.PENDING:
            continue
        due = deadline.due.date() if isinstance(deadline.due, datetime) else deadline.due
        on = calendar.add_working_days(due, 1)
        if on >= today:
            planned.append(
                PlannedReminder(
                    f"hazard:{deadline.clock.id}:{due}", ReminderKind.HAZARD_MISSED, on, deadline.clock.id
                )
            )
    return planned


def hazard_reminder_text(
    subject: str, deadlines: list[HazardDeadline] | None, case_title: str, t: Translator
) -> str | None:
    deadline = next((d for d in deadlines or [] if d.clock.id == subject), None)
    if deadline is None or deadline.status is not ClockStatus.MISSED or deadline.done_on is not None:
        return None
    due = deadline.due.date() if isinstance(deadline.due, datetime) else deadline.due
    # Nothing recorded says it was done (only the investigation's date can be), nor that it was not: the
    # landlord may have made the home safe within the hour, so "missed" would not be ours to say.
    return t.gettext(
        "An Awaab's Law deadline has passed on your complaint {case}: {duty} It was due on {due}. If your "
        "landlord hasn't done it, tell your landlord in writing, and ask it for safe alternative accommodation "
        "if your home cannot be made safe. Open your complaint to see what else you can do."
    ).format(case=case_title, duty=deadline.clock.text(t), due=t.format_date(due))


def reminder_text(kind: str, subject: str, timeline: Timeline, case_title: str, t: Translator) -> str | None:
    """The message for a due reminder, from the timeline as it is now; None if it no longer applies."""
    if kind in (ReminderKind.DEADLINE_SOON, ReminderKind.DEADLINE_MISSED):
        deadline = next((d for d in timeline.deadlines if d.id == subject), None)
        if deadline is None or deadline.due is None or not deadline.is_open:
            return None
        label = deadline_label(deadline.id, t)
        if kind == ReminderKind.DEADLINE_SOON:
            if deadline.status is not DeadlineStatus.PENDING:
                return None
            return t.gettext(
                "Reminder about your complaint {case}: “{deadline}” is due on {due}. If nothing has come by then, I'll "
                "tell you what you can do."
            ).format(case=case_title, deadline=label, due=t.format_date(deadline.due))
        if deadline.status is not DeadlineStatus.MISSED:
            return None
        late = deadline.working_days_late or 0
        steps = "\n".join(f"• {next_step_message(step, t)}" for step in timeline.next_steps)
        return (
            t.ngettext(
                "Your landlord has missed a deadline on your complaint {case}: “{deadline}” was due on {due} and is "
                "now {n} working day late.",
                "Your landlord has missed a deadline on your complaint {case}: “{deadline}” was due on {due} and is "
                "now {n} working days late.",
                late,
            ).format(
                case=case_title, deadline=label, due=t.format_date(deadline.due), n=t.format_number(late)
            )
            + "\n\n"
            + t.gettext("What you can do now:")
            + "\n"
            + steps
        )
    limit = next((x for x in timeline.time_limits if x.id == subject), None)
    if limit is None or limit.ends is None or limit.days_left is None or limit.days_left < 0:
        return None
    if limit.status not in (TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING):
        return None
    return t.ngettext(
        "Reminder about your complaint {case}: “{limit}” ends on {ends}, in {n} day.",
        "Reminder about your complaint {case}: “{limit}” ends on {ends}, in {n} days.",
        limit.days_left,
    ).format(
        case=case_title,
        limit=time_limit_label(limit.id, t),
        ends=t.format_date(limit.ends),
        n=t.format_number(limit.days_left),
    )


def payload(reminder: PlannedReminder, case_ref: str) -> dict[str, Any]:
    return {"case": case_ref, "kind": reminder.kind.value, "subject": reminder.subject}
