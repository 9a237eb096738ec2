"""Shared test setup: hypothesis profiles (HYPOTHESIS_PROFILE=ci in .ci/run; `dev` by default), and the
fake Telegram Bot API's fixtures (`fake_bot_api`, `fake_user`: see tests/support/README.md) and the
database fixtures (`sqlite_url`, `postgres_url`, `database_url` on both, `settings`, `repo`)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from bot.catalogues import compile_catalogues

# tests/ is on sys.path (pytest's rootdir-relative imports), so `support` is importable from here and from tests.
pytest_plugins = ["support.fake_bot_api", "support.databases"]

# No per-example deadline: a shared CI machine's pauses are not bugs. Speed is measured by benchmarks.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The catalogues compiled once, as `fairsay` does at start-up: a fresh checkout has no `.mo`, and
    `flows.i18n` only loads them (without this, a translated test passed only after another compiled)."""
    compile_catalogues()
