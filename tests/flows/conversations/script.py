"""The resident's whole journey as choice ids and typed answers: the same in every language."""

from __future__ import annotations

from datetime import date

from memory import Chat
from support.journey import complaint, split_at

from flows.conversations.types import Reply

# Damp and mould reported on 2 February: Awaab's Law clocks too.
WRITTEN = complaint(
    subject="damp_mould",
    hazard_reported="02/02/2026",
    tenancy_ref=None,
    what_happened="The kitchen ceiling leaks.",
    impact="We cannot cook.",
    put_right="Fix it within two weeks.",
)
TYPED = {answer.text for answer in WRITTEN if answer.text is not None} | {
    "Nothing is fixed yet.",
    "Nothing is fixed yet, and nobody has called.",
    "We still cannot cook.",
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
    before_date, rest = split_at(WRITTEN, "new_complaint", "started")
    record(chat.play(before_date))
    record(chat.send("31/02/2026"))  # not a real date: a clear reply
    record(chat.play(rest))
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
    record(chat.choose("edit"))  # the stage 2 review screen: change the reasons, back to the review
    record(chat.send("Nothing is fixed yet, and nobody has called."))
    record(chat.choose("letter"))
    record(chat.choose("sent"))
    record(chat.send("20/03/2026"))
    chat.today = date(2026, 5, 20)
    record(chat.send("/status"))
    record(chat.choose("nothing"))
    record(chat.choose("ombudsman"))
    record(chat.choose("pack"))
    record(chat.choose("impact"))  # the referral's review screen: change an answer, back to the review
    record(chat.send("We still cannot cook."))
    record(chat.choose("pack"))
    record(chat.choose("sent"))
    record(chat.send("20/05/2026"))
    record(chat.send("/status"))
    record(chat.send("/export"))
    record(chat.send("/language"))
    return seen
