"""Translations: per-language translators, catalogues compiled when missing or stale, template current."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from bot.catalogues import compile_catalogues
from flows import i18n

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A locales folder with one Polish catalogue translating one message."""
    catalog = Catalog(locale="pl", domain=i18n.DOMAIN)
    catalog.add("Rule: {rule}.", "Zasada: {rule}.")
    po_path = tmp_path / "pl" / "LC_MESSAGES" / "fairsay.po"
    po_path.parent.mkdir(parents=True)
    with po_path.open("wb") as po_file:
        write_po(po_file, catalog)
    monkeypatch.setattr(i18n, "locales_dir", lambda: tmp_path)
    i18n.forget_loaded()
    yield tmp_path
    i18n.forget_loaded()


def test_compiles_a_missing_mo_then_skips_it_until_the_po_changes(fake_locales: Path) -> None:
    mo_path = fake_locales / "pl" / "LC_MESSAGES" / "fairsay.mo"
    assert compile_catalogues() == [mo_path]
    assert i18n.translator("pl").gettext("Rule: {rule}.") == "Zasada: {rule}."
    assert compile_catalogues() == []  # fresh: nothing to do

    older_than_po = mo_path.with_suffix(".po").stat().st_mtime - 10
    os.utime(mo_path, (older_than_po, older_than_po))
    assert compile_catalogues() == [mo_path]


def test_compiles_into_the_cache_folder_when_locales_is_read_only(
    fake_locales: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setattr(i18n.platformdirs, "user_cache_dir", lambda _name: str(cache))
    monkeypatch.setattr(i18n.os, "access", lambda _path, _mode: False)
    written = compile_catalogues()
    assert written == [cache / "locales" / "pl" / "LC_MESSAGES" / "fairsay.mo"]
    assert not (fake_locales / "pl" / "LC_MESSAGES" / "fairsay.mo").exists()
    assert i18n.translator("pl").gettext("Rule: {rule}.") == "Zasada: {rule}."


def test_catalogues_compiled_at_install_are_read_where_they_are(
    fake_locales: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The image compiles the catalogues at build, beside the `.po` files; its service user cannot
    write there, and read them from there instead of compiling them again into its cache at start."""
    built = compile_catalogues()  # as the build does, while the folder is writable
    assert built == [fake_locales / "pl" / "LC_MESSAGES" / "fairsay.mo"]
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setattr(i18n.platformdirs, "user_cache_dir", lambda _name: str(cache))
    monkeypatch.setattr(i18n.os, "access", lambda _path, _mode: False)  # then read-only
    assert compile_catalogues() == []
    assert i18n.translator("pl").gettext("Rule: {rule}.") == "Zasada: {rule}."
    assert list(cache.iterdir()) == []


def test_each_language_has_its_own_translator(fake_locales: Path) -> None:
    compile_catalogues()
    polish, english = i18n.translator("pl"), i18n.translator("en")
    assert polish.gettext("Rule: {rule}.") == "Zasada: {rule}."
    assert english.gettext("Rule: {rule}.") == "Rule: {rule}."
    assert polish.format_date(date(2026, 4, 3)).startswith("piątek")


@pytest.mark.parametrize(
    ("code", "language"),
    [("pl", "pl"), ("pl-PL", "pl"), ("pl_PL", "pl"), ("PL", "pl"), ("fr", "en"), (None, "en")],
)
def test_telegram_language_codes_map_to_a_catalogue(
    fake_locales: Path, code: str | None, language: str
) -> None:
    assert i18n.normalise_language(code) == language


def test_english_dates_carry_the_weekday_and_numbers_their_separators() -> None:
    english = i18n.translator("en")
    assert english.format_date(date(2019, 11, 20)) == "Wednesday, 20 November 2019"
    assert english.format_number(1234) == "1,234"
    assert not english.is_right_to_left


def test_the_committed_template_holds_every_message_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "pyproject.toml"), "-o", str(fresh), str(ROOT)]
    )
    with fresh.open("rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    with (ROOT / "locales" / "fairsay.pot").open("rb") as f:
        committed = {m.id for m in read_po(f) if m.id}
    assert extracted, "extraction found no messages: check [tool.babel] in pyproject.toml"
    missing = extracted - committed
    assert not missing, (
        f"run the README's extraction command; {len(missing)} messages are new: {sorted(missing, key=str)[:3]}"
    )
    assert not committed - extracted, "the template has messages the code no longer uses"


def test_flows_only_loads_the_catalogues(fake_locales: Path) -> None:
    """Compiling writes files: the adapter's job (bot.catalogues), never the domain's."""
    assert i18n.translator("pl").gettext("Rule: {rule}.") == "Rule: {rule}."  # nothing compiled: English
    assert list(fake_locales.rglob("*.mo")) == []
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "flows").rglob("*.py"))
    assert "babel.messages.mofile" not in sources and "def compile_catalogues" not in sources
