"""What every request passes before a route sees it, and the client address behind a proxy.

`BodyLimit` counts a request's body as the server hands it over, whatever its transfer encoding
(Content-Length or chunked), and answers 413 as soon as it passes the route's limit: no route ever
holds, or spools to disk, more than that. `TrustedHosts` answers 400 to a `Host` that is not the
service's own public one, so no page or redirect is ever built on an address an attacker chose
(health and readiness probes, which come by the pod's address, are let through).
"""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class BodyTooLarge(Exception):
    """Raised inside a route's body read once the body passes its limit (BodyLimit answers 413)."""


class BodyLimit:
    def __init__(
        self, app: ASGIApp, limit_for: Callable[[str], int], too_large: Callable[[Scope, int], Response]
    ) -> None:
        self.app = app
        self.limit_for = limit_for
        self.too_large = too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            await self.too_large(scope, limit)(scope, receive, send)  # refused unread
            return
        received, started = 0, False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if not started:
                await self.too_large(scope, limit)(scope, receive, send)


class TrustedHosts:
    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hosts and scope["path"] not in PROBE_PATHS:
            host = host_name(Headers(scope=scope).get("host", ""))
            if host not in self.hosts:
                await PlainTextResponse("Unknown host", status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def host_name(value: str) -> str:
    """The host of a Host header or URL authority, lower case, without port or IPv6 brackets."""
    try:
        return (urlsplit(f"//{value}").hostname or "").lower()
    except ValueError:  # e.g. an unclosed "[" bracket
        return ""


def public_hosts(urls: Iterable[str | None]) -> frozenset[str]:
    return frozenset(host for url in urls if url and (host := host_name(urlsplit(url).netloc)))


def parse_networks(value: str) -> tuple[Network, ...]:
    """ "10.0.0.1, 192.168.0.0/16" as networks; ValueError names the first that is not one."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
    )


def client_address(request: Request, trusted_proxies: tuple[Network, ...]) -> str:
    """Who sent the request: the peer, or, when the peer is a trusted proxy, the nearest address
    in X-Forwarded-For that is not one (a client can prepend anything; proxies only append)."""
    peer = request.client.host if request.client else ""
    if not _within(peer, trusted_proxies):
        return peer
    forwarded = [
        hop.strip() for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")
    ]
    for hop in reversed(forwarded):
        if not _within(hop, trusted_proxies):
            return hop if _ip(hop) is not None else peer
    return peer


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _within(text: str, networks: tuple[Network, ...]) -> bool:
    address = _ip(text)
    return address is not None and any(address in network for network in networks)


class RateLimit:
    """At most `limit` events per `window_seconds` for each key, in this process's memory (each
    instance counts its own: the limit is there to slow a flood, not to meter). IPv6 addresses
    count by their /64, which one household or one attacker usually holds whole. At most `max_keys`
    addresses are remembered: past that, those idle longest are forgotten first (a flood from that
    many networks is not slowed by a per-address limit anyway, but must not exhaust memory)."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.max_keys = max_keys
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        now, key = self.clock(), _rate_key(address)
        if key not in self._seen and len(self._seen) >= self.max_keys:
            self._forget_before(now - self.window)
            if len(self._seen) >= self.max_keys:  # still full: a tenth goes, so this scan is rare
                for idle in list(self._seen)[: max(1, self.max_keys // 10)]:  # idle longest first
                    del self._seen[idle]
        times = self._seen.pop(key, None) or deque()
        self._seen[key] = times  # last in the dict's order: the most recently active
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True

    def _forget_before(self, moment: float) -> None:
        for key in [key for key, times in self._seen.items() if not times or times[-1] <= moment]:
            del self._seen[key]


def _rate_key(address: str) -> str:
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else ip) if ip else address
