"""getUpdates' JSON as Telegram sent it, for the inbox: storing that costs nothing, while rebuilding
it from PTB's objects (`Update.to_dict`) was a tenth of a resident step's CPU.

The request object PTB uses for getUpdates (and nothing else) keeps the last answer's updates; the
long-polling loop (bot/telegram/inbox.py) stores each update's own dict, matched by its update id.
"""

from __future__ import annotations

from typing import Any

from telegram.request import BaseRequest, HTTPXRequest

from bot.telegram.aiohttp_request import AiohttpRequest


class KeepsRawUpdates(BaseRequest):
    """A mixin: `last_updates` is the last getUpdates answer, by update id."""

    last_updates: dict[int, dict[str, Any]] = {}  # noqa: RUF012 (replaced, never changed in place)

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        # PTB's documented place to change how answers are parsed (an instance method here).
        parsed = super().parse_json_payload(payload)
        result = parsed.get("result")
        if isinstance(result, list):  # PTB parses each dict into an Update without changing it
            self.last_updates = {
                item["update_id"]: item for item in result if isinstance(item, dict) and "update_id" in item
            }
        return parsed


class RawAiohttpRequest(KeepsRawUpdates, AiohttpRequest):
    pass


class RawHTTPXRequest(KeepsRawUpdates, HTTPXRequest):
    pass


def updates_request(http: str) -> KeepsRawUpdates:
    """The getUpdates request object for TELEGRAM_HTTP: one connection, as PTB's own default."""
    if http == "aiohttp":
        return RawAiohttpRequest(connection_pool_size=1)
    return RawHTTPXRequest(connection_pool_size=1)
