"""Cost of one resident step end to end, against a bare PTB echo handler on the same fake Bot API,
with both request classes in one run (aiohttp, the bot's default, and PTB's httpx with sniffio).

    python benchmarks/step_cost.py [--steps N] [--http aiohttp,httpx]
    python benchmarks/step_cost.py --baseline DIR      # and the same step from another source tree
                                                       # (e.g. `git archive REV | tar -x -C DIR`)

Both bots are real processes long-polling a loopback fake Bot API in this process, with the same
request class. A resident step: receive the update, store it in the inbox, load the conversation,
run the flow, store it and the reply (one SQLite transaction), render, send. The echo handler
receives the update and sends the text back. Steps go one at a time and each is timed from delivery
until the reply has arrived. The echo bot and the resident are measured alternately (echo, resident,
echo, resident), so both see the same machine. Target: the ratio of medians at most 1.5 on SQLite.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from harness import ROOT, STEPS, FakeBotApi, park, replies, start_echo_bot, wait_until
from throughput import start_instance

TARGET = 1.5


def timed_steps(fake: FakeBotApi, user: object, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        before = replies(fake)
        started = time.perf_counter()
        fake.user_sends_text(user, text)  # type: ignore[arg-type]
        wait_until(lambda before=before: replies(fake) > before, fake=fake)
        times.append(time.perf_counter() - started)
    return times


def echo_costs(steps: int, http: str) -> list[float]:
    with FakeBotApi() as fake:
        bot = start_echo_bot(fake, http)
        try:
            user = fake.new_user("Echo")
            timed_steps(fake, user, ["warm up"] * 20)
            return timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])
        finally:
            bot.terminate()
            bot.wait(timeout=30)


def resident_costs(steps: int, http: str, root: Path = ROOT) -> list[float]:
    with FakeBotApi() as fake:
        bot = start_instance(fake, "sqlite:///{folder}/bench.sqlite3", root, http=http)
        try:
            user = fake.new_user("Amina")
            park(fake, [user])
            timed_steps(fake, user, list(STEPS) * 10)  # warm up
            return timed_steps(fake, user, [STEPS[i % 2] for i in range(steps)])
        finally:
            bot.terminate()
            bot.wait(timeout=30)


def line(name: str, costs: list[float]) -> str:
    return (
        f"  {name:<14} mean {statistics.fmean(costs) * 1e6:8.0f} µs   "
        f"median {statistics.median(costs) * 1e6:8.0f} µs"
    )


def measure(http: str, steps: int, baseline: Path | None) -> None:
    half = steps // 2
    # Alternated, so both see the same machine: echo, resident, echo, resident (and the baseline).
    echo = echo_costs(half, http)
    resident = resident_costs(half, http)
    other = resident_costs(half, http, baseline) if baseline else []
    echo += echo_costs(half, http)
    resident += resident_costs(half, http)
    if baseline:
        other += resident_costs(half, http, baseline)
    print(f"request class: {http}")
    print(line("echo handler", echo))
    print(line("resident step", resident))
    if baseline:
        print(line("baseline step", other))
        print(
            f"  this tree / baseline (medians): {statistics.median(resident) / statistics.median(other):.3f}"
        )
    print(
        f"  ratio (resident / echo): medians {statistics.median(resident) / statistics.median(echo):.2f}, "
        f"means {statistics.fmean(resident) / statistics.fmean(echo):.2f}  (target <= {TARGET})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=400, help="per bot and request class")
    parser.add_argument("--http", default="aiohttp,httpx", help="request classes, comma-separated")
    parser.add_argument("--baseline", type=Path, help="another source tree, measured in the same run")
    args = parser.parse_args()
    for http in args.http.split(","):
        measure(http, args.steps, args.baseline)


if __name__ == "__main__":
    main()
