"""Hidden characters go from free text where it enters: bidi controls and zero-width characters
that would make a name, an address or a reason read differently from what it is."""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversations.types import Incoming
from flows.landlord_actions import ActionKind, LandlordAction
from flows.text import without_hidden_controls


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Flat 3, \u202e21 Elm Road\u202c", "Flat 3, 21 Elm Road"),
        ("Ann\u200b Smith\ufeff", "Ann Smith"),
        ("\u2066Ali\u2069 \u200eKhan\u200f", "Ali Khan"),
        ("\u061cمحمد", "محمد"),
        ("soft\u00adhyphen\u2060s", "softhyphens"),
        ("\u200dleading and trailing\u200c", "leading and trailing"),
        ("a \u200c b", "a  b"),
        ("নাম", "নাম"),
        ("ক্\u200dষ", "ক্\u200dষ"),  # a joiner inside a Bengali word stays
        ("میں\u200cنے", "میں\u200cنے"),  # a non-joiner inside Urdu stays
        ("👩\u200d🔧", "👩\u200d🔧"),  # an emoji sequence stays
        ("plain ASCII stays as it is", "plain ASCII stays as it is"),
        ("NUL\x00, escape\x1b[2J, DEL\x7f and C1\x85 go", "NUL, escape[2J, DEL and C1 go"),
        ("lines\r\nand\ttabs stay", "lines\r\nand\ttabs stay"),
        ("a\ufe01\ufe02\U000e0100\U000e0101b", "a\ufe01b"),  # one variation selector a character
        ("❤\ufe0f and 葛\U000e0100 stay", "❤\ufe0f and 葛\U000e0100 stay"),
        ("\ufe0fstray", "stray"),
        ("👩\u200d❤\ufe0f\u200d👨", "👩\u200d❤\ufe0f\u200d👨"),  # a selector inside an emoji sequence
        ("\u3164\uffa0blank name", "blank name"),  # Hangul fillers: names that show as nothing
        ("a lone \ud800surrogate\udfff", "a lone surrogate"),
        ("hidden\U000e0069\U000e0067\U000e006e\U000e006f\U000e0072\U000e0065 tags", "hidden tags"),
        (
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f Cymru",
            "🏴\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f Cymru",
        ),
    ],
)
def test_hidden_controls_are_removed_and_joiners_kept_inside_words(typed: str, kept: str) -> None:
    assert without_hidden_controls(typed) == kept


def test_text_from_the_chat_and_a_landlords_reason_arrive_clean() -> None:
    assert Incoming(text="Ann\u202e Smith").text == "Ann Smith"
    action = LandlordAction(ActionKind.DECLINE, date(2026, 3, 10), None, "\u202eNo")
    assert action.reason == "No"
