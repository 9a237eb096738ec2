"""Break-it review of issue 20 on a real database: who may correct what.

A helper acting with consent corrects what the landlord did (as they may record it), never the
resident's own steps; a complaint Fair Say delivered to the landlord keeps the day it went (the
landlord's clocks and its CH02 figures run from it), even against forged button data.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.chat_service import ChatService
from bot.services.workspace import DbWorkspace
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from tests.bot.test_helpers_and_landlords import (
    Person,
    approved_landlord,
    clock,
    join_as_helper,
    own_ref,
    resident_with_complaint,
    service,
    share,
)

__all__ = ["clock", "service"]  # the fixtures

MADE = CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE)


def labels(person: Person) -> list[str]:
    return [b.label for r in person.replies for row in r.buttons for b in row]


def kinds(repo: Repository, ref: str) -> list[EventKind]:
    with repo.unit_of_work() as uow:
        summary = uow.case_by_ref(ref)
        assert summary is not None
        return [e.kind for e in uow.load_case(summary.id).events]


def test_a_helper_who_acts_corrects_what_the_landlord_did_never_the_resident_s_complaint(
    repo: Repository, service: ChatService
) -> None:
    resident = resident_with_complaint(service)
    resident.press("That's right: write my letter")
    resident.press("I've sent it")
    resident.press("Today")
    ref = own_ref(repo, 1001)
    helper = Person(service, 2002)
    join_as_helper(helper, share(resident, "See it and act for me"))
    helper.press_data(f"case:{ref}")
    helper.press("They acknowledged it")
    helper.send("today")
    helper.press("Correct or remove something I recorded")
    assert labels(helper) == [
        "Monday, 2 March 2026: the landlord acknowledged your complaint",
        "Leave it as it is",
    ]
    helper.press_data(f"tracking.correct_pick.{ref}:complaint_made@2026-03-02")  # a forged button
    assert "Please choose one of the options" in helper.text
    assert kinds(repo, ref) == [EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE, EventKind.ACKNOWLEDGED]
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(2002)
        with pytest.raises(PermissionError):
            DbWorkspace(uow, user, date(2026, 3, 2), 1_000_000).correct_event(ref, MADE, "removed")
    # What the landlord did, the helper may put right.
    helper.press("Monday, 2 March 2026: the landlord acknowledged your complaint")
    helper.press("Remove it")
    assert kinds(repo, ref) == [EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE]


def test_a_complaint_fair_say_delivered_keeps_the_day_it_went(repo: Repository, service: ChatService) -> None:
    admin = Person(service, 7007)
    approved_landlord(repo, admin)
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    assert EventKind.COMPLAINT_MADE in kinds(repo, ref)
    resident.send("/status")
    resident.press("Correct or remove something I recorded")
    assert not any("you made your complaint" in label for label in labels(resident))
    resident.press_data(f"tracking.correct_pick.{ref}:complaint_made@2026-03-02")  # a forged button
    assert "Please choose one of the options" in resident.text
    with repo.unit_of_work() as uow:
        summary = uow.case_by_ref(ref)
        assert summary is not None
        for how in ("2026-02-01", "removed"):
            with pytest.raises(ValueError, match="delivered"):
                uow.correct_event(summary.id, MADE, how, EventSource.RESIDENT, summary.owner_user_id)
    assert kinds(repo, ref) == [EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE]
