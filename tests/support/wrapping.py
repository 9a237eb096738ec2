"""A translator that marks every translated message «like this», so text that skipped gettext stands
out (the `wrapping` fixture, tests/flows/conftest.py), and `strip_wrapped` to find what is left."""

from __future__ import annotations

import gettext
import re

from babel import Locale

from flows.i18n import Translator


class WrappingTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        # gettext("") returns the catalogue header in a real catalogue: never ask for it.
        assert message, "gettext called with an empty message"
        return f"«{message}»"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"

    def pgettext(self, context: str, message: str) -> str:
        return f"«{message}»"


def wrapping_translator() -> Translator:
    return Translator("xx", WrappingTranslations(), Locale.parse("en_GB"))


_INNERMOST = re.compile(r"«[^«»]*»")


def strip_wrapped(text: str) -> str:
    """Remove every «…» span, innermost first (a menu line wraps a wrapped title)."""
    while _INNERMOST.search(text):
        text = _INNERMOST.sub("", text)
    return text
