"""The web service: the webhook checks its secret and handles each update once; health, readiness
and metrics answer."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from starlette.testclient import TestClient
from support.databases import make_settings
from support.delivery_servers import free_port
from support.fake_bot_api import FakeBotApi, FakeUser

from bot.clock import ManualClock
from bot.settings import Settings
from bot.storage.db import make_engine
from bot.storage.repository import Repository
from bot.telegram.app import build_application
from bot.web import SECRET_HEADER, WEBHOOK_PATH, create_web_app, serve_in_background

SECRET = "a-long-random-webhook-secret"


@pytest.fixture
def webhook_settings(sqlite_url: str, tmp_path: Path, fake_bot_api: FakeBotApi) -> Settings:
    return make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token="123:TEST",
        telegram_api_base_url=fake_bot_api.base_url,
        telegram_webhook_url="https://bot.example.org/telegram/webhook",
        telegram_webhook_secret=SECRET,
    )


@pytest.fixture
def client(webhook_settings: Settings) -> TestClient:
    from datetime import UTC, datetime

    repository = Repository.open(webhook_settings)
    clock = ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    application = build_application(webhook_settings, repository, clock, reminder_interval=3600)
    with TestClient(create_web_app(webhook_settings, repository, application)) as test_client:
        yield test_client  # type: ignore[misc]
    repository.close()


def post_update(client: TestClient, update: dict[str, object], secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return client.post(WEBHOOK_PATH, content=json.dumps(update), headers=headers).status_code


def test_the_webhook_is_registered_with_its_secret(client: TestClient, fake_bot_api: FakeBotApi) -> None:
    [call] = fake_bot_api.calls("setWebhook")
    assert call.params["url"] == "https://bot.example.org/telegram/webhook"
    assert call.params["secret_token"] == SECRET


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
def test_a_missing_or_wrong_secret_is_refused(
    secret: str | None, client: TestClient, fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    update = fake_bot_api.user_sends_text(fake_user, "/start", deliver=False)
    assert post_update(client, update, secret) == 403
    assert fake_bot_api.sent_messages(fake_user.id) == []


def test_an_update_is_handled_before_the_answer_and_only_once(
    client: TestClient, fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    update = fake_bot_api.user_sends_text(fake_user, "/start", deliver=False)
    assert post_update(client, update) == 200
    replies = fake_bot_api.sent_messages(fake_user.id)
    assert len(replies) == 1 and "Which language" in replies[0].text  # already sent when 200 came back
    assert post_update(client, update) == 200  # Telegram redelivers: acknowledged, skipped
    assert len(fake_bot_api.sent_messages(fake_user.id)) == 1
    metrics = client.get("/metrics").text
    assert "fairsay_duplicate_updates_total" in metrics
    assert "fairsay_update_seconds_count" in metrics


def test_malformed_bodies_are_refused(client: TestClient) -> None:
    response = client.post(WEBHOOK_PATH, content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_not_ready_until_the_migrations_are_current(tmp_path: Path, webhook_settings: Settings) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")  # never upgraded
    repository = Repository(engine, Repository.open(webhook_settings).evidence)
    with TestClient(create_web_app(webhook_settings, repository)) as test_client:
        response = test_client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "migrations not current"


def test_readiness_reads_every_row_for_broken_references_only_now_and_then(
    tmp_path: Path, webhook_settings: Settings
) -> None:
    """foreign_key_check reads every row: seconds per probe on a large database (1.5-2 s with 100,000
    cases, 1M events and 1M reminders), which a probe every few seconds would spend for ever, and past
    its 5 s limit would call a healthy instance unready. References no longer break (foreign keys are
    checked on every connection), so every 10 minutes is enough; a problem found is looked for again
    on every probe, so a repair shows at once."""
    repository = Repository.open(webhook_settings)
    checks: list[str] = []

    @event.listens_for(repository.engine, "before_cursor_execute")
    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "foreign_key_check" in statement:
            checks.append(statement)

    clock = ManualClock(datetime(2026, 3, 10, 10, 0, tzinfo=UTC))
    with TestClient(create_web_app(webhook_settings, repository, clock=clock)) as test_client:
        for _ in range(3):
            assert test_client.get("/readyz").json() == {"status": "ready"}
        assert len(checks) == 1
        clock.advance(timedelta(minutes=10))
        assert test_client.get("/readyz").json() == {"status": "ready"}
        assert len(checks) == 2
    repository.close()


def test_with_long_polling_a_public_url_serves_the_web_service_beside_the_bot(
    sqlite_url: str, tmp_path: Path
) -> None:
    port = free_port()
    settings = make_settings(sqlite_url, tmp_path, public_url="https://fairsay.test", port=port)
    repository = Repository.open(settings)
    server = serve_in_background(settings, repository)
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as health:
            assert json.load(health) == {"status": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/portal/sign-in", timeout=5) as page:
            assert "Sign in to the Fair Say portal" in page.read().decode()
    finally:
        server.should_exit = True
        repository.close()
