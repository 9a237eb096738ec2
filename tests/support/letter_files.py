"""Landlords' letters as the files residents get: a PDF with a text layer, a Word .docx, a scanned PDF
(pictures only) and a photo, made from the corpus's text so the OCR tests and benchmarks are
reproducible without binary fixtures.

    python tests/support/letter_files.py tests/fixtures/responses/03_ha_stage2_ombudsman_details.txt OUT_DIR

writes OUT_DIR/<name>.pdf, .docx, -scan.pdf, -scan.png and -photo.jpg for a look.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[2] / "bot" / "fonts" / "DejaVuSans.ttf"


def text_pdf(text: str) -> bytes:
    """A PDF with a text layer, as a landlord's letter template would export it."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for paragraph in text.split("\n\n"):
        pdf.multi_cell(
            0,
            5,
            paragraph.replace("\n", " ") if "|" not in paragraph else paragraph,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(4)
    return bytes(pdf.output())


def docx(text: str) -> bytes:
    """A minimal Word document: one paragraph per paragraph of the text, table rows as a table."""
    body = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("|") for line in lines):
            rows = []
            for line in lines:
                cells = [c.strip() for c in line.strip("|").split("|")]
                rows.append(
                    "<w:tr>"
                    + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in cells)
                    + "</w:tr>"
                )
            body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
        else:
            body.append(f'<w:p><w:r><w:t xml:space="preserve">{escape(" ".join(lines))}</w:t></w:r></w:p>')
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def page_image(text: str, photo: bool = False) -> Image.Image:
    """The letter printed on a page at about 200 dpi; `photo`: tilted and greyer, as a phone sees it."""
    font = ImageFont.truetype(str(FONT), 26)
    lines = text.splitlines()
    line_height = 38
    image = Image.new("L", (1700, 160 + line_height * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((110, 80 + index * line_height), line, font=font, fill=20)
    if photo:
        image = image.point(lambda v: 60 + v * 0.7).rotate(1.2, expand=True, fillcolor=120)
    return image


def scan_png(text: str) -> bytes:
    buffer = io.BytesIO()
    page_image(text).save(buffer, format="PNG")
    return buffer.getvalue()


def photo_jpg(text: str) -> bytes:
    buffer = io.BytesIO()
    page_image(text, photo=True).convert("RGB").save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def scanned_pdf(text: str) -> bytes:
    """A PDF of a page scanned as a picture: no text layer at all."""
    buffer = io.BytesIO()
    page_image(text).convert("RGB").save(buffer, format="PDF", resolution=200.0)
    return buffer.getvalue()


def main(source: str, out_dir: str) -> None:
    text = Path(source).read_text(encoding="utf-8")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(source).stem
    for suffix, data in (
        (".pdf", text_pdf(text)),
        (".docx", docx(text)),
        ("-scan.pdf", scanned_pdf(text)),
        ("-scan.png", scan_png(text)),
        ("-photo.jpg", photo_jpg(text)),
    ):
        (out / f"{stem}{suffix}").write_bytes(data)


if __name__ == "__main__":
    main(*sys.argv[1:3])
