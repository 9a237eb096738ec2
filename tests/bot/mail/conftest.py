"""The mail tests' settings: a reply domain, and the inbound server on a free port of 127.0.0.1."""

from pathlib import Path

import pytest
from mail_builders import DOMAIN
from support.databases import make_settings
from support.delivery_servers import free_port

from bot.settings import Settings

MAX_BYTES = 200_000


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        database_url,
        tmp_path,
        mail_reply_domain=DOMAIN,
        inbound_smtp_port=free_port(),
        inbound_mail_max_bytes=MAX_BYTES,
    )
