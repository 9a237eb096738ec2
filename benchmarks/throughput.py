"""Resident steps per second: one instance on SQLite, and two instances on PostgreSQL.

    python benchmarks/throughput.py                                   # one instance, SQLite
    python benchmarks/throughput.py --database postgresql://postgres@127.0.0.1/test --instances 2

Each instance is a real `fairsay bot` process long-polling its own loopback fake Bot API (as a load
balancer would split residents between instances); the fakes and the residents run in this process.
With PostgreSQL all instances share one database. Residents are parked at a question and answer it
over and over, all at once; the rate counts steps whose reply has arrived. The bare PTB echo bot
(benchmarks/echo_bot.py) runs on the same harness in the same run, as many instances; its rate is
printed beside the resident's, the two alternated `--repeat` times (medians compared). Target: the
resident's at least 2/3 of the echo bot's.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import ROOT, STEPS, FakeBotApi, park, replies, start_echo_bot, wait_until

TARGET = 2 / 3  # of the bare echo bot's steps per second on the same harness


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


def start_instance(
    fake: FakeBotApi,
    database_url: str,
    root: Path = ROOT,
    wrapper: tuple[str, ...] = (),
    http: str | None = None,
) -> subprocess.Popen[bytes]:
    """`fairsay bot` from the source tree `root` (this one, or another version to compare with);
    `wrapper`: a script that runs the module (benchmarks/profiled.py OUT); `http`: TELEGRAM_HTTP."""
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
        "TELEGRAM_HTTP": http or os.environ.get("TELEGRAM_HTTP", "aiohttp"),
    }
    return subprocess.Popen(
        [sys.executable, *wrapper, "-m", "bot.cli", "bot"],
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


def run(
    kind: str, instances: int, database: str, residents: int, rounds: int
) -> tuple[list[float], list[float]]:
    """Steps per second of each instance, and each bot process's CPU seconds."""
    # One bot behind a load balancer in reality; here each instance has its own fake, so keep their
    # people and update ids apart (the database skips an update id it has already handled).
    fakes = [
        FakeBotApi(
            token=f"{100 + i}:BENCH", first_user_id=1_000_000 * (i + 1), first_update_id=1_000_000 * i + 1
        ).__enter__()
        for i in range(instances)
    ]
    http = os.environ.get("TELEGRAM_HTTP", "aiohttp")
    bots = [
        start_echo_bot(fake, http) if kind == "echo" else start_instance(fake, database) for fake in fakes
    ]
    cpu: list[float] = []
    try:
        # Every instance polling before anyone writes: a long-polling process starting takes over
        # whatever the database holds unhandled (one bot, one poller), and here the instances are
        # several bots on one database, so one starting late took the others' updates and answered
        # them through its own fake (seen as a run that waited for ever).
        for fake in fakes:
            wait_until(lambda fake=fake: fake.count("getUpdates") > 0, timeout=60, fake=fake)
        results: list[dict[str, float]] = [{} for _ in fakes]
        drivers = [
            threading.Thread(target=drive, args=(fake, residents, rounds, result))
            for fake, result in zip(fakes, results, strict=True)
        ]
        for driver in drivers:
            driver.start()
        for driver in drivers:
            driver.join()
    finally:
        import psutil

        for bot in bots:
            times = psutil.Process(bot.pid).cpu_times()
            cpu.append(times.user + times.system)
            bot.terminate()
            bot.wait(timeout=30)
        for fake in fakes:
            fake.__exit__(None, None, None)
    return [r["steps"] / r["seconds"] for r in results], cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", help="a PostgreSQL server to create a benchmark database on")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--residents", type=int, default=100, help="per instance")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument(
        "--repeat", type=int, default=3, help="echo and resident alternated this often; medians compared"
    )
    args = parser.parse_args()
    sqlite = "sqlite:///{folder}/bench.sqlite3"  # a new file for each instance started
    kind = "PostgreSQL" if args.database else "SQLite"
    # The bare echo bot and the resident alternated on the same harness: the same machine, one run.
    # The echo bot's rate alone moved by 2x between runs here, so one pair says little: medians.
    totals: dict[str, list[float]] = {"echo": [], "resident": []}
    for _ in range(args.repeat):
        for bot in ("echo", "resident"):
            # A fresh database for each run: the fakes number their updates from the same ids each time,
            # and the inbox would take a second run's as updates it has handled already.
            database = create_database(args.database) if args.database else sqlite
            rates, cpu = run(bot, args.instances, database, args.residents, args.rounds)
            totals[bot].append(sum(rates))
            name = "bare echo bot" if bot == "echo" else f"resident ({kind})"
            print(
                f"{name:<22} {args.instances} instance(s): "
                + " + ".join(f"{rate:,.0f}" for rate in rates)
                + f" = {sum(rates):,.0f} steps/s; bot CPU "
                + ", ".join(f"{seconds:.1f} s" for seconds in cpu)
                + f"; load average {os.getloadavg()[0]:.1f}"
            )
    echo, resident = statistics.median(totals["echo"]), statistics.median(totals["resident"])
    print(
        f"medians: echo {echo:,.0f}, resident {resident:,.0f} steps/s; resident / echo: {resident / echo:.2f} "
        f"({args.residents} residents x {args.rounds} rounds per instance, {args.repeat} runs each; "
        f"target >= {TARGET:.2f})"
    )


if __name__ == "__main__":
    main()
