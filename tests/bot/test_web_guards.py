"""The per-address limit on emailed sign-in links: IPv6 counted by its /64, and its memory bounded
however many addresses a flood comes from."""

from __future__ import annotations

from bot.web.guards import RateLimit


def test_addresses_in_one_ipv6_64_share_a_count() -> None:
    limit = RateLimit(2, 3600, clock=lambda: 0.0)
    assert [limit.allow(f"2001:db8:1:2::{n:x}") for n in range(3)] == [True, True, False]
    assert limit.allow("2001:db8:1:3::1")  # the next /64 is someone else


def test_a_flood_from_many_networks_within_the_window_keeps_memory_bounded() -> None:
    now = [0.0]
    limit = RateLimit(20, 3600, clock=lambda: now[0], max_keys=100)
    for n in range(1_000):  # a different /64 each time, all within the hour
        now[0] += 1
        assert limit.allow(f"2001:db8:{n:x}::1")
    assert len(limit._seen) <= 100
    assert limit.allow("2001:db8:ffff::1")  # a newcomer is still let in
