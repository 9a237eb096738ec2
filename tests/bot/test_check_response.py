"""`fairsay check-response`: a landlord's letter as text, PDF, Word, a scan or a photo, read and checked
(bot/services/response_reading.py, bot/cli/check_response.py); every kind of unreadable file exits 2 with one line.

The PDFs, Word files, scans and photos are made from the corpus's text by tests/support/letter_files.py.
The OCR tests need Debian's tesseract-ocr (.ci/run installs it) and skip, saying so, without it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from support import letter_files

from bot.cli.main import main
from bot.cli.schemas import published_schemas
from bot.services import response_reading
from bot.services.response_reading import TextSource, UnreadableResponse, ocr_available, read_response
from flows.response_check import check_response

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "responses"
SCHEMA = json.loads(
    (ROOT / "docs" / "schema" / "response-check-output.schema.json").read_text(encoding="utf-8")
)
needs_tesseract = pytest.mark.skipif(
    not ocr_available(), reason="Tesseract is not installed (Debian's tesseract-ocr; .ci/run installs it)"
)


def letter(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def run(path: Path, *options: str) -> tuple[int, dict[str, object] | None]:
    out = io.StringIO()
    code = main(["check-response", str(path), *options], out)
    return code, (json.loads(out.getvalue()) if code == 0 else None)


def summary(text: str) -> tuple[object, ...]:
    check = check_response(text, today=__import__("datetime").date(2026, 12, 7))
    return check.stage, check.letter_date, check.missing


def test_a_text_letter_prints_json_that_the_published_schema_accepts(tmp_path: Path) -> None:
    path = tmp_path / "response.txt"
    path.write_text(letter("04_council_stage2_ombudsman_name_only.txt"), encoding="utf-8")
    code, out = run(path)
    assert code == 0 and out is not None
    jsonschema.validate(out, SCHEMA)
    assert (out["stage"], out["code"], out["letter_date"], out["text_source"]) == (
        2,
        "2024",
        "2026-01-08",
        "text",
    )
    assert out["missing"] == ["remedy", "how_to_escalate"]
    assert out["code_assumed"] is True


def test_the_published_schema_is_current() -> None:
    """`fairsay schema --write docs/schema` after changing the output model."""
    assert published_schemas()["response-check-output.schema.json"] == SCHEMA


def test_the_stage_option_overrides_the_letter(tmp_path: Path) -> None:
    path = tmp_path / "response.txt"
    path.write_text(letter("15_ha_stage1_no_decision_word.txt"), encoding="utf-8")
    code, out = run(path, "--stage", "2")
    assert code == 0 and out is not None
    assert out["stage"] == 2
    assert {e["rule"] for e in out["elements"]} == {"Code 6.19 (2024)"}  # type: ignore[union-attr, index]


@pytest.mark.parametrize(
    "name",
    [
        "01_council_stage1_headings.txt",
        "05_ha_stage1_table.txt",
        "08_council_stage2_full_2024.txt",
        "14_council_stage2_2022code.txt",
        "20_council_stage2_no_escalation_details.txt",
    ],
)
def test_a_pdf_and_a_word_file_read_as_the_text_does(name: str) -> None:
    text = letter(name)
    pdf = read_response(letter_files.text_pdf(text))
    word = read_response(letter_files.docx(text))
    assert (pdf.source, word.source) == (TextSource.PDF_TEXT, TextSource.DOCX)
    assert summary(pdf.text) == summary(text)
    assert summary(word.text) == summary(text)


@needs_tesseract
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("03_ha_stage2_ombudsman_details.txt", letter_files.photo_jpg),
        ("18_council_stage1_no_escalation.txt", letter_files.scan_png),
        ("22_council_stage1_numbered_points_no_remedy.txt", letter_files.scanned_pdf),
    ],
)
def test_photos_and_scans_are_read_by_ocr(name: str, make: object) -> None:
    text = letter(name)
    read = read_response(make(text))  # type: ignore[operator]
    assert read.source is TextSource.OCR
    assert summary(read.text) == summary(text)


@needs_tesseract
def test_a_photo_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(letter_files.photo_jpg(letter("20_council_stage2_no_escalation_details.txt")))
    code, out = run(path)
    assert code == 0 and out is not None
    jsonschema.validate(out, SCHEMA)
    assert (out["text_source"], out["stage"], out["letter_date"]) == ("ocr", 2, "2026-05-06")
    assert out["missing"] == ["remedy", "outstanding_actions", "how_to_escalate"]


def _pages(count: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for n in range(count):
        pdf.add_page()
        pdf.multi_cell(
            0, 6, f"Page {n + 1}. Dear Ms Smith, we have upheld your complaint because it was late."
        )
    return bytes(pdf.output())


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pages(1))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind", "says"),
    [
        (b"", "empty", "the file is empty"),
        (b"   \n\n  ", "empty", "the file is empty"),
        (b"\x00" * 10, "unsupported_type", "accepted: text, PDF, Word (.docx), PNG or JPEG"),
        (b"OggS" + b"\x00" * 60, "unsupported_type", "audio/ogg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported_type", "save it as .docx or PDF"),
        (b"PK\x03\x04" + b"\x00" * 60, "unsupported_type", "application/zip"),
        (b"%PDF-1.7\n%garbage that is not a PDF", "damaged", "the PDF cannot be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "damaged", "the picture cannot be read"),
        (b"ok", "no_text", "no text could be read"),
    ],
)
def test_unreadable_files_say_why(data: bytes, kind: str, says: str) -> None:
    with pytest.raises(UnreadableResponse) as caught:
        read_response(data)
    assert caught.value.kind == kind
    assert says in str(caught.value)


def test_an_encrypted_pdf_too_many_pages_and_too_large_are_refused() -> None:
    with pytest.raises(UnreadableResponse, match="protected by a password") as encrypted:
        read_response(_encrypted())
    assert encrypted.value.kind == "encrypted"
    with pytest.raises(UnreadableResponse, match="has 11 pages; the limit is 10") as pages:
        read_response(_pages(11))
    assert pages.value.kind == "too_many_pages"
    assert read_response(_pages(10)).pages == 10
    with pytest.raises(UnreadableResponse, match="the limit is 100") as large:
        read_response(b"x" * 101, max_bytes=100)
    assert large.value.kind == "too_large"


def test_without_tesseract_a_photo_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    assert not ocr_available()
    with pytest.raises(UnreadableResponse, match="apt-get install tesseract-ocr") as caught:
        read_response(letter_files.scan_png("Dear Ms Smith\n\nWe have upheld your complaint."))
    assert caught.value.kind == "ocr_unavailable"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "response.bin: the file is empty"),
        (b"%PDF-1.7\nnot really", "response.bin: the PDF cannot be read"),
        (None, "cannot read"),
    ],
)
def test_the_command_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, says: str
) -> None:
    path = tmp_path / "response.bin"
    if content is not None:
        path.write_bytes(content)
    assert main(["check-response", str(path)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("fairsay check-response: ") and says in err


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:  # sparse: no 20 MiB written
        handle.truncate(response_reading.MAX_BYTES + 1)
    assert main(["check-response", str(path)], io.StringIO()) == 2
    assert "the limit is 20971520" in capsys.readouterr().err


def test_the_messages_come_in_the_language_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "response.txt"
    path.write_text(letter("20_council_stage2_no_escalation_details.txt"), encoding="utf-8")
    code, out = run(path, "--lang", "cy")
    assert code == 0 and out is not None
    missing = next(s for s in out["next_steps"] if s["id"] == "ask_for_what_is_missing")  # type: ignore[union-attr, index]
    assert missing["message"].startswith("Nid yw'r llythyr yn dweud:")
    assert "Code 6.19 (2024)" in missing["message"]  # citations stay in English


def test_a_huge_scanned_page_is_rendered_no_larger_than_ocr_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A break-it review (an attacker): a PDF whose one page is 200 inches square and has no text was
    rendered at 300 dpi, 60,000 pixels a side (3.6 GB) before any scaling down; under a 2 GB memory
    limit it raised MemoryError. Now a page is rendered at most OCR_LONGEST_SIDE pixels on its longest
    side."""
    writer = PdfWriter()
    writer.add_blank_page(width=14_400, height=14_400)
    buffer = io.BytesIO()
    writer.write(buffer)
    sizes: list[tuple[int, int]] = []

    def fake_ocr(image: object, timeout: float = 0.0) -> str:
        sizes.append(image.size)  # type: ignore[attr-defined]
        return "Stage 1 response: we uphold your complaint."

    monkeypatch.setattr(response_reading, "_ocr", fake_ocr)
    assert read_response(buffer.getvalue()).source is TextSource.OCR
    assert sizes and max(sizes[0]) <= response_reading.OCR_LONGEST_SIDE


def test_the_scanned_pages_of_one_pdf_share_one_ocr_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A break-it review (an attacker): each scanned page had OCR_TIMEOUT_S (60 s) of its own, so ten
    pages of noise held a thread for ten minutes. The pages of one file now share it."""
    import time

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    given: list[float] = []

    def slow_ocr(image: object, timeout: float = response_reading.OCR_TIMEOUT_S) -> str:
        given.append(timeout)
        time.sleep(0.3)
        return "Stage 1 response: we uphold your complaint."

    monkeypatch.setattr(response_reading, "OCR_TIMEOUT_S", 0.5)
    monkeypatch.setattr(response_reading, "_ocr", slow_ocr)
    with pytest.raises(UnreadableResponse, match="took over") as caught:
        read_response(buffer.getvalue())
    assert caught.value.kind == "damaged"
    assert len(given) == 2 and given[0] <= 0.5 and given[1] <= 0.2


async def test_letters_being_read_leave_asyncios_default_threads_free(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A break-it review (many uploads at once): letters were read with asyncio.to_thread, on the
    default executor (6 threads on 2 cores) that /readyz (5 s), the reminder sender, the delivery
    worker and the landlord API also use: six photos at once (OCR up to a minute each) stopped them
    all. Letters now have threads of their own (LETTER_READERS)."""
    import asyncio
    import threading

    from flows.conversations.workspace import LetterText

    release = threading.Event()

    def slow_read(data: bytes, max_bytes: int = 0) -> LetterText:
        release.wait(30)  # held until the check below is done: a reader that took a default thread keeps it
        return LetterText("read")

    monkeypatch.setattr(response_reading, "read_letter_file", slow_read)
    reads = [asyncio.create_task(response_reading.read_letter_file_off_loop(b"x")) for _ in range(8)]
    await asyncio.sleep(0.05)
    try:
        # With the readers on the default executor every one of its threads is held and this never runs;
        # the timeout only bounds how long that failure takes to report.
        await asyncio.wait_for(asyncio.to_thread(lambda: None), timeout=10)  # what /readyz waits for
    finally:
        release.set()
        await asyncio.gather(*reads, return_exceptions=True)


def test_the_chat_portal_and_api_read_letters_on_the_letter_readers() -> None:
    for module in ("bot/services/chat_service.py", "bot/web/portal/pages.py", "bot/web/landlord_api.py"):
        source = (ROOT / module).read_text(encoding="utf-8")
        assert "read_letter_file_off_loop(" in source and "to_thread(read_letter_file" not in source
        assert "read_letter_file, " not in source, module


def _scattered_words(count: int) -> bytes:
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    ops = b"BT /F1 1 Tf " + b"".join(b"%d %d Td (ab) Tj " % (i % 600, i % 700) for i in range(count)) + b"ET"
    stream = DecodedStreamObject()
    stream.set_data(ops)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_page_crafted_to_be_slow_to_lay_out_is_read_plainly_or_refused() -> None:
    """A break-it review (an attacker): pypdf's layout mode took 30 s on a 48 KB PDF of 20,000
    scattered words, minutes on a larger one. A page with more drawing than a letter's is read in
    plain mode; one far beyond any letter is refused as too large."""
    import time

    started = time.thread_time()  # CPU time, so a loaded machine cannot fail it; the failure took 30 s
    assert read_response(_scattered_words(5_000)).source is TextSource.PDF_TEXT
    with pytest.raises(UnreadableResponse, match="bytes of drawing") as refused:
        read_response(_scattered_words(20_000))
    assert refused.value.kind == "too_large"
    assert time.thread_time() - started < 15.0
