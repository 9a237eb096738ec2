"""Fixtures shared by the domain's tests."""

from __future__ import annotations

import pytest
from support.wrapping import wrapping_translator

from flows.i18n import Translator


@pytest.fixture
def wrapping() -> Translator:
    """Every translated message marked «like this»: text that skipped gettext stands out."""
    return wrapping_translator()
