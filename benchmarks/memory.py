"""Memory with many conversations in progress: the bot's resident set size idle, then with 10,000
residents each part-way through a complaint. Target: growth under 8 MB (state is in the database).

    python benchmarks/memory.py [--residents N] [--traced OUT]

--traced OUT runs the bot under tracemalloc (benchmarks/traced.py) and writes to OUT where the
Python objects held at the end were allocated (the growth since idle); the rest of the growth is C
memory (SQLite's page cache, the allocator's free lists).

The bot is a real `fairsay bot` process (SQLite) long-polling a loopback fake Bot API in this process.
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path

import psutil
from harness import ONBOARDING, FakeBotApi, replies, wait_until
from throughput import start_instance


def rss(process: psutil.Process) -> float:
    return float(process.memory_info().rss) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--traced", type=Path, default=None)
    args = parser.parse_args()
    wrapper = (str(Path(__file__).with_name("traced.py")), str(args.traced)) if args.traced else ()
    with FakeBotApi() as fake:
        bot = start_instance(fake, "sqlite:///{folder}/bench.sqlite3", wrapper=wrapper)
        process = psutil.Process(bot.pid)
        try:
            warm = fake.new_user("Warm")
            for text in ONBOARDING:  # every code path loaded once
                before = replies(fake)
                fake.user_sends_text(warm, text)
                wait_until(lambda before=before: replies(fake) > before, fake=fake)
            time.sleep(2)
            idle = rss(process)
            if args.traced:
                bot.send_signal(signal.SIGUSR1)
            started = time.perf_counter()
            batch = 500
            for first in range(0, args.residents, batch):
                users = [fake.new_user(f"R{i}") for i in range(first, min(first + batch, args.residents))]
                count = len(users)
                for text in ONBOARDING[:5]:  # /start, language, role, privacy, "new complaint": in progress
                    before = replies(fake)
                    for user in users:
                        fake.user_sends_text(user, text)
                    wait_until(lambda before=before, count=count: replies(fake) >= before + count, fake=fake)
            elapsed = time.perf_counter() - started
            time.sleep(2)
            busy = rss(process)
            if args.traced:
                bot.send_signal(signal.SIGUSR2)
                wait_until(args.traced.exists)
        finally:
            bot.terminate()
            bot.wait(timeout=30)
    print(
        f"idle: {idle:.1f} MB; with {args.residents:,} conversations in progress: {busy:.1f} MB; "
        f"growth {busy - idle:+.1f} MB (target < 8 MB); {args.residents * 5:,} updates in {elapsed:.0f} s"
    )


if __name__ == "__main__":
    main()
