"""Free text as people typed it, minus the invisible characters that can disguise it.

Bidirectional controls (U+202E "right-to-left override" and friends) make "evil.exe" read as
"exe.live" and can flip the order of a name and an amount in a letter; zero-width characters make two
different strings look the same. Neither is needed in a name, an address or a reason, so they go where
text enters (the chat's `Incoming`, a landlord's action), before anyone else sees it. The joiners
U+200C and U+200D stay between two visible characters: Bengali, Urdu and emoji sequences need them.
"""

from __future__ import annotations

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
)
_JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner


def without_hidden_controls(text: str) -> str:
    """`text` without bidi controls and zero-width characters (joiners kept inside a word)."""
    if text.isascii():
        return text
    kept: list[str] = []
    for index, char in enumerate(text):
        if char in _BIDI_CONTROLS or char in _ZERO_WIDTH:
            continue
        if char in _JOINERS:
            after = text[index + 1 : index + 2]
            if not (kept and _visible(kept[-1]) and after and _visible(after)):
                continue
        kept.append(char)
    return "".join(kept)


def _visible(char: str) -> bool:
    return not char.isspace() and char not in _BIDI_CONTROLS and char not in _ZERO_WIDTH | _JOINERS
