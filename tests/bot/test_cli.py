"""`fairsay` on the command line: JSON out, exit status 2 with one clear line for bad input."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import build_parser, main

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


@pytest.mark.parametrize("args", [("schema", "--write"), ("diagram", "--flows")])
def test_a_folder_that_cannot_be_written_is_one_line_not_a_traceback(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`fairsay schema --write DIR` and `diagram --flows DIR` ended in a FileNotFoundError (or
    FileExistsError) traceback when DIR could not be made."""
    (tmp_path / "a-file").write_text("")
    folder = tmp_path / "a-file" / "schemas"
    result = run_cli(*args, str(folder))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"fairsay {args[0]}: cannot write into {folder}: Not a directory\n"


def test_explain_lists_topics_and_shows_one() -> None:
    out = io.StringIO()
    assert main(["explain"], out) == 0
    menu = out.getvalue()
    assert "maladministration" in menu.lower()
    out = io.StringIO()
    assert main(["explain", "maladministration", "--more"], out) == 0
    assert "https://" in out.getvalue()


def env_with(tmp_path: Path, **values: str) -> dict[str, str]:
    """The environment `fairsay` runs in: no setting of the developer's, data kept under tmp_path."""
    from bot.settings import Settings

    env = {key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
    return {**env, **values}


def run_in(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=env["XDG_DATA_HOME"].rsplit("/", 1)[0],
        timeout=120,
        check=False,
    )


def test_version() -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert (result.returncode, result.stdout) == (0, f"fairsay {version('fairsay')}\n")


def every_parser(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[argparse.ArgumentParser, dict[str, str]]]:
    """Each parser, with the help lines its parent lists its subcommands by."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            listed = {choice.dest: str(choice.help) for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield child, {"name": name, "listed": listed[name]}
                yield from every_parser(child)


def test_every_subcommand_and_action_says_in_one_line_what_it_does() -> None:
    """`fairsay run --help` showed usage only, and the list said `reminders   reminders`."""
    parsers = list(every_parser(build_parser()))
    assert len(parsers) >= 25
    for child, about in parsers:
        description = child.description or ""
        assert description and description == about["listed"], child.prog
        assert "\n" not in description and description.strip() != about["name"], child.prog
        assert len(description.split()) >= 4, child.prog
        assert description in " ".join(child.format_help().split()), child.prog  # `--help` says it


def test_db_is_described_by_all_it_does() -> None:
    [db] = [child for child, about in every_parser(build_parser()) if child.prog == "fairsay db"]
    actions = next(a for a in db._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert db.description is not None
    for action in actions:
        assert action in db.description


@pytest.mark.parametrize("args", [("schema",), ("timeline", str(WESTLEA)), ("diagram",)])
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    """`fairsay schema | head -c 300` ended with a BrokenPipeError traceback. Here the reader has
    gone before the first write, so the pipe is closed whatever the timing."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (128 + 13, "")


def test_a_closed_pipe_in_process_is_the_sigpipe_status() -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    assert main(["schema"], Closed()) == 128 + 13


def test_ctrl_c_in_the_terminal_chat_ends_quietly(tmp_path: Path) -> None:
    """Ctrl-C while `fairsay chat` waited for a line ended in a KeyboardInterrupt traceback."""
    import signal

    chat = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_with(tmp_path),
        cwd=tmp_path,
    )
    assert chat.stdout is not None
    while "Which language" not in chat.stdout.readline():  # the first question: it waits for a line
        assert chat.poll() is None
    chat.send_signal(signal.SIGINT)
    _, errors = chat.communicate(timeout=60)
    assert (chat.returncode, errors.strip()) == (128 + 2, "")


@pytest.mark.parametrize(
    "args",
    [
        ("db", "current"),
        ("db", "upgrade"),
        ("db", "purge"),
        ("db", "backup", "copy.sqlite3"),
        ("admin", "landlords", "list"),
        ("admin", "create-operator", "--telegram-id", "1"),
        ("reminders", "replan"),
        ("health",),
        ("chat",),
    ],
)
def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    """`db current` made the folder and a new database and said "revision none"; `admin landlords
    list` on a mistyped path migrated a new empty one."""
    missing = tmp_path / "nonexistent-dir"
    env = env_with(tmp_path, DATABASE_URL=f"sqlite:///{missing}/x.sqlite3", RETENTION_MONTHS="6")
    result = run_in(env, *args)
    assert result.returncode == (1 if args == ("health",) else 2), result.stdout  # 1: unhealthy
    assert result.stderr == (
        f"fairsay {' '.join(a for a in args if not a.startswith('-') and not a[0].isdigit())}: "
        f"DATABASE_URL: the folder {missing} does not exist: create it, or correct the path\n"
    ).replace(" copy.sqlite3", "")
    assert not missing.exists()


def test_the_default_data_folder_is_still_made_on_first_run(tmp_path: Path) -> None:
    env = env_with(tmp_path)
    result = run_in(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xdg-data" / "fairsay" / "fairsay.sqlite3").is_file()


def test_an_unknown_language_is_refused_with_the_list() -> None:
    result = run_cli("timeline", str(WESTLEA), "--lang", "xx")
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown language 'xx'; languages: en, ar, bn, cy, pl, ro, so, ur" in result.stderr
    assert run_cli("explain", "--lang", "xx").returncode == 2
    for known in ("cy", "pl-PL", "en-GB"):
        assert json.loads(run_cli("timeline", str(WESTLEA), "--lang", known).stdout)["state"] == "declined"


def test_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    """ "reminders planned again for 1 open cases"."""
    from support.databases import make_settings
    from support.landlords import add_landlord, deliver_complaint

    from bot.storage.repository import Repository

    url = f"sqlite:///{tmp_path / 'fairsay.sqlite3'}"
    repository = Repository.open(make_settings(url, tmp_path))
    deliver_complaint(repository, add_landlord(repository), datetime(2026, 3, 9, 10, tzinfo=UTC))
    repository.close()
    env = env_with(tmp_path, DATABASE_URL=url, EVIDENCE_DIR=str(tmp_path / "evidence"), RETENTION_MONTHS="1")
    assert run_in(env, "reminders", "replan").stdout == "reminders planned again for 1 open case\n"
    assert run_in(env, "db", "purge").stdout == "0 closed cases older than 1 month deleted\n"


def test_pointers_to_the_readme_name_its_sections() -> None:
    """`db backup` on PostgreSQL sent the operator to "Operating", but pg_dump is under "Deploying"."""
    readme = (ROOT / "README.md").read_text()
    sections = {
        heading: body for heading, body in re.findall(r"^#+ (.+?)\n(.*?)(?=^#+ |\Z)", readme, re.M | re.S)
    }
    pointers = [
        (path, name)
        for path in (ROOT / "bot").rglob("*.py")
        for name in re.findall(r"README's (\w+) section", path.read_text())
    ]
    assert pointers
    for path, name in pointers:
        assert any(heading.startswith(name) for heading in sections), (path, name)
    [deploying] = [body for heading, body in sections.items() if heading == "Deploying"]
    assert "pg_dump" in deploying
    env = {**os.environ, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    backup = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "backup", "x"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert "see the README's Deploying section" in backup.stderr
