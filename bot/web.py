"""The web service (Starlette, served by uvicorn): the Telegram webhook, health, readiness and metrics.

    POST /telegram/webhook   Telegram's updates; the secret header is checked in constant time and
                             the update is handled (its transaction committed) before the 200
    GET  /healthz            the process is up
    GET  /readyz             the database answers and its migrations are current
    GET  /metrics            Prometheus metrics
    /api/v1/...              the landlord API (bot/landlord_api.py, docs/landlords.md)
    /portal/...              the web portal for landlord teams, advocates and operators (bot/portal)

Several instances can serve the same webhook behind a load balancer: conversations and reminders
are in the database, and a redelivered update is recognised by its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from telegram import Update
from telegram.ext import Application

from bot import landlord_api
from bot.clock import Clock, SystemClock
from bot.portal import pages as portal
from bot.settings import Settings
from bot.storage import db
from bot.storage.repository import Repository

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name, not a secret)


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
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, telegram.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await telegram.process_update(update)  # handled before Telegram hears 200
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    readiness = db.Readiness(repository.engine)

    async def readyz(request: Request) -> Response:
        try:
            problem = await asyncio.wait_for(
                asyncio.to_thread(readiness.problem, (clock or SystemClock()).now()), timeout=5
            )
        except Exception as error:  # the database is away: not ready, and say why in kind only
            return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
        if problem:
            return JSONResponse({"status": "unavailable", "database": problem}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if telegram is None:
            yield
            return
        await telegram.initialize()
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
    )


def serve(app: Starlette, settings: Settings) -> None:
    import uvicorn

    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, timeout_graceful_shutdown=30)


def serve_in_background(settings: Settings, repository: Repository) -> uvicorn.Server:
    """The web service without the Telegram webhook (the bot long-polls), in a daemon thread with its
    own event loop: the portal, the landlord API, health and metrics on HOST:PORT. Set the returned
    server's `should_exit` to stop it."""
    import threading

    import uvicorn

    config = uvicorn.Config(
        create_web_app(settings, repository), host=settings.host, port=settings.port, log_config=None
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="web", daemon=True).start()
    return server
