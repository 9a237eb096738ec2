"""Settings: defaults, environment variables, `.env`, explicit values for tests, and the README table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, data_dir, get_settings

ROOT = Path(__file__).resolve().parents[2]
ENV_NAMES = [name.upper() for name in Settings.model_fields]


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting from the developer's shell or a .env in the repository leaks in."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults(clean_environment: None) -> None:
    settings = Settings()
    assert settings.database_url == f"sqlite:///{data_dir() / 'fairsay.sqlite3'}"
    assert settings.evidence_dir == data_dir() / "evidence"
    assert settings.evidence_max_bytes == 20 * 1024 * 1024
    assert settings.retention_months is None
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url is None
    assert settings.default_time_zone == "Europe/London"


def test_environment_variables_are_read(clean_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db.internal/fairsay")
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "1024")
    monkeypatch.setenv("RETENTION_MONTHS", "24")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cr3t-t0ken")
    settings = Settings()
    assert settings.database_url == "postgresql://bot@db.internal/fairsay"
    assert settings.evidence_max_bytes == 1024
    assert settings.retention_months == 24
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:s3cr3t-t0ken"
    assert "s3cr3t-t0ken" not in repr(settings)  # a token never shows in logs or tracebacks


def test_a_dot_env_file_is_read_and_the_environment_wins(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("RETENTION_MONTHS=6\nDEFAULT_TIME_ZONE=Europe/Dublin\n")
    monkeypatch.setenv("RETENTION_MONTHS", "12")
    settings = Settings()
    assert settings.default_time_zone == "Europe/Dublin"
    assert settings.retention_months == 12


def test_explicit_settings_ignore_the_environment_and_dot_env(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("RETENTION_MONTHS=6\n")
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", "1")
    settings = Settings.from_values(database_url="sqlite:///x.sqlite3")
    assert isinstance(settings, Settings)
    assert settings.database_url == "sqlite:///x.sqlite3"
    assert settings.retention_months is None
    assert settings.evidence_max_bytes == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"default_time_zone": "Europe/Atlantis"}, "default_time_zone"),
        ({"evidence_max_bytes": 0}, "evidence_max_bytes"),
        ({"retention_months": -1}, "retention_months"),
        ({"public_url": "fairsay.example.org"}, "public_url"),
        ({"inbox_keep_days": 0}, "inbox_keep_days"),
        ({"inbox_keep_days": 1_000_000}, "inbox_keep_days"),  # past year 1: pruning failed every day
        ({"inbox_lease_seconds": 10**12}, "inbox_lease_seconds"),  # past year 9999: no update stored
        # Telegram's setWebhook refused them, and the bot failed at start-up with a traceback:
        ({"telegram_webhook_secret": "rD4+/x9Q=="}, "telegram_webhook_secret"),  # openssl rand -base64
        ({"telegram_webhook_secret": "a" * 257}, "telegram_webhook_secret"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(values: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.from_values(**values)
    assert raised.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("values", "portal"),
    [
        ({}, None),
        ({"public_url": "https://fairsay.example.org/"}, "https://fairsay.example.org/portal"),
        (
            {
                "telegram_webhook_url": "https://bot.example.org/telegram/webhook",
                "telegram_webhook_secret": "s",
            },
            "https://bot.example.org/portal",
        ),
    ],
)
def test_the_portal_address_comes_from_the_public_url_or_the_webhook(
    values: dict[str, object], portal: str | None
) -> None:
    assert Settings.from_values(**values).portal_base_url == portal


def test_get_settings_reads_once(clean_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    monkeypatch.setenv("RETENTION_MONTHS", "3")
    first = get_settings()
    monkeypatch.setenv("RETENTION_MONTHS", "4")
    assert get_settings() is first
    assert first.retention_months == 3
    get_settings.cache_clear()


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == set(ENV_NAMES)


def test_an_empty_value_means_unset_for_every_setting(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """compose's `RETENTION_MONTHS: ${RETENTION_MONTHS:-}` passes an empty string: it is the default,
    not "unable to parse string as an integer" (the migrate step exited 2 and the bots never started)."""
    defaults = Settings()
    for name in ENV_NAMES:
        monkeypatch.setenv(name, "")
    assert Settings() == defaults
    for name in ENV_NAMES:
        monkeypatch.delenv(name)
    (tmp_path / ".env").write_text("".join(f"{name}=\n" for name in ENV_NAMES))
    assert Settings() == defaults


def test_an_empty_variable_still_wins_over_env_file(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With pydantic's env_ignore_empty an empty variable was skipped and `.env`'s value taken:
    `TRUSTED_PROXIES=` could not take back `.env`'s 10.0.0.0/8 (forwarded addresses still believed),
    nor `EXTRA_BANK_HOLIDAYS=` a holiday. Empty is the default, and the environment wins."""
    (tmp_path / ".env").write_text(
        "TRUSTED_PROXIES=10.0.0.0/8\nEXTRA_BANK_HOLIDAYS=2027-06-04\nRETENTION_MONTHS=24\n"
    )
    assert Settings().trusted_proxies == "10.0.0.0/8"
    for name in ("TRUSTED_PROXIES", "EXTRA_BANK_HOLIDAYS", "RETENTION_MONTHS"):
        monkeypatch.setenv(name, "")
    settings = Settings()
    assert settings.trusted_proxy_networks == ()
    assert settings.extra_holidays == frozenset()
    assert settings.retention_months is None


def test_a_webhook_secret_telegram_would_refuse_is_not_echoed() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.from_values(telegram_webhook_secret="s3cr3t+value/that-leaks")
    assert "s3cr3t" not in str(raised.value) and "openssl rand -hex 32" in str(raised.value)
    assert Settings.from_values(telegram_webhook_secret="a-long_random-0123456789").telegram_webhook_secret


def test_telegram_posts_to_https_only_unless_the_bot_api_server_is_your_own() -> None:
    http = {"telegram_webhook_url": "http://bot.example.org/telegram/webhook", "telegram_webhook_secret": "s"}
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_URL: Telegram posts only to an https://"):
        Settings.from_values(**http)
    assert Settings.from_values(
        **http, telegram_api_base_url="http://127.0.0.1:8081/bot"
    ).telegram_webhook_url


def test_the_inbound_mail_server_needs_the_reply_domain() -> None:
    with pytest.raises(ValidationError, match="MAIL_REPLY_DOMAIN must be set with INBOUND_SMTP_PORT"):
        Settings.from_values(inbound_smtp_port=2525)
    settings = Settings.from_values(inbound_smtp_port=2525, mail_reply_domain="Replies.FairSay.Example.")
    assert settings.mail_reply_domain == "replies.fairsay.example"
    with pytest.raises(ValidationError, match="expected a domain name"):
        Settings.from_values(mail_reply_domain="not a domain")
