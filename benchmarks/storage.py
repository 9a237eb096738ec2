"""Storage speed on SQLite and PostgreSQL: the per-update store step, and the due-reminder scan.

    python benchmarks/storage.py [--backend sqlite|postgresql|both] [--steps N] [--cases N]
                                 [--postgres-url URL]

1. Store step, as a chat update does it, through the real repository: load the conversation,
   append an event to the user's case (which recomputes the cached lifecycle state), save the
   conversation, commit. Also the same without the event, to show what the event costs, and the
   step's SQL through the bare driver (sqlite3 / psycopg), the floor under SQLAlchemy. Target:
   <= 1 ms per step on SQLite.
2. Reminder scan: --cases cases (default 1,000,000), one reminder each; 1,000 are due, the rest
   pending in the future or already sent. Times claiming the 1,000 due ones in one call and 100 at
   a time (median of 5, the claims undone in between). Target: < 100 ms on either backend. The
   fixture is bulk-loaded (executemany on SQLite, COPY on PostgreSQL).

SQLite lives in a temporary folder; PostgreSQL in a database created for the run and dropped after
(default server postgresql://postgres@127.0.0.1:5432/test). Prints figures; not run by CI.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, update
from sqlalchemy.engine import make_url

from bot.storage.db import make_engine, upgrade
from bot.storage.evidence import EvidenceStore
from bot.storage.mapping import lifecycle_state_of
from bot.storage.models import CaseRow, ReminderRow, UserRow
from bot.storage.records import EventSource, Role
from bot.storage.refs import ALPHABET
from bot.storage.repository import Repository
from flows.case import Case, CaseEvent, EventKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = 1_000
CASES_PER_USER = 4
CHUNK = 50_000
KINDS = [
    EventKind.COMPLAINT_MADE,
    EventKind.ACKNOWLEDGED,
    EventKind.STAGE1_RESPONSE,
    EventKind.ESCALATION_REQUESTED,
]


def ref_for(number: int) -> str:
    """A distinct 8-character ref per number (the benchmark needs unique refs, not random ones)."""
    chars = []
    for _ in range(8):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(chars)


# Backends ---------------------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="fairsay-bench-") as folder:
        yield f"sqlite:///{folder}/bench.sqlite3"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    import psycopg

    server = make_url(server_url)
    host = server.host or server.query.get("host", "localhost")  # a Unix socket folder comes as ?host=
    conninfo = f"host={host} port={server.port or 5432} user={server.username} dbname={server.database}"
    name = f"fairsay_bench_{secrets.token_hex(4)}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_repository(url: str, folder: Path) -> Repository:
    engine = make_engine(url)
    upgrade(engine)
    return Repository(engine, EvidenceStore(folder / "evidence", 20 * 1024 * 1024))


# 1. The store step ------------------------------------------------------------------------------


def time_per_call(step: Callable[[int], None], count: int) -> tuple[float, float]:
    """Mean and median microseconds per call."""
    samples = []
    for index in range(count):
        started = time.perf_counter()
        step(index)
        samples.append(time.perf_counter() - started)
    return statistics.fmean(samples) * 1e6, statistics.median(samples) * 1e6


def bench_store_step(url: str, steps: int) -> dict[str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        repo = fresh_repository(url, Path(folder))
        users = 200
        people: list[tuple[int, int]] = []
        with repo.unit_of_work() as uow:
            for telegram_id in range(users):
                user = uow.user_by_telegram_id(10_000 + telegram_id)
                uow.conversation(user.id)
                summary = uow.case_by_ref(uow.create_case(user.id))
                assert summary is not None
                people.append((user.id, summary.id))

        def full_step(index: int) -> None:
            user_id, case_id = people[index % users]
            round_ = index // users  # each case grows by one event per round
            with repo.unit_of_work() as uow:
                conversation = uow.conversation(user_id)
                event = CaseEvent(date(2024, 1, 2) + timedelta(days=3 * round_), KINDS[round_ % len(KINDS)])
                uow.append_event(case_id, event, EventSource.RESIDENT, user_id)
                conversation.state = f"answered_{index}"
                conversation.answers[f"q{round_}"] = "yes"
                uow.save_conversation(conversation)

        def conversation_only(index: int) -> None:
            user_id, _ = people[index % users]
            with repo.unit_of_work() as uow:
                conversation = uow.conversation(user_id)
                conversation.state = f"again_{index}"
                uow.save_conversation(conversation)

        full_step(0)  # warm up: the calendar, statement caches, the pool
        results = {
            "store step (conversation + event + save + commit)": time_per_call(full_step, steps),
            "conversation load + save + commit only": time_per_call(conversation_only, steps),
        }
        bare = bare_driver_step(repo.engine, people)
        bare(0)
        results["the store step's SQL through the bare driver (no lifecycle)"] = time_per_call(bare, steps)
        repo.close()
        return results


def bare_driver_step(engine: Engine, people: list[tuple[int, int]]) -> Callable[[int], None]:
    """The statements a store step sends, through sqlite3 / psycopg directly: the floor under
    SQLAlchemy, and on PostgreSQL the cost of the round trips alone."""
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None

    def sql(text: str) -> str:
        return text.replace("%s", "?").replace("::jsonb", "").replace(" FOR UPDATE", "") if sqlite else text

    def stamp(moment: datetime) -> object:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment

    def step(index: int) -> None:
        user_id, case_id = people[index % len(people)]
        now = stamp(datetime.now(UTC))
        cursor = driver.cursor()
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            sql(
                "SELECT user_id, flow, state, answers, case_id, version FROM conversations WHERE user_id = %s"
            ),
            (user_id,),
        )
        version = cursor.fetchone()[5]
        cursor.execute(
            sql(
                "SELECT id, nation, code_choice, landlord_type, subject, landlord_policy, landlord_id, closed_at FROM cases WHERE id = %s FOR UPDATE"
            ),
            (case_id,),
        )
        cursor.fetchone()
        cursor.execute(
            sql(
                "SELECT position, date, kind, new_due, extra_working_days, reasons_given FROM case_events WHERE case_id = %s"
            ),
            (case_id,),
        )
        position = max((row[0] for row in cursor.fetchall()), default=-1) + 1
        cursor.execute(
            sql(
                "INSERT INTO case_events (case_id, position, date, kind, reasons_given, source, recorded_by_user_id, recorded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            ),
            (case_id, position, "2024-01-02", "acknowledged", False, "resident", user_id, now),
        )
        cursor.execute(
            sql("UPDATE cases SET lifecycle_state = %s, updated_at = %s WHERE id = %s"),
            ("stage1_waiting_response", now, case_id),
        )
        cursor.execute(
            sql(
                "INSERT INTO audit_log (case_id, actor_user_id, action, at, detail) VALUES (%s, %s, %s, %s, %s::jsonb)"
            ),
            (case_id, user_id, "event_recorded", now, '{"kind": "acknowledged"}'),
        )
        cursor.execute(
            sql(
                "UPDATE conversations SET state = %s, answers = %s::jsonb, version = version + 1, updated_at = %s WHERE user_id = %s AND version = %s"
            ),
            (f"bare_{index}", '{"q": "yes"}', now, user_id, version),
        )
        driver.commit()

    return step


def bench_lifecycle_cpu(count: int = 5_000) -> tuple[float, float]:
    case = Case(tuple(CaseEvent(date(2024, 1, 2) + timedelta(days=3 * i), KINDS[i % 4]) for i in range(8)))
    lifecycle_state_of(case)
    return time_per_call(lambda _: lifecycle_state_of(case), count)


# 2. The reminder scan ---------------------------------------------------------------------------


def reminder_rows(case_ids: range, user_of: Callable[[int], int]) -> Iterator[dict[str, object]]:
    """One reminder per case: the first DUE are due, two in three of the rest pending, the others sent."""
    for case_id in case_ids:
        index = case_id - 1
        if index < DUE:
            due_at, sent_at = NOW - timedelta(minutes=1 + index % 600), None
        elif index % 3:
            due_at, sent_at = NOW + timedelta(days=1, minutes=index % 100_000), None
        else:
            due_at, sent_at = NOW - timedelta(days=1 + index % 300), NOW - timedelta(days=1)
        yield {
            "user_id": user_of(case_id),
            "case_id": case_id,
            "kind": "deadline_near",
            "due_at": due_at,
            "payload": {},
            "dedupe_key": f"case:{case_id}:stage1_response",
            "attempts": 0 if sent_at is None else 1,
            "sent_at": sent_at,
        }


def chunks(rows: Iterator[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def load_fixture(engine: Engine, cases: int) -> None:
    users = cases // CASES_PER_USER
    created = NOW - timedelta(days=30)

    def user_rows() -> Iterator[dict[str, object]]:
        for user_id in range(1, users + 1):
            yield {
                "id": user_id,
                "telegram_id": user_id,
                "language": "en",
                "time_zone": "Europe/London",
                "roles": frozenset({Role.RESIDENT}),
                "created_at": created,
            }

    def case_rows() -> Iterator[dict[str, object]]:
        for case_id in range(1, cases + 1):
            yield {
                "id": case_id,
                "public_ref": ref_for(case_id),
                "owner_user_id": 1 + (case_id - 1) % users,
                "nation": "england",
                "code_choice": "auto",
                "landlord_policy": {},
                "details": {},
                "lifecycle_state": "stage1_waiting_response",
                "created_at": created,
                "updated_at": created,
            }

    reminders = reminder_rows(range(1, cases + 1), lambda case_id: 1 + (case_id - 1) % users)
    if engine.dialect.name == "postgresql":
        # COPY takes text for the JSON and role columns.
        _copy(engine, "users", ({**row, "roles": "resident"} for row in user_rows()))
        _copy(engine, "cases", ({**row, "landlord_policy": "{}", "details": "{}"} for row in case_rows()))
        _copy(engine, "reminders", ({**row, "payload": "{}"} for row in reminders))
        with engine.begin() as connection:
            for table in ("users", "cases", "reminders"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            connection.exec_driver_sql("ANALYZE users; ANALYZE cases; ANALYZE reminders")
        return
    # SQLite: executemany through SQLAlchemy Core, so values are stored exactly as the app stores them.
    with engine.begin() as connection:
        for model, rows in ((UserRow, user_rows()), (CaseRow, case_rows()), (ReminderRow, reminders)):
            for batch in chunks(rows):
                connection.execute(insert(model), batch)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def _copy(engine: Engine, table: str, rows: Iterator[dict[str, object]]) -> None:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        first = next(rows)
        columns = list(first)
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            copy.write_row([first[c] for c in columns])
            for row in rows:
                copy.write_row([row[c] for c in columns])
        connection.commit()
    finally:
        connection.close()


def bench_reminder_scan(url: str, cases: int, repeats: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        repo = fresh_repository(url, Path(folder))
        started = time.perf_counter()
        load_fixture(repo.engine, cases)
        loaded = time.perf_counter() - started
        repo.claim_due_reminders(NOW - timedelta(days=3650), 1, "warm-up")  # pool and statement cache

        def claim_all(batch: int) -> float:
            """Seconds to claim every due reminder, `batch` per call (until a call finds none)."""
            unclaim(repo.engine)
            started = time.perf_counter()
            claimed = 0
            while found := len(repo.claim_due_reminders(NOW, batch, "bench")):
                claimed += found
            elapsed = time.perf_counter() - started
            assert claimed == DUE, claimed
            return elapsed

        one_call = statistics.median(claim_all(DUE) for _ in range(repeats))
        in_batches = statistics.median(claim_all(100) for _ in range(repeats))
        repo.close()
        return {
            "fixture load (s)": loaded,
            f"claim the {DUE} due in one call (ms, median of {repeats})": one_call * 1000,
            f"claim the {DUE} due 100 at a time (ms for all 11 calls, median of {repeats})": in_batches
            * 1000,
        }


def unclaim(engine: Engine) -> None:
    """Put the claimed reminders back as they were, to time the same claim again."""
    with engine.begin() as connection:
        connection.execute(
            update(ReminderRow)
            .where(ReminderRow.claimed_by.is_not(None))  # type: ignore[union-attr]
            .values(claimed_by=None, claimed_until=None, attempts=0)
        )
    if engine.dialect.name == "sqlite":  # and fold the WAL back in, as SQLite does now and then
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--steps", type=int, default=3_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    mean, median = bench_lifecycle_cpu()
    print(f"lifecycle state of an 8-event case (pure CPU): {mean:,.0f} µs mean, {median:,.0f} µs median")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        database = sqlite_database() if backend == "sqlite" else postgres_database(args.postgres_url)
        with database as url:
            print(f"\n{backend}: store step, {args.steps:,} updates")
            for label, (mean, median) in bench_store_step(url, args.steps).items():
                print(f"  {label}: {mean:,.0f} µs mean, {median:,.0f} µs median")
        database = sqlite_database() if backend == "sqlite" else postgres_database(args.postgres_url)
        with database as url:
            print(f"{backend}: reminder scan, {args.cases:,} cases, {DUE:,} due")
            for label, value in bench_reminder_scan(url, args.cases).items():
                print(f"  {label}: {value:,.1f}")


if __name__ == "__main__":
    main()
