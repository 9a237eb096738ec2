"""Shared test setup: hypothesis profiles (HYPOTHESIS_PROFILE=ci in .ci/run; `dev` by default)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No per-example deadline: a shared CI machine's pauses are not bugs. Speed is measured by benchmarks.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
