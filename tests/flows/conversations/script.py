"""The resident's whole journey as choice ids and typed answers: the same in every language."""

from __future__ import annotations

from datetime import date

from memory import Chat

from flows.conversations.engine import Reply

TYPED = {
    "Riverside Housing",
    "Amina Begum",
    "Flat 3, 12 Mill Road, Leeds LS1 4AB",
    "amina@example.com",
    "The kitchen ceiling leaks.",
    "We cannot cook.",
    "Fix it within two weeks.",
    "Nothing is fixed yet.",
}


def whole_journey(chat: Chat) -> list[Reply]:
    """From /start to the referral, through every kind of step; returns every reply on the way."""
    seen: list[Reply] = []

    def record(replies: list[Reply]) -> None:
        seen.extend(replies)

    record(chat.send("/start"))
    record(chat.choose(chat.workspace.language))
    record(chat.choose("resident"))
    record(chat.choose("ok"))
    record(chat.send("/help"))
    record(chat.send("/explain"))
    record(chat.choose("maladministration"))
    record(chat.choose("more"))
    record(chat.choose("menu"))
    record(chat.choose("new"))
    record(chat.choose("england"))
    record(chat.choose("housing_association"))
    record(chat.send("Riverside Housing"))
    record(chat.choose("damp_mould"))
    record(chat.choose("none"))
    record(chat.choose("no"))
    record(chat.send("31/02/2026"))  # not a real date: a clear reply
    record(chat.send("01/02/2026"))
    record(chat.choose("yes"))
    record(chat.send("02/02/2026"))  # reported to the landlord: Awaab's Law clocks
    record(chat.send("Amina Begum"))
    record(chat.send("Flat 3, 12 Mill Road, Leeds LS1 4AB"))
    record(chat.choose("_skip"))
    record(chat.choose("email"))
    record(chat.send("amina@example.com"))
    record(chat.send("The kitchen ceiling leaks."))
    record(chat.choose("_skip"))
    record(chat.send("We cannot cook."))
    record(chat.send("Fix it within two weeks."))
    record(chat.choose("_skip"))
    record(chat.upload("ceiling.jpg", b"\xff\xd8\xff photo", "image/jpeg", "photo"))
    record(chat.choose("_done"))
    record(chat.choose("edit"))
    record(chat.choose("put_right"))
    record(chat.send("Fix it within two weeks."))
    record(chat.choose("letter"))
    record(chat.choose("sent"))
    record(chat.choose("today"))
    chat.today = date(2026, 3, 20)
    record(chat.send("/status"))
    record(chat.choose("counted"))
    record(chat.choose("acknowledged"))
    record(chat.send("04/03/2026"))
    record(chat.choose("more_time"))
    record(chat.send("16/03/2026"))
    record(chat.send("27/03/2026"))
    record(chat.choose("no"))
    record(chat.choose("replied"))
    record(chat.send("19/03/2026"))
    record(chat.choose("_done"))
    record(chat.choose("no"))
    record(chat.send("Nothing is fixed yet."))
    record(chat.choose("sent"))
    record(chat.send("20/03/2026"))
    chat.today = date(2026, 5, 20)
    record(chat.send("/status"))
    record(chat.choose("nothing"))
    record(chat.choose("ombudsman"))
    record(chat.choose("pack"))
    record(chat.choose("sent"))
    record(chat.send("20/05/2026"))
    record(chat.send("/status"))
    record(chat.send("/export"))
    record(chat.send("/language"))
    return seen
