"""Resident steps per second: one instance on SQLite, and two instances on PostgreSQL.

    python benchmarks/throughput.py                                   # one instance, SQLite
    python benchmarks/throughput.py --database postgresql://postgres@127.0.0.1/test --instances 2

Each instance is a real `fairsay bot` process long-polling its own loopback fake Bot API (as a load
balancer would split residents between instances); the fakes and the residents run in this process.
With PostgreSQL all instances share one database. Residents are parked at a question and answer it
over and over, all at once; the rate counts steps whose reply has arrived. Targets: 500 a second on
one SQLite instance, and 500 in total from two PostgreSQL instances on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import ROOT, STEPS, FakeBotApi, park, replies, wait_until


def create_database(admin_url: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    from bot.storage.db import upgrade

    url = make_url(admin_url)
    name = f"fairsay_bench_{secrets.token_hex(3)}"
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database, autocommit=True
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name).render_as_string(hide_password=False)
    upgrade(target)
    return target


def start_instance(fake: FakeBotApi, database_url: str, root: Path = ROOT) -> subprocess.Popen[bytes]:
    """`fairsay bot` from the source tree `root` (this one, or another version to compare with)."""
    folder = Path(tempfile.mkdtemp(prefix="fairsay-bench-"))
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "DATABASE_URL": database_url.replace("{folder}", str(folder)),
        "EVIDENCE_DIR": str(folder / "evidence"),
        "TELEGRAM_MESSAGES_PER_SECOND": "0",  # the fake has no broadcast limit: measure the bot
        "TELEGRAM_FLOOD_LIMIT": "0",
        "LOG_FORMAT": "text",
        "TELEGRAM_HTTP": os.environ.get("TELEGRAM_HTTP", "aiohttp"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot"],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def drive(fake: FakeBotApi, residents: int, rounds: int, result: dict[str, float]) -> None:
    users = [fake.new_user(f"R{i}") for i in range(residents)]
    park(fake, users)
    started = time.perf_counter()
    for round_number in range(rounds):
        before = replies(fake)
        for user in users:
            fake.user_sends_text(user, STEPS[round_number % 2])
        wait_until(lambda before=before: replies(fake) >= before + residents, fake=fake)
    result["seconds"] = time.perf_counter() - started
    result["steps"] = residents * rounds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="a PostgreSQL server to create a benchmark database on")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--residents", type=int, default=100, help="per instance")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    database = create_database(args.database) if args.database else "sqlite:///{folder}/bench.sqlite3"
    # One bot behind a load balancer in reality; here each instance has its own fake, so keep their
    # people and update ids apart (the database skips an update id it has already handled).
    fakes = [
        FakeBotApi(
            token=f"{100 + i}:BENCH", first_user_id=1_000_000 * (i + 1), first_update_id=1_000_000 * i + 1
        ).__enter__()
        for i in range(args.instances)
    ]
    bots = [start_instance(fake, database) for fake in fakes]
    try:
        results: list[dict[str, float]] = [{} for _ in fakes]
        drivers = [
            threading.Thread(target=drive, args=(fake, args.residents, args.rounds, result))
            for fake, result in zip(fakes, results, strict=True)
        ]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
    finally:
        import psutil

        for bot in bots:
            cpu = psutil.Process(bot.pid).cpu_times()
            print(f"bot process CPU: {cpu.user + cpu.system:.1f} s")
        me = psutil.Process().cpu_times()
        print(f"fake and residents process CPU: {me.user + me.system:.1f} s")
        for bot in bots:
            bot.terminate()
            bot.wait(timeout=30)
        for fake in fakes:
            fake.__exit__(None, None, None)
    rates = [r["steps"] / r["seconds"] for r in results]
    kind = "PostgreSQL" if args.database else "SQLite"
    print(
        f"{args.instances} instance(s), {kind}: "
        + ", ".join(f"{rate:,.0f}" for rate in rates)
        + f" steps/s; total {sum(rates):,.0f} steps/s ({args.residents} residents x {args.rounds} rounds each); "
        "target >= 500"
    )


if __name__ == "__main__":
    main()
