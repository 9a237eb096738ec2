"""Run a module under cProfile on every thread (the event loop's and the database's), the profile
written when it exits: python benchmarks/profiled.py OUT.prof -m bot.cli bot

cProfile follows one thread; a bot step spends its time on two (the event loop and the database's
thread), so each thread gets a profiler of its own and the profiles are added up at exit. SIGUSR1
starts the count again (after a warm-up: start-up, imports and catalogues left out).
"""

from __future__ import annotations

import atexit
import cProfile
import pstats
import runpy
import signal
import sys
import threading

profiles: list[cProfile.Profile] = []
_run = threading.Thread.run


def _profiled_run(self: threading.Thread) -> None:
    profile = cProfile.Profile()
    profiles.append(profile)
    profile.enable()
    try:
        _run(self)
    finally:
        profile.disable()


def main() -> None:
    out, _, module, *rest = sys.argv[1:]
    threading.Thread.run = _profiled_run  # type: ignore[method-assign]
    main_profile = cProfile.Profile()

    def dump() -> None:
        main_profile.disable()
        stats = pstats.Stats(main_profile)
        for profile in profiles:
            if profile is not main_profile:
                stats.add(profile)
        stats.dump_stats(out)

    atexit.register(dump)
    profiles.append(main_profile)
    signal.signal(signal.SIGUSR1, lambda *_: [profile.clear() for profile in profiles])
    sys.argv = [module, *rest]
    main_profile.enable()
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
