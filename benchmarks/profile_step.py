"""Where a resident step's time goes: the step of step_cost.py, the bot under cProfile on every
thread (benchmarks/profiled.py), the top entries and the calls per step.

    python benchmarks/profile_step.py [--steps N] [--sort tottime|cumtime] [--top K] [--out FILE]

cProfile's own overhead inflates functions called often; compare call counts and shares between two
trees rather than the seconds (deterministic, whatever else loads the machine).
"""

from __future__ import annotations

import argparse
import os
import pstats
import signal
import tempfile
import time
from pathlib import Path

from harness import ROOT, STEPS, FakeBotApi, park
from step_cost import timed_steps
from throughput import start_instance


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp()) / "step.prof")
    args = parser.parse_args()
    wrapper = (str(ROOT / "benchmarks" / "profiled.py"), str(args.out))
    with FakeBotApi() as fake:
        bot = start_instance(fake, "sqlite:///{folder}/bench.sqlite3", wrapper=wrapper)
        try:
            user = fake.new_user("Amina")
            park(fake, [user])
            timed_steps(fake, user, list(STEPS) * 10)  # warm up, then count from zero
            os.kill(bot.pid, signal.SIGUSR1)
            time.sleep(0.5)
            timed_steps(fake, user, [STEPS[i % 2] for i in range(args.steps)])
        finally:
            bot.terminate()
            bot.wait(timeout=60)
    stats = pstats.Stats(str(args.out))
    total_calls = stats.total_calls  # type: ignore[attr-defined]
    print(f"profile: {args.out}; {total_calls:,} calls in all, {total_calls / args.steps:,.0f} per step")
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
