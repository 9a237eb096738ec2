"""Compiling the translation catalogues (`.po` to `.mo`): by the Docker build, and at start-up for a
source checkout. `flows.i18n` only loads what is compiled here, so the domain never writes files."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flows import i18n


def compile_catalogues() -> list[Path]:
    """Compile each `.po` whose `.mo` is missing or stale; return the `.mo` files written."""
    root = i18n.locales_dir()
    target_root = i18n.compiled_dir(root)
    written = []
    for language in i18n.catalogue_languages():
        po_path = root / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
        mo_path = target_root / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language, domain=i18n.DOMAIN)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp_path = mo_path.with_suffix(".mo.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        tmp_path.replace(mo_path)  # atomic, so a second instance starting at once never reads half a file
        written.append(mo_path)
    i18n.forget_loaded()
    return written
