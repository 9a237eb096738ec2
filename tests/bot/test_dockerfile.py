"""The image's CMD and HEALTHCHECK, run outside Docker (no engine here): the bot starts with the image's
environment, answers Telegram, its health check passes, and it stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from support.fake_bot_api import FakeBotApi, FakeUser

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def final_stage(dockerfile: str) -> str:
    return dockerfile.split("\nFROM ")[-1]


def instruction_command(stage: str, instruction: str) -> list[str]:
    match = re.search(rf"^{instruction}\b.*?(\[.*\])\s*$", stage, re.M)
    assert match, f"no {instruction} in exec form"
    command: list[str] = json.loads(match.group(1))
    return command


def image_environment(stage: str) -> dict[str, str]:
    block = re.search(r"^ENV (.*?)(?=^\S)", stage, re.M | re.S)
    assert block
    pairs = shlex.split(block.group(1).replace("\\\n", " "))
    return dict(pair.split("=", 1) for pair in pairs)


def test_the_images_command_runs_the_bot_and_its_health_check_passes(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, tmp_path: Path
) -> None:
    stage = final_stage((ROOT / "Dockerfile").read_text())
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
