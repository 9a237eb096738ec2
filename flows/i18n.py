"""Translations: one gettext domain (`fairsay`), one `Translator` per language.

Every user-facing string goes through a `Translator`, which is passed in explicitly: there is no
process-wide current locale, so two residents answered at the same moment each get their own
language. English is the source language; a language without a catalogue falls back to it.

Catalogues live at `locales/<lang>/LC_MESSAGES/fairsay.po`. The `.mo` files are not committed: this
module only loads them. `bot.catalogues.compile_catalogues()` builds them when missing or older than
their `.po` (in the Docker build, and at start-up for a source checkout), next to the `.po` when that
folder is writable, else in the user's cache folder (`compiled_dir`). A read-only folder whose `.mo`
files are all there and fresh (the image's, compiled at build) is read as it is.
"""

from __future__ import annotations

import gettext
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

import platformdirs
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

DOMAIN = "fairsay"
SOURCE_LANGUAGE = "en"
# British English conventions (day-month order, £) for the source language.
_FORMAT_LOCALE_FOR = {"en": "en_GB"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (it is translated when rendered)."""
    return message


def locales_dir() -> Path:
    """The folder holding `<lang>/LC_MESSAGES/fairsay.po`: the source tree's, else the installed copy."""
    source_tree = Path(__file__).resolve().parent.parent / "locales"
    if source_tree.is_dir():
        return source_tree
    return Path(str(resources.files("locales")))


def compiled_dir(catalogue_root: Path) -> Path:
    """Where the `.mo` files are: beside the `.po` files when that folder is writable or already holds
    them all fresh (the image's), else the user's cache folder."""
    if os.access(catalogue_root, os.W_OK) or _compiled_beside(catalogue_root):
        return catalogue_root
    return Path(platformdirs.user_cache_dir("fairsay")) / "locales"


def _compiled_beside(catalogue_root: Path) -> bool:
    """Every catalogue's `.mo` is next to its `.po` and no older (compiled when it was installed)."""
    for po_path in catalogue_root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            return False
    return True


@cache
def catalogue_languages() -> tuple[str, ...]:
    """Languages that have a catalogue, sorted (English, the source, needs none)."""
    root = locales_dir()
    return tuple(sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


def available_languages() -> list[str]:
    return [SOURCE_LANGUAGE, *[lang for lang in catalogue_languages() if lang != SOURCE_LANGUAGE]]


def forget_loaded() -> None:
    """Read the catalogues afresh on next use (after bot.catalogues compiled them)."""
    for cached in (catalogue_languages, _load_translations, translator):
        cached.cache_clear()


@cache
def _load_translations(language: str) -> gettext.NullTranslations:
    root = compiled_dir(locales_dir())
    mo_path = root / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo_path.exists():
        return gettext.NullTranslations()
    with mo_path.open("rb") as mo_file:
        return gettext.GNUTranslations(mo_file)


def normalise_language(code: str | None) -> str:
    """Map a Telegram/IETF code such as `pl-PL` or `pt_BR` to a catalogue language, else English."""
    if not code:
        return SOURCE_LANGUAGE
    code = code.replace("-", "_")
    known = available_languages()
    if code in known:
        return code
    base = code.split("_", 1)[0].lower()
    return base if base in known else SOURCE_LANGUAGE


# Babel's formatting is thorough but slow (about 25 µs a date); a timeline repeats the same few dates.
@lru_cache(maxsize=8192)
def _format_full_date(value: date, locale: Locale) -> str:
    return babel_format_date(value, "full", locale=locale)


@lru_cache(maxsize=4096)
def _format_whole_number(value: int, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


_DATES_KEPT = 8192  # formatted dates (a few years' worth), and numbers, a translator keeps
_MESSAGES_KEPT = 8192  # translated messages (the catalogue has about 1,300; plurals by count too)

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(value: object) -> str:
    """A value set apart from the text around it, so it keeps its own direction (Unicode isolates)."""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


class IsolatingText(str):
    """A message in a right-to-left language whose `format` isolates every value it fills in: an
    English citation ("Code 6.3 (2024)"), a reference or a number then reads correctly inside
    Arabic or Urdu text instead of having its brackets and order flipped."""

    __slots__ = ()

    def format(self, *args: object, **kwargs: object) -> str:
        return str.format(self, *(isolate(a) for a in args), **{k: isolate(v) for k, v in kwargs.items()})


@dataclass(frozen=True)
class Translator:
    """Messages and formats for one language. Cheap to share; hold no per-user state."""

    language: str
    _translations: gettext.NullTranslations = field(repr=False, compare=False)
    locale: Locale = field(repr=False, compare=False)
    _dates: dict[date, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _numbers: dict[int, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Messages already translated (isolating, for a right-to-left language): a timeline asks for
    # two dozen, each one look-up here instead of three Python calls (this method, gettext's, `_text`).
    _messages: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _plurals: dict[tuple[str, str, int], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _text(self, text: str) -> str:
        return IsolatingText(text) if self.is_right_to_left else text

    def gettext(self, message: str) -> str:
        text = self._messages.get(message)
        if text is None:
            if len(self._messages) >= _MESSAGES_KEPT:
                self._messages.clear()
            text = self._messages[message] = self._text(self._translations.gettext(message))
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        key = (singular, plural, n)
        text = self._plurals.get(key)
        if text is None:
            if len(self._plurals) >= _MESSAGES_KEPT:
                self._plurals.clear()
            text = self._plurals[key] = self._text(self._translations.ngettext(singular, plural, n))
        return text

    def pgettext(self, context: str, message: str) -> str:
        return self._text(self._translations.pgettext(context, message))

    def format_date(self, value: date) -> str:
        """A date with its weekday, e.g. "Wednesday, 20 November 2019" (deadlines always say the day)."""
        # The translator's own memo: hashing a babel Locale for a shared cache costs more than the look-up.
        formatted = self._dates.get(value)
        if formatted is None:
            if len(self._dates) >= _DATES_KEPT:
                self._dates.clear()
            formatted = self._dates[value] = _format_full_date(value, self.locale)
        return formatted

    def format_month(self, value: date) -> str:
        """A month and its year, e.g. "August 2026": for what the resident remembers only by the month."""
        return str(format_skeleton("yMMMM", value, locale=self.locale))

    def format_number(self, value: int | float | Decimal) -> str:
        if type(value) is int:  # counts of days, mostly small: memoised as dates are
            formatted = self._numbers.get(value)
            if formatted is None:
                if len(self._numbers) >= _DATES_KEPT:
                    self._numbers.clear()
                formatted = self._numbers[value] = _format_whole_number(value, self.locale)
            return formatted
        if isinstance(value, int):
            return _format_whole_number(value, self.locale)
        return format_decimal(value, locale=self.locale)

    def format_percent(self, share: float | Decimal) -> str:
        """A share from 0 to 1 as the language writes a percentage, e.g. 0.875 -> "88%" (whole percent)."""
        return format_percent(share, locale=self.locale)

    @cached_property
    def is_right_to_left(self) -> bool:
        # Asked for every message: Babel's look-up (several dictionary merges) once per translator.
        return bool(self.locale.character_order == "right-to-left")


@cache
def translator(language: str = SOURCE_LANGUAGE) -> Translator:
    """The translator for `language` (a catalogue language; anything else gets English)."""
    language = normalise_language(language)
    try:
        locale = Locale.parse(_FORMAT_LOCALE_FOR.get(language, language))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse("en_GB")
    return Translator(language, _load_translations(language), locale)
