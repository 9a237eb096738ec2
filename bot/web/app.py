"""The web service (Starlette, served by uvicorn): the Telegram webhook, health, readiness and metrics.

    POST /telegram/webhook   Telegram's updates; the secret header is checked in constant time, the
                             update stored in the inbox (503 if it cannot be: Telegram sends it
                             again), then handled before the 200; a body that is not an update is
                             acknowledged and ignored (never retried)
    GET  /healthz            the process is up
    GET  /readyz             the database answers and its migrations are current; its details also
                             name what is ready but not working (an email route without SMTP_HOST)
    GET  /metrics            Prometheus metrics, only with METRICS_TOKEN (else on METRICS_PORT only)
    /api/v1/...              the landlord API (bot/web/landlord_api.py, docs/landlords.md)
    /portal/...              the web portal for landlord teams, advocates and operators (bot/web/portal)

Several instances can serve the same webhook behind a load balancer: conversations and reminders
are in the database, and a redelivered update is recognised by its id.

Every request first passes bot.web.guards: its body is limited as it streams in (the limit below for
its path) and its Host must be the public one.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import Scope
from telegram import Update
from telegram.ext import Application

from bot.cli.command_line import count
from bot.clock import Clock, SystemClock
from bot.settings import Settings
from bot.storage import db
from bot.storage.repository import Repository
from bot.telegram.inbox import MAILROOM, Mailroom
from bot.web import landlord_api
from bot.web.guards import BodyLimit, TrustedHosts, public_hosts
from bot.web.portal import pages as portal

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name, not a secret)
KIB = 1024
UPDATE_MAX_BYTES = 1024 * KIB  # a Telegram update is a few KB; files come by file_id
SIGN_IN_MAX_BYTES = 16 * KIB  # the anonymous forms: an email address or a CSRF token
OTHER_MAX_BYTES = 64 * KIB  # GET requests and anything else


def body_limit(settings: Settings, path: str) -> int:
    """The most a request to `path` may send: room for an evidence file where one may come."""
    if path == WEBHOOK_PATH:
        return UPDATE_MAX_BYTES
    if path.startswith("/portal/sign-in"):
        return SIGN_IN_MAX_BYTES
    if path.startswith("/portal/"):
        return settings.evidence_max_bytes + portal.FORM_OVERHEAD
    if path.startswith("/api/"):
        return landlord_api.body_limit(settings)
    return OTHER_MAX_BYTES


def too_large(scope: Scope, limit: int) -> Response:
    path = scope["path"]
    if path.startswith("/api/"):
        return landlord_api.error(413, "too_large", f"The request is larger than {limit} bytes.")
    if path.startswith("/portal/"):
        return portal.too_large_page(Request(scope))
    return Response(status_code=413)


def update_problem(data: object) -> str | None:
    """None when `data` has the shape of a Telegram update (an object with an integer update_id and
    objects for the rest); otherwise what is wrong with it, in a word fit for the logs."""
    if not isinstance(data, dict):
        return "not_an_object"
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return "no_update_id"
    if any(not isinstance(value, dict) for key, value in data.items() if key != "update_id"):
        return "field_not_an_object"
    return None


def read_update(raw: bytes, bot: object) -> Update | str:
    """The update in `raw`, or why there is none (logged by kind; the body is never logged)."""
    try:
        data = json.loads(raw)
    except RecursionError:
        return "nested_too_deeply"
    except ValueError:  # also UnicodeDecodeError
        return "not_json"
    problem = update_problem(data)
    if problem is not None:
        return problem
    try:
        return Update.de_json(data, bot)  # type: ignore[arg-type]
    except Exception as error:  # whatever PTB makes of a hostile field: not an update we can handle
        return f"unreadable:{type(error).__name__}"


def create_web_app(
    settings: Settings,
    repository: Repository,
    telegram: Application | None = None,  # type: ignore[type-arg]
    *,
    set_webhook: bool = True,
    clock: Clock | None = None,
) -> Starlette:
    secret = (
        settings.telegram_webhook_secret.get_secret_value().encode()
        if settings.telegram_webhook_secret
        else b""
    )

    async def webhook(request: Request) -> Response:
        if telegram is None:
            return Response(status_code=404)
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            return Response(status_code=403)
        update = read_update(await request.body(), telegram.bot)
        if isinstance(update, str):  # 200: Telegram would only send it again
            log.warning("webhook: ignored a body that is not an update (%s)", update)
            return Response(status_code=200)
        mailroom: Mailroom = telegram.bot_data[MAILROOM]
        try:
            mine = await mailroom.store([update])  # in the inbox, committed, before Telegram hears 2xx
        except Exception as error:  # not kept: Telegram must send it again
            log.warning("webhook: update not stored", extra={"error": type(error).__name__})
            return Response(status_code=503)
        if mine:  # not handled already, nor in another instance's hands
            await telegram.process_update(update)  # handled before the 200 (or left to the recovery round)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    readiness = db.Readiness(repository.engine)

    def email_problem() -> str | None:
        """Approved landlords with an email route and no mail server to send by (each such complaint
        would fail 8 times): ready all the same (the other routes work), but said, for the operator."""
        if settings.smtp_host:
            return None
        with repository.unit_of_work() as uow:
            unsendable = sum(
                1 for landlord in uow.access.landlords(approved=True) if landlord.complaint_email
            )
        if not unsendable:
            return None
        landlords = count(unsendable, "approved landlord has", "approved landlords have")
        return f"SMTP_HOST is not set: {landlords} an email route nothing can send by"

    def readiness_details(now: datetime) -> tuple[str | None, str | None]:
        problem = readiness.problem(now)
        return problem, None if problem else email_problem()

    async def readyz(request: Request) -> Response:
        try:
            problem, email = await asyncio.wait_for(
                asyncio.to_thread(readiness_details, (clock or SystemClock()).now()), timeout=5
            )
        except Exception as error:  # the database is away: not ready, and say why in kind only
            return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
        if problem:
            return JSONResponse({"status": "unavailable", "database": problem}, status_code=503)
        return JSONResponse({"status": "ready", **({"email": email} if email else {})})

    metrics_token = settings.metrics_token.get_secret_value().encode() if settings.metrics_token else b""

    async def metrics(request: Request) -> Response:
        if not metrics_token:
            return Response(status_code=404)  # served on METRICS_PORT only
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), metrics_token):
            return Response(status_code=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if telegram is None:
            yield
            return
        from bot.telegram.start_up import initialize

        await initialize(telegram)  # a refused token: one line, and no traceback holding the token
        if set_webhook and settings.telegram_webhook_url:
            await telegram.bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=secret.decode(),
                allowed_updates=["message", "callback_query"],
            )
        if telegram.post_init is not None:
            await telegram.post_init(telegram)
        await telegram.start()  # the job queue: reminders and retention
        try:
            yield
        finally:  # uvicorn has finished the requests in hand (graceful shutdown) before this runs
            await telegram.stop()
            await telegram.shutdown()
            log.info("stopped")

    return Starlette(
        routes=[
            Route(WEBHOOK_PATH, webhook, methods=["POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Mount("/api/v1", routes=landlord_api.routes(settings, repository, clock)),
            Mount("/portal", routes=portal.routes(settings, repository, clock)),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(
                TrustedHosts, hosts=public_hosts([settings.public_url, settings.telegram_webhook_url])
            ),
            Middleware(BodyLimit, limit_for=lambda path: body_limit(settings, path), too_large=too_large),
        ],
    )


def server_config(app: Starlette, settings: Settings) -> uvicorn.Config:
    """uvicorn's settings for the app: forwarded headers believed from TRUSTED_PROXIES only (uvicorn
    would otherwise believe any from 127.0.0.1, whatever a local proxy passes through)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=30,
        forwarded_allow_ips=[str(network) for network in settings.trusted_proxy_networks],
    )


def serve(app: Starlette, settings: Settings) -> None:
    import uvicorn

    uvicorn.Server(server_config(app, settings)).run()


def serve_in_background(settings: Settings, repository: Repository) -> uvicorn.Server:
    """The web service without the Telegram webhook (the bot long-polls), in a daemon thread with its
    own event loop: the portal, the landlord API, health and metrics on HOST:PORT. Set the returned
    server's `should_exit` to stop it."""
    import threading

    import uvicorn

    server = uvicorn.Server(server_config(create_web_app(settings, repository), settings))
    threading.Thread(target=server.run, name="web", daemon=True).start()
    return server
