"""Cost of one resident step end to end, against a bare PTB echo handler on the same fake Bot API.

    python benchmarks/step_cost.py [--steps N]        # TELEGRAM_HTTP=httpx to compare PTB's default
    python benchmarks/step_cost.py --baseline DIR      # and the same step from another source tree
                                                       # (e.g. `git archive REV | tar -x -C DIR`)

Both bots are real processes long-polling a loopback fake Bot API in this process, with the same
request class (aiohttp, the bot's default; or PTB's httpx with sniffio). A resident step: receive the
update, load the conversation, run the flow, store it (one SQLite transaction), render, send. The
echo handler receives the update and sends the text back. Steps go one at a time and each is timed
from delivery until the reply has arrived. Target: the ratio at most 2.0 on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import ROOT, STEPS, FakeBotApi, park, replies, wait_until
from throughput import start_instance

HTTP = os.environ.get("TELEGRAM_HTTP", "aiohttp")


def timed_steps(fake: FakeBotApi, user: object, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        before = replies(fake)
        started = time.perf_counter()
        fake.user_sends_text(user, text)  # type: ignore[arg-type]
        wait_until(lambda before=before: replies(fake) > before, fake=fake)
        times.append(time.perf_counter() - started)
    return times


def echo_costs(steps: int) -> list[float]:
    with FakeBotApi() as fake:
        bot = subprocess.Popen(
            [sys.executable, str(ROOT / "benchmarks" / "echo_bot.py"), fake.token, fake.base_url, HTTP],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            user = fake.new_user("Echo")
            timed_steps(fake, user, ["warm up"] * 20)
            return timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])
        finally:
            bot.terminate()
            bot.wait(timeout=30)


def resident_costs(steps: int, root: Path = ROOT) -> list[float]:
    with FakeBotApi() as fake:
        bot = start_instance(fake, "sqlite:///{folder}/bench.sqlite3", root)
        try:
            user = fake.new_user("Amina")
            park(fake, [user])
            timed_steps(fake, user, list(STEPS) * 10)  # warm up
            return timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])
        finally:
            bot.terminate()
            bot.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--baseline", type=Path, help="another source tree, measured in the same run")
    args = parser.parse_args()
    echo = echo_costs(args.steps)
    resident = resident_costs(args.steps)
    rows = [("echo handler", echo), ("resident step", resident)]
    if args.baseline:
        # Alternated, so both see the same machine: baseline, this tree, baseline again.
        baseline = resident_costs(args.steps, args.baseline)
        resident += resident_costs(args.steps)
        baseline += resident_costs(args.steps, args.baseline)
        rows = [("echo handler", echo), ("resident step", resident), ("baseline step", baseline)]
    print(f"request class: {HTTP}")
    for name, costs in rows:
        print(
            f"{name:<14} mean {statistics.fmean(costs) * 1e6:8.0f} µs   median {statistics.median(costs) * 1e6:8.0f} µs"
        )
    if args.baseline:
        print(
            f"this tree / baseline (means): {statistics.fmean(resident) / statistics.fmean(baseline):.3f}, "
            f"(medians): {statistics.median(resident) / statistics.median(baseline):.3f}"
        )
    print(
        f"ratio (resident / echo, means): {statistics.fmean(resident) / statistics.fmean(echo):.2f}  (target <= 2.0)"
    )
    print(f"ratio (medians): {statistics.median(resident) / statistics.median(echo):.2f}")


if __name__ == "__main__":
    main()
