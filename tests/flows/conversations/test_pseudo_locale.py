"""A pseudo-locale run: every message is shown ⟦àççéñţéð⟧, so any line of the whole journey that is
not marked came from a string left out of gettext."""

from __future__ import annotations

import gettext
import re
from datetime import date
from decimal import Decimal

import pytest
from babel import Locale
from memory import Chat
from script import TYPED, whole_journey

from flows.conversations import complaint, home, referral, stage2
from flows.i18n import Translator

_ACCENTS = str.maketrans("aceinouyACEINOUY", "áçéîñöüýÁÇÉÎÑÖÜÝ")
_PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")
MARK = "⟦"


def pseudo(message: str) -> str:
    """Accented and marked line by line; placeholders untouched."""
    lines = []
    for line in message.split("\n"):
        if not line.strip():
            lines.append(line)
            continue
        parts = _PLACEHOLDER.split(line)
        lines.append(
            MARK + "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTS) for p in parts) + "⟧"
        )
    return "\n".join(lines)


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return pseudo(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)


class PseudoTranslator(Translator):
    """Dates and numbers are the locale's own formats, not messages: marked too, so lines made only
    of them pass."""

    def format_date(self, value: date) -> str:
        return MARK + super().format_date(value) + "⟧"

    def format_number(self, value: int | float | Decimal) -> str:
        return MARK + super().format_number(value) + "⟧"


PSEUDO = PseudoTranslator("xx", PseudoTranslations(), Locale.parse("en_GB"))


def unmarked_lines(text: str) -> list[str]:
    bad = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or MARK in stripped or stripped.startswith("http") or stripped in TYPED:
            continue
        if re.fullmatch(r"[\W\d_]+", stripped):  # bullets, punctuation, numbers alone
            continue
        if re.fullmatch(r"- \S+ \(SHA-256 [0-9a-f]{16}…\)", stripped):  # a file's name and fingerprint
            continue
        if re.fullmatch(r"- \S+: SHA-256 [0-9a-f]{64}", stripped):  # the same, in full (the referral summary)
            continue
        bad.append(stripped)
    return bad


def test_every_string_of_the_whole_journey_goes_through_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (home, complaint, stage2, referral):
        monkeypatch.setattr(module, "translator", lambda language: PSEUDO)
    chat = Chat(translator_for=lambda language: PSEUDO)
    replies = whole_journey(chat)
    assert len(replies) > 60
    problems = []
    for reply in replies:
        problems += unmarked_lines(reply.text)
        for row in reply.buttons:
            for button in row:
                literal = button.data.startswith(("onboarding.language:", "tracking.pick_case:", "case:"))
                if not literal and MARK not in button.label:
                    problems.append(f"button: {button.label}")
    assert problems == [], f"{len(problems)} lines not through gettext, e.g. {problems[:5]}"
