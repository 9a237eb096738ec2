"""Break-it review of issue 20: a correction never leaves a history that claims something false.

Removing the complaint while what the landlord did after it stays would leave an acknowledgement of
no complaint, and every deadline (and every failure found) gone; the resident can change its date,
or remove what follows first, and record the complaint again.
"""

from __future__ import annotations

from datetime import date

from support.journey import complaint
from test_journey import complaint_written, onboarded

from flows.case import EventKind
from flows.conversations.parsing import read_date
from flows.conversations.types import Incoming
from flows.i18n import translator


def test_the_complaint_cannot_be_removed_while_what_followed_it_stays_and_can_be_re_added_after() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    chat.press("They acknowledged it")
    chat.send("today")
    chat.press("Correct or remove something I recorded")
    made = next(b.label for b in chat.buttons if "you made your complaint" in b.label)
    chat.press(made)
    assert "What you recorded after it follows from it, so I can't remove it." in chat.text
    assert [b.label for b in chat.buttons] == ["Change its date", "Leave it as it is"]
    ref = chat.workspace.cases()[0].ref
    chat.send(Incoming(button=f"tracking.correct_how.{ref}:remove"))  # a forged button
    assert "Please choose one of the options" in chat.text
    assert chat.where == ("tracking", "correct_how")
    assert EventKind.COMPLAINT_MADE in {e.kind for e in chat.workspace.cases()[0].case.events}
    chat.press("Leave it as it is")
    # What follows removed first, the complaint can go, and be recorded again.
    chat.press("Correct or remove something I recorded")
    chat.press(next(b.label for b in chat.buttons if "acknowledged" in b.label))
    chat.press("Remove it")
    chat.press("Correct or remove something I recorded")
    chat.press(made)
    assert [b.label for b in chat.buttons] == ["Change its date", "Remove it", "Leave it as it is"]
    chat.press("Remove it")
    assert EventKind.COMPLAINT_MADE not in {e.kind for e in chat.workspace.cases()[0].case.events}
    chat.press("I've sent it")
    chat.press("Today")
    events = chat.workspace.cases()[0].case.events
    assert [e.kind for e in events].count(EventKind.COMPLAINT_MADE) == 1
    assert events[-1].date == date(2026, 3, 2)


def sent_on(today: date, started: str) -> str:
    """The status text of a complaint sent `today` about a problem that started in `started` (a month)."""
    chat = onboarded(today)
    chat.press("Start a new complaint")
    chat.play(complaint(started=started))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    return chat.text


def test_a_month_only_start_is_never_shown_as_its_1st_nor_called_more_than_12_months_unless_it_is() -> None:
    # August 2025 may mean 20 August: a complaint on 14 August 2026 may be within the 12 months.
    text = sent_on(date(2026, 8, 14), "August 2025")
    assert "1 August 2025" not in text
    assert "more than 12 months after the problem" not in text
    assert (
        "You complained on Friday, 14 August 2026, about 12 months after the problem started in August 2025."
        in text
    )
    # June 2025 is more than 12 months before 14 August 2026 whatever its day.
    text = sent_on(date(2026, 8, 14), "June 2025")
    assert "1 June 2025" not in text
    assert (
        "You complained on Friday, 14 August 2026, more than 12 months after the problem started in June 2025."
        in text
    )


def test_a_month_s_name_with_combining_marks_is_read_in_bengali_and_urdu() -> None:
    """ "আগস্ট" (August) carries a virama: it was cut in two and answered "doesn't look like a date"."""
    today = date(2026, 12, 7)
    bn, ur = translator("bn"), translator("ur")
    assert read_date("আগস্ট 2026", bn, today, month_ok=True).answer == "2026-08"
    assert read_date("১৪ আগস্ট ২০২৬", bn, today).value == date(2026, 8, 14)
    assert read_date("اگست 2026", ur, today, month_ok=True).answer == "2026-08"
    assert read_date("ঢাকা রোড 12", bn, today).problem == "not_a_date"


def test_back_after_an_event_is_recorded_never_records_it_twice() -> None:
    """/back from the status after "They acknowledged it" once reached "When did that happen?" with nothing
    pending (any answer: "something went wrong"); it now never returns to a recorded question."""
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    chat.press("They acknowledged it")
    chat.send("today")
    chat.send("/back")
    assert chat.where == ("tracking", "status")
    chat.press("They asked for more time")
    chat.send("today")
    chat.press("They didn't give a date")
    chat.press("No")
    chat.send("/back")
    assert chat.where == ("tracking", "status")
    kinds = [e.kind for e in chat.workspace.cases()[0].case.events]
    assert kinds.count(EventKind.ACKNOWLEDGED) == 1 and kinds.count(EventKind.STAGE1_EXTENSION) == 1
