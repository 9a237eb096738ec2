"""The crisis check's cost per message, as every typed message pays it before anything else.

    python benchmarks/crisis.py

Prints microseconds per message for short answers, a crisis, another language and a 3,600-character
message (the compile of the phrase lists, once per process, is left out).
"""

from __future__ import annotations

import time

from flows.crisis import detect_all

MESSAGES = {
    "a short answer": "Riverside Housing",
    "a sentence": "The kitchen ceiling has leaked since January and nobody came.",
    "a crisis": "I can't take this anymore, I want to kill myself",
    "Arabic": "الرطوبة تقتلني",
    "3,600 characters": "The boiler broke again. " * 150,
}


def main() -> None:
    for text in MESSAGES.values():
        detect_all(text, "en")  # compile once
    for name, text in MESSAGES.items():
        rounds = 200 if len(text) > 1000 else 5000
        start = time.perf_counter()
        for _ in range(rounds):
            detect_all(text, "en")
        print(f"{name:18} {(time.perf_counter() - start) / rounds * 1e6:9.1f} µs per message")


if __name__ == "__main__":
    main()
