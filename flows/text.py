"""Free text as people typed it, minus the invisible characters that can disguise it.

Bidirectional controls (U+202E "right-to-left override" and friends) make "evil.exe" read as
"exe.live" and can flip the order of a name and an amount in a letter; zero-width characters make two
different strings look the same. Neither is needed in a name, an address or a reason, so they go where
text enters (the chat's `Incoming`, a landlord's action), before anyone else sees it. The joiners
U+200C and U+200D stay between two visible characters: Bengali, Urdu and emoji sequences need them.

Control characters (NUL, escape, C1) and lone surrogates (a JSON "\\ud800") go too: they carry
nothing a person typed, and the databases cannot store them (PostgreSQL refuses NUL; neither can
encode a surrogate). Tag characters, which can spell out hidden ASCII, stay only in the flag
sequences they exist for (England, Scotland, Wales: U+1F3F4 and tags); variation selectors, which
can too, one after a visible character (the emoji or ideograph form it chooses).
"""

from __future__ import annotations

import unicodedata

_BIDI_CONTROLS = frozenset(
    "\u061c"  # Arabic letter mark
    "\u200e\u200f"  # left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
_ZERO_WIDTH = frozenset(
    "\u200b"  # zero-width space
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\ufeff"  # zero-width no-break space (byte order mark)
    "\u180e"  # Mongolian vowel separator
    "\u00ad"  # soft hyphen
    "\u3164\uffa0"  # Hangul fillers, which make a name show as nothing
)
_JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
_LINE_CONTROLS = frozenset("\t\n\r")  # the only control characters a person's text needs
_BLACK_FLAG = "\U0001f3f4"  # a subdivision flag: U+1F3F4, tag letters, U+E007F
_TAGS = range(0xE0000, 0xE0080)
# Letters by their category that show as nothing: the Hangul fillers (choseong, jungseong, the
# compatibility and halfwidth ones).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def without_hidden_controls(text: str) -> str:
    """`text` without bidi controls, zero-width and control characters, lone surrogates and tags
    outside a flag (joiners kept inside a word)."""
    if text.isascii() and (text.isprintable() or not any(_is_control(char) for char in text)):
        return text
    kept: list[str] = []
    for index, char in enumerate(text):
        if char in _BIDI_CONTROLS or char in _ZERO_WIDTH or _is_control(char) or _is_surrogate(char):
            continue
        if ord(char) in _TAGS and not (kept and (kept[-1] == _BLACK_FLAG or ord(kept[-1]) in _TAGS)):
            continue
        if _is_variation_selector(char) and not (
            kept and _visible(kept[-1]) and not _is_variation_selector(kept[-1])
        ):
            continue  # one a character (an emoji's, an ideograph's): a run of them can hide bytes
        if char in _JOINERS:
            after = text[index + 1 : index + 2]
            if not (kept and _visible(kept[-1]) and after and _visible(after)):
                continue
        kept.append(char)
    return "".join(kept)


def _visible(char: str) -> bool:
    return not char.isspace() and char not in _BIDI_CONTROLS and char not in _ZERO_WIDTH | _JOINERS


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code < 0xA0) and char not in _LINE_CONTROLS


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) < 0xE000


def has_words(text: str) -> bool:
    """Whether `text` says something in words: a letter of any script, or a digit. Emoji, punctuation,
    spaces and invisible characters alone do not (they cannot stand in a letter to a landlord)."""
    return any(unicodedata.category(char)[0] in "LN" and char not in _BLANK_LETTERS for char in text)
