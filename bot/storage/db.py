"""The database engine from `DATABASE_URL`, the start-up checks, and the migrations (Alembic, configured
in code: no alembic.ini).

SQLite is embedded: `open_database` creates its folder and upgrades it on start. PostgreSQL is shared
by other instances, so it is upgraded on purpose with `fairsay db upgrade`; start-up only checks it.
Whatever goes wrong on the way surfaces as one `StorageError` line naming `DATABASE_URL`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from bot.settings import Settings, data_dir
from bot.storage.errors import StorageError
from bot.storage.private_files import private_file, private_folder, tighten

SQLITE_BUSY_TIMEOUT_MS = 5_000
POSTGRES_CONNECT_TIMEOUT_S = 3
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATIONS_NOT_CURRENT = "migrations not current"
REFERENCES_RECHECK = timedelta(minutes=10)
EXPECTED = "expected sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE"

# WAL: readers never wait for the writer. synchronous=NORMAL is safe with WAL (a crash of the app loses
# nothing; a power cut may lose the last commits, never corrupts) and saves an fsync per commit.
# secure_delete: a deleted row's bytes are overwritten with zeros, not left in its page for anyone
# holding the file (or a backup of it) to read; `checkpoint` then clears the WAL's older copies.
# cache_size: each connection's page cache at most 512 KiB (SQLite's default is 2 MB, which filled as
# the database grew and was most of the bot's memory growth with many conversations). A step touches
# a few dozen pages; a page missed is read from the OS's file cache: 11.5 reads a store step against
# 6.2 with 2 MB (1 µs or so each), measured on 10,000 conversations.
SQLITE_CACHE_KIB = 512
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}",
)


def parse_database_url(text: str) -> URL:
    """The URL to connect with (`postgresql://` means psycopg 3), or StorageError saying what is wrong."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        # Never echo the value: a mistyped URL may still hold a password.
        raise StorageError(f"DATABASE_URL is not a database URL ({EXPECTED})") from None
    backend, _, driver = url.drivername.partition("+")
    if backend == "sqlite":
        if driver not in ("", "pysqlite"):
            raise StorageError(f"DATABASE_URL: SQLite driver {driver!r} is not supported ({EXPECTED})")
        if url.database in (None, "", ":memory:"):
            raise StorageError("DATABASE_URL: an in-memory SQLite database forgets everything; name a file")
        return url
    if backend in ("postgresql", "postgres"):
        if driver not in ("", "psycopg"):
            raise StorageError(
                f"DATABASE_URL: PostgreSQL driver {driver!r} is not supported; use postgresql://"
            )
        return url.set(drivername="postgresql+psycopg")
    raise StorageError(f"DATABASE_URL: unsupported database {backend!r} ({EXPECTED})")


def require_database_folder(text: str) -> None:
    """StorageError when DATABASE_URL names a SQLite file in a folder that does not exist (a mistyped
    path would otherwise become a new, empty database); the default data folder is exempt: it is
    made on first run."""
    url = parse_database_url(text)
    if url.get_backend_name() != "sqlite":
        return
    folder = Path(str(url.database)).expanduser().parent
    if not folder.is_dir() and folder.absolute() != data_dir().absolute():
        raise StorageError(
            f"DATABASE_URL: the folder {folder} does not exist: create it, or correct the path"
        )


def make_engine(url: str | URL, *, sqlite_busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the URL, set up as storage expects (no connection is made yet)."""
    url = parse_database_url(url) if isinstance(url, str) else url
    if url.get_backend_name() != "sqlite":
        return create_engine(
            url,
            connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S, "application_name": "fairsay"},
            # No ping before each use (a round trip per update): a connection found dead mid-update is
            # invalidated by SQLAlchemy and the whole unit of work runs again on a fresh one
            # (dialects.is_retryable), so a database restart still fails no update.
            pool_pre_ping=False,
            pool_size=10,
            max_overflow=10,
        )
    path = Path(str(url.database))
    _private_database_file(path)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000}
    )
    _configure_sqlite(engine)
    return engine


def _private_database_file(path: Path) -> None:
    """The database and its WAL files 0600 (SQLite gives the WAL files the database's mode). A folder
    made here, or the default data folder, is 0700; a folder the operator chose is left alone."""
    try:
        if not path.parent.exists() or path.parent == data_dir():
            private_folder(path.parent)
    except OSError as error:
        raise StorageError(
            f"DATABASE_URL: cannot create the folder {path.parent} ({error.strerror})"
        ) from None
    try:
        if not path.exists():
            private_file(path)  # empty: SQLite takes it as a new database
    except OSError:
        raise StorageError(
            f"DATABASE_URL: cannot open or write {path} (check the file's and folder's permissions)"
        ) from None
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        tighten(file)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is off: we issue BEGIN ourselves, below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
        _require_foreign_keys(dbapi_connection)

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # Checked on every use, not once: a connection handed back with foreign keys off would let
        # every later delete skip its cascades (erasure that leaves the data behind). A few µs.
        _require_foreign_keys(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Take the write lock at the start, not at the first write: a transaction that read and then
        # finds another writer got in first could only fail. Waiting in line (busy timeout) is simpler.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _require_foreign_keys(dbapi_connection: Any) -> None:
    """Foreign keys on for this SQLite connection, or StorageError (the pool then discards it)."""
    if dbapi_connection.execute("PRAGMA foreign_keys").fetchone() == (1,):
        return
    if dbapi_connection.in_transaction:  # the pragma is ignored inside a transaction
        dbapi_connection.rollback()
    dbapi_connection.execute("PRAGMA foreign_keys=ON")
    if dbapi_connection.execute("PRAGMA foreign_keys").fetchone() != (1,):
        raise StorageError("DATABASE_URL: SQLite will not enforce foreign keys on this connection")


def checkpoint(engine: Engine) -> bool:
    """SQLite: copy the WAL into the database file and empty it, so no page from before an erasure
    survives in the WAL; False when a reader still needs it (the next checkpoint finishes the job)."""
    if engine.dialect.name != "sqlite":
        return True  # PostgreSQL: autovacuum reclaims the deleted rows' space
    with engine.connect() as connection:
        connection.rollback()  # the pragma must run outside a transaction
        dbapi_connection = connection.connection.dbapi_connection
        assert dbapi_connection is not None
        busy, _, _ = dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy == 0)


def open_database(settings: Settings) -> Engine:
    """The engine for `DATABASE_URL`, checked: an SQLite database is upgraded; PostgreSQL must be current."""
    engine = make_engine(settings.database_url)
    try:
        with storage_errors(engine.url):
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            if engine.dialect.name == "sqlite":
                current = current_revision(engine)
                _require_known_revision(current)
                if current != head_revision():  # nothing to migrate on most starts: no migration connection
                    upgrade(engine)
            else:
                _require_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def storage_errors(url: URL) -> Iterator[None]:
    """Turn a driver's or Alembic's failure into a StorageError line."""
    try:
        yield
    except DBAPIError as error:
        raise StorageError(describe_failure(str(error.orig), url)) from None
    except CommandError as error:
        raise StorageError(f"DATABASE_URL: {error}") from None


def describe_failure(message: str, url: URL) -> str:
    first_line = (message.strip().splitlines() or ["unknown error"])[0]
    lowered = first_line.lower()
    if url.get_backend_name() == "sqlite":
        path = url.database
        if "not a database" in lowered or "malformed" in lowered:
            return f"DATABASE_URL: {path} is not a usable SQLite database (damaged, or another kind of file)"
        if "locked" in lowered or "busy" in lowered:
            return f"DATABASE_URL: the SQLite database {path} is locked by another program"
        if "unable to open" in lowered or "readonly" in lowered:
            return f"DATABASE_URL: cannot open or write {path} (check the file's and folder's permissions)"
        return f"DATABASE_URL: SQLite failed on {path}: {first_line[:200]}"
    # psycopg says 'connection failed: connection to server at "h", port p failed: Connection refused'.
    reason = first_line.rsplit("FATAL:", 1)[-1].rsplit("failed:", 1)[-1].strip() or first_line
    if "timeout" in reason.lower():
        reason = f"no answer within {POSTGRES_CONNECT_TIMEOUT_S} s"
    host = url.host or url.query.get("host") or "localhost"  # a Unix socket folder comes as ?host=
    where = f"{host}:{url.port or 5432}/{url.database or ''}"
    return f"DATABASE_URL: cannot use PostgreSQL at {where}: {reason[:200]}"


# Migrations -------------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def broken_references(engine: Engine) -> int:
    """How many rows point at a row that is gone (SQLite's foreign_key_check; PostgreSQL: none)."""
    with engine.connect() as connection:
        return len(foreign_key_problems(connection))


def readiness_problem(engine: Engine) -> str | None:
    """What keeps the database from serving (for `fairsay health`), or None."""
    return Readiness(engine).problem(datetime.now(UTC))


class Readiness:
    """/readyz's answer. foreign_key_check reads every row (seconds on a large database); with foreign
    keys checked on every connection no reference breaks between probes, so a clean result holds for
    REFERENCES_RECHECK, while a problem is looked for again on every probe (a repair shows at once)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._references_held_at: datetime | None = None

    def problem(self, now: datetime) -> str | None:
        if not is_current(self.engine):
            return MIGRATIONS_NOT_CURRENT
        held_at = self._references_held_at
        if held_at is not None and now - held_at < REFERENCES_RECHECK:
            return None
        if broken := broken_references(self.engine):
            self._references_held_at = None
            return f"{broken} broken references"
        self._references_held_at = now
        return None


def upgrade(target: Engine | str, revision: str = "head") -> None:
    with (
        _engine_for(target) as engine,
        storage_errors(engine.url),
        _migration_connection(engine) as connection,
    ):
        command.upgrade(alembic_config(connection), revision)


def downgrade(target: Engine | str, revision: str = "-1") -> None:
    """One step down by default."""
    with (
        _engine_for(target) as engine,
        storage_errors(engine.url),
        _migration_connection(engine) as connection,
    ):
        command.downgrade(alembic_config(connection), revision)


def _require_known_revision(current: str | None) -> None:
    if current is None:
        return
    try:
        known = ScriptDirectory.from_config(alembic_config()).get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        raise StorageError(
            f"DATABASE_URL: the database is at revision {current!r}, which this version of Fair Say "
            "does not know (a newer version upgraded it)"
        )


def _require_current(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    _require_known_revision(current)
    where = "has no Fair Say tables yet" if current is None else f"is at revision {current}, not {head}"
    raise StorageError(f"DATABASE_URL: the PostgreSQL database {where}: run `fairsay db upgrade`")


@contextmanager
def _engine_for(target: Engine | str) -> Iterator[Engine]:
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for Alembic. On SQLite, foreign keys are off while migrating: batch mode rebuilds a
    table by dropping it, and with foreign keys on, dropping a parent would cascade to its children.
    So that connection never goes back to the pool: the next one is made afresh, foreign keys on."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if not sqlite:
            try:
                yield connection
            except BaseException:
                connection.invalidate()  # never hand a half-configured connection back to the pool
                raise
            return
        try:
            broken_before = len(foreign_key_problems(connection))
            connection.rollback()
            _outside_transaction(connection, "PRAGMA foreign_keys=OFF")
            yield connection
            # Reading an up-to-date database's revision leaves a transaction open: end it before checking.
            connection.rollback()
            broken = len(foreign_key_problems(connection))
            connection.rollback()
        finally:
            connection.invalidate()
        # References already broken (an erasure that ran with foreign keys off) are `repair`'s to mend;
        # a migration that breaks more has a bug.
        if broken > broken_before:
            raise StorageError(f"DATABASE_URL: the migration left {broken - broken_before} broken references")


def foreign_key_problems(connection: Connection) -> list[tuple[str, int, str, int]]:
    """SQLite's `foreign_key_check`: (table, rowid, referred table, key index) of each row pointing at
    nothing. Always empty on PostgreSQL, which never lets a reference break."""
    if connection.dialect.name != "sqlite":
        return []
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    return [(str(table), int(rowid), str(parent), int(key)) for table, rowid, parent, key in rows]


def _outside_transaction(connection: Connection, pragma: str) -> None:
    # SQLite ignores these pragmas inside a transaction, and the Connection would begin one.
    dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection is not None
    cursor = dbapi_connection.cursor()
    cursor.execute(pragma)
    cursor.close()
