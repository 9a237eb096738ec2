"""Files the resident receives: letters as PDF, the Ombudsman referral pack and the data export as zip.

PDFs use DejaVu Sans (shipped in bot/fonts, with its licence) so a resident's own words in any
Latin, Greek, Cyrillic or Arabic letters print as written; fpdf2 does the typesetting.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF

from flows.conversations.types import Document
from flows.conversations.workspace import Letter

FONT_DIR = Path(str(resources.files("bot") / "fonts"))
PDF = "application/pdf"
ZIP = "application/zip"

# fpdf2 logs every glyph a font lacks (emoji, Bengali); the PDF is still made, so keep the log quiet.
logging.getLogger("fpdf.output").setLevel(logging.ERROR)


class _LetterPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.set_text_color(110)
        self.cell(0, 10, f"{self.footer_text}  ·  {self.page_no()}/{{nb}}", align="C")


def render_pdf(letter: Letter, *, made_at: datetime | None = None) -> Document:
    """The letter on A4: its title in bold, then its paragraphs as written."""
    pdf = _LetterPDF(format="A4")
    pdf.footer_text = letter.title
    pdf.set_creation_date(made_at or datetime.now(UTC))
    pdf.set_title(letter.title)
    pdf.set_author("Fair Say")
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, letter.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("DejaVu", size=10.5)
    for paragraph in letter.body.split("\n\n"):
        heading, _, rest = paragraph.partition("\n")
        if rest and len(heading) < 80 and not heading.endswith((".", ",", ":")):
            pdf.set_font("DejaVu", "B", 10.5)
            pdf.multi_cell(0, 5.5, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(0, 5.5, rest, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return Document(letter.filename, bytes(pdf.output()), PDF)


@dataclass(frozen=True, slots=True)
class PackFile:
    name: str
    data: bytes


def zip_files(
    filename: str, files: Iterable[PackFile], *, manifest: dict[str, Any] | None = None
) -> Document:
    """One zip with the files and a `hashes.txt` of their SHA-256 fingerprints (and an optional manifest)."""
    buffer = io.BytesIO()
    lines = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.writestr(item.name, item.data)
            lines.append(f"{hashlib.sha256(item.data).hexdigest()}  {item.name}")
        archive.writestr("hashes.txt", "\n".join(lines) + "\n")
        if manifest is not None:
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
    return Document(filename, buffer.getvalue(), ZIP)
