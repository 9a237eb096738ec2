"""The lists of cases people work through (a landlord's inbox and API list, an advocate's caseload),
read from the kept clocks (bot.storage.clocks) in three statements whatever their length: how many,
one page of cases sorted by their nearest deadline in the database (`ix_cases_open_by_due`), and
that page's clocks. Whether a clock is missed is `due < today`, in SQL, today being the reader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Table, and_, func, select, text

from bot.holidays import configured_extra_holidays
from bot.storage import clocks
from bot.storage.models import metadata
from bot.storage.records import CaseSummary
from flows.deadlines import DeadlineId
from flows.lifecycle import State
from flows.staff_view import ListRow, list_row
from flows.working_days import Nation

CASES: Table = metadata.tables["cases"]
CLOCKS: Table = metadata.tables["case_clocks"]
LINKS: Table = metadata.tables["advocate_links"]
SUBMISSIONS: Table = metadata.tables["submissions"]

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ListedClock:
    deadline: str  # a DeadlineId
    due: date
    citation: str
    missed: bool  # due < today, as the database worked it out


@dataclass(frozen=True, slots=True)
class ListedCase:
    summary: CaseSummary
    nation: str
    clocks: tuple[ListedClock, ...]  # soonest first
    stage: int = 1  # the landlord's lists: the latest stage delivered to it

    def row(self, today: date) -> ListRow:
        """As the desk shows it (flows.staff_view): the clocks in working days left, on the case's calendar."""
        return list_row(
            self.summary.public_ref,
            State(self.summary.lifecycle_state),
            Nation(self.nation),
            ((DeadlineId(c.deadline), c.due, c.citation, c.missed) for c in self.clocks),
            today,
            configured_extra_holidays(),
        )


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[ListedCase]
    total: int
    page: int  # from 1
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def landlord_open_cases(
    connection: Connection, landlord_id: int, today: date, page: int = 1, page_size: int = PAGE_SIZE
) -> CasePage:
    """The landlord's open complaints, the nearest deadline first (nothing due last), then by ref."""
    clocks.refresh_stale(connection, landlord_id=landlord_id)
    wanted = and_(CASES.c.landlord_id == landlord_id, CASES.c.closed_at.is_(None))
    stage = (
        select(func.max(SUBMISSIONS.c.stage))
        .where(SUBMISSIONS.c.case_id == CASES.c.id, SUBMISSIONS.c.landlord_id == landlord_id)
        .scalar_subquery()
    )
    return _page(connection, wanted, today, page, page_size, stage, _open_count(connection, landlord_id))


# SQLite's planner counted through `ix_cases_landlord_id`, reading every case row to see whether it is
# open; the partial index holds the open ones alone, so the count is the index's own.
_OPEN_COUNT_SQLITE = text(
    "SELECT count(*) FROM cases INDEXED BY ix_cases_open_by_due WHERE landlord_id = :landlord_id "
    "AND closed_at IS NULL"
)


def _open_count(connection: Connection, landlord_id: int) -> int | None:
    if connection.dialect.name != "sqlite":
        return None  # PostgreSQL chooses well
    return int(connection.execute(_OPEN_COUNT_SQLITE, {"landlord_id": landlord_id}).scalar_one())


def advocate_cases(
    connection: Connection, advocate_user_id: int, today: date, page: int = 1, page_size: int = PAGE_SIZE
) -> CasePage:
    """The cases residents share with this advocate (not revoked), the most pressing first."""
    shared = select(LINKS.c.case_id).where(
        LINKS.c.advocate_user_id == advocate_user_id, LINKS.c.revoked_at.is_(None)
    )
    clocks.refresh_stale(connection, case_ids=connection.execute(shared).scalars().all())
    return _page(connection, CASES.c.id.in_(shared), today, page, page_size, None)


def _page(
    connection: Connection,
    wanted: ColumnElement[bool],
    today: date,
    page: int,
    page_size: int,
    stage: Any,
    total: int | None = None,
) -> CasePage:
    if total is None:
        total = connection.execute(select(func.count()).select_from(CASES).where(wanted)).scalar_one()
    page = min(max(page, 1), max(1, -(-total // page_size)))
    order = (CASES.c.next_due.asc().nulls_last(), CASES.c.public_ref)
    # The page's ids first, from the index alone (`ix_cases_open_by_due`); then those 50 rows: sorting
    # whole rows (details and all) to keep 50 took SQLite half a second at 10,000 cases.
    ids = select(CASES.c.id).where(wanted).order_by(*order).limit(page_size).offset((page - 1) * page_size)
    on_page = ids.subquery()
    columns: list[Any] = [CASES]
    if stage is not None:
        columns.append(stage.label("latest_stage"))
    query: Select[Any] = (
        select(*columns).select_from(CASES.join(on_page, on_page.c.id == CASES.c.id)).order_by(*order)
    )
    rows = connection.execute(query).all()
    by_case = _clocks_of(connection, [row.id for row in rows], today)
    cases = [
        ListedCase(
            _summary(row),
            row.nation,
            by_case.get(row.id, ()),
            (row.latest_stage or 1) if stage is not None else 1,
        )
        for row in rows
    ]
    return CasePage(cases, total, page, page_size)


def _clocks_of(
    connection: Connection, case_ids: Sequence[int], today: date
) -> dict[int, tuple[ListedClock, ...]]:
    if not case_ids:
        return {}
    query = (
        select(
            CLOCKS.c.case_id,
            CLOCKS.c.deadline,
            CLOCKS.c.due,
            CLOCKS.c.citation,
            (CLOCKS.c.due < today).label("missed"),
        )
        .where(CLOCKS.c.case_id.in_(case_ids))
        .order_by(CLOCKS.c.case_id, CLOCKS.c.due, CLOCKS.c.deadline)
    )
    found: dict[int, list[ListedClock]] = {}
    for row in connection.execute(query):
        found.setdefault(row.case_id, []).append(
            ListedClock(row.deadline, row.due, row.citation, bool(row.missed))
        )
    return {case_id: tuple(listed) for case_id, listed in found.items()}


def _summary(row: Any) -> CaseSummary:
    return CaseSummary(
        id=row.id,
        public_ref=row.public_ref,
        owner_user_id=row.owner_user_id,
        landlord_id=row.landlord_id,
        landlord_name=row.landlord_name,
        subject=row.subject,
        lifecycle_state=row.lifecycle_state,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
    )
