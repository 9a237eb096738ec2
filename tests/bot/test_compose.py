"""compose.yaml as an operator runs it, outside Docker (no engine here): every variable it passes is a
setting the code reads, every setting several instances need is there, and its migrate step and bot
command work with exactly that environment (PostgreSQL the test server's, Telegram the local stand-in).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
from support.bot_processes import free_port, wait_until_healthy
from support.fake_bot_api import FakeBotApi, FakeUser
from support.image import (
    ROOT,
    MissingVariable,
    compose,
    container_environment,
    dockerfile,
    final_stage,
    instruction_command,
    interpolate,
    service_environment,
)

from bot.settings import Settings

# What two instances behind one webhook cannot do without: one database, one evidence store, the bot,
# its webhook, and one key for portal sessions (else a cookie from one instance is refused by the other).
MULTI_INSTANCE = {
    "DATABASE_URL",
    "EVIDENCE_DIR",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "PORTAL_SECRET",
}
# Passed through when the operator sets them (empty: unset): mail to landlords, the portal's address.
PASSED_THROUGH = {"PUBLIC_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "MAIL_FROM"}
SECRET = "a-long-random-webhook-secret"
WEBHOOK_URL = "https://bot.example.org/telegram/webhook"


def our_services() -> dict[str, dict[str, object]]:
    """The services built from this repository (the database is postgres's own image)."""
    return {name: service for name, service in compose()["services"].items() if service.get("build") == "."}


def test_every_variable_compose_passes_is_a_setting_and_every_needed_one_is_there() -> None:
    settings = {name.upper() for name in Settings.model_fields}
    services = our_services()
    assert set(services) == {"migrate", "bot"}
    for name, service in services.items():
        passed = set(service["environment"])  # type: ignore[arg-type]
        assert passed <= settings, (name, passed - settings)
        assert passed >= MULTI_INSTANCE | PASSED_THROUGH, (name, MULTI_INSTANCE | PASSED_THROUGH - passed)
    bot = services["bot"]
    assert bot["environment"] == services["migrate"]["environment"]
    assert bot["deploy"] == {"replicas": 2}  # type: ignore[comparison-overlap]


@pytest.mark.parametrize(
    "missing", ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "PORTAL_SECRET"]
)
def test_compose_stops_when_a_needed_secret_is_not_given(missing: str) -> None:
    shell = {name: "x" for name in MULTI_INSTANCE | {"POSTGRES_PASSWORD"}}
    shell[missing] = ""
    with pytest.raises(MissingVariable, match=missing):
        service_environment(our_services()["bot"], shell)  # type: ignore[arg-type]


def test_the_database_password_has_no_default() -> None:
    """`${POSTGRES_PASSWORD:-change-me}`: an operator who missed it ran on a password written in the
    repository, silently."""
    shell = {name: "x" for name in MULTI_INSTANCE}
    for service in (compose()["services"]["db"], *our_services().values()):
        with pytest.raises(MissingVariable, match="POSTGRES_PASSWORD"):
            service_environment(service, shell)
    assert "change-me" not in (ROOT / "compose.yaml").read_text()


def test_the_long_running_services_come_back_after_a_crash_or_a_reboot() -> None:
    """No restart policy: a bot that crashed, or a host that rebooted, left the service down."""
    services = compose()["services"]
    assert services["db"]["restart"] == services["bot"]["restart"] == "unless-stopped"
    assert services["migrate"].get("restart", "no") == "no"  # a step that runs once


def test_the_web_service_is_published_for_the_proxy_only() -> None:
    """ "8080-8081:8080" published plain HTTP on every address of the host (Docker's rules go around a
    host firewall): the portal, the API and the webhook without TLS or the proxy's timeouts."""
    for service in compose()["services"].values():
        for published in service.get("ports", []):
            assert str(published).startswith("127.0.0.1:"), published


def test_interpolation_as_compose_does_it() -> None:
    shell = {"SET": "a", "EMPTY": ""}
    assert interpolate("${SET:-b} ${EMPTY:-b} ${UNSET:-b} ${EMPTY-b} $$SET ${SET}", shell) == "a b b  $SET a"
    with pytest.raises(MissingVariable, match="EMPTY: give it"):
        interpolate("${EMPTY:?give it}", shell)


def test_the_migrate_step_and_the_bots_run_with_composes_environment(
    postgres_url: str, fake_bot_api: FakeBotApi, fake_user: FakeUser, tmp_path: Path
) -> None:
    """RETENTION_MONTHS: ${RETENTION_MONTHS:-} made the migrate step exit 2 and no bot ever started."""
    shell = {  # what the operator exports before `docker compose up` (only what compose.yaml demands)
        "TELEGRAM_BOT_TOKEN": fake_bot_api.token,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PORTAL_SECRET": "a-long-random-portal-secret-shared-by-every-instance",
        "POSTGRES_PASSWORD": "0123456789abcdef",
    }
    services = our_services()
    composed = service_environment(services["bot"], shell)  # type: ignore[arg-type]
    assert (
        composed["DATABASE_URL"].startswith("postgresql://fairsay:")
        and "@db:5432/" in composed["DATABASE_URL"]
    )
    assert composed["RETENTION_MONTHS"] == "" and composed["SMTP_HOST"] == ""
    (tmp_path / "data").mkdir()
    (tmp_path / "evidence").mkdir(mode=0o700)  # the volume, mounted where the image made its folder
    env = container_environment(composed, tmp_path)
    assert env["EVIDENCE_DIR"] == str(tmp_path / "evidence")
    port = free_port()
    env |= {
        "DATABASE_URL": postgres_url,  # the host `db` is the test PostgreSQL here
        "TELEGRAM_API_BASE_URL": fake_bot_api.base_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "data" / ".cache"),
    }
    for name in ("PYTHONPATH", "VIRTUAL_ENV"):
        if name in os.environ:
            env[name] = os.environ[name]

    migrate = subprocess.run(
        services["migrate"]["command"],  # type: ignore[arg-type]
        env=env,
        cwd=tmp_path / "data",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    assert "upgraded from an empty database to revision" in migrate.stdout

    command = services["bot"].get("command") or instruction_command(final_stage(dockerfile()), "CMD")
    bot = subprocess.Popen(
        command,  # type: ignore[arg-type]
        env=env,
        cwd=tmp_path / "data",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_healthy(port)
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        assert ready.json() == {"status": "ready"}
        assert fake_bot_api.calls("setWebhook")[-1].params["url"] == WEBHOOK_URL
        update = fake_bot_api.user_sends_text(fake_user, "/start", deliver=False)
        answer = httpx.post(
            f"http://127.0.0.1:{port}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Host": "bot.example.org"},
            timeout=60,
        )
        assert answer.status_code == 200
        fake_bot_api.wait_for_sync(lambda: fake_bot_api.sent_messages(fake_user.id), timeout=60)
        health = subprocess.run(
            instruction_command(final_stage(dockerfile()), "HEALTHCHECK.*CMD"),
            env=env,
            cwd=tmp_path / "data",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (health.returncode, health.stdout) == (0, "ok\n"), health.stderr
    finally:
        bot.send_signal(signal.SIGTERM)
        _, errors = bot.communicate(timeout=60)
    # Stopped cleanly: uvicorn finishes its requests, then ends as the signal would have it (143 in Docker).
    assert bot.returncode in (0, -signal.SIGTERM), errors[-2000:]
    assert "Traceback" not in errors and fake_bot_api.token not in errors
    assert all(line.startswith("{") for line in errors.splitlines())  # LOG_FORMAT=json from the image
    said = [json.loads(line)["message"] for line in errors.splitlines()]
    assert said[0] == f"starting: webhook, web service on 127.0.0.1:{port}" and said[-1] == "stopped", said


def test_the_landlords_guide_says_how_to_start_the_web_service() -> None:
    """docs/landlords.md described the API at length but not how an operator serves it."""
    guide = (ROOT / "docs" / "landlords.md").read_text()
    section = guide.split("### Starting the web service", 1)[1].split("\n## ", 1)[0]
    for needed in ("fairsay bot", "HOST:PORT", "TELEGRAM_WEBHOOK_URL", "PUBLIC_URL", "/api/v1"):
        assert needed in section, needed
    assert "SMTP_HOST" in guide
