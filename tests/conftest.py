"""Shared test setup: hypothesis profiles (HYPOTHESIS_PROFILE=ci in .ci/run; `dev` by default), and the
fake Telegram Bot API's fixtures (`fake_bot_api`, `fake_user`: see tests/support/README.md) and the
database fixtures (`sqlite_url`, `postgres_url`, `database_url` on both, `settings`, `repo`)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# tests/ is on sys.path (pytest's rootdir-relative imports), so `support` is importable from here and from tests.
pytest_plugins = ["support.fake_bot_api", "support.databases"]

# No per-example deadline: a shared CI machine's pauses are not bugs. Speed is measured by benchmarks.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
