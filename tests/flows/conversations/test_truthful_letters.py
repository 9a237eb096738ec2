"""Issue 20: mistakes refused before they stick, answers fit for a letter, letters that say what is true.

In memory (no database, no Telegram): the journeys through the Bot API stand-in and the terminal are in
tests/journeys/.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from memory import Chat
from support.journey import complaint
from test_journey import complaint_written, onboarded

from flows.case import CaseEvent, EventKind
from flows.conversations.parsing import read_date
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.history import order_clash
from flows.i18n import translator
from flows.text import has_words
from flows.timeline import build_timeline


def sent_and_acknowledged_late(today: date = date(2026, 3, 2)) -> Chat:
    """A complaint sent today (Monday 2 March 2026), acknowledged on 20 March (due 9 March: 9 working
    days late), answered on 27 March."""
    chat = complaint_written(onboarded(today))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 3, 20)
    chat.press("My complaints")
    chat.press("They acknowledged it")
    chat.send("20/03/2026")
    chat.today = date(2026, 3, 27)
    chat.send("/status")
    chat.press("They replied")
    chat.send("today")
    chat.press("That's all my evidence")
    return chat


# --- events out of order ---------------------------------------------------------------------------


def test_an_acknowledgement_dated_before_the_complaint_is_refused_naming_the_complaint_and_its_date() -> None:
    chat = complaint_written(onboarded(date(2026, 8, 14)))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    chat.press("They acknowledged it")
    chat.send("01/08/2026")
    assert "Saturday, 1 August 2026 is before Friday, 14 August 2026" in chat.text
    assert "you made your complaint" in chat.text
    assert chat.where == ("tracking", "event_date")
    record = chat.workspace.cases()[0]
    assert EventKind.ACKNOWLEDGED not in {e.kind for e in record.case.events}
    assert "working days late" not in chat.text and "We did not expect" not in chat.text
    chat.send("today")  # the same question, answered right: nothing was lost
    assert "Noted: the landlord acknowledged your complaint on Friday, 14 August 2026." in chat.text


def test_a_stage2_request_dated_before_the_stage1_answer_is_refused() -> None:
    chat = sent_and_acknowledged_late()
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    chat.press("I've sent it")
    chat.send("26/03/2026")
    assert "Thursday, 26 March 2026 is before Friday, 27 March 2026" in chat.text
    assert "the landlord's stage 1 answer" in chat.text
    assert chat.where == ("stage2", "sent_date")


def test_order_clash_both_ways_and_same_day() -> None:
    made = CaseEvent(date(2026, 8, 14), EventKind.COMPLAINT_MADE)
    acknowledged = CaseEvent(date(2026, 8, 20), EventKind.ACKNOWLEDGED)
    early = order_clash([made], CaseEvent(date(2026, 8, 1), EventKind.ACKNOWLEDGED))
    assert early is not None and early.other == made and early.other_comes_first
    late = order_clash([made, acknowledged], CaseEvent(date(2026, 8, 21), EventKind.COMPLAINT_MADE))
    assert late is not None and late.other == acknowledged and not late.other_comes_first
    assert order_clash([made], CaseEvent(made.date, EventKind.ACKNOWLEDGED)) is None
    assert order_clash([made], CaseEvent(date(2026, 8, 1), EventKind.ISSUE_STARTED)) is None


# --- answers fit for a letter ----------------------------------------------------------------------


@pytest.mark.parametrize("junk", ["😡😡😡", "\u200b", "\u3164", ".", "!!! ...", "\u115f\u1160", "👍🏽 👍🏽"])
def test_text_for_a_letter_needs_words_and_the_reask_loses_nothing(junk: str) -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    answers = complaint()
    for answer in answers:
        if (answer.flow, answer.step) == ("complaint", "impact"):
            break
        chat.play([answer])
    assert chat.where == ("complaint", "impact")
    chat.send(junk)
    assert chat.where == ("complaint", "impact")
    assert "I need it in words" in chat.text or "Please type your answer" in chat.text
    assert chat.state is not None and chat.state.answers["what_happened"].startswith("The kitchen ceiling")
    chat.send("We can't cook.")
    assert chat.where == ("complaint", "put_right")


def test_words_in_any_script_count() -> None:
    for text in ("No", "لا يوجد ماء ساخن", "গরম পানি নেই", "Dim dŵr poeth", "14", "水"):
        assert has_words(text), text
    for text in ("😡😡😡", ".", "\u200b", "\u3164", "\uffa0", " ", "—", "❤️"):
        assert not has_words(text), text


def test_an_angry_emoji_never_reaches_the_stage2_letter() -> None:
    chat = sent_and_acknowledged_late()
    chat.press("No, or only partly")
    chat.send("😡😡😡")
    assert "I need it in words" in chat.text
    assert chat.where == ("stage2", "why")
    chat.send("The leak is still there.")
    assert chat.where == ("stage2", "review")
    assert "The leak is still there." in chat.text


def test_stage2_has_a_review_screen_to_change_the_reasons_before_the_letter() -> None:
    chat = sent_and_acknowledged_late()
    chat.press("No, or only partly")
    chat.send("The leak is still there.")
    assert chat.where == ("stage2", "review")
    chat.press("Change what I said")
    assert chat.where == ("stage2", "why")
    chat.send("The ceiling still leaks and nobody has come.")
    assert chat.where == ("stage2", "review")
    chat.press("That's right: write my request")
    letter = chat.replies[0].text
    assert "What is still not right\nThe ceiling still leaks and nobody has come." in letter


def test_a_month_is_enough_for_when_the_problem_started_and_shows_as_the_month() -> None:
    chat = onboarded()
    chat.press("Start a new complaint")
    answers = complaint(started="February 2026")
    chat.play(answers)
    assert chat.state is not None and chat.state.answers["started"] == "2026-02"
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    record = chat.workspace.cases()[0]
    assert CaseEvent(date(2026, 2, 1), EventKind.ISSUE_STARTED) in record.case.events
    chat.press("My complaints")
    assert "• February 2026: the problem started" in chat.text


def test_reading_a_month_and_what_is_not_a_date() -> None:
    t, today = translator("en"), date(2026, 9, 1)
    assert read_date("August 2026", t, today, month_ok=True).answer == "2026-08"
    assert read_date("08/2026", t, today, month_ok=True).answer == "2026-08"
    assert read_date("Awst 2026", translator("cy"), today, month_ok=True).answer == "2026-08"
    assert read_date("August 2026", t, today).value is None  # only where a month is asked for
    assert read_date("Flat 3, 12 Mill Road", t, today).problem == "not_a_date"
    assert read_date("14 March 2026", t, today).value == date(2026, 3, 14)


# --- letters that say what is true ------------------------------------------------------------------


def test_a_letter_sent_weeks_ago_is_dated_that_day_and_nothing_is_counted_before_asking_what_happened() -> (
    None
):
    chat = complaint_written(onboarded(date(2026, 4, 14)))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Another day")
    chat.send("02/03/2026")
    assert chat.where == ("complaint", "since")
    assert "working days late" not in chat.text and "working day late" not in chat.text
    chat.press("They acknowledged it")
    reissued = next(reply for reply in chat.replies if reply.document is not None)
    assert "Monday, 2 March 2026" in reissued.text and reissued.document is not None
    assert chat.where == ("tracking", "event_date")
    chat.send("05/03/2026")
    assert chat.where == ("tracking", "status")
    kinds = [e.kind for e in chat.workspace.cases()[0].case.events]
    assert kinds[-2:] == [EventKind.COMPLAINT_MADE, EventKind.ACKNOWLEDGED]


def test_a_letter_sent_weeks_ago_with_nothing_heard_counts_then() -> None:
    chat = complaint_written(onboarded(date(2026, 4, 14)))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Another day")
    chat.send("02/03/2026")
    chat.press("Nothing heard yet")
    assert chat.where == ("home", "menu")
    assert "working days late" in chat.text


def test_the_stage2_letter_lists_the_failures_found_each_with_its_paragraph() -> None:
    chat = sent_and_acknowledged_late()
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    letter = chat.replies[0].text
    assert "How my complaint has been handled so far" in letter
    assert (
        "- Acknowledging my complaint (stage 1): due Monday, 9 March 2026 (Code 6.2 (2024)), missed by 9 "
        "working days." in letter
    )


# --- correcting what was recorded --------------------------------------------------------------------


def test_a_wrong_date_is_corrected_from_status_and_the_timeline_follows() -> None:
    chat = sent_and_acknowledged_late()  # acknowledged on 20 March: 9 working days late
    chat.press("No, or only partly")
    chat.send("/status")
    chat.press("Correct or remove something I recorded")
    assert chat.where == ("tracking", "correct_pick")
    chat.press("Friday, 20 March 2026: the landlord acknowledged your complaint")
    chat.press("Change its date")
    chat.send("01/03/2026")  # before the complaint was made: refused as any new date would be
    assert "is before Monday, 2 March 2026" in chat.text
    assert chat.where == ("tracking", "correct_date")
    chat.send("04/03/2026")
    assert (
        "Corrected: “the landlord acknowledged your complaint” is now on Wednesday, 4 March 2026."
        in chat.text
    )
    assert chat.where == ("tracking", "status")
    record = chat.workspace.cases()[0]
    assert CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED) in record.case.events
    assert CaseEvent(date(2026, 3, 20), EventKind.ACKNOWLEDGED) not in record.case.events
    acknowledgement = build_timeline(record.case, chat.today).facts.deadline(
        DeadlineId.STAGE1_ACKNOWLEDGEMENT
    )
    assert acknowledgement.status is DeadlineStatus.MET  # in time now: the timeline follows the correction


def test_something_recorded_by_mistake_is_removed() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.press("My complaints")
    chat.press("They asked for more time")
    chat.send("today")
    chat.press("They didn't give a date")
    chat.press("No")
    chat.press("Correct or remove something I recorded")
    chat.press("Monday, 2 March 2026: the landlord asked for more time at stage 1")
    chat.press("Remove it")
    assert "Removed: “the landlord asked for more time at stage 1”" in chat.text
    kinds = [e.kind for e in chat.workspace.cases()[0].case.events]
    assert EventKind.STAGE1_EXTENSION not in kinds and EventKind.COMPLAINT_MADE in kinds


def test_what_the_landlord_recorded_can_be_disputed_not_removed() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    ref = chat.workspace.cases()[0].ref
    acknowledged = CaseEvent(date(2026, 3, 2), EventKind.ACKNOWLEDGED)
    chat.workspace.record_event(ref, acknowledged)
    record = chat.workspace.records[ref]
    chat.workspace.records[ref] = replace(record, landlord_recorded=frozenset({acknowledged}))
    chat.press("My complaints")
    chat.press("Correct or remove something I recorded")
    chat.press("Monday, 2 March 2026: the landlord acknowledged your complaint")
    assert "Your landlord recorded this, so I can't change it." in chat.text
    labels = [button.label for button in chat.buttons]
    assert labels == ["I dispute this", "Leave it as it is"]
    chat.press("I dispute this")
    assert "Noted: you dispute “the landlord acknowledged your complaint”" in chat.text
    assert acknowledged in chat.workspace.cases()[0].case.events  # kept, and marked
    assert "the landlord acknowledged your complaint (you dispute this)" in chat.text


def test_a_stage2_request_sent_today_is_counted_at_once_though_stage1_was_late() -> None:
    """Only the deadlines a backdated sending starts make the question "what has happened since"."""
    chat = sent_and_acknowledged_late()
    chat.press("No, or only partly")
    chat.press("I'd rather not say")
    chat.press("That's right: write my request")
    chat.press("I've sent it")
    chat.send("today")
    assert chat.where == ("home", "menu")
    assert "Noted: you asked for stage 2 on Friday, 27 March 2026." in chat.text


def test_the_referral_has_a_review_screen_where_the_resident_s_words_can_be_changed() -> None:
    chat = complaint_written(onboarded())
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Today")
    chat.today = date(2026, 4, 20)
    chat.send("/status")
    chat.press("Go to the Housing Ombudsman")
    chat.press("Make my pack")
    assert chat.where == ("referral", "review")
    assert "Please check your summary for the Housing Ombudsman" in chat.text
    # The failures found, each with its paragraph: the missed acknowledgement (Code 6.2) among them.
    found = chat.text.split("What we found")[1]
    assert "Code 6.2 (2024)" in found
    assert all(
        "(Code" in line or "Code " in line for line in found.strip().splitlines()[:3] if line.startswith("- ")
    )
    assert "My son's asthma is worse and we can't use the kitchen." in chat.text
    chat.press("How it affects me")
    assert chat.where == ("referral", "impact")
    assert "Your answer so far: My son's asthma is worse" in chat.text
    chat.send("😡")
    assert "I need it in words" in chat.text
    chat.send("My son was in hospital twice.")
    assert chat.where == ("referral", "review")
    assert "My son was in hospital twice." in chat.text
    chat.press("That's right: make my pack")
    assert chat.where == ("referral", "pack")
    assert chat.workspace.cases()[0].details["impact"] == "My son was in hospital twice."
    assert "impact" not in (chat.state.answers if chat.state else {})


def test_back_to_what_has_happened_since_does_not_record_the_letter_twice() -> None:
    chat = complaint_written(onboarded(date(2026, 4, 14)))
    chat.press("That's right: write my letter")
    chat.press("I've sent it")
    chat.press("Another day")
    chat.send("02/03/2026")
    chat.press("They acknowledged it")
    assert chat.where == ("tracking", "event_date")
    chat.send("/back")
    assert chat.where == ("complaint", "since")
    chat.press("Nothing heard yet")
    assert chat.where == ("home", "menu")
    kinds = [e.kind for e in chat.workspace.cases()[0].case.events]
    assert kinds.count(EventKind.COMPLAINT_MADE) == 1


def test_the_failures_in_a_letter_cite_the_rule_behind_each_date() -> None:
    """A late acknowledgement leaves the stage 1 answer due 15 WD after the complaint (Code 6.2 and 6.3),
    not 10 after the acknowledgement (6.3 alone): the letter names the paragraphs that set the date."""
    from flows.case import Case
    from flows.letters import failures_so_far

    # Complaint Mon 2 Mar 2026, acknowledged Fri 20 Mar (due Mon 9 Mar). 15 WD after the complaint
    # (3-6 Mar: 4; 9-13: 9; 16-20: 14; 23 Mar: 15) is Mon 23 Mar, before 10 WD after 20 Mar (Fri 3 Apr).
    history = Case(
        events=(
            CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE),
            CaseEvent(date(2026, 3, 20), EventKind.ACKNOWLEDGED),
        )
    )
    text = failures_so_far(build_timeline(history, date(2026, 4, 1)), translator("en"))
    assert text is not None
    assert "Answering my complaint (stage 1): due Monday, 23 March 2026 (Code 6.2 and 6.3 (2024))" in text
