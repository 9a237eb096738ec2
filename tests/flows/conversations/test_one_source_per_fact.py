"""Durations, limits and clocks reach messages from the constants that enforce them (issue 24): change
a constant and the words change with it, in every language (the catalogues carry placeholders)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from memory import Chat

import flows.awaab
import flows.conversations.landlord
import flows.conversations.people
import flows.letters
import flows.scheme
from flows import access_times, hazards
from flows.case import Case, CaseEvent, EventKind
from flows.code_rules import CODE_2024
from flows.conversations.workspace import CaseRecord
from flows.i18n import translator

EN = translator("en")
POT = Path(__file__).resolve().parents[3] / "locales" / "fairsay.pot"

# A number with a unit of time in a message is a copied fact unless it is one of these: examples and
# conversions, other bodies' rules, and the Code's and the Ombudsman's 12 months (time_limits computes
# them from the dates; the words name the rule).
_ALLOWED = re.compile(
    r"12 months|28 days|4 weeks|8 weeks|6 months|15 working days are about 21 days|within 5 working days "
    r"to start|24-hour|20 working days to respond|5 working days at the|20 working days at the second"
)
_DURATION = re.compile(r"\b\d+ (?:working days?|days?|hours?|minutes?|weeks?)\b")


def _onboarded() -> Chat:
    chat = Chat()
    chat.send("/start")
    chat.choose("en")
    chat.choose("resident")
    chat.choose("ok")
    return chat


def test_no_message_copies_a_duration_a_constant_sets() -> None:
    with POT.open("rb") as template:
        catalog = read_po(template)
    copied = []
    for message in catalog:
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            if msgid and _DURATION.search(_ALLOWED.sub("", msgid)):
                copied.append(msgid)
    assert copied == []


def test_the_code_lifetimes_in_the_messages_follow_the_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    chat = _onboarded()
    chat.send("/code")
    chat.send("ABCDE 23456")
    assert "a resident's code lasts 48 hours, a colleague's invitation 7 days" in chat.text

    monkeypatch.setattr(flows.conversations.people, "CONSENT_CODE_LIFETIME", timedelta(hours=72))
    monkeypatch.setattr(flows.conversations.people, "STAFF_CODE_LIFETIME", timedelta(days=14))
    chat = _onboarded()
    chat.send("/code")
    chat.send("ABCDE 23456")
    assert "a resident's code lasts 72 hours, a colleague's invitation 14 days" in chat.text


def test_the_storage_enforces_the_times_the_messages_state() -> None:
    from bot.storage import access, sign_ins

    assert access.CONSENT_CODE_LIFETIME is access_times.CONSENT_CODE_LIFETIME
    assert access.STAFF_CODE_LIFETIME is access_times.STAFF_CODE_LIFETIME
    assert access.FAILED_CODES_WINDOW is access_times.FAILED_CODES_WINDOW
    assert sign_ins.LINK_LIFETIME is access_times.LINK_LIFETIME
    assert sign_ins.SESSION_LIFETIME is access_times.SESSION_LIFETIME


def test_the_digest_horizon_is_stated_from_its_constant(monkeypatch: pytest.MonkeyPatch) -> None:
    soon = CaseRecord(
        "FS0001", Case(events=(CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE),)), "Riverside Housing"
    )
    text = flows.conversations.people.digest_text([soon], date(2026, 3, 3), EN)
    assert text is not None and "due in the next 7 days" in text
    monkeypatch.setattr(flows.conversations.people, "DIGEST_HORIZON", timedelta(days=10))
    text = flows.conversations.people.digest_text([soon], date(2026, 3, 3), EN)
    assert text is not None and "due in the next 10 days" in text


def test_a_landlords_policy_limits_follow_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    landlord = flows.conversations.landlord
    assert {
        1: CODE_2024.stage1.response_working_days,
        2: CODE_2024.stage2.response_working_days,
    } == landlord.STAGE_MAX
    monkeypatch.setitem(landlord.STAGE_MAX, 1, 8)
    turn = Chat()._turn()
    assert landlord._check_days(1)("9", turn) == (
        "Please type a number of working days from 1 to 8: a policy can be quicker than the Code, not slower."
    )
    prompts = {step.id: step.prompt for step in landlord.LANDLORD.steps}
    stage1 = prompts["org_stage1"]
    assert callable(stage1) and "sooner than the Code's 8 working days" in stage1(turn)


def test_the_scheme_topic_states_the_codes_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    topic = flows.scheme.find_topic("two_stages")
    assert topic is not None
    quicker = dataclasses.replace(
        CODE_2024, stage1=dataclasses.replace(CODE_2024.stage1, acknowledgement_working_days=3)
    )
    monkeypatch.setattr(flows.scheme, "CODE_2024", quicker)
    text = flows.scheme.render_topic(topic, EN, more=True)
    assert "acknowledge your complaint within 3 working days" in text
    assert "an acknowledgement within 3 working days of your complaint" in text


def test_the_letters_state_the_codes_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    record = CaseRecord(
        "FS0001", Case(events=(CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE),)), "Riverside Housing"
    )
    letter = flows.letters.stage1_letter(record, {"full_name": "Amina Shah"}, date(2026, 3, 2), EN)
    assert "within 5 working days (Code 6.2)" in letter.body
    slower = dataclasses.replace(
        CODE_2024, stage1=dataclasses.replace(CODE_2024.stage1, response_working_days=12)
    )
    monkeypatch.setattr(flows.letters, "CODE_2024", slower)
    letter = flows.letters.stage1_letter(record, {"full_name": "Amina Shah"}, date(2026, 3, 2), EN)
    assert "full response within 12 working days of acknowledging it (Code 6.3)" in letter.body


def test_awaabs_law_words_follow_the_hazard_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert hazards.EMERGENCY_INVESTIGATION.text(EN) == (
        "Your landlord must investigate the problem within 24 hours of finding out about it."
    )
    sooner = dataclasses.replace(hazards.EMERGENCY_INVESTIGATION, hours=12)
    assert (
        sooner.text(EN)
        == "Your landlord must investigate the problem within 12 hours of finding out about it."
    )
    assert hazards.PREVENTATIVE_WORK.text(EN).endswith("within 12 weeks of finishing the investigation.")
    monkeypatch.setattr(flows.awaab, "EMERGENCY_INVESTIGATION", sooner)
    note = flows.awaab.report_time_note({"level": "emergency"}, EN)
    assert "we count the 12 hours from the end of that day" in note
