"""Break-it review of issue 20: what the stage 2 letter, the referral summary and the pack's copies of
the letters say must be true, and cite the paragraph that sets each date (domain.md 1.5, 1.6, 4.2).
"""

from __future__ import annotations

from datetime import date

from flows.case import Case, CaseEvent, EventKind
from flows.conversations.workspace import CaseRecord
from flows.i18n import translator
from flows.letters import referral_summary, sent_letters, stage2_letter
from flows.timeline import build_timeline
from flows.working_days import Nation

EN = translator("en")
PROFILE = {"full_name": "Amina Begum", "address": "1 Mill Road, Leeds LS1 1AA"}
MADE = CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE)  # Monday 2 March 2026
# Acknowledged on Friday 20 March: 9 working days after 9 March (Code 6.2). The response is then due
# 15 working days from the complaint, Monday 23 March (Code 6.2 and 6.3), not 10 after the late
# acknowledgement: the date comes from the request's rule.
LATE_ACK = CaseEvent(date(2026, 3, 20), EventKind.ACKNOWLEDGED)
ASKED2 = CaseEvent(date(2026, 4, 14), EventKind.ESCALATION_REQUESTED)


def record(
    *events: CaseEvent, nation: Nation = Nation.ENGLAND, disputed: frozenset[CaseEvent] = frozenset()
) -> CaseRecord:
    return CaseRecord(
        "FS-TEST1",
        Case(events=tuple(events), nation=nation),
        "Brookside Homes",
        {"what_happened": "The ceiling leaks."},
        landlord_recorded=disputed,
        disputed=disputed,
    )


def test_a_missed_response_dated_from_the_request_cites_the_request_s_rule_not_6_3() -> None:
    letter = stage2_letter(record(MADE, LATE_ACK, ASKED2), PROFILE, ASKED2.date, EN).body
    assert (
        "- Answering my complaint (stage 1): due Monday, 23 March 2026 (Code 6.2 and 6.3 (2024)), missed by"
        in letter
    )
    assert "(Code 6.3 (2024)), missed" not in letter


def test_a_welsh_stage2_letter_does_not_cite_the_english_code_for_failures() -> None:
    letter = stage2_letter(record(MADE, LATE_ACK, ASKED2, nation=Nation.WALES), PROFILE, ASKED2.date, EN).body
    assert "Code 6." not in letter
    assert "How my complaint has been handled so far" not in letter


def test_the_pack_s_copies_of_the_letters_are_dated_the_day_each_was_sent_and_say_only_what_was_true_then() -> (
    None
):
    stage2_missed = record(MADE, LATE_ACK, ASKED2)  # stage 2 never acknowledged: missed by June
    letters = sent_letters(stage2_missed, PROFILE, EN)
    assert [letter.title for letter in letters] == ["Formal complaint (stage 1)", "Request for stage 2"]
    stage1, stage2 = (letter.body for letter in letters)
    assert "\n\nMonday, 2 March 2026\n\n" in stage1
    assert "\n\nTuesday, 14 April 2026\n\n" in stage2
    # What the request said on 14 April: nothing about its own acknowledgement, missed only later.
    assert "Acknowledging my stage 2 request" not in stage2
    assert stage2 == stage2_letter(stage2_missed, PROFILE, ASKED2.date, EN).body
    assert sent_letters(record(), PROFILE, EN) == []


def test_the_referral_summary_shows_what_the_resident_disputes_as_the_chat_promised() -> None:
    disputed = frozenset({LATE_ACK})
    case_record = record(MADE, LATE_ACK, disputed=disputed)
    summary = referral_summary(case_record, PROFILE, build_timeline(case_record.case, date(2026, 6, 1)), EN)
    assert (
        "- Friday, 20 March 2026: the landlord acknowledged your complaint (you dispute this)" in summary.body
    )
    plain = record(MADE, LATE_ACK)
    summary = referral_summary(plain, PROFILE, build_timeline(plain.case, date(2026, 6, 1)), EN)
    assert "(you dispute this)" not in summary.body
