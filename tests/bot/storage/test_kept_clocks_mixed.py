"""Kept clocks against the per-request computation they replaced (issue 28's review): a seeded mix of
England, Wales and Scotland cases, both Codes and the automatic choice, a resident's own timescales,
every kind of event in a random order, read on several later days: the inbox's rows (order, clocks,
working days left, missed) are those `timeline_row` computed from each timeline."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bot.storage import case_lists
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, CodeChoice, EventKind, LandlordPolicy
from flows.staff_view import row_order, timeline_row
from flows.working_days import Nation


def random_history(rng: random.Random) -> list[CaseEvent]:
    # Some under the 2022 Code (before April 2024), most within weeks of each other (some still open)
    day = date(2023, 1, 2) + timedelta(days=rng.choice([rng.randrange(0, 700), 760 + rng.randrange(0, 40)]))
    events = []
    for _ in range(rng.randrange(1, 7)):
        day += timedelta(days=rng.randrange(0, 20))
        kind = rng.choice(list(EventKind))
        extra: dict[str, object] = {}
        if kind in (EventKind.STAGE1_EXTENSION, EventKind.STAGE2_EXTENSION):
            if rng.random() < 0.5:
                extra["new_due"] = day + timedelta(days=rng.randrange(1, 50))
            else:
                extra["extra_working_days"] = rng.randrange(1, 25)
            extra["reasons_given"] = rng.random() < 0.5
        events.append(CaseEvent(day, kind, **extra))  # type: ignore[arg-type]
    return events


def test_a_mixed_inbox_reads_as_the_timelines_computed_on_each_day(repo: Repository) -> None:
    rng = random.Random(28)
    with repo.unit_of_work() as uow:
        staff = uow.user_by_telegram_id(2001)
        landlord = uow.access.register_landlord(
            staff.id,
            name="Westlea Housing",
            landlord_type="housing_association",
            registered_provider_number=None,
            council_name=None,
            complaint_email=None,
            homes=4000,
            policy={"stage1_response_working_days": 8},
        )
        uow.access.approve_landlord(landlord)
        last = date(2023, 1, 1)
        for n in range(60):
            owner = uow.user_by_telegram_id(30_000 + n)
            ref = uow.create_case(
                owner.id,
                landlord_id=landlord,
                nation=rng.choice(list(Nation)),
                code=rng.choice(list(CodeChoice)),
                landlord_policy=rng.choice([None, LandlordPolicy(stage2_response_working_days=15)]),
                subject="repairs",
            )
            summary = uow.case_by_ref(ref)
            assert summary is not None
            for event in random_history(rng):
                try:
                    with uow.session.begin_nested():
                        uow.append_event(summary.id, event, EventSource.RESIDENT, None)
                except ValueError:
                    continue  # an order the lifecycle refuses: not recorded
                last = max(last, event.date)
        for n, nation in enumerate(Nation):  # and one complaint just made in each nation: still in time
            owner = uow.user_by_telegram_id(31_000 + n)
            ref = uow.create_case(owner.id, landlord_id=landlord, nation=nation, subject="repairs")
            summary = uow.case_by_ref(ref)
            assert summary is not None
            uow.append_event(
                summary.id, CaseEvent(last, EventKind.COMPLAINT_MADE), EventSource.RESIDENT, None
            )
    seen: list[bool] = []
    for today in (last, last + timedelta(days=3), last + timedelta(days=45), last + timedelta(days=400)):
        with repo.unit_of_work() as uow:
            expected = sorted(
                (
                    timeline_row(case.public_ref, uow.load_case(case.id), today)
                    for case in uow.access.cases_of_landlord(landlord)
                    if case.closed_at is None and case.id is not None
                ),
                key=row_order,
            )
            page = case_lists.landlord_open_cases(uow.session.connection(), landlord, today, page_size=1000)
            listed = [case.row(today) for case in page.cases]
        assert [(r.ref, r.clocks) for r in listed] == [(r.ref, r.clocks) for r in expected], today
        assert [r.state for r in listed] == [r.timeline.state for r in expected], today
        seen += [clock.missed for row in listed for clock in row.clocks]
    assert len(listed) > 20 and True in seen and False in seen  # the mix holds both
