"""The assistant's settings: environment variables, optionally a `.env` file in the working folder.

One `Settings` class holds every setting (the README's "Settings" table lists them); a variable set to
the empty string gets its default (the environment still wins over `.env`). The running app calls `get_settings()`, read once per process; tests
build `Settings.from_values(...)`, which reads neither the environment nor `.env`, so a developer's own
variables never leak into a test.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, PositiveInt, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

APP_NAME = "fairsay"
MIB = 1024 * 1024


def data_dir() -> Path:
    """Where an installation keeps its data by default (e.g. ~/.local/share/fairsay on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'fairsay.sqlite3'}"


MAIL_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # Telegram's setWebhook secret_token


class Settings(BaseSettings):
    # An empty value means "unset" for every setting (compose's `${RETENTION_MONTHS:-}`, `FOO=` in .env):
    # the default applies (`_empty_is_the_default`). The environment still wins over `.env`: an empty
    # variable is the default, not `.env`'s value (`TRUSTED_PROXIES=` trusts no proxy, whatever `.env`
    # says; pydantic's env_ignore_empty would skip the variable and take `.env`'s).
    # hide_input_in_errors: a refused value is never repeated in the error (it may be a secret, or a
    # DATABASE_URL with its password); the messages name what was wrong.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", hide_input_in_errors=True
    )

    database_url: str = Field(
        default_factory=default_database_url,
        description="sqlite:///PATH (embedded, upgraded on start) or postgresql://USER@HOST/DB.",
    )
    evidence_dir: Path = Field(
        default_factory=lambda: data_dir() / "evidence",
        description="Folder of uploaded evidence files; shared storage when several machines run the bot.",
    )
    evidence_max_bytes: PositiveInt = Field(20 * MIB, description="Largest evidence file accepted.")
    retention_months: PositiveInt | None = Field(
        None, description="Delete closed cases this many months after closing; unset keeps them."
    )
    inbox_keep_days: PositiveInt = Field(
        7,
        le=3650,  # a bound: a million days put the prune's date before year 1, and it failed daily
        description="Days handled Telegram updates and sent replies are kept (then pruned daily).",
    )
    inbox_lease_seconds: PositiveInt = Field(
        30,
        le=3600,  # a bound: 10**12 s put every lease past year 9999, and nothing was stored
        description="How long an instance holds an update or reply it took; after a crash another "
        "instance takes it over when this runs out.",
    )
    telegram_bot_token: SecretStr | None = Field(None, description="The bot's token from @BotFather.")
    telegram_api_base_url: str | None = Field(
        None, description="A self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot."
    )
    default_time_zone: str = Field("Europe/London", description="Time zone for new users' reminders.")
    telegram_webhook_url: str | None = Field(
        None,
        description="Public HTTPS address of the webhook (…/telegram/webhook): set it to receive updates "
        "by webhook instead of long polling.",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, description="Secret Telegram sends with each webhook call (required with TELEGRAM_WEBHOOK_URL)."
    )
    host: str = Field("127.0.0.1", description="Address the web service listens on (0.0.0.0 in a container).")
    port: PositiveInt = Field(8080, description="Port of the web service (webhook, health, metrics).")
    metrics_port: PositiveInt | None = Field(
        None,
        description="Serve Prometheus metrics on this port of HOST (keep it off the public network).",
    )
    metrics_token: SecretStr | None = Field(
        None,
        description="Also serve /metrics on PORT to scrapers sending `Authorization: Bearer <token>`; "
        "unset: /metrics is not on PORT (404).",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks (10.0.0.0/8) of your reverse proxies: from "
        "them only, X-Forwarded-For names the client (for per-address limits).",
    )
    telegram_messages_per_second: int = Field(
        30,
        ge=0,
        description="Outgoing messages per second across all chats (Telegram's broadcast limit is about 30); "
        "0 lifts the limit (a local Bot API server, benchmarks). 429 answers are always waited out.",
    )
    telegram_http: Literal["httpx", "aiohttp"] = Field(
        "aiohttp",
        description="The HTTP library that talks to Telegram: PTB's httpx, or aiohttp (see the README's figures).",
    )
    telegram_flood_limit: int = Field(
        20,
        ge=0,
        description="Updates one person may send in 10 seconds before being asked to slow down; 0: no limit.",
    )
    log_format: Literal["json", "text"] = Field("json", description="json (structured, for servers) or text.")
    extra_bank_holidays: str = Field(
        "",
        description="Comma-separated extra bank holidays (YYYY-MM-DD) announced after this release, for "
        "every nation; open deadlines move with them.",
    )

    smtp_host: str | None = Field(
        None,
        description="The mail server that sends complaints to landlords by email; unset: no email route.",
    )
    smtp_port: PositiveInt | None = Field(
        None, description="Its port; by default 587 with starttls, 465 with tls, 25 with none."
    )
    smtp_username: str | None = Field(None, description="The mail server's user name, if it needs one.")
    smtp_password: SecretStr | None = Field(None, description="And its password.")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (upgrade the connection), tls (TLS from the start) or none."
    )
    webhook_allow_loopback: bool = Field(
        False,
        description="Let landlord webhook URLs point at this machine (127.0.0.1, ::1, localhost; http:// "
        "too): for tests and local trials only. Private and link-local addresses are always refused.",
    )
    mail_from: str = Field(
        "Fair Say <fairsay@localhost>", description="The From address of complaint emails to landlords."
    )
    mail_abuse_address: str | None = Field(
        None,
        description="Where a recipient reports unwanted mail from Fair Say (a footer line and an X-Abuse "
        "header of complaints sent for residents); unset: abuse@ the domain of MAIL_FROM.",
    )
    mail_sends_per_resident_per_day: int = Field(
        3, ge=1, le=100, description="Complaints Fair Say emails for one resident in 24 hours."
    )
    mail_sends_per_recipient_per_day: int = Field(
        20,
        ge=1,
        le=10000,
        description="Complaints Fair Say emails to one address in 24 hours, all residents.",
    )
    mail_attachments_max_bytes: PositiveInt = Field(
        10 * MIB,
        description="The most a complaint email carries in attachments (the letter first, then evidence "
        "while it fits); what does not fit is listed in the mail as available on request.",
    )
    mail_reply_domain: str | None = Field(
        None,
        description="The domain of cases' reply addresses (case-<token>@DOMAIN), e.g. "
        "replies.fairsay.example: its MX points at the inbound mail server. Unset: no reply addresses.",
    )
    inbound_smtp_host: str = Field(
        "127.0.0.1", description="Address the inbound mail server listens on (0.0.0.0 in a container)."
    )
    inbound_smtp_port: PositiveInt | None = Field(
        None,
        le=65535,
        description="Port of the inbound mail server that receives replies (port 25 of the MX forwarded "
        "to it); unset: no inbound mail server.",
    )
    inbound_mail_max_bytes: PositiveInt = Field(
        25 * MIB, description="Largest inbound email accepted (refused with 552 beyond it)."
    )

    public_url: str | None = Field(
        None,
        description="The service's public address (https://…), for web portal sign-in links; unset: taken "
        "from TELEGRAM_WEBHOOK_URL, else the portal is not offered.",
    )
    portal_secret: SecretStr | None = Field(
        None,
        description="Signs the web portal's session cookies: the same long random value on every instance. "
        "Unset: a new one at each start (everyone signs in again after a restart).",
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_is_the_default(cls, values: Any) -> Any:
        """Each setting given as the empty string, from whichever source won, is left to its default."""
        if isinstance(values, dict):
            return {name: value for name, value in values.items() if value != ""}
        return values

    @property
    def portal_base_url(self) -> str | None:
        """Where the web portal is, as people reach it (no trailing slash), if known."""
        base = self.public_url
        if base is None and self.telegram_webhook_url:
            base = self.telegram_webhook_url.removesuffix("/telegram/webhook")
        return f"{base.rstrip('/')}/portal" if base else None

    @property
    def abuse_address(self) -> str:
        if self.mail_abuse_address:
            return self.mail_abuse_address
        domain = parseaddr(self.mail_from)[1].rpartition("@")[2] or "localhost"
        return f"abuse@{domain}"

    @property
    def smtp_port_or_default(self) -> int:
        if self.smtp_port is not None:
            return self.smtp_port
        return {"starttls": 587, "tls": 465, "none": 25}[self.smtp_security]

    @field_validator("mail_reply_domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        domain = value.strip().lower().rstrip(".")
        if not MAIL_DOMAIN.fullmatch(domain):
            raise ValueError(f"expected a domain name such as replies.fairsay.example, got {value!r}")
        return domain

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"expected an address starting with https://, got {value!r}")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in filter(None, (piece.strip() for piece in value.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(
                    f"expected IP addresses or networks separated by commas, got {part!r}"
                ) from None
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(
            ipaddress.ip_network(p.strip(), strict=False)
            for p in self.trusted_proxies.split(",")
            if p.strip()
        )

    @field_validator("extra_bank_holidays")
    @classmethod
    def _dates(cls, value: str) -> str:
        for part in filter(None, (piece.strip() for piece in value.split(","))):
            try:
                date.fromisoformat(part)
            except ValueError:
                raise ValueError(f"expected dates as YYYY-MM-DD separated by commas, got {part!r}") from None
        return value

    @property
    def extra_holidays(self) -> frozenset[date]:
        return frozenset(
            date.fromisoformat(p.strip()) for p in self.extra_bank_holidays.split(",") if p.strip()
        )

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram's setWebhook refuses any other secret_token, and the bot then failed at start-up
        with a traceback (`openssl rand -base64` gives + / =). The value is never echoed."""
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "Telegram accepts 1 to 256 letters, digits, _ and - only (e.g. `openssl rand -hex 32`)"
            )
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        url = self.telegram_webhook_url
        if url and not url.startswith("https://") and self.telegram_api_base_url is None:
            raise ValueError(  # setWebhook refused it, and the bot failed at start-up with a traceback
                f"TELEGRAM_WEBHOOK_URL: Telegram posts only to an https:// address, got {url!r} (plain "
                "http:// is for a self-hosted Bot API server, TELEGRAM_API_BASE_URL)"
            )
        if self.inbound_smtp_port is not None and self.mail_reply_domain is None:
            raise ValueError(
                "MAIL_REPLY_DOMAIN must be set with INBOUND_SMTP_PORT: the inbound mail server accepts "
                "mail for the cases' reply addresses under that domain only"
            )
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be set (not empty) with TELEGRAM_WEBHOOK_URL: Telegram "
                "sends it with every update, so no one else can post updates to the webhook"
            )
        return self

    @field_validator("default_time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @classmethod
    def from_values(cls, **values: Any) -> Settings:
        """Settings from these values and the defaults alone: no environment, no `.env` (for tests)."""
        return _ExplicitSettings(**values)


class _ExplicitSettings(Settings):
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


@cache
def get_settings() -> Settings:
    """The process's settings, read from the environment (and `.env`) on first use."""
    return Settings()
