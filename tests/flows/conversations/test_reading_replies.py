"""/status reads the landlord's reply: its date proposed as the response date (one tap), its stage
checked, what it leaves out of the Code's list said with the paragraph, and that put in the stage 2
letter and the Ombudsman summary as facts. An unreadable file is said so, and the date typed."""

from __future__ import annotations

from datetime import date

import pytest
from memory import Chat
from support import letter_files
from test_journey import complaint_written, onboarded

from bot.services.response_reading import ocr_available
from flows.case import EventKind
from flows.i18n import translator
from flows.letters import referral_summary
from flows.timeline import build_timeline

REPLY = """Riverside Housing
Complaints Team

Date: 12 March 2026

Dear Ms Begum

Stage 1 response to your complaint

You complained that the damp in your bedroom has not been treated.

We do not uphold your complaint.

Yours sincerely
Complaints Team
"""
LEFT_OUT = "the reasons for the decision; the remedy; the outstanding actions; how to escalate to stage 2"


def _acknowledged() -> Chat:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 16)
    chat.send("/status")
    chat.press("They acknowledged it")
    chat.send("04/03/2026")
    return chat


def _stage2_letter_after(chat: Chat) -> str:
    chat.press("No, or only partly")
    assert chat.where == ("stage2", "why")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    return chat.replies[0].text


def test_a_pdf_reply_is_read_its_date_taken_in_one_tap_and_its_gaps_go_into_stage_2() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("reply.pdf", letter_files.text_pdf(REPLY), "application/pdf")
    said = chat.text
    assert "It is dated Thursday, 12 March 2026." in said
    assert (
        "The letter does not say: the reasons for its decision; what it will do to put things right; what is "
        "still to be done, and when; how to ask for stage 2 (Code 6.9 (2024))." in said
    )
    chat.press("That's all my evidence")
    assert "Their letter is dated Thursday, 12 March 2026. Is that the day they replied?" in chat.text
    chat.press("Yes, that's the date")
    assert "Noted" in chat.text and chat.where == ("tracking", "happy")
    record = chat.workspace.cases()[0]
    response = record.case.events[-1]
    assert (response.kind, response.date) == (EventKind.STAGE1_RESPONSE, date(2026, 3, 12))
    assert record.details["response_gaps"]["1"]["rule"] == "Code 6.9 (2024)"
    letter = _stage2_letter_after(chat)
    assert "You sent your stage 1 response on Thursday, 12 March 2026." in letter
    assert (
        "Your stage 1 response did not confirm what the Complaint Handling Code asks a response to confirm "
        f"(Code 6.9 (2024)): {LEFT_OUT}." in letter
    )
    record = chat.workspace.cases()[0]
    summary = referral_summary(
        record, chat.workspace.profile(), build_timeline(record.case, chat.today), translator("en")
    )
    assert (
        "What the landlord's responses left out\n- The landlord's stage 1 response did not confirm "
        f"(Code 6.9 (2024)): {LEFT_OUT}." in summary.body
    )


@pytest.mark.skipif(not ocr_available(), reason="Tesseract is not installed (Debian's tesseract-ocr)")
def test_a_photo_of_the_reply_is_read_by_ocr() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("photo.jpg", letter_files.photo_jpg(REPLY), "image/jpeg", kind="photo")
    assert "It is dated Thursday, 12 March 2026." in chat.text
    chat.press("That's all my evidence")
    chat.press("Yes, that's the date")
    assert LEFT_OUT in _stage2_letter_after(chat)


def test_another_date_can_be_typed_and_the_letter_is_not_asked_for_again() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("reply.pdf", letter_files.text_pdf(REPLY), "application/pdf")
    chat.press("That's all my evidence")
    chat.press("No, another date")
    assert chat.where == ("tracking", "event_date")
    chat.send("13/03/2026")
    assert chat.where == ("tracking", "happy")  # not asked for the letter again
    assert chat.workspace.cases()[0].case.events[-1].date == date(2026, 3, 13)


def test_an_unreadable_file_is_said_so_and_the_date_is_typed() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("reply.pdf", b"%PDF-1.7\nnot really a PDF", "application/pdf")
    assert "I couldn't read the words in that file (the file seems damaged)" in chat.text
    chat.press("That's all my evidence")
    assert chat.where == ("tracking", "event_date")
    chat.send("12/03/2026")
    assert "Noted" in chat.text
    assert "response_gaps" not in chat.workspace.cases()[0].details


def test_a_letter_for_the_wrong_stage_is_pointed_out() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    wrong = REPLY.replace("Stage 1 response", "Stage 2 final response")
    chat.upload("reply.pdf", letter_files.text_pdf(wrong), "application/pdf")
    assert "It says it answers stage 2, but your complaint is at stage 1" in chat.text
    # A break-it review: its gaps were noted as stage 1's, and went into the stage 2 letter as facts.
    assert "response_gaps" not in chat.workspace.cases()[0].details


def test_a_reply_sent_after_its_date_is_checked_too() -> None:
    chat = _acknowledged()
    chat.press("They replied")
    chat.send("12/03/2026")
    chat.upload("reply.pdf", letter_files.text_pdf(REPLY), "application/pdf")
    assert "how to ask for stage 2 (Code 6.9 (2024))" in chat.text
    chat.press("That's all my evidence")
    assert LEFT_OUT in _stage2_letter_after(chat)


def test_a_letter_sent_a_page_at_a_time_is_checked_as_a_whole() -> None:
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    first, second = REPLY.split("We do not uphold")
    chat.upload("page1.pdf", letter_files.text_pdf(first), "application/pdf")
    assert "its decision on your complaint" in chat.text  # not on page 1
    chat.upload("page2.pdf", letter_files.text_pdf("We do not uphold" + second), "application/pdf")
    assert "its decision on your complaint" not in chat.text
    assert "It is dated Thursday, 12 March 2026." in chat.text  # from page 1
    chat.press("That's all my evidence")
    chat.press("Yes, that's the date")
    assert chat.state is not None and "reply_pages" not in chat.state.answers  # not kept once recorded


def test_the_pages_kept_stop_at_what_the_checker_reads() -> None:
    """A break-it review (an attacker): every page's whole text was kept in the conversation's row,
    saved with every update, and joined again for each new page: a 20 MiB text file was 20 MiB a save.
    Pages are kept up to the characters the checker reads (MAX_TEXT_CHARACTERS), the first page first."""
    from flows.response_check import MAX_TEXT_CHARACTERS

    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("page1.pdf", letter_files.text_pdf(REPLY), "application/pdf")
    long = letter_files.text_pdf("We found that the repair was late. " * 800)  # about 28,000 characters
    for name in ("page2.pdf", "page3.pdf", "page4.pdf", "page5.pdf"):
        chat.upload(name, long, "application/pdf")
    assert chat.state is not None
    pages = chat.state.answers["reply_pages"]
    assert pages[0].startswith("Riverside Housing")
    assert sum(len(p) for p in pages) <= MAX_TEXT_CHARACTERS
    assert "It is dated Thursday, 12 March 2026." in chat.text  # page 1 still read


@pytest.mark.parametrize(
    ("dated", "says"),
    [
        ("12 March 2027", "That date is in the future."),
        ("12 March 2025", "is before Sunday, 1 February 2026, the date I have for “the problem started”"),
    ],
)
def test_a_letter_date_a_typed_date_would_refuse_is_not_offered_in_one_tap(dated: str, says: str) -> None:
    """A break-it review (a resident): a letter dated in the future, or before the complaint (another
    complaint's letter, or misdated), was offered as the response date and recorded in one tap,
    though the same date typed is refused. Now it is said why, and the date is asked for."""
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("reply.pdf", letter_files.text_pdf(REPLY.replace("12 March 2026", dated)), "application/pdf")
    assert says in chat.text
    chat.press("That's all my evidence")
    assert chat.where == ("tracking", "event_date")
    chat.send("12/03/2026")
    response = chat.workspace.cases()[0].case.events[-1]
    assert (response.kind, response.date) == (EventKind.STAGE1_RESPONSE, date(2026, 3, 12))


WELSH = """Cyngor Sir Enghraifft

Dyddiad: 12 Mawrth 2026

Annwyl Ms Begum

Ymateb cam 1 i'ch cwyn

Fe wnaethoch gwyno bod y lleithder yn eich ystafell wely heb ei drin. Rydym yn cadarnhau eich cwyn
oherwydd na chafodd y gwaith ei wneud mewn pryd. Rydym yn ymddiheuro ac yn talu hanner cant o bunnoedd
i chi. Bydd y contractwr yn ymweld ddydd Llun. Os ydych yn anhapus, gallwch ofyn am gam 2 drwy ffonio
01234 567890 neu anfon e-bost at cwynion@enghraifft.cymru.

Yn gywir
Tim Cwynion
"""


def test_a_letter_not_in_english_is_not_said_to_leave_everything_out() -> None:
    """A break-it review (a resident with a Welsh letter): the checker reads English, so a Welsh
    letter matched nothing and "did not confirm the decision, the reasons, the remedy..." went into
    the stage 2 letter as a fact: false, and sent to the landlord. Now it is said it cannot be checked,
    nothing is noted, and the date is typed."""
    chat = _acknowledged()
    chat.press("They replied: read their letter")
    chat.upload("reply.pdf", letter_files.text_pdf(WELSH), "application/pdf")
    assert "it is not in English, and I can only check letters written in English" in chat.text
    assert "does not say" not in chat.text
    chat.press("That's all my evidence")
    assert chat.where == ("tracking", "event_date")
    chat.send("12/03/2026")
    assert "response_gaps" not in chat.workspace.cases()[0].details
