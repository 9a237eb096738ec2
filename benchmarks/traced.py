"""Run a module and say where its memory grows: python benchmarks/traced.py OUT -m bot.cli bot

SIGUSR1 takes the baseline (after a warm-up); SIGUSR2 writes to OUT what grew since: Python objects
by type (gc), SQLite's own count (page caches, schemas, statements), the C allocator's in-use and
free-but-kept bytes (glibc mallinfo2) and, with TRACE_FRAMES=N set, the allocations tracemalloc saw
since the baseline grouped by where they were made (tracemalloc slows every allocation: run fewer
conversations with it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import runpy
import signal
import sys
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _library(name: str) -> ctypes.CDLL | None:
    found = ctypes.util.find_library(name)
    return ctypes.CDLL(found) if found else None


def measures() -> dict[str, float]:
    """MB: SQLite's memory (the library _sqlite3 loaded: the same counters), malloc's in use and free."""
    values: dict[str, float] = {}
    sqlite = _library("sqlite3")
    if sqlite is not None:
        sqlite.sqlite3_memory_used.restype = ctypes.c_int64
        values["sqlite"] = sqlite.sqlite3_memory_used() / 1e6
    libc = _library("c")
    if libc is not None and hasattr(libc, "mallinfo2"):
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        values["malloc in use"] = (info.uordblks + info.hblkhd) / 1e6
        values["malloc free, kept"] = info.fordblks / 1e6
    return values


def object_counts() -> Counter[str]:
    gc.collect()
    return Counter(type(item).__qualname__ for item in gc.get_objects())


def main() -> None:
    out, _, module, *rest = sys.argv[1:]
    frames = int(os.environ.get("TRACE_FRAMES", "0"))
    baseline: dict[str, Any] = {}

    def take_baseline(*_: Any) -> None:
        baseline.update(measures=measures(), counts=object_counts())
        if frames:
            tracemalloc.start(frames)
            baseline["snapshot"] = tracemalloc.take_snapshot()

    def report(*_: Any) -> None:
        now = measures()
        lines = [
            f"{name}: {baseline['measures'].get(name, 0):.2f} -> {value:.2f} MB ({value - baseline['measures'].get(name, 0):+.2f})"
            for name, value in now.items()
        ]
        counts = object_counts()
        counts.subtract(baseline["counts"])
        lines.append("objects (gc-tracked) grown:")
        lines.extend(f"  {count:+d} {name}" for name, count in counts.most_common(25))
        if frames:
            stats = tracemalloc.take_snapshot().compare_to(baseline["snapshot"], "traceback")
            lines.append(f"traced growth: {sum(stat.size_diff for stat in stats) / 1e6:+.2f} MB")
            for stat in stats[:30]:
                lines.append(f"{stat.size_diff / 1e3:+.1f} kB, {stat.count_diff:+d} blocks")
                lines.extend(f"    {line}" for line in stat.traceback.format()[-2 * frames :])
        Path(out).write_text("\n".join(lines) + "\n")

    signal.signal(signal.SIGUSR1, take_baseline)
    signal.signal(signal.SIGUSR2, report)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
