"""Landlord actions become the right events, or are refused with the reason, whatever the stage."""

from __future__ import annotations

from datetime import date

import pytest

from flows.case import CaseEvent, EventKind
from flows.i18n import translator
from flows.landlord_actions import (
    ActionKind,
    LandlordAction,
    Problem,
    event_for,
    open_stage,
    update_message,
)
from flows.timeline import build_timeline
from tests.flows.builders import case, ev

TODAY = date(2026, 3, 10)  # a Tuesday
MADE = ev("2026-03-02", "complaint_made")  # Monday 2 March 2026 (2024 Code)


def act(kind: ActionKind, **extra: object) -> LandlordAction:
    return LandlordAction(kind, extra.pop("on", TODAY), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("events", "kind", "expected"),
    [
        ((MADE,), ActionKind.ACKNOWLEDGE, EventKind.ACKNOWLEDGED),
        ((MADE,), ActionKind.RESPOND, EventKind.STAGE1_RESPONSE),
        ((MADE, ev("2026-03-03", "acknowledged")), ActionKind.RESPOND, EventKind.STAGE1_RESPONSE),
        (
            (
                MADE,
                ev("2026-03-03", "acknowledged"),
                ev("2026-03-04", "stage1_response"),
                ev("2026-03-05", "escalation_requested"),
            ),
            ActionKind.ACKNOWLEDGE,
            EventKind.STAGE2_ACKNOWLEDGED,
        ),
        (
            (
                MADE,
                ev("2026-03-03", "acknowledged"),
                ev("2026-03-04", "stage1_response"),
                ev("2026-03-05", "escalation_requested"),
            ),
            ActionKind.RESPOND,
            EventKind.STAGE2_RESPONSE,
        ),
    ],
)
def test_each_action_records_the_event_of_the_open_stage(
    events: tuple[CaseEvent, ...], kind: ActionKind, expected: EventKind
) -> None:
    result = event_for(case(*events), act(kind), TODAY)
    assert isinstance(result, CaseEvent)
    assert (result.kind, result.date) == (expected, TODAY)


def test_an_extension_needs_a_later_date_and_a_reason_and_is_recorded_with_both() -> None:
    acknowledged = case(MADE, ev("2026-03-03", "acknowledged"))
    due = build_timeline(acknowledged, TODAY).facts.deadlines[1].due
    assert due is not None
    assert (
        event_for(acknowledged, act(ActionKind.EXTEND, reason="Contractor"), TODAY) is Problem.DATE_REQUIRED
    )
    assert event_for(acknowledged, act(ActionKind.EXTEND, new_due=date(2026, 4, 30)), TODAY) is (
        Problem.REASON_REQUIRED
    )
    assert event_for(
        acknowledged, act(ActionKind.EXTEND, new_due=date(2026, 4, 30), reason="   "), TODAY
    ) is (Problem.REASON_REQUIRED)
    assert event_for(acknowledged, act(ActionKind.EXTEND, new_due=due, reason="x"), TODAY) is (
        Problem.DATE_NOT_LATER
    )
    extended = event_for(acknowledged, act(ActionKind.EXTEND, new_due=date(2026, 4, 30), reason="x"), TODAY)
    assert extended == CaseEvent(
        TODAY, EventKind.STAGE1_EXTENSION, new_due=date(2026, 4, 30), reasons_given=True
    )


def test_declining_needs_a_reason() -> None:
    assert event_for(case(MADE), act(ActionKind.DECLINE), TODAY) is Problem.REASON_REQUIRED
    assert event_for(case(MADE), act(ActionKind.DECLINE, reason="y" * 2001), TODAY) is Problem.REASON_TOO_LONG
    declined = event_for(case(MADE), act(ActionKind.DECLINE, reason="Older than 12 months"), TODAY)
    assert isinstance(declined, CaseEvent) and declined.kind is EventKind.LANDLORD_DECLINED


@pytest.mark.parametrize(
    "events",
    [
        (),  # not sent yet
        (MADE, ev("2026-03-04", "stage1_response")),  # answered; the resident has not asked for stage 2
        (MADE, ev("2026-03-04", "landlord_declined")),
        (MADE, ev("2026-03-04", "resolved")),
    ],
)
def test_nothing_can_be_done_when_no_stage_waits_for_the_landlord(events: tuple[CaseEvent, ...]) -> None:
    for kind in ActionKind:
        assert (
            event_for(case(*events), act(kind, reason="r", new_due=date(2026, 5, 1)), TODAY)
            is Problem.NOT_OPEN
        )


def test_acknowledging_twice_and_impossible_dates_are_refused() -> None:
    acknowledged = case(MADE, ev("2026-03-03", "acknowledged"))
    assert event_for(acknowledged, act(ActionKind.ACKNOWLEDGE), TODAY) is Problem.ALREADY_ACKNOWLEDGED
    assert (
        event_for(case(MADE), act(ActionKind.ACKNOWLEDGE, on=date(2026, 3, 11)), TODAY)
        is Problem.DATE_IN_FUTURE
    )
    assert (
        event_for(case(MADE), act(ActionKind.ACKNOWLEDGE, on=date(2026, 3, 1)), TODAY)
        is Problem.DATE_TOO_EARLY
    )
    assert open_stage(build_timeline(acknowledged, TODAY)) == (1, True)


def test_an_answer_dated_before_the_acknowledgement_already_recorded_is_refused() -> None:
    """Issue 20 review: what the landlord records keeps the order the resident's records keep."""
    acknowledged = case(MADE, ev("2026-03-05", "acknowledged"))
    early = act(ActionKind.RESPOND, on=date(2026, 3, 4))
    assert event_for(acknowledged, early, TODAY) is Problem.OUT_OF_ORDER
    assert isinstance(event_for(acknowledged, act(ActionKind.RESPOND, on=date(2026, 3, 5)), TODAY), CaseEvent)


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_the_resident_is_told_what_happened_and_about_the_ombudsman_when_declined(language: str) -> None:
    t = translator(language)
    declined = CaseEvent(TODAY, EventKind.LANDLORD_DECLINED)
    after = case(MADE, declined)
    text = update_message(declined, "Riverside Housing", "AB12CD34", "Too old", after, TODAY, t)
    assert "Riverside Housing" in text and "AB12CD34" in text and "Too old" in text
    assert "2.4" in text
    extension = CaseEvent(TODAY, EventKind.STAGE1_EXTENSION, new_due=date(2026, 4, 30), reasons_given=True)
    text = update_message(
        extension, "Riverside Housing", "AB12CD34", "Parts", case(MADE, extension), TODAY, t
    )
    assert t.format_date(date(2026, 4, 30)) in text and "6.5" in text
