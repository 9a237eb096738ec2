"""The assistant's settings: environment variables, optionally a `.env` file in the working folder.

One `Settings` class holds every setting (the README's "Settings" table lists them). The running app
calls `get_settings()`, read once per process; tests build `Settings.from_values(...)`, which reads
neither the environment nor `.env`, so a developer's own variables never leak into a test.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import Field, PositiveInt, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

APP_NAME = "fairsay"
MIB = 1024 * 1024


def data_dir() -> Path:
    """Where an installation keeps its data by default (e.g. ~/.local/share/fairsay on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'fairsay.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

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
    telegram_bot_token: SecretStr | None = Field(None, description="The bot's token from @BotFather.")
    telegram_api_base_url: str | None = Field(
        None, description="A self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot."
    )
    default_time_zone: str = Field("Europe/London", description="Time zone for new users' reminders.")

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
