"""Reading an inbound email (bot/mail/parsing.py): the text from the plain part or the HTML one, the
attachments as sent, a delivery report's fields; nothing a sender writes makes it fail."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.mail.parsing import MAX_PARTS, TooComplex, html_to_text, parse


def test_the_plain_part_is_preferred_and_the_headers_read() -> None:
    message = EmailMessage()
    message["From"] = "Westlea Complaints <complaints@westlea.example>"
    message["To"] = "case-abc@replies.fairsay.example"
    message["Subject"] = "Re: complaint"
    message["Date"] = "Tue, 08 Dec 2026 09:30:00 +0100"
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("Plain words.")
    message.add_alternative("<p>HTML <b>words</b></p>", subtype="html")
    mail = parse(message.as_bytes())
    assert mail.text == "Plain words."
    assert mail.from_address == "complaints@westlea.example"
    assert mail.subject == "Re: complaint"
    assert mail.date is not None and mail.date.isoformat() == "2026-12-08T08:30:00+00:00"
    assert mail.headers == {"auto-submitted": "auto-replied"}
    assert mail.report is None


def test_html_only_mail_is_read_without_its_markup() -> None:
    message = EmailMessage()
    message["Subject"] = "Acknowledgement"
    message.set_content(
        "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
        "<p>We have received&nbsp;your complaint.</p><p>Reference: <b>C-1</b></p></body></html>",
        subtype="html",
    )
    assert parse(message.as_bytes()).text == "We have received your complaint.\nReference: C-1"


@pytest.mark.parametrize(
    ("markup", "text"), [("a<br>b", "a\nb"), ("<div>x</div><div>y</div>", "x\ny"), ("&lt;tag&gt;", "<tag>")]
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_a_forwarded_message_is_not_taken_for_an_attachment() -> None:
    inner = EmailMessage()
    inner["Subject"] = "inner"
    inner.set_content("inner text")
    message = EmailMessage()
    message.set_content("outer")
    message.add_attachment(inner)
    message.add_attachment(b"%PDF-1.7\n", maintype="application", subtype="pdf", filename="letter.pdf")
    mail = parse(message.as_bytes())
    assert [(a.name, a.declared_type) for a in mail.attachments] == [("letter.pdf", "application/pdf")]


@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_an_error(raw: bytes) -> None:
    mail = parse(raw)
    assert len(mail.sha256) == 64


@given(st.text(max_size=300))
def test_any_header_values_parse_without_an_error(value: str) -> None:
    raw = f"From: {value}\r\nSubject: {value}\r\nDate: {value}\r\nMessage-ID: {value}\r\n\r\nbody\r\n"
    parse(raw.encode("utf-8", "surrogateescape"))


def test_lines_end_with_newlines_as_received_over_smtp_or_not() -> None:
    raw = b"Subject: x\r\nContent-Type: text/plain\r\n\r\nline one\r\nline two\r\n"
    assert parse(raw).text == "line one\nline two"


def test_a_reply_with_many_attachments_is_read_and_a_mail_bomb_of_parts_is_refused() -> None:
    def with_attachments(count: int) -> bytes:
        message = EmailMessage()
        message["Subject"] = "Photos"
        message.set_content("Here they are.")
        for number in range(count):
            message.add_attachment(b"x", maintype="image", subtype="png", filename=f"{number}.png")
        return message.as_bytes()

    assert len(parse(with_attachments(MAX_PARTS - 5)).attachments) == MAX_PARTS - 5
    with pytest.raises(TooComplex):
        parse(with_attachments(MAX_PARTS + 1))
    nested = b"Subject: deep\r\n" + b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
        for level in range(3000)
    )
    with pytest.raises(TooComplex):  # not RecursionError, which the server would answer with 451 for ever
        parse(nested + b"Content-Type: text/plain\r\n\r\nhello\r\n")


def test_a_mail_bomb_of_header_fields_is_refused_before_it_fills_the_memory() -> None:
    received = "".join(
        f"Received: from relay{n}.example by mx.example; Mon, 7 Dec 2026\r\n" for n in range(60)
    )
    ordinary = f"{received}From: a@westlea.example\r\nSubject: Re\r\n\r\nThanks.\r\n".encode()
    assert parse(ordinary).text == "Thanks."
    one_part = b"From: a@b.example\r\n" + b"X-A: b\r\n" * 1_000_000 + b"\r\nhi\r\n"  # 8 MB of headers
    with pytest.raises(TooComplex):
        parse(one_part)
    spread = b"".join(  # under the quick count, over the parser's: the policy stops it
        b"--B\r\n" + b"X-A: b\r\n" * 30 + b"Content-Type: text/plain\r\n\r\nx\r\n"
        for _ in range(MAX_PARTS - 10)
    )
    with pytest.raises(TooComplex):
        parse(b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + spread + b"--B--\r\n")
