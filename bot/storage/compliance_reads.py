"""A landlord's compliance figures read from the kept clocks and stages (bot.storage.clocks) with SQL:
the counts grouped in the database, the complaint stages and the nearing deadlines in one ordered
statement each, whatever the number of cases. Valid when no event of the landlord's cases is dated
after `as_of` (`kept_figures_hold`): the kept figures count every event a case has.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, and_, case, func, or_, select

from bot.holidays import configured_extra_holidays
from bot.storage import clocks
from bot.storage.models import metadata
from flows.clocks import OPEN
from flows.compliance import (
    ComplaintStage,
    Compliance,
    NearingDeadline,
    Period,
    StageFigures,
    Timescales,
    per_1000_homes,
)
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.routing import part_ids
from flows.working_days import Nation, WorkingCalendar, calendar_for

CASES: Table = metadata.tables["cases"]
STAGES: Table = metadata.tables["case_stages"]
CLOCKS: Table = metadata.tables["case_clocks"]
EVENTS: Table = metadata.tables["case_events"]

_WITHIN = (DeadlineStatus.MET.value, DeadlineStatus.MET_EXTENSION_OVER_LIMIT.value)
_TIMESCALES = {
    DeadlineStatus.MET.value: Timescales.YES,
    DeadlineStatus.MET_EXTENSION_OVER_LIMIT.value: Timescales.YES,
    DeadlineStatus.MISSED.value: Timescales.NO,
    DeadlineStatus.NOT_APPLICABLE.value: Timescales.NOT_APPLICABLE,
}


def kept_figures_hold(connection: Connection, landlord_id: int, as_of: date) -> bool:
    """No event of the landlord's cases is dated after `as_of` (a report as of today, as a rule)."""
    latest = connection.execute(
        select(func.max(EVENTS.c.date))
        .select_from(EVENTS.join(CASES, CASES.c.id == EVENTS.c.case_id))
        .where(CASES.c.landlord_id == landlord_id)
    ).scalar()
    return latest is None or latest <= as_of


def compliance_from_kept(
    connection: Connection,
    landlord_id: int,
    homes: int | None,
    period: Period,
    as_of: date,
    window: int,
    with_stages: bool = True,
) -> Compliance:
    """As `flows.compliance.compute_compliance` over the landlord's cases, from the kept figures.
    `with_stages` False: no complaint stage rows (the figures' page shows none; the CSV does)."""
    clocks.refresh_stale(connection, landlord_id=landlord_id)
    of_landlord = CASES.c.landlord_id == landlord_id
    joined = STAGES.join(CASES, CASES.c.id == STAGES.c.case_id)
    received_in = STAGES.c.received_on.between(period.start, period.end)
    responded_in = STAGES.c.responded_on.between(period.start, period.end)
    counts = {
        row.stage: row
        for row in connection.execute(
            select(
                STAGES.c.stage,
                func.sum(case((received_in, 1), else_=0)).label("received"),
                func.sum(case((responded_in, 1), else_=0)).label("responses"),
                func.sum(case((and_(responded_in, STAGES.c.response_status.in_(_WITHIN)), 1), else_=0)).label(
                    "within"
                ),
            )
            .select_from(joined)
            .where(of_landlord)
            .group_by(STAGES.c.stage)
        )
    }
    figures = []
    for number in (1, 2):
        row = counts.get(number)
        received, responses, within = (
            (int(row.received or 0), int(row.responses or 0), int(row.within or 0)) if row else (0, 0, 0)
        )
        figures.append(StageFigures(number, received, per_1000_homes(received, homes), responses, within))
    stages: tuple[ComplaintStage, ...] = ()
    if with_stages:
        open_by_end = and_(STAGES.c.began_on <= period.end, STAGES.c.response_status == OPEN)
        rows = connection.execute(
            select(STAGES, CASES.c.public_ref, CASES.c.nation, CASES.c.details)
            .select_from(joined)
            .where(of_landlord, or_(received_in, responded_in, open_by_end))
            .order_by(CASES.c.id, STAGES.c.stage)
        )
        stages = tuple(_complaint_stage(row, as_of) for row in rows)
    return Compliance(
        period,
        as_of,
        homes,
        window,
        (figures[0], figures[1]),
        stages,
        _nearing(connection, landlord_id, as_of, window),
    )


def _complaint_stage(row: Any, as_of: date) -> ComplaintStage:
    late = row.working_days_late
    if row.response_status == OPEN:
        missed = row.response_due < as_of
        within = Timescales.NO if missed else Timescales.OPEN
        late = (
            calendar_for(Nation(row.nation), configured_extra_holidays()).working_days_between(
                row.response_due, as_of
            )
            if missed
            else None
        )
    else:
        within = _TIMESCALES[row.response_status]
    return ComplaintStage(
        row.public_ref,
        row.stage,
        row.received_on,
        row.acknowledged_on,
        row.response_due,
        row.responded_on,
        within,
        late,
        part_ids(row.details or {}),
    )


def _nearing(
    connection: Connection, landlord_id: int, as_of: date, window: int
) -> tuple[NearingDeadline, ...]:
    """Open clocks missed (`due < as_of`, in SQL) or due within `window` working days, in the report's
    order."""
    # England's calendar and a week's slack: no nation has five more bank holidays than England's in
    # any fortnight; each row is then checked on its own nation's calendar.
    bound = calendar_for(Nation.ENGLAND, configured_extra_holidays()).add_working_days(
        as_of, window + 1
    ) + timedelta(days=7)
    rows = connection.execute(
        select(
            CASES.c.public_ref,
            CASES.c.nation,
            CLOCKS.c.deadline,
            CLOCKS.c.due,
            (CLOCKS.c.due < as_of).label("missed"),
        )
        .select_from(CLOCKS.join(CASES, CASES.c.id == CLOCKS.c.case_id))
        .where(CASES.c.landlord_id == landlord_id, CLOCKS.c.due < bound)
        .order_by(CLOCKS.c.due, CASES.c.public_ref, CLOCKS.c.deadline)
    )
    nearing = []
    calendars: dict[str, WorkingCalendar] = {}
    for row in rows:
        calendar = calendars.get(row.nation) or calendars.setdefault(
            row.nation, calendar_for(Nation(row.nation), configured_extra_holidays())
        )
        left = calendar.working_days_between(as_of, row.due)
        if row.missed or left <= window:
            nearing.append(
                NearingDeadline(row.public_ref, DeadlineId(row.deadline), row.due, left, bool(row.missed))
            )
    return tuple(nearing)
