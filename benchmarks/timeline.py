"""Timeline throughput: 100,000 generated cases, timed in separate phases.

    python benchmarks/timeline.py [--cases N] [--seed S]

Phases (each over every case, one core):
  validate   JSON-shaped dicts -> pydantic CaseIn -> domain Case (the contract's input check)
  facts      deadlines, time limits and warnings on validated events (target >= 100,000 per second)
  lifecycle  replaying the transitions machine, route and next steps
  render     the plain-language text and output model, in English (target >= 30,000 per second)
  all three  facts, lifecycle and render together, as `fairsay timeline` does per case

Prints cases per second for each phase and the ratios of the facts and render phases to their targets.
The cases are all distinct (generated from one seed) and nothing is cached from one case to the next:
each phase computes every case from its input.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import date, timedelta
from typing import Any

from flows.contract import CaseIn, timeline_out
from flows.i18n import translator
from flows.timeline import compute_facts, timeline_from_facts
from flows.working_days import Nation, calendar_for

TARGET_FACTS_PER_SECOND = 100_000
TARGET_RENDER_PER_SECOND = 30_000


def generate_case(rng: random.Random) -> dict[str, Any]:
    """A plausible history: each step happens with some probability, after a random gap."""
    day = date(2021, 1, 4) + timedelta(days=rng.randrange(0, 6 * 365))
    events: list[dict[str, Any]] = []

    def add(kind: str, gap: tuple[int, int], **extra: Any) -> None:
        nonlocal day
        day += timedelta(days=rng.randint(*gap))
        events.append({"date": day.isoformat(), "kind": kind, **extra})

    if rng.random() < 0.7:
        add("issue_started", (0, 0))
    add("complaint_made", (0, 200))
    if rng.random() < 0.8:
        add("acknowledged", (0, 10))
    if rng.random() < 0.3:
        add(
            "stage1_extension",
            (5, 15),
            extra_working_days=rng.choice([5, 10, 15]),
            reasons_given=rng.random() < 0.5,
        )
    if rng.random() < 0.85:
        add("stage1_response", (3, 30))
        if rng.random() < 0.6:
            add("escalation_requested", (1, 40))
            if rng.random() < 0.75:
                add("stage2_acknowledged", (0, 10))
            if rng.random() < 0.3:
                add(
                    "stage2_extension",
                    (10, 25),
                    extra_working_days=rng.choice([10, 20, 25]),
                    reasons_given=rng.random() < 0.5,
                )
            if rng.random() < 0.1:
                add("landlord_declined", (5, 30))
            elif rng.random() < 0.8:
                add("stage2_response", (10, 45))
                if rng.random() < 0.4:
                    add("referred_to_ombudsman", (5, 300))
    case: dict[str, Any] = {
        "events": events,
        "as_of": (day + timedelta(days=rng.randint(0, 60))).isoformat(),
        "landlord_type": rng.choice(["housing_association", "council", None]),
    }
    if rng.random() < 0.3:
        case["landlord_policy"] = {
            "stage1_response_working_days": rng.choice([10, 15]),
            "escalation_window_days": 28,
        }
    return case


def timed(label: str, count: int, started: float) -> float:
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<10} {elapsed * 1e6 / count:9.1f} µs per case  {rate:12,.0f} cases per second")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    raw_cases = [generate_case(rng) for _ in range(args.cases)]
    calendar = calendar_for(Nation.ENGLAND)  # built once, as in a running process
    t = translator("en")
    print(f"{args.cases:,} cases, {sum(len(c['events']) for c in raw_cases):,} events")

    started = time.perf_counter()
    validated = [CaseIn.model_validate(raw) for raw in raw_cases]
    cases = [(c.to_case(), c.as_of or date(2026, 1, 1)) for c in validated]
    timed("validate", len(cases), started)

    # Inputs for the later phases are built untimed, then frozen out of the garbage collector's way:
    # a running service holds a handful of timelines at once, not 100,000.
    all_facts = [compute_facts(case, as_of, calendar) for case, as_of in cases]
    timelines = [timeline_from_facts(facts) for facts in all_facts]
    gc.collect()
    gc.freeze()

    started = time.perf_counter()
    for case, as_of in cases:
        compute_facts(case, as_of, calendar)
    facts_rate = timed("facts", len(cases), started)

    started = time.perf_counter()
    for facts in all_facts:
        timeline_from_facts(facts)
    timed("lifecycle", len(cases), started)

    started = time.perf_counter()
    for timeline in timelines:
        timeline_out(timeline, t)
    render_rate = timed("render", len(cases), started)

    started = time.perf_counter()
    for case, as_of in cases:
        timeline_out(timeline_from_facts(compute_facts(case, as_of, calendar)), t)
    timed("all three", len(cases), started)

    missed = sum(d.status == "missed" for f in all_facts for d in f.deadlines)
    print(f"missed deadlines found: {missed:,}")
    print(
        f"facts vs target: {facts_rate / TARGET_FACTS_PER_SECOND:.2f}x of {TARGET_FACTS_PER_SECOND:,} per second"
    )
    print(
        f"render vs target: {render_rate / TARGET_RENDER_PER_SECOND:.2f}x of {TARGET_RENDER_PER_SECOND:,} per second"
    )


if __name__ == "__main__":
    main()
