"""Replies become Telegram messages that Telegram accepts: escaped, split, with small keyboards."""

from __future__ import annotations

import pytest

from bot.telegram.render import caption_for, keyboard, messages_for, split_text
from flows.conversations.types import Button, Reply


def test_html_is_escaped_and_the_title_is_bold() -> None:
    [message] = messages_for(Reply("Tom & Jerry <script>", title="A <title>"))
    assert message.text == "<b>A &lt;title&gt;</b>\n\nTom &amp; Jerry &lt;script&gt;"


@pytest.mark.parametrize("length", [4096, 10_000, 50_000])
def test_long_text_is_split_under_the_limit_without_losing_a_character(length: int) -> None:
    text = ("word " * (length // 5))[:length]
    pieces = split_text(text)
    assert all(len(piece) <= 3800 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_a_single_unbroken_run_is_still_split() -> None:
    assert [len(p) for p in split_text("x" * 9000)] == [3800, 3800, 1400]


def test_keyboard_goes_on_the_last_piece_only() -> None:
    reply = Reply("para\n\n" * 2000, buttons=((Button("s:a", "Yes"),), (Button("s:b", "No"),)))
    messages = messages_for(reply)
    assert len(messages) > 1
    assert [m.keyboard is not None for m in messages] == [False] * (len(messages) - 1) + [True]


def test_short_labels_go_two_to_a_row_long_ones_one() -> None:
    short = keyboard(((Button("s:a", "Yes"),), (Button("s:b", "No"),), (Button("s:c", "Maybe"),)))
    assert short is not None and [len(row) for row in short.inline_keyboard] == [2, 1]
    long = keyboard(((Button("s:a", "I rent my home and want to complain"),), (Button("s:b", "No"),)))
    assert long is not None and [len(row) for row in long.inline_keyboard] == [1, 1]
    assert keyboard(()) is None


def test_captions_are_short_or_absent() -> None:
    assert caption_for(Reply("Your letter as a PDF:")) == "Your letter as a PDF:"
    assert caption_for(Reply("x" * 2000)) is None
