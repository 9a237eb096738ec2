"""Operating the service: backups that restore, the first operator, extra bank holidays, flood control,
retries against Telegram's errors, and logs without personal data."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from support.fake_bot_api import FakeBotApi, FakeUser

from bot.logs import RedactTokens, configure_logging
from bot.settings import Settings
from bot.telegram.handlers import FloodGate
from bot.telegram.outgoing import send_replies
from flows.case import Case, CaseEvent, EventKind
from flows.conversations.types import Reply
from flows.deadlines import DeadlineId
from flows.timeline import compute_facts

ROOT = Path(__file__).resolve().parents[2]


def fairsay(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    values = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "EVIDENCE_DIR": str(tmp_path / "evidence"),
    }
    for name in ("TELEGRAM_BOT_TOKEN", "RETENTION_MONTHS", "EXTRA_BANK_HOLIDAYS"):
        values.pop(name, None)
    return values


def test_backup_then_restore_keeps_the_data(env: dict[str, str], tmp_path: Path) -> None:
    chat = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="1\n1\n1\n1\n/quit\n",
        text=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert chat.returncode == 0, chat.stderr
    backup = tmp_path / "backup.sqlite3"
    result = fairsay("db", "backup", str(backup), env=env)
    assert result.returncode == 0 and "backed up" in result.stdout
    assert fairsay("db", "backup", str(backup), env=env).returncode == 2  # never overwrites

    restored = {**env, "DATABASE_URL": f"sqlite:///{backup}"}
    again = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="/quit\n",
        text=True,
        capture_output=True,
        env=restored,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert "Where is your home?" in again.stdout  # the restored copy carries on at the same question


def test_a_backup_that_cannot_be_made_is_one_line_and_leaves_nothing(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`db backup` ended in a traceback for a target folder that is not there, or a database file that
    is not; a link at the target was followed (checked, then opened: another user's link could aim the
    copy of everyone's data anywhere the operator may write)."""
    assert fairsay("db", "upgrade", env=env).returncode == 0
    (tmp_path / "a-file").write_text("")
    unwritable = tmp_path / "a-file" / "backup.sqlite3"
    link, aimed_at = tmp_path / "link.sqlite3", tmp_path / "aimed-at.sqlite3"
    link.symlink_to(aimed_at)
    missing = tmp_path / "mistyped.sqlite3"
    cases = [
        (env, unwritable, f"cannot write {unwritable}: Not a directory"),
        (env, link, f"{link} already exists: choose a new file"),
        (
            {**env, "DATABASE_URL": f"sqlite:///{missing}"},
            tmp_path / "copy.sqlite3",
            f"DATABASE_URL: there is no database at {missing}",
        ),
    ]
    for environment, target, message in cases:
        result = fairsay("db", "backup", str(target), env=environment)
        assert (result.returncode, result.stderr) == (2, f"fairsay db backup: {message}\n"), result.stderr
    assert not aimed_at.exists() and not missing.exists()
    assert not (tmp_path / "copy.sqlite3").exists()


def test_backup_of_postgresql_points_to_pg_dump(env: dict[str, str], tmp_path: Path) -> None:
    env["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    result = fairsay("db", "backup", str(tmp_path / "x"), env=env)
    assert result.returncode == 2 and "pg_dump" in result.stderr


def test_the_first_operator_and_the_health_check(env: dict[str, str]) -> None:
    before = fairsay("health", env=env)  # nothing has opened (and so upgraded) the database yet
    assert before.returncode == 1 and "fairsay db upgrade" in before.stdout
    result = fairsay("admin", "create-operator", "--telegram-id", "424242", env=env)
    assert result.returncode == 0, result.stderr
    from bot.storage.records import Role
    from bot.storage.repository import Repository

    repository = Repository.open(
        Settings.from_values(database_url=env["DATABASE_URL"], evidence_dir=env["EVIDENCE_DIR"])
    )
    with repository.unit_of_work() as uow:
        assert uow.user_by_telegram_id(424242).has_role(Role.OPERATOR)
    repository.close()
    assert fairsay("health", env=env).stdout.strip() == "ok"
    assert fairsay("admin", "create-operator", env=env).returncode == 2


def test_the_first_operator_gets_a_portal_link_from_the_command_line(env: dict[str, str]) -> None:
    assert fairsay("admin", "create-operator", "--email", "ops@example.org", env=env).returncode == 0
    off = fairsay("admin", "portal-link", "--email", "ops@example.org", env=env)
    assert off.returncode == 2 and "PUBLIC_URL" in off.stderr
    env["PUBLIC_URL"] = "https://fairsay.example.org"
    result = fairsay("admin", "portal-link", "--email", "ops@example.org", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("https://fairsay.example.org/portal/sign-in/")
    from bot.storage.repository import Repository

    repository = Repository.open(Settings.from_values(database_url=env["DATABASE_URL"]))
    with repository.unit_of_work() as uow:
        uow.user_by_telegram_id(5151)  # a resident who has used the bot
    repository.close()
    other = fairsay("admin", "portal-link", "--telegram-id", "5151", env=env)
    assert other.returncode == 2 and "not landlord staff" in other.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("portal-link", "--telegram-id", "5152"), "portal-link: no one with Telegram id 5152 is known"),
        (
            ("portal-link", "--email", "typo@example.org"),
            "portal-link: no one with typo@example.org is known",
        ),
        (("create-operator", "--telegram-id", "-5"), "expected a Telegram user id (a positive number)"),
        (("create-operator", "--telegram-id", "0"), "expected a Telegram user id (a positive number)"),
        (("create-operator", "--email", "ops"), "'ops' is not an email address"),
        (("create-operator", "--telegram-id", "1", "--email", "a@b.org"), "not allowed with argument"),
        (("portal-link",), "one of the arguments --telegram-id --email is required"),
    ],
)
def test_who_an_admin_command_names_is_checked_and_never_made_by_mistake(
    env: dict[str, str], args: tuple[str, ...], said: str
) -> None:
    """`portal-link` with a mistyped id or address made a new user (then said "not landlord staff");
    `create-operator --telegram-id -5` made an operator no one could be; given both, `--email` was
    silently ignored."""
    env["PUBLIC_URL"] = "https://fairsay.example.org"
    assert fairsay("db", "upgrade", env=env).returncode == 0
    result = fairsay("admin", *args, env=env)
    assert result.returncode == 2 and said in result.stderr, result.stderr
    from bot.storage.repository import Repository

    repository = Repository.open(Settings.from_values(database_url=env["DATABASE_URL"]))
    with repository.unit_of_work() as uow:
        assert uow.user_with_email("typo@example.org") is None and uow.user_with_telegram_id(5152) is None
    repository.close()


def test_a_bad_setting_is_one_clear_line(env: dict[str, str]) -> None:
    env["EXTRA_BANK_HOLIDAYS"] = "2027-02-30"
    result = fairsay("db", "current", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("fairsay db current: EXTRA_BANK_HOLIDAYS:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("settings", "command", "said"),
    [
        (
            {
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook",
                "TELEGRAM_WEBHOOK_SECRET": "",
            },
            ("bot",),
            "TELEGRAM_WEBHOOK_SECRET must be set (not empty) with TELEGRAM_WEBHOOK_URL: ",
        ),
        ({"TELEGRAM_BOT_TOKEN": ""}, ("bot",), "TELEGRAM_BOT_TOKEN is not set: "),
        ({"EXTRA_BANK_HOLIDAYS": "2027-02-30"}, ("db", "purge"), "EXTRA_BANK_HOLIDAYS: expected dates"),
    ],
)
def test_a_needed_secret_set_empty_is_named_plainly(
    env: dict[str, str], settings: dict[str, str], command: tuple[str, ...], said: str
) -> None:
    """Empty is unset now, so a secret left empty is reported as missing: it was
    `settings: Value error, TELEGRAM_WEBHOOK_SECRET must be set ...` (pydantic's words, and no setting
    called "settings")."""
    result = fairsay(*command, env={**env, "TELEGRAM_BOT_TOKEN": "123456:" + "a" * 30, **settings})
    assert result.returncode == 2
    assert result.stderr.startswith(f"fairsay {' '.join(command)}: {said}"), result.stderr
    assert "Value error" not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("EXTRA_BANK_HOLIDAYS", "2027-02-30", "EXTRA_BANK_HOLIDAYS:"),
        ("DATABASE_URL", "sqlite:////nonexistent-folder/x.sqlite3", "the folder /nonexistent-folder"),
        ("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none", "cannot use PostgreSQL"),
    ],
)
def test_the_health_check_is_unhealthy_not_2_whatever_failed(
    env: dict[str, str], setting: str, value: str, said: str
) -> None:
    """`fairsay health` exited 2 on a bad setting or a database away: Docker reserves a health check's
    exit status 2 ("do not use"); the README says 1."""
    env[setting] = value
    result = fairsay("health", env=env)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("fairsay health: ") and said in result.stderr
    assert "Traceback" not in result.stderr


def test_an_extra_bank_holiday_moves_open_deadlines() -> None:
    case = Case((CaseEvent(date(2027, 6, 1), EventKind.COMPLAINT_MADE),))
    before = compute_facts(case, date(2027, 6, 2)).deadline(DeadlineId.STAGE1_ACKNOWLEDGEMENT).due
    with_extra = replace(case, extra_holidays=frozenset({date(2027, 6, 4)}))
    after = compute_facts(with_extra, date(2027, 6, 2)).deadline(DeadlineId.STAGE1_ACKNOWLEDGEMENT).due
    assert (before, after) == (date(2027, 6, 8), date(2027, 6, 9))


def test_flood_gate_admits_a_burst_then_asks_to_slow_down_once() -> None:
    now = [0.0]
    gate = FloodGate(limit=3, window=10, clock=lambda: now[0])
    assert [gate.admit(7) for _ in range(3)] == [(True, False)] * 3
    assert gate.admit(7) == (False, True)
    assert gate.admit(7) == (False, False)  # one word per window, not one per message
    assert gate.admit(8) == (True, False)  # other people are not slowed
    now[0] = 11.0
    assert gate.admit(7) == (True, False)


async def test_telegram_429_then_500_then_success_delivers_once(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    from telegram.ext import AIORateLimiter

    fake_bot_api.fail_next("sendMessage", 429, retry_after=0.05)
    fake_bot_api.fail_next("sendMessage", 500)
    application = fake_bot_api.application_builder().rate_limiter(AIORateLimiter(max_retries=3)).build()
    async with application:
        await send_replies(application.bot, fake_user.id, [Reply("Your landlord missed a deadline.")])
    sent = fake_bot_api.sent_messages(fake_user.id)
    assert [m.text for m in sent] == ["Your landlord missed a deadline."]
    assert [call.status for call in fake_bot_api.calls("sendMessage")] == [429, 500, 200]


def test_logs_are_json_and_never_carry_the_bot_token() -> None:
    stream = io.StringIO()
    configure_logging("json")
    handler = logging.getLogger().handlers[0]
    handler.stream = stream  # type: ignore[attr-defined]
    logging.getLogger("httpx").warning(
        "POST https://api.telegram.org/bot123456789:AAH-secretsecretsecretsecret/x"
    )
    logging.getLogger("bot").info("update failed", extra={"error": "OperationalError", "at": "x.py:1"})
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert "secretsecret" not in stream.getvalue() and "<token>" in lines[0]["message"]
    assert lines[1]["error"] == "OperationalError" and lines[1]["levelname"] == "INFO"
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert isinstance(handler.filters[0], RedactTokens)
    configure_logging("text")


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_token_in_a_librarys_traceback_or_extra_fields_is_blanked_too(log_format: str) -> None:
    """Only the message was redacted: an exception a library logs with its traceback (aiohttp's
    ClientResponseError names the request URL, which holds the token) went out whole."""
    token = "123456789:AAH-secretsecretsecretsecret"
    stream = io.StringIO()
    configure_logging(log_format)
    logging.getLogger().handlers[0].stream = stream  # type: ignore[attr-defined]
    try:
        try:
            raise ConnectionError(f"500, url='https://api.telegram.org/bot{token}/getUpdates'")
        except ConnectionError:
            logging.getLogger("telegram.ext.Application").error(
                "No error handlers are registered, logging exception.",
                exc_info=True,
                extra={"url": f"https://api.telegram.org/bot{token}/sendMessage"},
            )
    finally:
        configure_logging("text")
    assert "getUpdates" in stream.getvalue() and "<token>" in stream.getvalue()
    assert "secretsecret" not in stream.getvalue()
    if log_format == "json":
        assert json.loads(stream.getvalue())["url"] == "https://api.telegram.org/bot<token>/sendMessage"


def test_third_party_info_is_off_and_json_logs_carry_no_colour_codes() -> None:
    """One landlord answering a complaint logged 450 fontTools.subset INFO lines out of 758, and
    uvicorn's `color_message` put ANSI codes inside the JSON."""
    from bot.services.documents import render_pdf
    from flows.conversations.workspace import Letter

    stream = io.StringIO()
    configure_logging("json")
    logging.getLogger().handlers[0].stream = stream  # type: ignore[attr-defined]
    try:
        render_pdf(Letter("A letter", "Dear Westlea,\n\nMy complaint. Łódź, ১২৩, مرحبا.", "letter.pdf"))
        logging.getLogger("fontTools.subset").info("subsetting 'glyf'")
        logging.getLogger("uvicorn.error").info("Waiting for application startup.")
        logging.getLogger("uvicorn.error").warning(
            "Invalid HTTP request received.",
            extra={"color_message": "\x1b[1mInvalid\x1b[0m HTTP request received."},
        )
        logging.getLogger("bot.web.app").info("webhook: stored")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        configure_logging("text")
    assert [(line["name"], line["levelname"]) for line in lines] == [
        ("uvicorn.error", "WARNING"),
        ("bot.web.app", "INFO"),
    ]
    assert "\x1b" not in stream.getvalue() and "\\u001b" not in stream.getvalue()
    assert "color_message" not in lines[0]
