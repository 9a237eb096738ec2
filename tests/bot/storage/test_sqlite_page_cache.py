"""SQLite's page cache is bounded per connection, so the bot's memory does not grow with its database."""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import pytest

from bot.storage.db import SQLITE_CACHE_KIB, make_engine


def _sqlite_memory_used() -> int:
    """Bytes SQLite holds in this process (every connection): the library _sqlite3 loaded."""
    name = ctypes.util.find_library("sqlite3")
    if name is None:
        pytest.skip("the SQLite library is linked statically: its counters are out of reach")
    library = ctypes.CDLL(name)
    library.sqlite3_memory_used.restype = ctypes.c_int64
    return int(library.sqlite3_memory_used())


def test_every_pooled_connection_gets_the_small_page_cache(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        first, second = engine.raw_connection(), engine.raw_connection()  # two of the pool at once
        for connection in (first, second):
            assert connection.driver_connection is not None
            assert connection.driver_connection.execute("PRAGMA cache_size").fetchone() == (
                -SQLITE_CACHE_KIB,
            )
            connection.close()
    finally:
        engine.dispose()


def test_reading_a_database_larger_than_the_cache_keeps_sqlite_memory_bounded(tmp_path: Path) -> None:
    """8 MB of rows read through one connection: SQLite's default cache (2 MB) would keep 2 MB of them."""
    engine = make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB)")
            connection.exec_driver_sql(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                "INSERT INTO filler (body) SELECT randomblob(4000) FROM n"
            )
        engine.dispose()  # the writes' pages gone with their connection: the reads start from nothing
        held_before = _sqlite_memory_used()
        with engine.connect() as connection:
            total = connection.exec_driver_sql("SELECT sum(length(body)) FROM filler").scalar()
            assert total == 8_000_000
            held = _sqlite_memory_used() - held_before
        assert held < SQLITE_CACHE_KIB * 1024 * 1.5, f"SQLite holds {held:,} bytes for one connection"
    finally:
        engine.dispose()
