"""A landlord's response as text: plain text, a PDF's text layer, a Word (.docx) file, or OCR of a
photo, a scan or a scanned PDF. The checking itself is pure and lives in flows/response_check.py.

- What a file is comes from its first bytes, never from its name (as for evidence).
- PDF: pypdf reads the text layer. A page with (almost) no text is a scan: pypdfium2 (PDFium in a
  wheel) renders it at 300 dpi and Tesseract reads it.
- .docx: the document's XML, read with the standard library's zipfile and defusedxml (no entity
  expansion, no external references), paragraphs and table rows in order. python-docx would bring
  lxml (a large compiled dependency) for the same walk over `word/document.xml`.
- Photos and scans: Tesseract (Debian's `tesseract-ocr`) through pytesseract, one thread per call
  (`OMP_THREAD_LIMIT=1`), English.
- Unreadable: `UnreadableResponse` with a kind (`empty`, `too_large`, `unsupported_type`,
  `encrypted`, `too_many_pages`, `damaged`, `no_text`, `ocr_unavailable`) and one line saying why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import os
import re
import zipfile
from dataclasses import dataclass
from enum import StrEnum

import filetype

from flows.conversations.workspace import LetterText
from flows.response_check import reads_as_english

MIB = 1024 * 1024
MAX_BYTES = 20 * MIB  # as EVIDENCE_MAX_BYTES' default
MAX_PAGES = 10  # a response letter is a few pages; more is something else (or a way to tie up OCR)
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; beyond that Pillow's bomb check would warn
OCR_LONGEST_SIDE = 3500  # pixels: larger photos are scaled down (A4 at 300 dpi is 3508 high)
OCR_TIMEOUT_S = 60  # for one file: a scanned PDF's pages share it (10 pages were 10 minutes)
_MIN_TEXT_CHARACTERS_PER_PAGE = 40
_LAYOUT_MAX_CONTENT_BYTES = 16 * 1024  # a page's decoded drawing instructions; a typed letter's are ~5 KB
_PAGE_MAX_CONTENT_BYTES = 256 * 1024
_DOCX_XML_MAX_BYTES = 20 * MIB
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INSTALL_TESSERACT = (
    "Tesseract is not installed: install Debian's tesseract-ocr (apt-get install tesseract-ocr) "
    "to read photos and scans"
)


class TextSource(StrEnum):
    TEXT = "text"
    PDF_TEXT = "pdf_text"
    DOCX = "docx"
    OCR = "ocr"


@dataclass(frozen=True, slots=True)
class ResponseText:
    text: str
    source: TextSource
    pages: int = 1


class UnreadableResponse(Exception):
    """The file cannot be read as a letter; `kind` for code, the message for people (one line)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def read_letter_file(data: bytes, max_bytes: int = MAX_BYTES) -> LetterText:
    """For the conversations (flows.conversations.workspace.LetterText): the text, or why not."""
    try:
        text = read_response(data, max_bytes=max_bytes).text
    except UnreadableResponse as unreadable:
        return LetterText(None, unreadable.kind)
    # Checked in English only: anything else would be "missing" everything, said to the landlord.
    return LetterText(text) if reads_as_english(text) else LetterText(None, "not_english")


# Letters are read (OCR: seconds, up to OCR_TIMEOUT_S) on threads of their own, never on asyncio's
# default executor: that one also runs /readyz (5 s), the reminder sender, the delivery worker and the
# landlord API's database work, and six photos sent at once filled it for a minute.
LETTER_READERS = 2
_readers = concurrent.futures.ThreadPoolExecutor(
    max_workers=LETTER_READERS, thread_name_prefix="letter-reader"
)


async def read_letter_file_off_loop(data: bytes, max_bytes: int = MAX_BYTES) -> LetterText:
    """read_letter_file on the letter readers' threads (at most LETTER_READERS at once)."""
    return await asyncio.get_running_loop().run_in_executor(_readers, read_letter_file, data, max_bytes)


def ocr_available() -> bool:
    import pytesseract

    try:
        pytesseract.get_tesseract_version()
    except pytesseract.TesseractNotFoundError:
        return False
    return True


def read_response(data: bytes, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES) -> ResponseText:
    """The letter's text, or UnreadableResponse."""
    if not data.strip():
        raise UnreadableResponse("empty", "the file is empty")
    if len(data) > max_bytes:
        raise UnreadableResponse("too_large", f"the file is {len(data)} bytes; the limit is {max_bytes}")
    kind = filetype.guess(data)
    mime = kind.mime if kind is not None else None
    if mime == "application/pdf":
        return _read_pdf(data, max_pages)
    if mime == DOCX or (mime == "application/zip" and _is_docx(data)):
        return _read_docx(data)
    if mime in ("image/png", "image/jpeg"):
        return ResponseText(_ocr_image_bytes(data), TextSource.OCR)
    if mime is None and (text := _as_text(data)) is not None:
        return _non_empty(ResponseText(text, TextSource.TEXT))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableResponse(
            "unsupported_type", "an old Word (.doc) file or a password-protected one: save it as .docx or PDF"
        )
    raise UnreadableResponse(
        "unsupported_type", f"{mime or 'unknown content'}; accepted: text, PDF, Word (.docx), PNG or JPEG"
    )


def _non_empty(read: ResponseText) -> ResponseText:
    if len(re.sub(r"\W", "", read.text)) < 10:
        raise UnreadableResponse("no_text", "no text could be read from the file")
    return read


def _as_text(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")  # Windows' Western European, what Notepad wrote for years
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text) else None


# --- PDF ---------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, max_pages: int) -> ResponseText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # an owner password only: anyone may read it
            except (DependencyError, NotImplementedError):
                opened = False
            if not opened:
                raise UnreadableResponse("encrypted", "the PDF is protected by a password")
        count = len(reader.pages)
        if count > max_pages:
            raise UnreadableResponse("too_many_pages", f"the PDF has {count} pages; the limit is {max_pages}")
        if count == 0:
            raise UnreadableResponse("empty", "the PDF has no pages")
        pages = [_page_text(page) for page in reader.pages]
    except UnreadableResponse:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableResponse("damaged", f"the PDF cannot be read ({type(error).__name__})") from None
    if all(len(re.sub(r"\s", "", p)) >= _MIN_TEXT_CHARACTERS_PER_PAGE for p in pages):
        return ResponseText(_tidy_layout("\n\n".join(pages)), TextSource.PDF_TEXT, count)
    # At least one page is a picture of text: read the scanned pages by OCR.
    return _non_empty(ResponseText(_ocr_pdf(data, pages), TextSource.OCR, count))


def _page_text(page: object) -> str:
    """pypdf's layout mode keeps columns and tables in order, but its cost grows much faster than the
    page: a 48 KB PDF of 20,000 scattered words took 30 s (a crafted file could hold a reader for
    minutes). A page whose drawing instructions are larger than a letter's is read in plain mode
    (1 s for the same page); one far larger is refused."""
    from pypdf import PageObject

    assert isinstance(page, PageObject)
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    if size > _PAGE_MAX_CONTENT_BYTES:
        raise UnreadableResponse(
            "too_large",
            f"a page of the PDF holds {size} bytes of drawing; the limit is {_PAGE_MAX_CONTENT_BYTES}",
        )
    return page.extract_text(extraction_mode="layout" if size <= _LAYOUT_MAX_CONTENT_BYTES else "plain") or ""


def _tidy_layout(text: str) -> str:
    """pypdf's layout mode keeps the page's spacing: runs of spaces become one (justified lines come
    out with two or more between words), blank lines stay as paragraph breaks (at most one in a row)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ocr_pdf(data: bytes, texts: list[str]) -> str:
    import time

    import pypdfium2 as pdfium

    deadline = time.monotonic() + OCR_TIMEOUT_S
    document = pdfium.PdfDocument(data)
    try:
        out = []
        for index, text in enumerate(texts):
            if len(re.sub(r"\s", "", text)) >= _MIN_TEXT_CHARACTERS_PER_PAGE:
                out.append(_tidy_layout(text))
                continue
            page = document[index]
            # 300 dpi, but never more pixels than OCR reads: a page can be 200 inches square (or
            # more with UserUnit), 3.6 gigapixels at 300 dpi, rendered before any scaling down.
            longest_points = max(page.get_size()) or 1
            scale = min(300 / 72, OCR_LONGEST_SIDE / longest_points)
            image = page.render(scale=scale, grayscale=True).to_pil()
            left = deadline - time.monotonic()
            if left <= 0:
                raise UnreadableResponse("damaged", f"reading the scanned pages took over {OCR_TIMEOUT_S} s")
            out.append(_ocr(image, timeout=left))
        return "\n\n".join(out)
    finally:
        document.close()


# --- Word ---------------------------------------------------------------------------------------------


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _read_docx(data: bytes) -> ResponseText:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > _DOCX_XML_MAX_BYTES:
                raise UnreadableResponse("too_large", "the Word document's text is too large")
            root = fromstring(archive.read(info))
    except UnreadableResponse:
        raise
    except (KeyError, zipfile.BadZipFile, ParseError, DefusedXmlException, OSError) as error:
        raise UnreadableResponse(
            "damaged", f"the Word file cannot be read ({type(error).__name__})"
        ) from None
    body = root.find(f"{_W}body")
    blocks: list[str] = []
    for child in body if body is not None else ():
        if child.tag == f"{_W}p":
            blocks.append(_docx_paragraph(child))
        elif child.tag == f"{_W}tbl":
            rows = []
            for row in child.iter(f"{_W}tr"):
                cells = [
                    " ".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")) for cell in row.iter(f"{_W}tc")
                ]
                rows.append("| " + " | ".join(c.strip() for c in cells) + " |")
            blocks.append("\n".join(rows))
    text = "\n\n".join(b for b in blocks if b.strip())
    return _non_empty(ResponseText(text, TextSource.DOCX))


def _docx_paragraph(paragraph: object) -> str:
    parts: list[str] = []
    for node in paragraph.iter():  # type: ignore[attr-defined]
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


# --- OCR ------------------------------------------------------------------------------------------------


def _ocr_image_bytes(data: bytes) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise UnreadableResponse(
                "too_large", f"the picture is {image.width}×{image.height} pixels; the limit is 40 megapixels"
            )
        image.load()
    except UnreadableResponse:
        raise
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UnreadableResponse("damaged", f"the picture cannot be read ({type(error).__name__})") from None
    text = _ocr(image)
    if len(re.sub(r"\W", "", text)) < 10:
        raise UnreadableResponse("no_text", "no text could be read from the picture")
    return text


def _ocr(image: object, timeout: float = OCR_TIMEOUT_S) -> str:
    import pytesseract
    from PIL import Image, ImageOps

    assert isinstance(image, Image.Image)
    picture = ImageOps.exif_transpose(image).convert("L")  # phone photos carry their rotation in EXIF
    longest = max(picture.size)
    if longest > OCR_LONGEST_SIDE:
        scale = OCR_LONGEST_SIDE / longest
        picture = picture.resize((round(picture.width * scale), round(picture.height * scale)))
    # Tesseract's OpenMP threads fight over the cores with everything else; one is faster here.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        text: str = pytesseract.image_to_string(picture, lang="eng", timeout=timeout)
    except pytesseract.TesseractNotFoundError:
        raise UnreadableResponse("ocr_unavailable", INSTALL_TESSERACT) from None
    except (RuntimeError, pytesseract.TesseractError) as error:
        raise UnreadableResponse(
            "damaged", f"the picture could not be read ({type(error).__name__})"
        ) from None
    return text
