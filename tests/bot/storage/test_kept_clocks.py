"""Kept clocks (issue 28): after every kind of event, and every kind of correction, the clocks and
stage figures kept on the case equal those recomputed from its timeline; the lists and the compliance
report read from them say what the recomputed timelines say; when what they were computed with
changes (EXTRA_BANK_HOLIDAYS, a landlord's approved timescales, a case never computed), they are
computed again before anyone reads them. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.cli.main import main
from bot.holidays import configure_extra_holidays
from bot.services.compliance_report import landlord_compliance
from bot.settings import Settings, get_settings
from bot.storage import case_lists, clocks
from bot.storage.models import metadata
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from bot.storage.unit_of_work import UnitOfWork
from flows.case import CaseEvent, CodeChoice, EventKind
from flows.clocks import OPEN, kept_clocks
from flows.compliance import Period, compute_compliance
from flows.compliance_csv import compliance_csv, compliance_csv_chunks
from flows.routing import part_ids
from flows.staff_view import open_clocks
from flows.submissions import next_due
from flows.timeline import build_timeline

D = date.fromisoformat
TODAY = D("2026-06-01")  # after every event below

K = EventKind
# Histories that between them hold every kind of event, extensions with a date, with a number of days,
# without reasons and beyond the cap, answers late and on time, both Codes.
HISTORIES: list[list[CaseEvent]] = [
    [
        CaseEvent(D("2026-03-02"), K.COMPLAINT_MADE),
        CaseEvent(D("2026-03-05"), K.ACKNOWLEDGED),
        CaseEvent(D("2026-03-12"), K.STAGE1_EXTENSION, new_due=D("2026-04-10"), reasons_given=True),
        CaseEvent(D("2026-04-09"), K.STAGE1_RESPONSE),
        CaseEvent(D("2026-04-13"), K.ESCALATION_REQUESTED),
        CaseEvent(D("2026-04-15"), K.STAGE2_ACKNOWLEDGED),
        CaseEvent(D("2026-04-20"), K.STAGE2_EXTENSION, extra_working_days=30),
        CaseEvent(D("2026-05-29"), K.STAGE2_RESPONSE),
        CaseEvent(D("2026-05-30"), K.REFERRED_TO_OMBUDSMAN),
        CaseEvent(D("2026-05-31"), K.RESOLVED),
    ],
    [
        CaseEvent(D("2026-02-01"), K.ISSUE_STARTED),
        CaseEvent(D("2026-03-09"), K.COMPLAINT_MADE),
        CaseEvent(D("2026-03-20"), K.LANDLORD_DECLINED),
    ],
    [CaseEvent(D("2026-05-20"), K.COMPLAINT_MADE), CaseEvent(D("2026-05-27"), K.WITHDRAWN)],
    [
        CaseEvent(D("2026-04-01"), K.COMPLAINT_MADE),
        CaseEvent(D("2026-04-30"), K.ESCALATION_REQUESTED),  # stage 1 never answered
        CaseEvent(D("2026-05-05"), K.STAGE2_EXTENSION),  # no date, no reasons
    ],
    [
        CaseEvent(D("2023-05-02"), K.COMPLAINT_MADE),  # the 2022 Code
        CaseEvent(D("2023-05-15"), K.ACKNOWLEDGED),
        CaseEvent(D("2023-05-20"), K.STAGE1_EXTENSION, new_due=D("2023-09-01")),
    ],
]


def test_the_histories_hold_every_kind_of_event() -> None:
    assert {event.kind for history in HISTORIES for event in history} == set(EventKind)


@pytest.fixture
def landlord(repo: Repository) -> int:
    with repo.unit_of_work() as uow:
        staff = uow.user_by_telegram_id(2001)
        landlord_id = uow.access.register_landlord(
            staff.id,
            name="Westlea Housing",
            landlord_type="housing_association",
            registered_provider_number=None,
            council_name=None,
            complaint_email=None,
            homes=4000,
            policy={"stage1_response_working_days": 8},
        )
        uow.access.approve_landlord(landlord_id)
    return landlord_id


def new_case(uow: UnitOfWork, landlord_id: int, n: int, code: CodeChoice = CodeChoice.AUTO) -> int:
    owner = uow.user_by_telegram_id(10_000 + n)
    ref = uow.create_case(owner.id, landlord_id=landlord_id, subject="repairs", code=code)
    summary = uow.case_by_ref(ref)
    assert summary is not None
    return summary.id


def stored(uow: UnitOfWork, case_id: int) -> tuple[object, ...]:
    connection = uow.session.connection()
    cases, kept, stages = (metadata.tables[name] for name in ("cases", "case_clocks", "case_stages"))
    row = connection.execute(
        select(cases.c.next_due, cases.c.lifecycle_state).where(cases.c.id == case_id)
    ).one()
    found_clocks = connection.execute(
        select(kept.c.deadline, kept.c.due, kept.c.citation)
        .where(kept.c.case_id == case_id)
        .order_by(kept.c.due, kept.c.deadline)
    ).all()
    found_stages = connection.execute(
        select(stages).where(stages.c.case_id == case_id).order_by(stages.c.stage)
    ).all()
    return (
        row.next_due,
        row.lifecycle_state,
        [tuple(r) for r in found_clocks],
        [tuple(r)[1:] for r in found_stages],
    )


def recomputed(uow: UnitOfWork, case_id: int) -> tuple[object, ...]:
    """What the timeline says, from the events, as of today: the inbox's view before issue 28."""
    case = uow.load_case(case_id)
    timeline = build_timeline(case, TODAY)
    kept = kept_clocks(case)
    stages = [
        (
            s.stage,
            s.began_on,
            s.received_on,
            s.acknowledged_on,
            s.responded_on,
            s.response_due,
            s.response_status,
            s.working_days_late,
        )
        for s in kept.stages
        if s.began_on is not None or s.response_due is not None
    ]
    clocks_now = [(c.deadline.value, c.due, c.citation) for c in open_clocks(case, timeline)]
    return next_due(timeline), timeline.state.value, clocks_now, stages


def assert_kept_equal_recomputed(repo: Repository, case_ids: list[int]) -> None:
    with repo.unit_of_work() as uow:
        for case_id in case_ids:
            assert stored(uow, case_id) == recomputed(uow, case_id), case_id


def test_after_every_event_the_kept_clocks_equal_the_recomputed_timeline(
    repo: Repository, landlord: int
) -> None:
    with repo.unit_of_work() as uow:
        case_ids = [new_case(uow, landlord, n) for n in range(len(HISTORIES))]
    for case_id, history in zip(case_ids, HISTORIES, strict=True):
        for event in history:
            with repo.unit_of_work() as uow:
                uow.append_event(case_id, event, EventSource.RESIDENT, None)
            assert_kept_equal_recomputed(repo, [case_id])


def test_after_every_kind_of_correction_the_kept_clocks_equal_the_recomputed_timeline(
    repo: Repository, landlord: int
) -> None:
    with repo.unit_of_work() as uow:
        case_id = new_case(uow, landlord, 1)
        for event in HISTORIES[0][:3]:
            uow.append_event(case_id, event, EventSource.RESIDENT, None)
    acknowledged, extension = HISTORIES[0][1], HISTORIES[0][2]
    for event, how in ((acknowledged, "2026-03-10"), (extension, "disputed"), (extension, "removed")):
        with repo.unit_of_work() as uow:
            uow.correct_event(case_id, event, how, EventSource.RESIDENT, None)
        assert_kept_equal_recomputed(repo, [case_id])


def test_removing_a_case_s_only_event_leaves_it_drafting_with_no_clocks(
    repo: Repository, landlord: int
) -> None:
    """A resident who recorded the complaint by mistake and removes it: nothing left to count from (the
    append once asked for the last of no events, and the correction failed)."""
    complaint = CaseEvent(D("2026-05-20"), K.COMPLAINT_MADE)
    with repo.unit_of_work() as uow:
        case_id = new_case(uow, landlord, 1)
        uow.append_event(case_id, complaint, EventSource.RESIDENT, None)
    with repo.unit_of_work() as uow:
        uow.correct_event(case_id, complaint, "removed", EventSource.RESIDENT, None)
    with repo.unit_of_work() as uow:
        assert stored(uow, case_id) == (None, "drafting", [], [])
        assert clocks.stale_case_ids(uow.session.connection(), case_ids=[case_id]) == []


@pytest.fixture
def many(repo: Repository, landlord: int) -> list[int]:
    """Every history, and each of its beginnings, as a case of its own."""
    with repo.unit_of_work() as uow:
        ids = []
        for history in HISTORIES:
            for length in range(len(history) + 1):
                case_id = new_case(uow, landlord, len(ids))
                for event in history[:length]:
                    uow.append_event(case_id, event, EventSource.RESIDENT, None)
                ids.append(case_id)
    return ids


@pytest.fixture
def extra_holidays() -> Iterator[None]:
    yield
    configure_extra_holidays(())


def test_a_new_bank_holiday_makes_the_clocks_stale_and_the_refresh_brings_them_back_equal(
    repo: Repository, many: list[int], extra_holidays: None
) -> None:
    with repo.unit_of_work() as uow:
        assert clocks.stale_case_ids(uow.session.connection()) == []
    configure_extra_holidays([D("2026-03-04"), D("2026-04-14"), D("2026-05-21"), D("2026-06-02")])
    with repo.unit_of_work() as uow:
        assert sorted(clocks.stale_case_ids(uow.session.connection())) == sorted(many)
        moved = [case_id for case_id in many if stored(uow, case_id) != recomputed(uow, case_id)]
    assert moved  # the holidays move some due dates: a stale clock would be wrong
    with repo.unit_of_work() as uow:
        assert clocks.refresh_stale(uow.session.connection()) == len(many)
    assert_kept_equal_recomputed(repo, many)
    with repo.unit_of_work() as uow:
        assert clocks.refresh_stale(uow.session.connection()) == 0


def test_a_landlord_approved_or_changing_its_timescales_makes_its_cases_stale(
    repo: Repository, many: list[int], landlord: int
) -> None:
    with repo.unit_of_work() as uow:
        uow.session.execute(
            text("UPDATE landlords SET policy = :policy WHERE id = :id"),
            {"policy": '{"stage1_response_working_days": 5}', "id": landlord},
        )
        assert sorted(clocks.stale_case_ids(uow.session.connection(), landlord_id=landlord)) == sorted(many)
        page = case_lists.landlord_open_cases(uow.session.connection(), landlord, TODAY)  # refreshes first
        assert page.total > 0
        assert clocks.stale_case_ids(uow.session.connection(), landlord_id=landlord) == []
    assert_kept_equal_recomputed(repo, many)


def test_cases_never_computed_as_after_the_migration_are_computed_by_their_first_reader(
    repo: Repository, many: list[int], landlord: int
) -> None:
    with repo.unit_of_work() as uow:
        uow.session.execute(text("DELETE FROM case_clocks"))
        uow.session.execute(text("DELETE FROM case_stages"))
        uow.session.execute(text("UPDATE cases SET clocks_stamp = NULL, next_due = NULL"))
    with repo.unit_of_work() as uow:
        case_lists.landlord_open_cases(uow.session.connection(), landlord, TODAY)
    assert_kept_equal_recomputed(repo, many)


def test_the_inbox_pages_are_the_recomputed_timelines_in_deadline_order(
    repo: Repository, many: list[int], landlord: int
) -> None:
    with repo.unit_of_work() as uow:
        expected = []
        for case_id in many:
            summary = uow.case_summary(case_id)
            if summary.closed_at is not None:
                continue
            timeline = build_timeline(uow.load_case(case_id), TODAY)
            due = next_due(timeline)
            clocks_now = [
                (c.deadline.value, c.due, c.missed) for c in open_clocks(uow.load_case(case_id), timeline)
            ]
            expected.append(((due is None, due or date.max), summary.public_ref, clocks_now))
        expected.sort(key=lambda item: (item[0], item[1]))
        connection = uow.session.connection()
        listed = []
        for number in range(1, 7):  # one past the last: the last again
            page = case_lists.landlord_open_cases(connection, landlord, TODAY, number, page_size=5)
            listed += [
                (c.summary.public_ref, [(k.deadline, k.due, k.missed) for k in c.clocks]) for c in page.cases
            ]
        assert page.total == len(expected) == 24 and page.pages == 5 and page.page == 5
    wanted = [(ref, clocks_now) for _, ref, clocks_now in expected]
    assert listed == wanted + wanted[20:]


@pytest.mark.parametrize("as_of", [TODAY, D("2026-04-14"), TODAY + timedelta(days=40)])
def test_the_compliance_report_from_kept_figures_equals_the_recomputed_one(
    repo: Repository, many: list[int], landlord: int, as_of: date
) -> None:
    """As of a day before some events, the report is computed from the events (and still equal)."""
    period = Period(D("2026-04-01"), as_of if as_of >= D("2026-04-01") else D("2026-04-01"))
    with repo.unit_of_work() as uow:
        report = landlord_compliance(uow, landlord, period.start, period.end, as_of, 5)
        cases = [(uow.case_summary(i).public_ref, uow.load_case(i)) for i in many]
        parts = {uow.case_summary(i).public_ref: part_ids(uow.case_details(i)) for i in many}
    expected = compute_compliance(cases, period, 4000, as_of, 5, parts)
    assert report.stages == expected.stages
    assert sorted(report.complaint_stages, key=str) == sorted(expected.complaint_stages, key=str)
    assert report.nearing == expected.nearing
    assert "".join(compliance_csv_chunks(report, rows_per_chunk=2)) == compliance_csv(report)
    with repo.unit_of_work() as uow:
        figures_only = landlord_compliance(
            uow, landlord, period.start, period.end, as_of, 5, with_stages=False
        )
    assert (figures_only.stages, figures_only.nearing) == (expected.stages, expected.nearing)


def test_the_stage_rows_say_open_only_while_the_answer_is_owed(repo: Repository, many: list[int]) -> None:
    with repo.unit_of_work() as uow:
        statuses = (
            uow.session.execute(text("SELECT DISTINCT response_status FROM case_stages")).scalars().all()
        )
    assert OPEN in statuses and "met" in statuses


def test_fairsay_db_clocks_computes_the_stale_ones_with_the_configured_holidays(
    repo: Repository,
    many: list[int],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra_holidays: None,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("EXTRA_BANK_HOLIDAYS", "2026-03-04,2026-05-21")
    get_settings.cache_clear()
    try:
        assert main(["db", "clocks"]) == 0
        assert capsys.readouterr().out == f"kept clocks computed again for {len(many)} cases\n"
        assert main(["db", "clocks"]) == 0
        assert capsys.readouterr().out == "kept clocks computed again for 0 cases\n"
    finally:
        get_settings.cache_clear()
    assert_kept_equal_recomputed(repo, many)  # with the holidays the command counted
