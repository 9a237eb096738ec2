"""The whole journey in Polish and in Arabic (right to left): every message comes out translated, dates in
the language's own words with the weekday, values isolated inside Arabic text, and the letter to the
landlord still in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from memory import Chat, MemoryWorkspace
from script import whole_journey

from bot.catalogues import compile_catalogues
from flows.i18n import translator

ROOT = Path(__file__).resolve().parents[3]


def english_lines() -> set[str]:
    with (ROOT / "locales" / "fairsay.pot").open("rb") as pot:
        messages = [m.id for m in read_po(pot) if m.id]
    lines: set[str] = set()
    for message in messages:
        for text in message if isinstance(message, tuple) else (message,):
            lines.update(
                line.strip() for line in text.split("\n") if len(line.strip()) > 25 and "{" not in line
            )
    return lines


@pytest.mark.parametrize(("language", "weekday"), [("pl", "poniedziałek"), ("ar", "الاثنين")])
def test_whole_journey_in_another_language(language: str, weekday: str) -> None:
    compile_catalogues()
    chat = Chat(MemoryWorkspace(language=language))
    replies = whole_journey(chat)
    text = "\n".join(reply.text for reply in replies)
    english = english_lines()
    leaked = sorted({line for line in text.split("\n") if line.strip() in english})
    assert leaked == [], f"English left in the {language} journey: {leaked[:3]}"
    assert weekday in text  # "Monday, 2 March 2026" in the resident's language
    letter = next(
        reply.document for reply in replies if reply.document and reply.document.filename.endswith(".pdf")
    )
    assert (
        b"Dear Riverside Housing," in letter.data
    )  # the memory workspace's "PDF" is the English letter text
    labels = [button.label for reply in replies for row in reply.buttons for button in row]
    t = translator(language)
    assert t.gettext("Start a new complaint") in labels
    if language == "ar":
        assert t.is_right_to_left
        assert "\u2068" in text and "\u2069" in text  # dates, references and citations isolated
