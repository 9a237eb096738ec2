"""The servers the delivery tests send to (tests/support/delivery_servers.py)."""

from pathlib import Path

import pytest
from support.databases import make_settings
from support.delivery_servers import clock, receiver, smtp_server  # noqa: F401  (fixtures)
from support.mail_relay import dsn_relay, relay  # noqa: F401  (fixtures)

from bot.settings import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The receivers listen on 127.0.0.1, which only WEBHOOK_ALLOW_LOOPBACK lets a webhook reach."""
    return make_settings(database_url, tmp_path, webhook_allow_loopback=True)
