"""The reminder queue: idempotent scheduling, cancelling, claiming with a lease, exactly-once claims
with two claimers, recovery after a claimer dies, backoff, and the due scan using its index."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event, text
from sqlmodel import Session, select
from storage_builders import seed_user_with_case

from bot.storage.models import ReminderRow
from bot.storage.reminders import MAX_ATTEMPTS, claim_statement
from bot.storage.repository import Repository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def rows(repo: Repository) -> list[ReminderRow]:
    with Session(repo.engine) as session:
        return list(session.exec(select(ReminderRow).order_by(ReminderRow.id)))


def schedule(
    repo: Repository, user_id: int, key: str, due_at: datetime, case_id: int | None = None, **payload: Any
) -> None:
    with repo.unit_of_work() as uow:
        uow.schedule_reminder(user_id, "deadline_near", due_at, key, case_id=case_id, payload=payload)


def test_scheduling_again_moves_the_reminder_instead_of_adding_one(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    schedule(repo, user_id, "case:1:stage1_response", NOW, case_id, deadline="stage1_response")
    schedule(
        repo, user_id, "case:1:stage1_response", NOW + timedelta(days=2), case_id, deadline="stage1_extended"
    )
    [only] = rows(repo)
    assert (only.due_at, only.payload, only.attempts) == (
        NOW + timedelta(days=2),
        {"deadline": "stage1_extended"},
        0,
    )


def test_a_sent_reminder_is_never_scheduled_again_and_a_cancelled_one_can_be(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    schedule(repo, user_id, "sent-one", NOW, case_id)
    schedule(repo, user_id, "cancelled-one", NOW, case_id)
    [claimed] = repo.claim_due_reminders(NOW, 1, "sender", LEASE)
    assert repo.mark_reminder_sent(claimed.id, "sender", NOW)
    with repo.unit_of_work() as uow:
        assert uow.cancel_reminders(case_id) == 1
    schedule(repo, user_id, "sent-one", NOW + timedelta(days=9), case_id)
    schedule(repo, user_id, "cancelled-one", NOW + timedelta(days=1), case_id)
    sent, revived = rows(repo)
    assert (sent.dedupe_key, sent.due_at, sent.sent_at) == ("sent-one", NOW, NOW)
    assert (revived.dedupe_key, revived.due_at, revived.cancelled_at) == (
        "cancelled-one",
        NOW + timedelta(days=1),
        None,
    )


def test_cancel_keeps_the_keys_asked_for_and_other_cases(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    _, other_case = seed_user_with_case(repo, 2)
    for key in ("a", "b", "c"):
        schedule(repo, user_id, key, NOW, case_id)
    schedule(repo, user_id, "other", NOW, other_case)
    with repo.unit_of_work() as uow:
        assert uow.cancel_reminders(case_id, except_keys={"b"}) == 2
    assert {r.dedupe_key for r in rows(repo) if r.cancelled_at is None} == {"b", "other"}
    assert [r.dedupe_key for r in repo.claim_due_reminders(NOW, 10, "sender", LEASE)] == ["b", "other"]


def test_claims_take_the_earliest_due_up_to_the_limit_and_lease_them(repo: Repository) -> None:
    user_id, _ = seed_user_with_case(repo, 1)
    for minutes in (30, -10, -30, -20, 0):
        schedule(repo, user_id, f"at{minutes}", NOW + timedelta(minutes=minutes), note=minutes)
    first = repo.claim_due_reminders(NOW, 2, "sender-1", LEASE)
    assert [r.dedupe_key for r in first] == ["at-30", "at-20"]
    assert first[0].payload == {"note": -30}
    assert first[0].attempts == 1 and first[0].claimed_until == NOW + LEASE
    second = repo.claim_due_reminders(NOW, 10, "sender-2", LEASE)
    assert [r.dedupe_key for r in second] == ["at-10", "at0"]  # not the leased ones, not the future one
    assert repo.claim_due_reminders(NOW, 10, "sender-3", LEASE) == []


def test_a_claimer_that_dies_before_sending_is_taken_over_after_its_lease(repo: Repository) -> None:
    user_id, _ = seed_user_with_case(repo, 1)
    schedule(repo, user_id, "only", NOW)
    [claimed] = repo.claim_due_reminders(NOW, 10, "crashes", LEASE)  # ...and never marks it sent
    assert repo.claim_due_reminders(NOW + LEASE - timedelta(seconds=1), 10, "survivor", LEASE) == []
    [again] = repo.claim_due_reminders(NOW + LEASE, 10, "survivor", LEASE)
    assert again.id == claimed.id and again.attempts == 2
    assert not repo.mark_reminder_sent(again.id, "crashes", NOW + LEASE)  # the lease passed on
    assert repo.mark_reminder_sent(again.id, "survivor", NOW + LEASE)
    assert not repo.mark_reminder_sent(again.id, "survivor", NOW + LEASE)  # idempotent
    assert repo.claim_due_reminders(NOW + timedelta(days=30), 10, "anyone", LEASE) == []
    [row] = rows(repo)
    assert (row.sent_at, row.claimed_by, row.attempts) == (NOW + LEASE, "survivor", 2)


def test_a_released_reminder_backs_off_then_is_given_up(repo: Repository) -> None:
    user_id, _ = seed_user_with_case(repo, 1)
    schedule(repo, user_id, "flaky", NOW)
    now = NOW
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        [claimed] = repo.claim_due_reminders(now, 10, "sender", LEASE)
        assert claimed.attempts == attempt
        repo.release_reminder(claimed.id, "TimedOut", now)
        row = rows(repo)[0]
        assert row.last_error == "TimedOut" and row.claimed_by is None
        if row.claimed_until is None:
            break
        waits.append(row.claimed_until - now)
        assert repo.claim_due_reminders(row.claimed_until - timedelta(seconds=1), 10, "sender", LEASE) == []
        now = row.claimed_until
    assert waits[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert len(waits) == MAX_ATTEMPTS - 1
    assert rows(repo)[0].cancelled_at == now  # given up, with its last error kept
    assert repo.claim_due_reminders(now + timedelta(days=1), 10, "sender", LEASE) == []


def test_two_claimers_on_postgresql_claim_each_reminder_exactly_once(postgres_repo: Repository) -> None:
    repo = postgres_repo
    user_id, _ = seed_user_with_case(repo, 1)
    count = 600
    with repo.unit_of_work() as uow:
        uow.session.execute(
            ReminderRow.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "user_id": user_id,
                    "kind": "k",
                    "due_at": NOW - timedelta(seconds=i),
                    "payload": {},
                    "dedupe_key": f"r{i}",
                    "attempts": 0,
                }
                for i in range(count)
            ],
        )
    claimed: dict[str, list[int]] = {"one": [], "two": []}
    start_together = threading.Barrier(2, timeout=30)

    def claimer(name: str) -> None:
        start_together.wait()
        while batch := repo.claim_due_reminders(NOW, 7, name, LEASE):
            claimed[name].extend(reminder.id for reminder in batch)

    threads = [threading.Thread(target=claimer, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everyone = claimed["one"] + claimed["two"]
    assert len(everyone) == count
    assert len(set(everyone)) == count  # nobody claimed a reminder twice
    assert claimed["one"] and claimed["two"]  # both really worked
    assert {r.claimed_by for r in rows(repo)} == {"one", "two"}


@contextmanager
def explained(engine: Engine) -> Iterator[None]:
    """Run the next statements as EXPLAIN: the exact SQL and parameters the code sends."""
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "

    def explain(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> tuple[str, Any]:
        return (
            prefix + statement if statement.lstrip().upper().startswith("UPDATE") else statement
        ), parameters

    event.listen(engine, "before_cursor_execute", explain, retval=True)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", explain)


def test_the_due_scan_uses_the_partial_index(repo: Repository) -> None:
    user_id, _ = seed_user_with_case(repo, 1)
    with repo.unit_of_work() as uow:
        uow.session.execute(
            ReminderRow.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "user_id": user_id,
                    "kind": "k",
                    "due_at": NOW - timedelta(days=i % 300),
                    "payload": {},
                    "dedupe_key": f"sent{i}",
                    "attempts": 1,
                    "sent_at": NOW,
                }
                for i in range(3000)
            ],
        )
    for key in ("due-1", "due-2"):
        schedule(repo, user_id, key, NOW)
    with Session(repo.engine) as session:
        if repo.engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE reminders"))
        with explained(repo.engine):
            result = session.connection().execute(claim_statement(NOW, 100, "x", LEASE))
            plan = "\n".join(str(row) for row in result.cursor.fetchall())  # type: ignore[union-attr]
        session.rollback()
    assert "ix_reminders_due" in plan, plan
