"""Database fixtures (a pytest plugin, registered in tests/conftest.py): each test gets a fresh database on SQLite (a file in its tmp folder) and on
PostgreSQL (its own schema inside a database created for this run, dropped at the end), so runs
never collide. Without a reachable PostgreSQL those tests skip and say why.

FAIRSAY_TEST_POSTGRES_URL names the server (default: postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bot.settings import Settings
from bot.storage.db import upgrade
from bot.storage.repository import Repository


def make_settings(url: str, tmp_path: Path, **values: object) -> Settings:
    return Settings.from_values(database_url=url, evidence_dir=tmp_path / "evidence", **values)


ADMIN_URL = os.environ.get("FAIRSAY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _conninfo(url: str) -> str:
    parsed = make_url(url)
    return f"host={parsed.host} port={parsed.port or 5432} user={parsed.username} dbname={parsed.database}"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of our own for this run, e.g. fairsay_test_3f9a1c2e; the URL of it."""
    try:
        admin = psycopg.connect(_conninfo(ADMIN_URL), connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {make_url(ADMIN_URL).host}: {str(error).splitlines()[0]}")
    name = f"fairsay_test_{secrets.token_hex(4)}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """An empty schema of its own for one test (search_path set through the URL)."""
    schema = f"t_{secrets.token_hex(4)}"
    with psycopg.connect(_conninfo(postgres_database), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{postgres_database}?options=-csearch_path%3D{schema}"
    with psycopg.connect(_conninfo(postgres_database), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'fairsay.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database, once on each backend."""
    url: str = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param])
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


@pytest.fixture
def repo(settings: Settings) -> Iterator[Repository]:
    """A repository on an upgraded database (SQLite upgrades on open; PostgreSQL is upgraded here)."""
    if settings.database_url.startswith("postgresql"):
        upgrade(settings.database_url)
    repository = Repository.open(settings)
    yield repository
    repository.close()


@pytest.fixture
def postgres_repo(postgres_url: str, tmp_path: Path) -> Iterator[Repository]:
    upgrade(postgres_url)
    repository = Repository.open(make_settings(postgres_url, tmp_path))
    yield repository
    repository.close()
