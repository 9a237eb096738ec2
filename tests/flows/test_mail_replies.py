"""Classifying what comes back to a case's reply address (flows/mail_replies.py): every fixture in
tests/fixtures/mail/ is read with the response checker and must get the kind its name says; automatic
replies, however they are marked, are never an acknowledgement."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.case import EventKind
from flows.i18n import translator
from flows.mail_replies import MailKind, MailReply, classify, event_kind, is_automatic, reply_message
from flows.response_check import check_response

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "mail"
EXPECTED = {
    "acknowledgement_plain.txt": MailKind.ACKNOWLEDGEMENT,
    "acknowledgement_formal.txt": MailKind.ACKNOWLEDGEMENT,
    "extension.txt": MailKind.EXTENSION,
    "response.txt": MailKind.RESPONSE,
    "other_question.txt": MailKind.OTHER,
    "other_no_complaint_words.txt": MailKind.OTHER,
    "out_of_office_ack_words.txt": MailKind.OTHER,  # automatic by its subject
}


def read(name: str) -> tuple[str, str]:
    head, _, body = (FIXTURES / name).read_text(encoding="utf-8").partition("\n\n")
    return head.removeprefix("Subject: "), body


def test_every_fixture_has_an_expectation() -> None:
    assert {p.name for p in FIXTURES.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize(("name", "kind"), sorted(EXPECTED.items()))
def test_each_fixture_is_classified(name: str, kind: MailKind) -> None:
    subject, body = read(name)
    check = check_response(body, date(2026, 12, 7))
    assert classify(body, subject, check, is_automatic({}, subject)) is kind


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_automatic_reply_is_never_an_acknowledgement(name: str) -> None:
    subject, body = read(name)
    assert classify(body, subject, check_response(body, date(2026, 12, 7)), automatic=True) is MailKind.OTHER


@pytest.mark.parametrize(
    "headers",
    [
        {"auto-submitted": "auto-replied"},
        {"auto-submitted": "auto-generated"},
        {"auto-submitted": 'Auto-Replied; owner-email="x@y.example"'},
        {"x-autoreply": "yes"},
        {"x-autorespond": "1"},
        {"precedence": "auto_reply"},
        {"precedence": "Bulk"},
        {"precedence": "junk"},
    ],
)
def test_automatic_by_its_headers(headers: dict[str, str]) -> None:
    assert is_automatic(headers, "Re: Formal complaint")


@pytest.mark.parametrize(
    "subject",
    ["Out of Office: Formal complaint", "Automatic reply: complaint", "Autoreply", "I am on annual leave"],
)
def test_automatic_by_its_subject(subject: str) -> None:
    assert is_automatic({}, subject)


@pytest.mark.parametrize(
    "headers", [{}, {"auto-submitted": "no"}, {"auto-submitted": " No "}, {"precedence": "first-class"}]
)
def test_a_person_writing(headers: dict[str, str]) -> None:
    assert not is_automatic(headers, "Re: Formal complaint")


def test_a_response_needs_the_checker_not_just_a_word() -> None:
    text = "Our decision will follow."
    assert classify(text, "", None, automatic=False) is MailKind.OTHER


@pytest.mark.parametrize(
    ("kind", "stage", "event"),
    [
        (MailKind.ACKNOWLEDGEMENT, 1, EventKind.ACKNOWLEDGED),
        (MailKind.EXTENSION, 1, EventKind.STAGE1_EXTENSION),
        (MailKind.RESPONSE, 1, EventKind.STAGE1_RESPONSE),
        (MailKind.ACKNOWLEDGEMENT, 2, EventKind.STAGE2_ACKNOWLEDGED),
        (MailKind.EXTENSION, 2, EventKind.STAGE2_EXTENSION),
        (MailKind.RESPONSE, 2, EventKind.STAGE2_RESPONSE),
        (MailKind.OTHER, 1, None),
        (MailKind.OTHER, 2, None),
    ],
)
def test_the_event_a_confirmed_email_records(kind: MailKind, stage: int, event: EventKind | None) -> None:
    assert event_kind(kind, stage) is event


def test_an_email_not_recognised_says_how_to_record_it_yourself() -> None:
    """A reply in another language (or worded unusually) gets no button: the resident must still know
    that an acknowledgement, extension or answer moves their deadlines only once recorded."""
    welsh = MailReply(3, MailKind.OTHER, date(2026, 3, 4), False, False)
    shown = reply_message(
        "FS0001",
        "cwynion@landlord.example",
        "Eich cwyn",
        "Rydym wedi derbyn eich cwyn.",
        [],
        [],
        welsh,
        translator("en"),
    )
    assert shown.buttons == ()
    assert "/status" in shown.text and "acknowledgement" in shown.text
