"""Landlord actions become the right events, or are refused with the reason, whatever the stage."""

from __future__ import annotations

from datetime import date

import pytest

from flows.case import CaseEvent, EventKind
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import translator
from flows.landlord_actions import (
    ActionKind,
    CautionId,
    LandlordAction,
    Problem,
    caution_message,
    cautions,
    event_for,
    new_due_problem,
    open_stage,
    update_message,
)
from flows.refusals import decline_rule_if_declined
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
    extended = event_for(
        acknowledged, act(ActionKind.EXTEND, new_due=date(2026, 4, 30), reason="x", confirmed=True), TODAY
    )
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


# --- cautions: allowed, but only after the landlord has read why it may be wrong -----------------------

ACKNOWLEDGED = (MADE, ev("2026-03-03", "acknowledged"))  # response due Tuesday 17 March; cap to 31 March
ASKED_STAGE2 = (
    *ACKNOWLEDGED,
    ev("2026-03-05", "stage1_response"),
    ev("2026-03-09", "escalation_requested"),
)


def test_an_extension_within_the_codes_cap_needs_no_confirmation() -> None:
    extension = act(ActionKind.EXTEND, new_due=date(2026, 3, 31), reason="Survey")
    assert cautions(case(*ACKNOWLEDGED), extension, TODAY) == []
    assert isinstance(event_for(case(*ACKNOWLEDGED), extension, TODAY), CaseEvent)


def test_an_extension_past_the_codes_cap_is_held_until_confirmed() -> None:
    extension = act(ActionKind.EXTEND, new_due=date(2026, 4, 1), reason="Survey")
    [caution] = cautions(case(*ACKNOWLEDGED), extension, TODAY)
    assert caution.id is CautionId.EXTENSION_OVER_CAP and caution.rule == "Code 6.4 (2024)"
    assert (caution.params["extended_working_days"], caution.params["cap_working_days"]) == (11, 10)
    assert event_for(case(*ACKNOWLEDGED), extension, TODAY) is Problem.CONFIRMATION_NEEDED
    message = caution_message(caution, translator("en"))
    assert (
        "11 working days after the Code's date of Tuesday, 17 March 2026" in message and "Code 6.4" in message
    )
    confirmed = act(ActionKind.EXTEND, new_due=date(2026, 4, 1), reason="Survey", confirmed=True)
    assert isinstance(event_for(case(*ACKNOWLEDGED), confirmed, TODAY), CaseEvent)


def test_the_residents_notice_flags_an_extension_past_the_cap_and_not_one_within() -> None:
    t = translator("en")
    over = CaseEvent(TODAY, EventKind.STAGE1_EXTENSION, new_due=date(2026, 4, 1), reasons_given=True)
    text = update_message(
        over, "Riverside Housing", "AB12CD34", "Survey", case(*ACKNOWLEDGED, over), TODAY, t
    )
    assert "11 working days past the Code's date" in text and "Code 6.4" in text
    within = CaseEvent(TODAY, EventKind.STAGE1_EXTENSION, new_due=date(2026, 3, 31), reasons_given=True)
    text = update_message(
        within, "Riverside Housing", "AB12CD34", "Survey", case(*ACKNOWLEDGED, within), TODAY, t
    )
    assert "past the Code's date" not in text


def test_the_new_date_is_checked_on_its_own_before_any_reason() -> None:
    assert new_due_problem(case(*ACKNOWLEDGED), date(2026, 3, 17), TODAY) is Problem.DATE_NOT_LATER
    assert new_due_problem(case(*ACKNOWLEDGED), TODAY, TODAY) is Problem.DATE_NOT_LATER
    assert new_due_problem(case(*ACKNOWLEDGED), date(2026, 3, 18), TODAY) is None


def test_declining_a_stage_2_request_made_within_the_landlords_limit_is_held_until_confirmed() -> None:
    asked = case(*ASKED_STAGE2, policy={"escalation_window_days": 28})
    decline = act(ActionKind.DECLINE, reason="Out of time")
    [caution] = cautions(asked, decline, TODAY)
    assert caution.id is CautionId.DECLINE_IN_TIME and caution.rule == "Code 6.10 (2024)"
    assert caution.params == {"requested_on": date(2026, 3, 9), "ends": date(2026, 4, 2)}
    assert event_for(asked, decline, TODAY) is Problem.CONFIRMATION_NEEDED
    assert "within your own time limit" in caution_message(caution, translator("en"))
    declined = event_for(asked, act(ActionKind.DECLINE, reason="Out of time", confirmed=True), TODAY)
    assert isinstance(declined, CaseEvent) and declined.kind is EventKind.LANDLORD_DECLINED


def test_declining_a_stage_2_request_with_no_limit_known_is_warned_too() -> None:
    [caution] = cautions(case(*ASKED_STAGE2), act(ActionKind.DECLINE, reason="No"), TODAY)
    assert caution.id is CautionId.DECLINE_STAGE2


def test_declining_a_request_made_after_the_landlords_limit_or_at_stage_1_needs_no_confirmation() -> None:
    late = case(*ASKED_STAGE2, policy={"escalation_window_days": 2})
    assert cautions(late, act(ActionKind.DECLINE, reason="Out of time"), TODAY) == []
    assert cautions(case(MADE), act(ActionKind.DECLINE, reason="Older than 12 months"), TODAY) == []


# --- cautions on issue 22's clocks ----------------------------------------------------------------------------

LATE_ACK = (
    MADE,
    ev("2026-03-16", "acknowledged"),
)  # acknowledged late: due 23 March (15 from the request), not 30


def test_an_extension_is_capped_from_the_date_the_clock_uses_after_a_late_acknowledgement() -> None:
    """The Code's date is 23 March (6.2 + 6.3 from the request), so 14 April is past its cap, though within
    ten working days of 30 March (counted from the late acknowledgement); the timeline agrees."""
    today = date(2026, 3, 17)
    extension = act(ActionKind.EXTEND, on=today, new_due=date(2026, 4, 14), reason="Survey")
    [caution] = cautions(case(*LATE_ACK), extension, today)
    assert caution.id is CautionId.EXTENSION_OVER_CAP and caution.params["code_due"] == date(2026, 3, 23)
    extended = CaseEvent(today, EventKind.STAGE1_EXTENSION, new_due=date(2026, 4, 14), reasons_given=True)
    answered = case(*LATE_ACK, extended, ev("2026-04-14", "stage1_response"))
    stage1 = build_timeline(answered, date(2026, 4, 15)).facts.deadline(DeadlineId.STAGE1_RESPONSE)
    assert stage1.status is DeadlineStatus.MET_EXTENSION_OVER_LIMIT


ASKED_EARLY = (MADE, ev("2026-03-03", "acknowledged"), ev("2026-03-20", "escalation_requested"))


def test_declining_a_request_made_before_stage_1_was_answered_follows_the_code_governing_stage_1() -> None:
    """2024 Code 6.10 lets an unanswered stage 1 go to stage 2: declining is warned, citing it; under the 2022
    Code (5.11) it goes only once stage 1 is complete, so there is nothing to warn of, unless the landlord's
    policy allows it."""
    today = date(2026, 3, 24)
    decline = act(ActionKind.DECLINE, on=today, reason="Stage 1 is not finished")
    [caution] = cautions(case(*ASKED_EARLY), decline, today)
    assert caution.id is CautionId.DECLINE_STAGE2 and caution.rule == "Code 6.10 (2024)"
    assert cautions(case(*ASKED_EARLY, code="2022"), decline, today) == []
    [allowed] = cautions(
        case(*ASKED_EARLY, code="2022", policy={"stage2_when_stage1_late": True}), decline, today
    )
    assert allowed.id is CautionId.DECLINE_STAGE2 and allowed.rule == "landlord complaints policy"


# --- the right to go to the Ombudsman after a decline cites the Code that governs the refused stage ---------

ACKNOWLEDGED_STAGE2 = (*ASKED_STAGE2, ev("2026-03-09", "stage2_acknowledged"))


@pytest.mark.parametrize(
    ("events", "code", "today", "rule"),
    [
        # refused at stage 1, or after a stage 2 acknowledgement, under the 2024 Code: Code 2.4
        ((MADE,), "auto", TODAY, "Code 2.4"),
        (ACKNOWLEDGED_STAGE2, "auto", TODAY, "Code 2.4"),
        # a stage 2 request declined: 2024 Code 6.10, 2022 Code 5.9
        (ASKED_STAGE2, "auto", TODAY, "Code 6.10 (2024)"),
        (ASKED_STAGE2, "2022", TODAY, "Code 5.9 (2022)"),
        # refused under the 2022 Code, or before any Code: no 2024 clause
        ((MADE,), "2022", TODAY, "Housing Ombudsman guidance on exclusions"),
        (
            (ev("2019-03-04", "complaint_made"),),
            "auto",
            date(2019, 3, 11),
            "Housing Ombudsman guidance on exclusions",
        ),
    ],
)
def test_a_decline_cites_the_code_governing_the_refused_stage(
    events: tuple[CaseEvent, ...], code: str, today: date, rule: str
) -> None:
    t = translator("en")
    before = case(*events, code=code)
    assert decline_rule_if_declined(before, today) == rule  # the landlord team's confirmation prompt
    declined = CaseEvent(today, EventKind.LANDLORD_DECLINED)
    after = case(*events, declined, code=code)
    text = update_message(declined, "Riverside Housing", "AB12CD34", "Too old", after, today, t)
    assert f"take this decision to the Housing Ombudsman ({rule})." in text
    if rule != "Code 2.4":
        assert "2.4" not in text
