"""Case references a resident can read out on the phone: 8 random characters, never a counter.

Crockford's base32 alphabet (no I, L, O or U), so a ref survives being read aloud or copied by hand;
typed refs are normalised the Crockford way (o -> 0, i/l -> 1, case and dashes ignored).
32**8 is about 10**12 refs, so a clash is rare; the unique constraint catches the one that happens.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_TYPING_SLIPS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_public_ref() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_ref(typed: str) -> str | None:
    """The ref someone typed, in stored form, or None when it cannot be a ref."""
    ref = typed.strip().upper().replace("-", "").replace(" ", "").translate(_TYPING_SLIPS)
    if len(ref) != LENGTH or any(char not in ALPHABET for char in ref):
        return None
    return ref
