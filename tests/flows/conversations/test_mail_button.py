"""The one tap on a forwarded email (flows/conversations/mail.py): it records the event the resident
would have typed, on the email's date, once; "Not that" records nothing; a stale, forged or foreign
button changes nothing; an automatic reply is never recorded; a date out of order is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from memory import Chat, MemoryWorkspace

from flows.case import Case, CaseEvent, CodeChoice, EventKind
from flows.conversations.engine import ConversationState
from flows.conversations.types import Incoming
from flows.conversations.workspace import CaseRecord
from flows.mail_replies import MailKind, MailReply, mail_button_data
from flows.working_days import Nation

TODAY = date(2026, 3, 12)
COMPLAINED = date(2026, 3, 2)
REF = "FS0001"


def chat_with(reply: MailReply, *events: CaseEvent) -> Chat:
    workspace = MemoryWorkspace(today=TODAY)
    case = Case((CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE), *events), Nation.ENGLAND, CodeChoice.AUTO)
    workspace.records[REF] = CaseRecord(REF, case, "Westlea Housing", {})
    workspace.mail[reply.email_id] = reply
    chat = Chat(workspace, today=TODAY)
    chat.state = ConversationState("home", "menu", {})
    return chat


def acknowledgement(**changes: object) -> MailReply:
    return replace(MailReply(7, MailKind.ACKNOWLEDGEMENT, date(2026, 3, 4), False, False), **changes)  # type: ignore[arg-type]


def tap(chat: Chat, data: str) -> str:
    chat.send(Incoming(button=data))
    return chat.text


def events(chat: Chat) -> tuple[CaseEvent, ...]:
    return chat.workspace.records[REF].case.events


def test_yes_records_the_acknowledgement_on_the_emails_date_once() -> None:
    chat = chat_with(acknowledgement())
    said = tap(chat, mail_button_data(REF, 7, True))
    assert "Noted" in said
    assert CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED) in events(chat)
    assert chat.workspace.mail_settled == [(REF, 7, True)]
    again = tap(chat, mail_button_data(REF, 7, True))
    assert "already been dealt with" in again
    assert [e.kind for e in events(chat)].count(EventKind.ACKNOWLEDGED) == 1


def test_at_stage_2_the_same_email_is_the_stage_2_event() -> None:
    chat = chat_with(
        acknowledgement(kind=MailKind.RESPONSE, on=date(2026, 4, 20)),
        CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED),
        CaseEvent(date(2026, 3, 20), EventKind.STAGE1_RESPONSE),
        CaseEvent(date(2026, 3, 25), EventKind.ESCALATION_REQUESTED),
    )
    tap(chat, mail_button_data(REF, 7, True))
    assert CaseEvent(date(2026, 4, 20), EventKind.STAGE2_RESPONSE) in events(chat)


def test_not_that_records_nothing_and_keeps_the_email() -> None:
    chat = chat_with(acknowledgement())
    said = tap(chat, mail_button_data(REF, 7, False))
    assert "not recorded anything" in said
    assert events(chat) == (CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE),)
    assert chat.workspace.mail_settled == [(REF, 7, False)]


def test_an_automatic_reply_is_never_recorded_even_by_a_forged_yes() -> None:
    chat = chat_with(acknowledgement(automatic=True))
    tap(chat, mail_button_data(REF, 7, True))
    assert events(chat) == (CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE),)


def test_other_mail_is_never_recorded() -> None:
    chat = chat_with(acknowledgement(kind=MailKind.OTHER))
    tap(chat, mail_button_data(REF, 7, True))
    assert events(chat) == (CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE),)


def test_an_email_dated_before_the_complaint_is_refused_with_the_reason() -> None:
    chat = chat_with(acknowledgement(on=date(2026, 2, 1)))
    said = tap(chat, mail_button_data(REF, 7, True))
    assert "/status" in said
    assert events(chat) == (CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE),)
    assert chat.workspace.mail_settled == []


def test_unknown_and_malformed_buttons_change_nothing() -> None:
    chat = chat_with(acknowledgement())
    for data in (
        mail_button_data(REF, 8, True),  # not an email of this case
        mail_button_data("FS9999", 7, True),  # not a case of theirs
        "mail.reply.FS0001:maybe-7",
        "mail.reply.FS0001:yes-x",
    ):
        assert "can't find that email" in tap(chat, data)
    assert events(chat) == (CaseEvent(COMPLAINED, EventKind.COMPLAINT_MADE),)
    assert chat.workspace.mail_settled == []


def test_an_extension_confirmed_asks_its_new_date_and_reasons_before_recording() -> None:
    """Code 6.4: an extension has a new date and must give reasons. The tap alone cannot know them:
    the resident is asked, and the extension is recorded with what the landlord wrote."""
    chat = chat_with(
        acknowledgement(kind=MailKind.EXTENSION, on=date(2026, 3, 11)),
        CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED),
    )
    said = tap(chat, mail_button_data(REF, 7, True))
    assert "new date" in said
    assert chat.where == ("tracking", "ext_due")
    chat.send("25/03/2026")
    chat.press("Yes")
    [extension] = [e for e in events(chat) if e.kind is EventKind.STAGE1_EXTENSION]
    assert (extension.date, extension.new_due, extension.reasons_given) == (
        date(2026, 3, 11),
        date(2026, 3, 25),
        True,
    )
    assert chat.workspace.mail_settled == [(REF, 7, True)]


def test_a_stage_1_response_confirmed_asks_whether_they_are_happy_and_offers_stage_2() -> None:
    """As after recording it in /status: Code 6.10, any part not resolved goes to stage 2 on request."""
    chat = chat_with(
        acknowledgement(kind=MailKind.RESPONSE, on=date(2026, 3, 11)),
        CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED),
    )
    said = tap(chat, mail_button_data(REF, 7, True))
    assert "Noted" in said and CaseEvent(date(2026, 3, 11), EventKind.STAGE1_RESPONSE) in events(chat)
    assert chat.where == ("tracking", "happy")
    chat.press("No, or only partly")
    assert chat.where[0] == "stage2"
