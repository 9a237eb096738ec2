"""The webhook route: the submission document POSTed to the landlord's HTTPS endpoint, signed.

    Content-Type: application/json
    Idempotency-Key: <the submission's key, the same on every retry>
    X-FairSay-Timestamp: <unix seconds when this attempt was signed>
    X-FairSay-Signature: v1=<hex HMAC-SHA256 over b"<timestamp>." + body, keyed with the webhook secret>

A 2xx answer means delivered; anything else, or no answer within the timeout, is retried later
with the same key. `verify_signature` is the reference check for the receiving end (docs/landlords.md
has the same algorithm to copy).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import aiohttp

TIMEOUT_SECONDS = 10.0
TIMESTAMP_HEADER = "X-FairSay-Timestamp"
SIGNATURE_HEADER = "X-FairSay-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class WebhookRefused(Exception):
    """The endpoint answered, but not with 2xx; `status` is its HTTP status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signed_headers(secret: str, idempotency_key: str, body: bytes, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: idempotency_key,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify_signature(
    secret: str,
    body: bytes,
    timestamp_header: str | None,
    signature_header: str | None,
    now: datetime | float,
    tolerance_seconds: int = 300,
) -> bool:
    """True when the request was signed with `secret` over exactly these bytes, within
    `tolerance_seconds` of `now` (either way), so a captured request cannot be replayed later.
    Pass the raw body as received, before any JSON parsing."""
    if not timestamp_header or not signature_header or not _is_unix_seconds(timestamp_header):
        return False
    timestamp = int(timestamp_header)
    current = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body).encode()
    # Several "v1=..." values, comma-separated, may come while a secret is being rotated.
    return any(hmac.compare_digest(given.strip().encode(), expected) for given in signature_header.split(","))


def _is_unix_seconds(text: str) -> bool:
    # ASCII digits only: "²".isdigit() is True but int("²") fails; 12 digits outlast any clock.
    return text.isascii() and text.isdigit() and len(text) <= 12


async def post(
    session: aiohttp.ClientSession, url: str, secret: str, idempotency_key: str, body: bytes, now: datetime
) -> None:
    """Deliver once; raises `WebhookRefused` for a non-2xx answer, aiohttp's errors for the network."""
    headers = signed_headers(secret, idempotency_key, body, now)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with session.post(
        url, data=body, headers=headers, timeout=timeout, allow_redirects=False
    ) as answer:
        await answer.read()  # let the connection be reused
        if not 200 <= answer.status < 300:
            raise WebhookRefused(answer.status)
