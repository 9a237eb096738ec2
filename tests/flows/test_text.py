"""Hidden characters go from free text where it enters: bidi controls and zero-width characters
that would make a name, an address or a reason read differently from what it is."""

from __future__ import annotations

from datetime import date

import pytest

from flows.conversations.engine import Incoming
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
    ],
)
def test_hidden_controls_are_removed_and_joiners_kept_inside_words(typed: str, kept: str) -> None:
    assert without_hidden_controls(typed) == kept


def test_text_from_the_chat_and_a_landlords_reason_arrive_clean() -> None:
    assert Incoming(text="Ann\u202e Smith").text == "Ann Smith"
    action = LandlordAction(ActionKind.DECLINE, date(2026, 3, 10), None, "\u202eNo")
    assert action.reason == "No"
