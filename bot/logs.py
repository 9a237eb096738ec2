"""Logging: one JSON object per line (LOG_FORMAT=json, the default) or plain text, never personal data.

Our own log calls carry kinds, counts and places only. Libraries are kept from leaking: httpx logs
every request URL at INFO, and a Telegram URL holds the bot's token, so it is kept to warnings; and
a filter blanks anything shaped like a bot token, whoever logged it.
"""

from __future__ import annotations

import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

BOT_TOKEN = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{20,}")
QUIET_LIBRARIES = ("httpx", "httpcore", "apscheduler", "telegram.ext.Updater", "uvicorn.access")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if BOT_TOKEN.search(message):
            record.msg, record.args = BOT_TOKEN.sub("<token>", message), None
        return True


def configure_logging(log_format: str = "json", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
