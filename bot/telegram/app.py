"""The Telegram bot: builds the PTB Application (thin handlers, the chat service, the reminder sender)."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import timedelta

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.clock import Clock, SystemClock
from bot.delivery.resident_sending import ResidentMailDelivery
from bot.delivery.worker import SubmissionDelivery
from bot.services.chat_service import ChatService
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.repository import Repository
from bot.telegram.handlers import FLOOD_GATE, SERVICE, FloodGate, on_error, on_update
from bot.telegram.inbox import MAILROOM, InboxUpdater, Mailroom, recover
from bot.telegram.on_receipt import AnswerOnReceipt
from bot.telegram.outgoing import send_replies
from bot.telegram.raw_updates import updates_request
from bot.telegram.start_up import REFUSED_BY_TELEGRAM, TokenRefused
from flows.conversations.commands import menu_entries
from flows.conversations.types import Reply
from flows.i18n import catalogue_languages, translator

log = logging.getLogger(__name__)

_SENDER = "reminder_sender"
_DELIVERY = "submission_delivery"
_RESIDENT_MAIL = "resident_mail_delivery"
_RETENTION = "retention"
_INBOX_KEEP = "inbox_keep"
RECOVERY_INTERVAL = 2.0  # seconds between rounds taking over what a crash or an outage left


def file_url_for(base_url: str) -> str:
    """Telegram serves files beside the API: `.../bot` becomes `.../file/bot`."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"


def build_application(
    settings: Settings,
    repository: Repository,
    clock: Clock | None = None,
    reminder_interval: float = 30.0,
    flood_gate: FloodGate | None = None,
) -> Application:  # type: ignore[type-arg]
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    clock = clock or SystemClock()
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_messages_per_second, max_retries=3))
        .concurrent_updates(True)  # different users in parallel; one user's updates in order (handlers)
    )
    if settings.telegram_http == "aiohttp":
        from bot.telegram.aiohttp_request import AiohttpRequest

        builder = builder.request(AiohttpRequest())
    raw_updates = updates_request(settings.telegram_http)  # getUpdates' JSON kept for the inbox
    builder = builder.get_updates_request(raw_updates)
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url).base_file_url(
            file_url_for(settings.telegram_api_base_url)
        )
    application = builder.post_init(_set_commands).build()
    service = ChatService(repository, settings, clock)
    application.bot_data[SERVICE] = service
    mailroom = Mailroom(repository, timedelta(seconds=settings.inbox_lease_seconds))
    mailroom.executor = service.executor
    application.bot_data[MAILROOM] = mailroom
    # Our long polling: a batch is stored before Telegram hears it was received (bot/telegram/inbox.py),
    # and a typed message or a button answered in the same transaction (bot/telegram/on_receipt.py).
    application.updater = InboxUpdater(
        application, mailroom, raw_updates, AnswerOnReceipt(application, mailroom)
    )
    application.bot_data[FLOOD_GATE] = flood_gate or FloodGate(limit=settings.telegram_flood_limit or None)

    async def send(telegram_id: int, reply: Reply) -> None:
        await send_replies(application.bot, telegram_id, [reply])

    application.bot_data[_SENDER] = ReminderSender(repository, clock, send)
    assert application.job_queue is not None  # python-telegram-bot[job-queue]
    # The job queue starts and stops with the Application (polling, webhook, or a test's start()).
    application.job_queue.run_repeating(
        _send_due_reminders, interval=reminder_interval, first=reminder_interval
    )
    # Complaints to landlords by email and webhook, on the same beat (polling and webhook mode alike).
    application.bot_data[_DELIVERY] = SubmissionDelivery(repository, settings, clock)
    application.bot_data[_RESIDENT_MAIL] = ResidentMailDelivery(repository, settings, clock)
    application.job_queue.run_repeating(
        _deliver_submissions, interval=reminder_interval, first=reminder_interval
    )
    # Updates and replies a crash or an outage left behind; then, daily, the old ones go.
    application.job_queue.run_repeating(recover, interval=RECOVERY_INTERVAL, first=RECOVERY_INTERVAL)
    application.bot_data[_INBOX_KEEP] = timedelta(days=settings.inbox_keep_days)
    application.job_queue.run_repeating(_prune_inbox_and_outbox, interval=24 * 3600, first=120)
    if settings.retention_months is not None:
        application.bot_data[_RETENTION] = (repository, settings.retention_months)
        application.job_queue.run_repeating(_purge_closed_cases, interval=24 * 3600, first=60)
    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


async def _send_due_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    sender: ReminderSender = context.bot_data[_SENDER]
    try:
        await sender.run_once()
    except Exception as error:  # the database may be away for a moment: the next round tries again
        log.warning("reminder round failed: %s", type(error).__name__)


async def _deliver_submissions(context: ContextTypes.DEFAULT_TYPE) -> None:
    delivery: SubmissionDelivery = context.bot_data[_DELIVERY]
    try:
        await delivery.run_once()
    except Exception as error:  # the database may be away for a moment: the next round tries again
        log.warning("delivery round failed: %s", type(error).__name__)
    resident_mail: ResidentMailDelivery = context.bot_data[_RESIDENT_MAIL]
    try:  # complaints emailed for residents, on the same beat
        await resident_mail.run_once()
    except Exception as error:
        log.warning("resident mail round failed: %s", type(error).__name__)


async def _purge_closed_cases(context: ContextTypes.DEFAULT_TYPE) -> None:
    """RETENTION_MONTHS: closed cases go that many months after they closed (once a day)."""
    repository, months = context.bot_data[_RETENTION]
    try:
        purged = await asyncio.to_thread(repository.purge_closed_cases, months)
        log.info("retention: %d closed cases removed", purged)
    except Exception as error:
        log.warning("retention round failed: %s", type(error).__name__)


async def _prune_inbox_and_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """INBOX_KEEP_DAYS: handled updates and sent replies go that many days later (once a day)."""
    mailroom: Mailroom = context.bot_data[MAILROOM]
    try:
        updates, replies = await asyncio.to_thread(
            mailroom.repository.prune_inbox_and_outbox, context.bot_data[_INBOX_KEEP]
        )
        log.info("inbox: %d updates and %d replies pruned", updates, replies)
    except Exception as error:
        log.warning("inbox prune failed: %s", type(error).__name__)


def menu_commands(language: str) -> list[BotCommand]:
    """Telegram's command menu in one language, from the command table (flows.conversations.commands)."""
    t = translator(language)
    return [BotCommand(name, t.gettext(description)) for name, description in menu_entries()]


async def _set_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu, in each language we have (Telegram shows the one matching the user's app)."""
    for language in ("en", *catalogue_languages()):
        commands = menu_commands(language)
        try:
            await application.bot.set_my_commands(
                commands, language_code=None if language == "en" else language
            )
        except Exception as error:  # the menu is a convenience: never stop the bot for it
            log.warning("could not set the command menu: %s", type(error).__name__)


def run_bot(settings: Settings, repository: Repository) -> None:
    """Long polling until interrupted (the default, for a single small deployment); or, when
    TELEGRAM_WEBHOOK_URL is set, the web service receiving Telegram's webhook (several instances)."""
    # Updates are handled in worker threads (the database is synchronous) while the event loop talks
    # HTTP: with Python's default 5 ms GIL switch interval each hand-over between them can stall for
    # that long. A shorter interval was measured to raise throughput several times (README).
    sys.setswitchinterval(0.0005)
    application = build_application(settings, repository)
    # What an operator reads first (libraries' INFO, uvicorn's "running on" among it, is off).
    serving = settings.telegram_webhook_url or settings.public_url
    log.info(
        "starting: %s%s%s",
        "webhook" if settings.telegram_webhook_url else "long polling",
        f", web service on {settings.host}:{settings.port}" if serving else "",
        f", metrics on {settings.host}:{settings.metrics_port}" if settings.metrics_port else "",
    )
    if settings.inbound_smtp_port is not None:
        log.info("inbound mail on %s:%s", settings.inbound_smtp_host, settings.inbound_smtp_port)
    if settings.metrics_port is not None:  # metrics on their own port, in either mode
        from prometheus_client import start_http_server

        start_http_server(settings.metrics_port, addr=settings.host)
    if settings.inbound_smtp_port is not None:  # replies to cases' reply addresses (bot/mail/server.py)
        from bot.mail.server import serve_in_background as receive_mail_in_background

        receive_mail_in_background(repository, settings)
    if settings.telegram_webhook_url:
        from bot.web.app import create_web_app, serve

        serve(create_web_app(settings, repository, application), settings)
        return
    if settings.public_url:  # the web portal and the landlord API beside long polling
        from bot.web.app import serve_in_background

        serve_in_background(settings, repository)
    from telegram.error import InvalidToken

    try:
        application.run_polling(allowed_updates=["message", "callback_query"])
    except InvalidToken:  # PTB's own start-up asked Telegram who the bot is
        log.critical(REFUSED_BY_TELEGRAM)
        raise TokenRefused from None
    log.info("stopped")
