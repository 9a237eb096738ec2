"""Where a landlord's webhook may point: a public address, never into the host's own network.

A webhook URL is the operator's to set, but a typo or a compromised landlord contact must not turn
the delivery worker into a way to reach the database, the cloud's metadata service or the machine's
own ports. Loopback, private, link-local, shared, multicast and reserved addresses are refused when
the URL is set (`refusal`) and again when each delivery connects (`PublicResolver`, against a name
that resolved to a public address then and to a private one now). WEBHOOK_ALLOW_LOOPBACK lets
127.0.0.1, ::1 and localhost through, for tests and local trials.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# RFC 6761 names that never resolve on the internet: not looked up (tests stay offline); a send
# connects only after PublicResolver has checked what they resolve to then.
_NEVER_PUBLIC_SUFFIXES = (".example", ".test", ".invalid")


class PrivateAddress(Exception):
    """The webhook's host is, or resolves to, an address inside a private or local network."""


def address_refused(address: Address, allow_loopback: bool) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return not allow_loopback
    return not address.is_global or address.is_multicast


def refusal(url: str, allow_loopback: bool, *, resolve: bool = True) -> str | None:
    """What is wrong with `url` as a webhook, or None: https (http only to loopback, when allowed),
    and a host that is not, and does not resolve to, a private or local address."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or parts.scheme not in ("https", "http"):
        return "expected an https:// address"
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    local_name = host == "localhost" or host.endswith(".localhost")
    if parts.scheme == "http" and not (allow_loopback and (local_name or (literal and literal.is_loopback))):
        return "expected an https:// address"
    if local_name:
        return None if allow_loopback else "this machine's own address is refused"
    if literal is not None:
        return (
            "a private or local network address is refused"
            if address_refused(literal, allow_loopback)
            else None
        )
    if not resolve or host.endswith(_NEVER_PUBLIC_SUFFIXES):
        return None
    try:
        found = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None  # not resolvable yet: checked again at each send
    if any(address_refused(ipaddress.ip_address(info[4][0]), allow_loopback) for info in found):
        return "it resolves to a private or local network address, which is refused"
    return None


class PublicResolver(AbstractResolver):
    """aiohttp's resolver, refusing a name that resolves to any refused address: the check is made
    on the very addresses the connection will use."""

    def __init__(self, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback
        self._resolver = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        if any(address_refused(ipaddress.ip_address(item["host"]), self.allow_loopback) for item in found):
            raise PrivateAddress
        return found

    async def close(self) -> None:
        await self._resolver.close()
