"""Planning a case's reminders again after anything changed it, whoever changed it (the resident in
chat, an advocate, or the landlord through its buttons or API): the reminders go to the case's owner."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.storage.unit_of_work import UnitOfWork
from flows.awaab import covered_hazard
from flows.hazards import tracked_deadlines
from flows.reminders import payload, plan, plan_hazard
from flows.timeline import build_timeline
from flows.working_days import calendar_for

REMINDER_HOUR = time(10, 0)  # reminders go out mid-morning, the resident's time


def plan_case_reminders(uow: UnitOfWork, case_id: int, now: datetime) -> None:
    """Schedule what the case's timeline needs now and cancel what it no longer does."""
    summary = uow.case_summary(case_id)
    owner = uow.user(summary.owner_user_id)
    if owner is None or owner.telegram_id is None:  # the terminal chat cannot be reminded
        return
    local_now = now.astimezone(ZoneInfo(owner.time_zone))
    case = uow.load_case(case_id)
    today = local_now.date()
    calendar = calendar_for(case.nation, case.extra_holidays)
    planned_reminders = plan(build_timeline(case, today), calendar, today)
    details = uow.case_details(case_id)
    covered = covered_hazard(details, case.nation.value, case.landlord_type)
    if covered:
        hazard = tracked_deadlines(
            covered, local_now, details.get("hazard_investigated"), case.extra_holidays
        )
        planned_reminders += plan_hazard(hazard or [], calendar, today)
    keys = set()
    for planned in planned_reminders:
        key = f"{summary.public_ref}:{planned.key}"
        keys.add(key)
        due_at = datetime.combine(planned.on, REMINDER_HOUR, tzinfo=local_now.tzinfo)
        due_at = max(due_at, local_now + timedelta(minutes=1))
        uow.schedule_reminder(
            owner.id,
            planned.kind.value,
            due_at,
            key,
            case_id=case_id,
            payload=payload(planned, summary.public_ref),
        )
    uow.cancel_reminders(case_id, except_keys=keys)
