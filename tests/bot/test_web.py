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
from bot.web.app import SECRET_HEADER, WEBHOOK_PATH, create_web_app, serve_in_background

SECRET = "a-long-random-webhook-secret"
METRICS_TOKEN = "a-long-random-metrics-token"
PUBLIC = "https://bot.example.org"  # the webhook URL's host: the only Host answered


@pytest.fixture
def webhook_settings(sqlite_url: str, tmp_path: Path, fake_bot_api: FakeBotApi) -> Settings:
    return make_settings(
        sqlite_url,
        tmp_path,
        telegram_bot_token="123:TEST",
        telegram_api_base_url=fake_bot_api.base_url,
        telegram_webhook_url="https://bot.example.org/telegram/webhook",
        telegram_webhook_secret=SECRET,
        metrics_token=METRICS_TOKEN,
    )


@pytest.fixture
def client(webhook_settings: Settings) -> TestClient:
    from datetime import UTC, datetime

    repository = Repository.open(webhook_settings)
    clock = ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    application = build_application(webhook_settings, repository, clock, reminder_interval=3600)
    with TestClient(
        create_web_app(webhook_settings, repository, application), base_url=PUBLIC
    ) as test_client:
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
    metrics = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
    assert "fairsay_duplicate_updates_total" in metrics
    assert "fairsay_update_seconds_count" in metrics


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_readiness_reports_an_email_route_without_a_mail_server(
    webhook_settings: Settings, tmp_path: Path
) -> None:
    """Ready (Telegram and the webhooks still deliver), but the details say what cannot work."""
    from support.landlords import add_landlord

    repository = Repository.open(webhook_settings)
    add_landlord(repository, "Westlea Housing", email="complaints@westlea.example")
    add_landlord(
        repository, "Newbuild Homes", staff_telegram_id=2002, email="c@newbuild.example", approved=False
    )
    with TestClient(create_web_app(webhook_settings, repository)) as test_client:
        response = test_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "email": "SMTP_HOST is not set: 1 approved landlord has an email route nothing can send by",
    }
    with_smtp = webhook_settings.model_copy(update={"smtp_host": "mail.example.org"})
    with TestClient(create_web_app(with_smtp, repository)) as test_client:
        assert test_client.get("/readyz").json() == {"status": "ready"}
    repository.close()


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
        portal = urllib.request.Request(
            f"http://127.0.0.1:{port}/portal/sign-in", headers={"Host": "fairsay.test"}
        )
        with urllib.request.urlopen(portal, timeout=5) as page:
            assert "Sign in to the Fair Say portal" in page.read().decode()
    finally:
        server.should_exit = True
        repository.close()


@pytest.mark.parametrize(("trusted_proxies", "scheme"), [("", "http"), ("127.0.0.1", "https")])
def test_forwarded_headers_are_believed_only_from_trusted_proxies_even_on_loopback(
    sqlite_url: str, tmp_path: Path, trusted_proxies: str, scheme: str
) -> None:
    """uvicorn by itself believes X-Forwarded-For and -Proto from 127.0.0.1: a local proxy passing
    them through would let anyone pick their address (and slip the per-address sign-in limit)."""
    import http.client

    port = free_port()
    settings = make_settings(
        sqlite_url, tmp_path, public_url="https://fairsay.test", port=port, trusted_proxies=trusted_proxies
    )
    repository = Repository.open(settings)
    server = serve_in_background(settings, repository)
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        headers = {"Host": "fairsay.test", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        connection.request("GET", "/portal/inbox/", headers=headers)
        answer = connection.getresponse()
        assert answer.status == 307
        assert answer.getheader("location") == f"{scheme}://fairsay.test/portal/inbox"
        connection.close()
    finally:
        server.should_exit = True
        repository.close()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'"x"',
        b"5",
        b"null",
        b'{"update_id": "1"}',
        b'{"update_id": true}',
        b'{"update_id": 7, "message": 5}',
        b'{"update_id": 7, "message": {"message_id": "x", "chat": []}}',
        b'{"update_id": 7, "callback_query": ["x"]}',
        b"[" * 50_000 + b"]" * 50_000,
        b'{"update_id": 7, "message": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
    ],
)
def test_a_body_that_is_not_an_update_is_acknowledged_and_ignored(
    body: bytes, client: TestClient, fake_bot_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    response = client.post(WEBHOOK_PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200  # Telegram would retry anything else, for ever
    assert fake_bot_api.calls("sendMessage") == []
    [logged] = [r.getMessage() for r in caplog.records if r.name == "bot.web.app"]
    assert logged.startswith("webhook: ignored a body that is not an update (")
    assert "x" not in logged.partition("(")[2].replace("unreadable:", "")  # its kind, never its content


def test_metrics_are_not_public_without_the_token(webhook_settings: Settings) -> None:
    repository = Repository.open(webhook_settings)
    untokened = webhook_settings.model_copy(update={"metrics_token": None})
    with TestClient(create_web_app(untokened, repository), base_url=PUBLIC) as open_door:
        assert open_door.get("/metrics").status_code == 404
    with TestClient(create_web_app(webhook_settings, repository), base_url=PUBLIC) as guarded:
        assert guarded.get("/metrics").status_code == 401
        assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        scraped = guarded.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert scraped.status_code == 200 and "fairsay_updates_total" in scraped.text
    repository.close()


def test_only_the_public_host_is_answered_but_probes_come_by_any(webhook_settings: Settings) -> None:
    repository = Repository.open(webhook_settings)
    with TestClient(create_web_app(webhook_settings, repository), base_url="http://evil.example") as evil:
        redirected = evil.get("/portal/inbox/", follow_redirects=False)
        assert redirected.status_code == 400 and "evil.example" not in redirected.headers.get("location", "")
        assert evil.get("/api/v1/complaints").status_code == 400
    with TestClient(create_web_app(webhook_settings, repository), base_url="http://10.0.3.7:8080") as probe:
        assert probe.get("/healthz").status_code == 200
        assert probe.get("/readyz").status_code == 200
    with TestClient(create_web_app(webhook_settings, repository), base_url=PUBLIC) as public:
        assert public.get("/portal/sign-in").status_code == 200
    repository.close()


async def post_streaming(
    app: object, path: str, chunks: int, chunk: bytes, **headers: str
) -> tuple[int, int]:
    """POST `chunks` pieces of `chunk` straight into the ASGI app, chunked (no Content-Length), as a
    server would hand them over; the status, and how many bytes the app took before answering."""
    taken, sent = 0, 0
    status = 0

    async def receive() -> dict[str, object]:
        nonlocal taken, sent
        sent += 1
        taken += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": sent < chunks}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    raw_headers = [(b"host", b"bot.example.org"), (b"transfer-encoding", b"chunked")]
    raw_headers += [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": ("203.0.113.9", 40000),
        "server": ("bot.example.org", 443),
        "state": {},
    }
    await app(scope, receive, send)  # type: ignore[operator]
    return status, taken


@pytest.mark.parametrize(
    ("path", "content_type", "answer"),
    [
        ("/portal/sign-in", "application/x-www-form-urlencoded", 413),
        ("/portal/sign-out", "multipart/form-data; boundary=xyz", 403),  # nobody signed in: unread
        ("/portal/cases/ABC/respond", "multipart/form-data; boundary=xyz", 403),
        ("/api/v1/complaints/ABC/actions", "application/json", 401),  # no such key: unread
    ],
)
async def test_a_chunked_body_is_refused_before_more_than_the_limit_is_read(
    path: str, content_type: str, answer: int, webhook_settings: Settings
) -> None:
    from bot.web.app import body_limit

    settings = webhook_settings.model_copy(update={"evidence_max_bytes": 1_000_000})
    repository = Repository.open(settings)
    chunk = b"x" * 65_536
    status, taken = await post_streaming(
        create_web_app(settings, repository),
        path,
        10_000,  # 655 MB offered
        chunk,
        content_type=content_type,
        authorization="Bearer fs_nobody",
        cookie="fairsay_portal=whatever",
    )
    repository.close()
    print(f"{path}: {status} after taking {taken} bytes (limit {body_limit(settings, path)})")
    assert status == answer
    assert taken <= (body_limit(settings, path) + len(chunk) if answer == 413 else 0)


def test_an_update_past_its_limit_is_refused(client: TestClient) -> None:
    huge = json.dumps({"update_id": 9, "message": {"text": "x" * 2_000_000}})
    response = client.post(WEBHOOK_PATH, content=huge, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 413
