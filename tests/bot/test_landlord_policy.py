"""A landlord's registered timescale, shorter than the Code's, counts on both sides once it is approved: the
resident's /status and the team's card show "your landlord's policy" (or "your own policy") beside the Code's
date (the Code stays the floor, domain.md 1.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_helpers_and_landlords import Person, deliver_news, own_ref, resident_with_complaint

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.conversations.tracking import deadline_summary
from flows.i18n import translator
from flows.submissions import duty_lines
from flows.timeline import build_timeline
from tests.flows.builders import case, ev


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))


@pytest.fixture
def service(repo: Repository, settings: Settings, clock: ManualClock) -> ChatService:
    return ChatService(repo, settings, clock)


def test_a_shorter_policy_is_shown_beside_the_codes_date_on_both_sides() -> None:
    acknowledged = case(
        ev("2026-03-02", "complaint_made"),
        ev("2026-03-03", "acknowledged"),
        policy={"stage1_response_working_days": 8},
    )
    timeline = build_timeline(acknowledged, date(2026, 3, 4))
    resident = deadline_summary(timeline, translator("en"))
    assert "due Tuesday, 17 March 2026" in resident  # the Code's 10 working days (Code 6.3)
    assert "Your landlord's policy: by Friday, 13 March 2026." in resident  # its own 8
    team = "\n".join(duty_lines(timeline, translator("en")))
    assert (
        "Respond at stage 1 by Tuesday, 17 March 2026" in team
        and "Your own policy: by Friday, 13 March 2026." in team
    )
    plain = build_timeline(
        case(ev("2026-03-02", "complaint_made"), ev("2026-03-03", "acknowledged")), date(2026, 3, 4)
    )
    assert "policy" not in deadline_summary(plain, translator("en"))


def test_an_approved_landlords_8_day_policy_reaches_the_residents_status_and_the_card(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    admin = Person(service, 7001)
    admin.send("/start")
    admin.press("English")
    admin.press("I work for a landlord")
    admin.press("OK, let's start")
    admin.send("/landlord")
    admin.send("Riverside Housing")
    admin.press("A housing association")
    admin.send("L4321")
    admin.send("complaints@riverside.example")
    admin.send("12500")
    admin.send("8")  # stage 1 in 8 working days, sooner than the Code's 10
    admin.press("We follow the Code")
    admin.press("No time limit")
    admin.press("Register")
    with repo.unit_of_work() as uow:
        uow.access.approve_landlord(uow.access.landlords()[0].id)
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    deliver_news(repo, clock, [admin, resident])
    admin.press_data(f"ll:acknowledge:{ref}")
    assert "Your own policy: by" in admin.text
    resident.send("/status")
    assert "Your landlord's policy: by" in resident.text


def register(admin: Person, window: str | None) -> None:
    admin.send("/start")
    admin.press("English")
    admin.press("I work for a landlord")
    admin.press("OK, let's start")
    admin.send("/landlord")
    admin.send("Riverside Housing")
    admin.press("A housing association")
    admin.send("L4321")
    admin.send("complaints@riverside.example")
    admin.send("12500")
    admin.press("We follow the Code")
    admin.press("We follow the Code")
    # The limit is kept as calendar days after the stage 1 answer: a policy in working days (15 at Vivid,
    # domain.md 1.7) typed as it stands would give residents fewer days than it does.
    assert "calendar days, not working days" in admin.text
    if window is None:
        admin.press("No time limit")
    else:
        admin.send("999")  # not a sensible number of days
        assert "number of days from 1 to 366" in admin.text
        admin.send(window)
    assert f"Days to ask for stage 2: {window or '-'}" in admin.text
    admin.press("Register")


def test_a_registered_stage_2_limit_warns_the_team_and_answers_the_resident_without_asking(
    repo: Repository, service: ChatService, clock: ManualClock
) -> None:
    admin = Person(service, 7001)
    register(admin, "28")
    with repo.unit_of_work() as uow:
        landlord = uow.access.landlords()[0]
        assert landlord.policy == {"escalation_window_days": 28}
        uow.access.approve_landlord(landlord.id)
    resident = resident_with_complaint(service)
    resident.press_choice("letter")
    resident.press_choice("deliver")
    ref = own_ref(repo, 1001)
    admin.press_data(f"ll:respond:{ref}")
    admin.press("Record it without a letter")
    assert "Done" in admin.text
    resident.send("/status")
    resident.press("Ask for stage 2")
    resident.press("I'd rather not say")
    resident.press("That's right: write my request")
    resident.press("I've sent it")
    resident.send("today")

    # The team: declining a request made within its own 28 days is warned (Code 6.10); cancelled here.
    admin.press_data(f"ll:decline:{ref}")
    admin.send("Out of time.")
    assert "within your own time limit" in admin.text and "Code 6.10" in admin.text
    admin.press("Cancel")
    with repo.unit_of_work() as uow:
        assert uow.load_case(uow.case_by_ref(ref).id).events[-1].kind.value == "escalation_requested"  # type: ignore[union-attr]

    # The resident records a refusal "out of time": the registered limit is used, no question asked.
    resident.send("/status")
    resident.press("They refused to deal with it")
    resident.send("today")
    resident.press("Out of time: asked too late")
    assert "you asked in time" in resident.text
    assert "How long does your landlord's complaints policy" not in resident.text
