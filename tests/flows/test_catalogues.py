"""Every catalogue under locales/ is complete and safe to use: all messages translated (every plural
form its language needs, per CLDR as babel knows it), placeholders, commands and addresses kept, no
markup added. English falls back silently, so these are checked, not assumed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.catalogues import compile_catalogues
from flows.i18n import catalogue_languages, translator

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
LANGUAGES = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/fairsay.po"))
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
COMMAND = re.compile(r"(?<![\w/.])/[a-z]+\b")
URL = re.compile(r"https?://\S+")
MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


TEMPLATE = load(LOCALES / "fairsay.pot")
SOURCE = [message for message in TEMPLATE if message.id]


def forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def source_text(message: Message) -> str:
    return " ".join(message.id) if isinstance(message.id, (tuple, list)) else message.id


def test_there_are_at_least_seven_languages_besides_english() -> None:
    assert {"cy", "pl", "ro", "ur", "bn", "ar"} <= set(LANGUAGES)
    assert len(LANGUAGES) >= 7
    assert list(catalogue_languages()) == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_for_the_current_template(language: str) -> None:
    catalogue = load(LOCALES / language / "LC_MESSAGES" / "fairsay.po", language)
    missing, fuzzy, empty = [], [], []
    for message in SOURCE:
        translated = catalogue.get(message.id)
        if translated is None:
            missing.append(message.id)
        elif translated.fuzzy:
            fuzzy.append(message.id)
        elif not all(forms(translated)):
            empty.append(message.id)
    stale = [m.id for m in catalogue if m.id and TEMPLATE.get(m.id) is None and not m.obsolete]
    assert (missing, fuzzy, empty) == ([], [], []), (
        f"{language}: {len(missing)} missing, {len(fuzzy)} fuzzy, {len(empty)} untranslated; "
        f"first: {(missing + fuzzy + empty)[:3]}"
    )
    assert stale == [], f"{language}: messages no longer in the code: {stale[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_match_the_languages_rules(language: str) -> None:
    catalogue = load(LOCALES / language / "LC_MESSAGES" / "fairsay.po", language)
    rule = get_plural(language)
    assert catalogue.num_plurals == rule.num_plurals, f"{language}: header says {catalogue.num_plurals} forms"
    for message in SOURCE:
        if isinstance(message.id, (tuple, list)):
            translated = catalogue.get(message.id)
            assert translated is not None
            assert len(forms(translated)) == rule.num_plurals and all(forms(translated)), message.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_commands_and_addresses_are_kept(language: str) -> None:
    catalogue = load(LOCALES / language / "LC_MESSAGES" / "fairsay.po", language)
    problems = []
    for message in SOURCE:
        translated = catalogue.get(message.id)
        if translated is None or translated.fuzzy:
            continue  # reported by the completeness test
        texts = forms(translated)
        if isinstance(message.id, (tuple, list)):
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for index, text in enumerate(texts):
                got = set(PLACEHOLDER.findall(text))
                may_omit = {"{n}"} if index < len(texts) - 1 else set()
                if got - wanted or wanted - got - may_omit:
                    problems.append(("placeholders", message.id[0], text))
        else:
            if texts[0] and set(PLACEHOLDER.findall(texts[0])) != set(PLACEHOLDER.findall(message.id)):
                problems.append(("placeholders", message.id, texts[0]))
        joined = " ".join(texts)
        source = source_text(message)
        for command in set(COMMAND.findall(URL.sub("", source))):
            if command not in joined:
                problems.append(("command", command, source))
        for url in URL.findall(source):
            if url not in joined:
                problems.append(("address", url, source))
        if MARKUP.search(joined) and not MARKUP.search(source):
            problems.append(("markup", source, joined))
    assert problems == [], f"{language}: {len(problems)} problems, e.g. {problems[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_translates_at_run_time(language: str) -> None:
    compile_catalogues()
    t = translator(language)
    assert t.language == language
    assert t.gettext("What would you like to do?") != "What would you like to do?"
    plural = t.ngettext(
        "On the way we skipped {n} weekend day.", "On the way we skipped {n} weekend days.", 3
    )
    assert plural != "On the way we skipped {n} weekend days."


def test_right_to_left_languages_isolate_what_they_fill_in() -> None:
    for language in ("ar", "ur"):
        t = translator(language)
        assert t.is_right_to_left
        text = t.gettext("Rule: {rule}.").format(rule="Code 6.3 (2024)")
        assert "\u2068Code 6.3 (2024)\u2069" in text
    assert "\u2068" not in translator("pl").gettext("Rule: {rule}.").format(rule="Code 6.3 (2024)")
