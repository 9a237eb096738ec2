"""The web portal's pages under load: a landlord with many open complaints, on SQLite.

    python benchmarks/portal.py [--cases 1000 10000] [--requests 50] [--profile]

For each inbox size, from one run: the median and 95th percentile time of GET /portal/inbox (the first
page of 50, nearest deadline first), a later page, a case page, a full POST acknowledge (form, CSRF,
the action's transaction, the notices, the 303) and the compliance report (its page and its CSV),
through Starlette's test client (no network), with the real repository; the SQL statements one inbox
request runs; and the ratios of the largest size's figures to the smallest's (kept clocks: about 1).
`--profile`: cProfile's top entries for the inbox's reading (`bot.web.portal.views.inbox`) at each size.

Every complaint is a distinct case (its own dates, its own history); nothing is cached across cases.
Targets (issue 28): with 10,000 open complaints the inbox's median under 50 ms and p95 under 100 ms,
the compliance report under 2 s. Wall-clock figures vary with the machine's load: compare the ratios
and the statement counts. Prints figures; not run by CI.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event
from starlette.testclient import TestClient

from bot.clock import ManualClock
from bot.services.landlord_actions import deliver
from bot.services.people import portal_link
from bot.settings import Settings
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from bot.web.portal import views
from flows.case import CaseEvent, EventKind

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
BASE = "https://fairsay.test"


def history(n: int) -> list[CaseEvent]:
    """Case n's events: complaints made over three months, a third acknowledged, some extended."""
    made = date(2026, 1, 2) + timedelta(days=n % 77)
    events = [CaseEvent(made, EventKind.COMPLAINT_MADE)]
    if n % 3 == 1 and made + timedelta(days=3 + n % 5) <= NOW.date():
        events.append(CaseEvent(made + timedelta(days=3 + n % 5), EventKind.ACKNOWLEDGED))
        if n % 9 == 4 and made + timedelta(days=10) <= NOW.date():
            extended = made + timedelta(days=30 + n % 11)
            events.append(CaseEvent(made + timedelta(days=10), EventKind.STAGE1_EXTENSION, new_due=extended))
    return events


def seed(repo: Repository, cases: int) -> list[str]:
    """A landlord (its staff member has Telegram id 2001) and `cases` complaints delivered to it."""
    refs = []
    with repo.unit_of_work() as uow:
        staff = uow.user_by_telegram_id(2001)
        landlord = uow.access.register_landlord(
            staff.id,
            name="Westlea Housing",
            landlord_type="housing_association",
            registered_provider_number=None,
            council_name=None,
            complaint_email=None,
            homes=40000,
        )
        uow.access.approve_landlord(landlord)
    for start in range(0, cases, 1000):  # a transaction per thousand cases
        with repo.unit_of_work() as uow:
            for n in range(start, min(start + 1000, cases)):
                owner = uow.user_by_telegram_id(10_000 + n)
                ref = uow.create_case(
                    owner.id, landlord_name="Westlea Housing", subject="repairs", landlord_id=landlord
                )
                case_id = uow.case_by_ref(ref).id  # type: ignore[union-attr]
                for made in history(n):
                    uow.append_event(case_id, made, EventSource.RESIDENT, owner.id)
                deliver(uow, case_id, 1, NOW)
                refs.append(ref)
    return refs


def timed(action: Callable[[], object], times: int) -> tuple[float, float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def profile(action: Callable[[], object], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(lines[start - 2 : start + top + 1])


@dataclass(frozen=True)
class Figures:
    cases: int
    inbox: tuple[float, float]
    later_page: tuple[float, float]
    case_page: tuple[float, float]
    acknowledge: tuple[float, float]
    compliance: tuple[float, float]
    compliance_csv: tuple[float, float]
    statements: int


def run(cases: int, requests: int, show_profile: bool) -> Figures:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_values(
            database_url=f"sqlite:///{folder}/bench.sqlite3",
            evidence_dir=Path(folder) / "evidence",
            public_url=BASE,
            portal_secret="bench" * 8,
        )
        repo = Repository.open(settings)
        refs = seed(repo, cases)
        clock = ManualClock(NOW)
        with TestClient(create_web_app(settings, repo, clock=clock), base_url=BASE) as client:
            with repo.unit_of_work() as uow:
                _, link = portal_link(uow, uow.user_by_telegram_id(2001), settings.portal_base_url, NOW)
            assert link is not None
            path = link.removeprefix(BASE)
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)  # type: ignore[union-attr]
            client.post(path, data={"csrf_token": token})
            assert (
                client.get("/portal/inbox").status_code == 200
            )  # the first reader computes any stale clocks
            with counting(repo.engine) as statements:
                client.get("/portal/inbox")
            if show_profile:
                # The request's work runs in a worker thread, which cProfile does not follow: profile it here.
                def read_inbox() -> object:
                    with repo.unit_of_work() as uow:
                        staff = uow.user_by_telegram_id(2001)
                        assert staff.landlord_id is not None
                        return views.inbox(uow, staff.landlord_id, NOW.date())

                print(
                    f"--- cProfile: the inbox's reading (bot.web.portal.views.inbox), {cases:,} complaints ---"
                )
                print(profile(read_inbox, 14))
            inbox = timed(lambda: client.get("/portal/inbox"), requests)
            later = timed(lambda: client.get(f"/portal/inbox?page={cases // 100}"), requests)
            case = timed(lambda: client.get(f"/portal/cases/{refs[0]}"), requests)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/portal/inbox").text).group(1)  # type: ignore[union-attr]
            pending = iter(ref for n, ref in enumerate(refs) if n % 3 != 1)  # not acknowledged yet
            act = timed(
                lambda: client.post(f"/portal/cases/{next(pending)}/acknowledge", data={"csrf_token": csrf}),
                min(requests, cases),
            )
            reports = max(3, requests // 10)
            compliance = timed(lambda: client.get("/portal/compliance"), reports)
            csv = timed(lambda: client.get("/portal/compliance.csv"), reports)
        repo.close()
    figures = Figures(cases, inbox, later, case, act, compliance, csv, len(statements))
    print(
        f"{cases:>6} complaints | inbox {inbox[0]:7.1f} ms (p95 {inbox[1]:7.1f}) | page {cases // 100} "
        f"{later[0]:6.1f} ms | case page {case[0]:6.1f} ms (p95 {case[1]:6.1f}) | acknowledge {act[0]:6.1f} ms "
        f"(p95 {act[1]:6.1f}) | compliance {compliance[0]:7.1f} ms, CSV {csv[0]:7.1f} ms | "
        f"{figures.statements} SQL statements per inbox request"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile's top entries of one inbox request")
    args = parser.parse_args()
    results = [run(cases, args.requests, args.profile) for cases in args.cases]
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"ratios, {large.cases:,} complaints to {small.cases:,} (same run; 1.0: independent of size):")
        for name in ("inbox", "later_page", "case_page", "acknowledge", "compliance", "compliance_csv"):
            print(f"  {name:<15} {getattr(large, name)[0] / getattr(small, name)[0]:6.2f}")
        print(f"  SQL statements per inbox request: {small.statements} and {large.statements}")


if __name__ == "__main__":
    main()
