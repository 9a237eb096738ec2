"""Letters as PDF (with the resident's words as written) and zip packs with fingerprints."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime

from pypdf import PdfReader

from bot.services.documents import PackFile, render_pdf, zip_files
from flows.conversations.workspace import Letter


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_letter_pdf_keeps_the_residents_words_in_any_script() -> None:
    body = "Dear Riverside Housing,\n\nWhat happened\nŁazienka jest zawilgocona — Ćma. Пліснява. رطوبة 🙂\n\nYours sincerely,\nAmina"
    document = render_pdf(Letter("Formal complaint (stage 1)", body, "letter.pdf"))
    assert document.filename == "letter.pdf" and document.mime_type == "application/pdf"
    assert document.data.startswith(b"%PDF-")
    text = pdf_text(document.data)
    assert "Formal complaint (stage 1)" in text
    assert "Łazienka jest zawilgocona" in text and "Пліснява" in text
    assert "Dear Riverside Housing," in text


def test_a_long_letter_runs_over_pages_with_numbers() -> None:
    body = "\n\n".join(f"Paragraph {n}: " + "the kitchen ceiling still leaks. " * 20 for n in range(40))
    document = render_pdf(Letter("Long", body, "long.pdf"), made_at=datetime(2026, 3, 2, tzinfo=UTC))
    reader = PdfReader(io.BytesIO(document.data))
    assert len(reader.pages) > 3
    assert f"1/{len(reader.pages)}" in reader.pages[0].extract_text()


def test_zip_pack_lists_every_file_with_its_sha256() -> None:
    files = [PackFile("summary.pdf", b"%PDF-1.4 x"), PackFile("evidence/01-photo.jpg", b"\xff\xd8\xff")]
    document = zip_files("pack.zip", files, manifest={"case": "FS-1"})
    with zipfile.ZipFile(io.BytesIO(document.data)) as archive:
        assert sorted(archive.namelist()) == [
            "evidence/01-photo.jpg",
            "hashes.txt",
            "manifest.json",
            "summary.pdf",
        ]
        hashes = archive.read("hashes.txt").decode().splitlines()
        assert f"{hashlib.sha256(b'%PDF-1.4 x').hexdigest()}  summary.pdf" in hashes
        assert json.loads(archive.read("manifest.json")) == {"case": "FS-1"}
