"""`fairsay check-response` timed: a one-page PDF with a text layer and a photo read by OCR, in process
(read + check + JSON) and through the command (a new Python process each time).

    python benchmarks/check_response.py [--runs N] [--ocr-runs N]

Targets: the PDF under 200 ms in process; the photo under 5 s on one core (this process and the
Tesseract it starts are pinned to one CPU, OMP_THREAD_LIMIT=1). The letters are the corpus's, made
into files by tests/support/letter_files.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # the packages first: tests/flows must not shadow flows
sys.path.append(str(ROOT / "tests"))

from support import letter_files  # noqa: E402

from bot.cli.check_response import check_response_json  # noqa: E402
from bot.services.response_reading import ocr_available  # noqa: E402

LETTER = ROOT / "tests" / "fixtures" / "responses" / "08_council_stage2_full_2024.txt"


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm: imports, fonts, the catalogue
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def show(label: str, seconds: list[float], target: float | None = None) -> None:
    median = statistics.median(seconds)
    line = f"{label:42} median {median * 1000:8.1f} ms  min {min(seconds) * 1000:8.1f}  max {max(seconds) * 1000:8.1f}  (n={len(seconds)})"
    if target is not None:
        line += f"  target < {target * 1000:.0f} ms: {'met' if median < target else 'NOT met'}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--ocr-runs", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, inherited by Tesseract
    os.environ["OMP_THREAD_LIMIT"] = "1"
    text = LETTER.read_text(encoding="utf-8")
    pdf = letter_files.text_pdf(text)
    photo = letter_files.photo_jpg(text)
    print(f"letter: {LETTER.name}; PDF {len(pdf):,} bytes (1 page); photo {len(photo):,} bytes (JPEG)")
    show("PDF, in process", timed(lambda: check_response_json(pdf, None, "en"), args.runs), 0.2)
    with tempfile.TemporaryDirectory() as folder:
        pdf_path = Path(folder) / "letter.pdf"
        pdf_path.write_bytes(pdf)
        photo_path = Path(folder) / "photo.jpg"
        photo_path.write_bytes(photo)
        command = [sys.executable, "-m", "bot.cli", "check-response"]

        def cli(path: Path) -> None:
            subprocess.run([*command, str(path)], check=True, capture_output=True, cwd=ROOT)

        show("PDF, through the command", timed(lambda: cli(pdf_path), max(3, args.runs // 5)))
        if not ocr_available():
            print("photo: skipped, Tesseract is not installed (apt-get install tesseract-ocr)")
            return
        show(
            "photo by OCR, in process, one core",
            timed(lambda: check_response_json(photo, None, "en"), args.ocr_runs),
            5.0,
        )
        show("photo by OCR, through the command", timed(lambda: cli(photo_path), args.ocr_runs))


if __name__ == "__main__":
    main()
