"""The web portal's pages under load: a landlord with many open complaints, on SQLite.

    python benchmarks/portal.py [--cases 40 200 1000] [--requests 50]

For each inbox size: the median and 95th percentile time of GET /portal/inbox, GET of a case page
and a full POST acknowledge (form, CSRF, the action's transaction, the notices, the 303), through
Starlette's test client (no network), with the real repository. Target: the inbox of 40 complaints
(the desk the issue describes) in under 100 ms, a case page under 50 ms. Prints figures; not run by CI.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from starlette.testclient import TestClient

from bot.clock import ManualClock
from bot.services.landlord_desk import deliver
from bot.services.people import portal_link
from bot.settings import Settings
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from bot.web.app import create_web_app
from flows.case import CaseEvent, EventKind

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
BASE = "https://fairsay.test"


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
            homes=4000,
        )
        uow.access.approve_landlord(landlord)
        for n in range(cases):
            owner = uow.user_by_telegram_id(10_000 + n)
            ref = uow.create_case(
                owner.id, landlord_name="Westlea Housing", subject="repairs", landlord_id=landlord
            )
            case_id = uow.case_by_ref(ref).id  # type: ignore[union-attr]
            made = CaseEvent(date(2026, 3, 2) + timedelta(days=n % 14), EventKind.COMPLAINT_MADE)
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
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run(cases: int, requests: int) -> None:
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
            inbox = timed(lambda: client.get("/portal/inbox"), requests)
            case = timed(lambda: client.get(f"/portal/cases/{refs[0]}"), requests)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/portal/inbox").text).group(1)  # type: ignore[union-attr]
            pending = iter(refs)
            act = timed(
                lambda: client.post(f"/portal/cases/{next(pending)}/acknowledge", data={"csrf_token": csrf}),
                min(requests, cases),
            )
        repo.close()
    print(
        f"{cases:>6} complaints | inbox {inbox[0]:7.1f} ms (p95 {inbox[1]:7.1f}) | case page {case[0]:6.1f} ms "
        f"(p95 {case[1]:6.1f}) | acknowledge {act[0]:6.1f} ms (p95 {act[1]:6.1f}) | "
        f"inbox per complaint {inbox[0] / cases:5.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, nargs="+", default=[40, 200, 1000])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    for cases in args.cases:
        run(cases, args.requests)


if __name__ == "__main__":
    main()
