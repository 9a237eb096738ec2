"""`fairsay` on the command line: JSON out, exit status 2 with one clear line for bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
WESTLEA = ROOT / "flows" / "examples" / "westlea-201911525.json"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_timeline_prints_json_for_a_case_file() -> None:
    out = io.StringIO()
    assert main(["timeline", str(WESTLEA)], out) == 0
    timeline = json.loads(out.getvalue())
    assert timeline["state"] == "declined"
    assert timeline["as_of"] == "2020-05-01"  # the body's as_of
    assert "escalation_refused" in [w["id"] for w in timeline["warnings"]]


def test_as_of_option_beats_the_body() -> None:
    out = io.StringIO()
    assert main(["timeline", str(WESTLEA), "--as-of", "2019-12-01"], out) == 0
    timeline = json.loads(out.getvalue())
    assert timeline["as_of"] == "2019-12-01"
    assert timeline["state"] == "stage1_answered"
    assert [w["id"] for w in timeline["warnings"]].count("event_after_as_of") == 2


def test_timeline_reads_stdin_and_exits_2_naming_the_field_without_a_traceback() -> None:
    good = run_cli(
        "timeline",
        "-",
        "--as-of",
        "2026-04-02",
        stdin='{"events": [{"date": "2026-04-01", "kind": "complaint_made"}]}',
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["deadlines"][0]["due"] == "2026-04-10"

    bad = run_cli("timeline", "-", stdin='{"events": [{"date": "2023-02-30", "kind": "complaint_made"}]}')
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.strip() == "fairsay timeline: events[0].date: impossible date '2023-02-30'"
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("timeline", "/no/such/case.json"), None, "cannot read /no/such/case.json"),
        (("timeline", "-"), "not json", "malformed JSON"),
        (
            ("timeline", "-"),
            '{"events": [{"date": "2026-01-01", "kind": "x"}]}',
            "events[0].kind: unknown kind",
        ),
        (("explain", "no-such-topic"), None, "no topic 'no-such-topic'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], stdin: str | None, message: str) -> None:
    result = run_cli(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_as_of_option_is_a_usage_error() -> None:
    result = run_cli("timeline", str(WESTLEA), "--as-of", "31/02/2024")
    assert result.returncode == 2
    assert "expected a date as YYYY-MM-DD" in result.stderr


def test_diagram_and_schema_commands() -> None:
    out = io.StringIO()
    assert main(["diagram"], out) == 0
    assert "stateDiagram-v2" in out.getvalue()
    out = io.StringIO()
    assert main(["diagram", "--flow", "new_complaint"], out) == 0
    assert "Conversation: new_complaint" in out.getvalue() and "landlord_name --> subject" in out.getvalue()
    assert run_cli("diagram", "--flow", "nonsense").returncode == 2
    out = io.StringIO()
    assert main(["schema"], out) == 0
    assert set(json.loads(out.getvalue())) == {
        "timeline-input.schema.json",
        "timeline-output.schema.json",
        "submission.schema.json",
        "landlord-action.schema.json",
        "response-check-output.schema.json",
    }


def test_explain_lists_topics_and_shows_one() -> None:
    out = io.StringIO()
    assert main(["explain"], out) == 0
    menu = out.getvalue()
    assert "maladministration" in menu.lower()
    out = io.StringIO()
    assert main(["explain", "maladministration", "--more"], out) == 0
    assert "https://" in out.getvalue()
