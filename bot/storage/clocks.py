"""Kept clocks (issue 28): each case's open deadlines and stage figures (flows.clocks), written in the
transaction that records an event, and read by the inbox, the caseload, the API's list and the
compliance report with SQL instead of rebuilding every timeline on every request.

A case's `clocks_stamp` names what its clocks were computed with. When the rules, the bank holidays
(a new `holidays` release, EXTRA_BANK_HOLIDAYS) or its landlord's approved timescales change, the
stamp no longer matches: `refresh_stale` computes those cases again, in batches, before a reader
reads them (and `fairsay db clocks` does it for every case ahead of time, after an upgrade).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, or_, select, update

from bot.holidays import configured_extra_holidays
from bot.storage.mapping import recorded_events, to_case
from bot.storage.models import metadata
from flows.case import Case
from flows.clocks import KeptClocks, clocks_stamp, kept_clocks
from flows.lifecycle import State
from flows.timeline import compute_facts, replay_lifecycle

CASES: Table = metadata.tables["cases"]
CLOCKS: Table = metadata.tables["case_clocks"]
STAGES: Table = metadata.tables["case_stages"]
EVENTS: Table = metadata.tables["case_events"]
LANDLORDS: Table = metadata.tables["landlords"]

BATCH = 500  # cases computed again per statement group (and per IN list)

_REFRESH = (
    update(CASES)
    .where(CASES.c.id == bindparam("for_case_id"))
    .values(
        next_due=bindparam("new_next_due"),
        clocks_stamp=bindparam("new_stamp"),
        lifecycle_state=bindparam("new_state"),
    )
)


def approved_policy(policy: Any, approved_at: Any) -> dict[str, Any]:
    """A landlord's own timescales count only once an operator approved it (as `load_case` has it)."""
    return dict(policy or {}) if approved_at is not None else {}


def landlord_stamp(connection: Connection, landlord_id: int) -> str:
    row = connection.execute(
        select(LANDLORDS.c.policy, LANDLORDS.c.approved_at).where(LANDLORDS.c.id == landlord_id)
    ).first()
    return clocks_stamp(
        approved_policy(row.policy, row.approved_at) if row is not None else {}, configured_extra_holidays()
    )


# Built once (bot/storage/queries.py says why): every append runs them.
_DELETE_CLOCKS = delete(CLOCKS).where(CLOCKS.c.case_id == bindparam("of_case"))
_DELETE_STAGES = delete(STAGES).where(STAGES.c.case_id == bindparam("of_case"))
_INSERT_CLOCKS = insert(CLOCKS)
_INSERT_STAGES = insert(STAGES)


def write(connection: Connection, case_ids: Sequence[int], kept: Sequence[KeptClocks]) -> None:
    """Replace the kept clocks and stages of these cases (their `cases` columns are the caller's)."""
    cases = [{"of_case": case_id} for case_id in case_ids]
    connection.execute(_DELETE_CLOCKS, cases)
    connection.execute(_DELETE_STAGES, cases)
    clocks = [
        {"case_id": case_id, "deadline": clock.deadline.value, "due": clock.due, "citation": clock.citation}
        for case_id, one in zip(case_ids, kept, strict=True)
        for clock in one.clocks
    ]
    stages = [
        {
            "case_id": case_id,
            "stage": stage.stage,
            "began_on": stage.began_on,
            "received_on": stage.received_on,
            "acknowledged_on": stage.acknowledged_on,
            "responded_on": stage.responded_on,
            "response_due": stage.response_due,
            "response_status": stage.response_status,
            "working_days_late": stage.working_days_late,
        }
        for case_id, one in zip(case_ids, kept, strict=True)
        for stage in one.stages
        if stage.began_on is not None or stage.response_due is not None
    ]
    if clocks:
        connection.execute(_INSERT_CLOCKS, clocks)
    if stages:
        connection.execute(_INSERT_STAGES, stages)


def stale_case_ids(
    connection: Connection, landlord_id: int | None = None, case_ids: Iterable[int] | None = None
) -> list[int]:
    """Cases (of a landlord, or among `case_ids`, or all) whose clocks were computed with something
    else than what holds now. One landlord: one indexed statement (`ix_cases_clocks_stamp`)."""
    if landlord_id is not None:
        stamp = landlord_stamp(connection, landlord_id)
        query = select(CASES.c.id).where(
            CASES.c.landlord_id == landlord_id,
            or_(CASES.c.clocks_stamp.is_(None), CASES.c.clocks_stamp != stamp),
        )
        return list(connection.execute(query).scalars())
    query = select(CASES.c.id, CASES.c.clocks_stamp, LANDLORDS.c.policy, LANDLORDS.c.approved_at).select_from(
        CASES.outerjoin(LANDLORDS, LANDLORDS.c.id == CASES.c.landlord_id)
    )
    if case_ids is not None:
        query = query.where(CASES.c.id.in_(list(case_ids)))
    stamps: dict[str, str] = {}
    stale = []
    for row in connection.execute(query):
        policy = approved_policy(row.policy, row.approved_at)
        key = json.dumps(policy, sort_keys=True)
        if key not in stamps:
            stamps[key] = clocks_stamp(policy, configured_extra_holidays())
        if row.clocks_stamp != stamps[key]:
            stale.append(row.id)
    return stale


def recompute(connection: Connection, case_ids: Sequence[int]) -> int:
    """Compute these cases' clocks again from their events, in batches; how many. Each case is locked
    first (PostgreSQL), as an append locks it, so an event recorded meanwhile is never overwritten."""
    for start in range(0, len(case_ids), BATCH):
        _recompute_batch(connection, sorted(case_ids[start : start + BATCH]))
    return len(case_ids)


def _recompute_batch(connection: Connection, ids: list[int]) -> None:
    cases = connection.execute(
        select(
            CASES.c.id,
            CASES.c.nation,
            CASES.c.code_choice,
            CASES.c.landlord_type,
            CASES.c.subject,
            CASES.c.landlord_policy,
            CASES.c.landlord_id,
            LANDLORDS.c.policy.label("approved_policy"),
            LANDLORDS.c.approved_at,
        )
        .select_from(CASES.outerjoin(LANDLORDS, LANDLORDS.c.id == CASES.c.landlord_id))
        .where(CASES.c.id.in_(ids))
        .order_by(CASES.c.id)
        .with_for_update(of=CASES)
    ).all()
    events = connection.execute(
        select(
            EVENTS.c.case_id,
            EVENTS.c.position,
            EVENTS.c.date,
            EVENTS.c.kind,
            EVENTS.c.new_due,
            EVENTS.c.extra_working_days,
            EVENTS.c.reasons_given,
            EVENTS.c.source,
            EVENTS.c.replaces,
        )
        .where(EVENTS.c.case_id.in_(ids))
        .order_by(EVENTS.c.case_id, EVENTS.c.position)
    ).all()
    by_case = {case_id: list(rows) for case_id, rows in groupby(events, key=lambda row: row.case_id)}
    kept_all, refreshed = [], []
    for row in cases:
        policy = approved_policy(row.approved_policy, row.approved_at)
        case = to_case(row, recorded_events(by_case.get(row.id, [])), policy)
        kept, state = computed(case)
        kept_all.append(kept)
        refreshed.append(
            {
                "for_case_id": row.id,
                "new_next_due": kept.next_due,
                "new_stamp": clocks_stamp(policy, configured_extra_holidays()),
                "new_state": state.value,
            }
        )
    found = [row.id for row in cases]
    if not found:
        return
    write(connection, found, kept_all)
    connection.execute(_REFRESH, refreshed)


def computed(case: Case) -> tuple[KeptClocks, State]:
    """The clocks and the lifecycle state of `case`, every event counting (as of its last one); a case
    with no events left (its only one removed) is drafting, with nothing kept."""
    if not case.events:
        return kept_clocks(case), State.DRAFTING
    facts = compute_facts(case, case.events[-1].date)
    return kept_clocks(case, facts), replay_lifecycle(facts).state


def refresh_stale(
    connection: Connection, landlord_id: int | None = None, case_ids: Iterable[int] | None = None
) -> int:
    """Bring the clocks of these cases (of a landlord, among `case_ids`, or all) up to date; how many
    were computed again (none, unless the rules, the holidays or a landlord's timescales changed)."""
    return recompute(connection, stale_case_ids(connection, landlord_id, case_ids))
