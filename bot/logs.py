"""Logging: one JSON object per line (LOG_FORMAT=json, the default) or plain text, never personal data.

Our own log calls (loggers under `bot` and `flows`) carry kinds, counts and places only, at INFO and
above. Libraries speak at WARNING and above only: their INFO is noise to an operator (fontTools logs
about 20 lines per PDF it subsets) or a leak (httpx logs every request URL, and a Telegram URL holds
the bot's token). Anything shaped like a bot token is blanked, whoever logged it and wherever it is
in the line (message, extra fields, a traceback), and uvicorn's `color_message` (the message again,
with terminal colour codes) is dropped so no ANSI codes reach the JSON.
"""

from __future__ import annotations

import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

BOT_TOKEN = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{20,}")
OWN_LOGGERS = ("bot", "flows")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if BOT_TOKEN.search(message):
            record.msg, record.args = BOT_TOKEN.sub("<token>", message), None
        return True


class PlainText(logging.Filter):
    """No terminal colour codes in the log: uvicorn's coloured copy of its message goes, and any
    escape sequence left in a message is removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        message = record.getMessage()
        if "\x1b" in message:
            record.msg, record.args = ANSI_ESCAPE.sub("", message), None
        return True


def _redacted(text: str) -> str:
    return BOT_TOKEN.sub("<token>", text)


class RedactedJsonFormatter(JsonFormatter):
    """The JSON line with any token blanked: in the message (RedactTokens), and also in the extra
    fields and the traceback of an exception a library logs (aiohttp's errors carry the request URL,
    and a Telegram URL holds the token)."""

    def format(self, record: logging.LogRecord) -> str:
        return _redacted(super().format(record))


class RedactedTextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return _redacted(super().format(record))


def configure_logging(log_format: str = "json", level: int = logging.INFO) -> None:
    """Our loggers at `level`; everyone else's at WARNING (or `level`, if that is stricter)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            RedactedJsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False)
        )
    else:
        handler.setFormatter(RedactedTextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactTokens())
    handler.addFilter(PlainText())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(level, logging.WARNING))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)
