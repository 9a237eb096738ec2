"""The image's CMD and HEALTHCHECK, run outside Docker (no engine here): the bot starts with the image's
environment, answers Telegram, its health check passes, and it stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.fake_bot_api import FakeBotApi, FakeUser
from support.image import dockerfile, final_stage, image_environment, instruction_command

BIN = Path(sys.executable).parent


def test_the_images_command_runs_the_bot_and_its_health_check_passes(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, tmp_path: Path
) -> None:
    stage = final_stage(dockerfile())
    command, health = instruction_command(stage, "CMD"), instruction_command(stage, "HEALTHCHECK.*CMD")
    assert command == ["fairsay", "bot"] and health == ["fairsay", "health"]
    environment = image_environment(stage)
    assert environment["DATABASE_URL"].startswith("sqlite:////data/")
    # The image's environment, with /data moved to a temporary folder and Telegram to the fake.
    env = {
        **os.environ,
        **{key: value.replace("/data", str(tmp_path)) for key, value in environment.items() if key != "PATH"},
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "TELEGRAM_BOT_TOKEN": fake_bot_api.token,
        "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
        "HOST": "127.0.0.1",
    }
    bot = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        fake_bot_api.user_sends_text(fake_user, "/start")
        fake_bot_api.wait_for_sync(lambda: fake_bot_api.sent_messages(fake_user.id), timeout=60)
        checked = subprocess.run(
            health, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    finally:
        bot.send_signal(signal.SIGTERM)
        _, errors = bot.communicate(timeout=60)
    assert bot.returncode == 0, errors[-2000:]
    assert all(json.loads(line)["levelname"] for line in errors.splitlines() if line.startswith("{"))
    assert fake_bot_api.token not in errors
    # The operator reads that it started, how, and that it stopped (with libraries' INFO off, a
    # healthy start logged nothing at all).
    said = [json.loads(line)["message"] for line in errors.splitlines() if line.startswith("{")]
    assert said[0] == "starting: long polling" and said[-1] == "stopped", said


def test_the_build_compiles_the_catalogues_where_the_final_stage_reads_them(tmp_path: Path) -> None:
    """The build compiled into /src/locales (python -c puts the working folder first on the path),
    which the final stage never copies: the image compiled them again at every start into /data."""
    from support.image import build_stage, run_commands

    [step] = [
        part.strip()
        for command in run_commands(build_stage(dockerfile()))
        for part in command.split("&&")
        if "compile_catalogues" in part
    ]
    assert step.startswith("/opt/fairsay/bin/python ")
    assert "COPY --from=build /opt/fairsay /opt/fairsay" in final_stage(dockerfile())
    # Run from a working folder holding a source tree, as /src is: the installed package must compile.
    decoy = tmp_path / "bot"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("")
    (decoy / "catalogues.py").write_text("def compile_catalogues():\n    raise SystemExit('compiled /src')\n")
    result = subprocess.run(
        ["sh", "-c", step.replace("/opt/fairsay/bin/python", sys.executable, 1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_the_evidence_mount_point_belongs_to_the_service_user() -> None:
    """compose mounts the `evidence` volume at /evidence, which did not exist in the image: Docker made
    it root's, and uid 10001 could not store a file."""
    import re

    from support.image import compose, run_commands, volume_targets

    stage = final_stage(dockerfile())
    user = re.search(r"^USER (\d+):(\d+)$", stage, re.M)
    assert user
    made = " ".join(run_commands(stage))
    service = compose()["services"]["bot"]
    evidence = service["environment"]["EVIDENCE_DIR"]
    assert evidence in {str(target) for target in volume_targets(service)}
    for target in volume_targets(service):
        pattern = rf"install -d -o {user[1]} -g {user[2]} -m 0700 (\S+ )*{re.escape(str(target))}\b"
        assert re.search(pattern, made), target


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves `path` out of the build context: the last pattern matching the path or one
    of its parent folders decides (`!` brings it back), as Docker's own matcher does."""
    from fnmatch import fnmatchcase

    def matches(pattern: str) -> bool:
        parts = path.split("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        regex_like = pattern.strip("/")
        return any(
            fnmatchcase(candidate, regex_like)
            or (regex_like.startswith("**/") and fnmatchcase(candidate.rsplit("/", 1)[-1], regex_like[3:]))
            for candidate in candidates
        )

    excluded = False
    for line in patterns:
        negated = line.startswith("!")
        if matches(line.removeprefix("!")):
            excluded = not negated
    return excluded


def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else() -> None:
    from support.image import ROOT

    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for kept in (
        "requirements/runtime.txt",
        "pyproject.toml",
        "README.md",
        "bot/cli/main.py",
        "bot/fonts/DejaVuSans.ttf",
        "bot/storage/migrations/versions/0001_initial_schema.py",
        "flows/i18n.py",
        "locales/cy/LC_MESSAGES/fairsay.po",
    ):
        assert not dockerignored(kept, patterns), kept
    for left_out in (
        ".venv/bin/python",
        ".git/HEAD",
        ".env",
        "tests/conftest.py",
        "bot/__pycache__/cli.cpython-311.pyc",
        "locales/cy/LC_MESSAGES/fairsay.mo",
        "fairsay.sqlite3",
        "fairsay.egg-info/PKG-INFO",
    ):
        assert dockerignored(left_out, patterns), left_out


def test_every_file_the_dockerfile_copies_is_in_the_build_context_and_nothing_else_is() -> None:
    """The allowlist checked against the Dockerfile's own COPY lines and every file git tracks, not a
    sample: a COPY added without its `!` line (or a package file under none) would fail the build, or
    build an image without it."""
    from support.image import ROOT

    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    copied = [
        source.rstrip("/")
        for line in dockerfile().splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for source in line.split()[1:-1]
    ]
    assert {"bot", "flows", "locales", "pyproject.toml", "requirements/runtime.txt"} <= set(copied)
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for path in tracked:
        under_a_copy = any(path == source or path.startswith(f"{source}/") for source in copied)
        assert dockerignored(path, patterns) is not under_a_copy, path


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_a_token_telegram_refuses_stops_the_bot_with_a_failure_and_a_log_line_without_it(
    fake_bot_api: FakeBotApi, tmp_path: Path, mode: str
) -> None:
    """PTB raises InvalidToken("The token `<the token>` was rejected by the server."): long polling
    ended in a raw (not JSON) traceback holding the token; behind the webhook uvicorn logged it, token
    and all, and the process exited 0, as if it had stopped on purpose."""
    from support.bot_processes import free_port

    wrong = "7654321:AAH-a-typo-in-the-real-secret-token"
    stage = final_stage(dockerfile())
    env = {
        **os.environ,
        **{key: value.replace("/data", str(tmp_path)) for key, value in image_environment(stage).items()},
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "TELEGRAM_BOT_TOKEN": wrong,
        "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
    }
    if mode == "webhook":
        env |= {
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
            "TELEGRAM_WEBHOOK_SECRET": "a-long-random-webhook-secret",
        }
    result = subprocess.run(
        instruction_command(stage, "CMD"),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == (2 if mode == "polling" else 3), result.stderr[-3000:]  # 3: uvicorn's
    assert "a-typo-in-the-real-secret" not in result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # every line JSON (LOG_FORMAT)
    assert any("TELEGRAM_BOT_TOKEN was refused by Telegram" in line["message"] for line in lines)


def test_a_bot_that_cannot_start_says_so_in_the_logs_format(tmp_path: Path) -> None:
    """Telegram unreachable at start (long polling): the traceback went raw to stderr, plain text among
    the JSON lines and past the formatter that blanks tokens."""
    from support.bot_processes import free_port

    token = "7654321:AAH-the-real-secret-token-of-the-bot"
    stage = final_stage(dockerfile())
    env = {
        **os.environ,
        **{key: value.replace("/data", str(tmp_path)) for key, value in image_environment(stage).items()},
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",  # nothing listens
        "HOST": "127.0.0.1",
    }
    result = subprocess.run(
        instruction_command(stage, "CMD"),
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-3000:]
    assert "the-real-secret-token" not in result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(line["message"] == "the bot stopped: NetworkError" for line in lines), result.stderr[-3000:]
