""" "Email it to my landlord for me": the address asked and checked (nothing lost on a typo, /back goes
back), exactly what will be sent shown, nothing sent without the one tap of consent, a limit said
with when to try again; offered only where Fair Say can send mail."""

from __future__ import annotations

from datetime import datetime

from memory import Chat
from test_journey import complaint_written, onboarded

from flows.conversations.types import Incoming
from flows.conversations.workspace import EmailLimit

EMAIL_IT = "Email it to my landlord for me"


def at_the_letter(emailing: bool = True) -> Chat:
    chat = onboarded()
    chat.people.emailing = emailing
    chat = complaint_written(chat)
    chat.press("That's right: write my letter")
    assert chat.where == ("complaint", "letter")
    return chat


def test_not_offered_where_fair_say_cannot_send_mail() -> None:
    chat = at_the_letter(emailing=False)
    assert EMAIL_IT not in [button.label for button in chat.buttons]


def test_a_bad_address_is_asked_again_and_nothing_is_lost() -> None:
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    assert chat.where == ("complaint", "email_to")
    for typo in ("complaints at northgate.example", "me@", "Northgate Homes <c@n.example>", "a@b"):
        chat.send(typo)
        assert "doesn't look like an email address" in chat.text
        assert chat.where == ("complaint", "email_to")
    assert chat.workspace.cases()[0].details.get("what_happened")
    chat.send("/back")
    assert chat.where == ("complaint", "letter")


def test_fair_says_own_address_is_refused_as_the_landlords() -> None:
    """A case's reply address as the landlord's would loop the complaint back in as a "reply" (to any
    case whose address the resident knows), and the landlord would never have it."""
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("case-abcdefghijklmnopqrstuvwxyz@Replies.FairSay.example")
    assert "one of Fair Say's own addresses" in chat.text
    assert chat.where == ("complaint", "email_to")
    chat.send("complaints@northgate.example")
    assert chat.where != ("complaint", "email_to")


def test_what_will_be_sent_is_shown_and_nothing_goes_without_consent() -> None:
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("complaints@northgate.example")
    assert chat.where == ("complaint", "email_consent")
    shown = chat.text
    for part in (
        "To: complaints@northgate.example",
        "From: Fair Say <complaints@fairsay.example>",
        "Replies go to: case-abc@replies.fairsay.example",
        "Subject: Formal complaint",
        "Attached: complaint.pdf, photo.jpg",
        "available on request): video.mp4",
        "authorise Fair Say to send this complaint on my behalf",
        "Do you agree",
    ):
        assert part in shown
    chat.press("No, don't send it")
    assert chat.people.emailed == [] and chat.workspace.cases()[0].case.events == ()
    assert chat.where == ("complaint", "letter")  # the other ways are still there
    assert "I've sent it" in [button.label for button in chat.buttons]
    chat.send("/back")  # and the letter can still be changed
    assert chat.where != ("complaint", "letter")


def test_one_tap_of_consent_queues_it_and_nothing_counts_yet() -> None:
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("  complaints@northgate.example ")
    chat.press("Yes, send it")
    ref = chat.workspace.cases()[0].ref
    assert chat.people.emailed == [(ref, 1, "complaints@northgate.example")]
    assert "I'll tell you as soon as the mail server has accepted it" in chat.text
    assert chat.workspace.cases()[0].case.events == ()  # the sender records the day the relay accepts it


def test_a_limit_says_when_to_try_again_and_offers_sending_it_yourself() -> None:
    chat = at_the_letter()
    chat.people.email_limit = EmailLimit("resident", datetime(2026, 3, 3, 9, 30))
    chat.press(EMAIL_IT)
    chat.send("complaints@northgate.example")
    chat.press("Yes, send it")
    assert chat.people.emailed == []
    assert "You can try again from Tuesday, 3 March 2026 at 09:30" in chat.text
    assert "I've sent it" in chat.text


def consent_button(chat: Chat) -> str:
    return next(b.data for b in chat.buttons if b.label == "Yes, send it")


def test_an_old_consent_button_never_sends_to_the_address_it_did_not_show() -> None:
    """Consent is to exactly what was shown: after /back and a new address, the first preview's "Yes"
    (which showed the old address) is an earlier question's button, not consent to the new one."""
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("complaints@wrong.example")
    old_yes = consent_button(chat)
    chat.send("/back")
    assert chat.where == ("complaint", "email_to")
    chat.send("complaints@northgate.example")
    assert "To: complaints@northgate.example" in chat.text
    chat.send(Incoming(button=old_yes))
    assert chat.people.emailed == []
    assert "earlier question" in chat.text and chat.where == ("complaint", "email_consent")
    chat.press("Yes, send it")
    ref = chat.workspace.cases()[0].ref
    assert chat.people.emailed == [(ref, 1, "complaints@northgate.example")]


def test_consent_pressed_twice_sends_once() -> None:
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("complaints@northgate.example")
    yes = consent_button(chat)
    chat.send(Incoming(button=yes))
    chat.send(Incoming(button=yes))
    assert len(chat.people.emailed) == 1


def test_the_address_is_sent_as_typed_without_mailto_and_spaces() -> None:
    chat = at_the_letter()
    chat.press(EMAIL_IT)
    chat.send("mailto:Complaints@Northgate.example")
    assert chat.where == ("complaint", "email_consent")
    assert "To: Complaints@Northgate.example" in chat.text
