"""The flows as declared machines: no pseudo-steps, routing only in the transition tables, every exit
leading to a real step, and every step a stored conversation may be at still there."""

from __future__ import annotations

import pytest

from flows.conversations.engine import ARRIVE, TO_DRAFT, TO_HELD, AnswerKind, Flow, exit_target
from flows.conversations.registry import BY_NAME, FLOWS

# Every step a conversation stored before the flows became declared machines may be at (or name in
# its `_draft` and `_trail`), with where its answer is kept. The steps that were removed ran a
# callback and moved on at once, so no conversation was ever stored at one.
STORED_STEPS = [
    ("onboarding", "language", "language"),
    ("onboarding", "role", "role"),
    ("onboarding", "privacy", None),
    ("home", "menu", "menu"),
    ("explainer", "topics", "topic"),
    ("explainer", "topic", "after_topic"),
    ("delete", "confirm", "confirm"),
    ("person", "services", "person"),
    ("held", "keep", "keep"),  # a key since the answer is routed by the table; nothing stored moved
    ("new_complaint", "resume", "resume"),
    ("new_complaint", "nation", "nation"),
    ("new_complaint", "landlord_type", "landlord_type"),
    ("new_complaint", "landlord_name", "landlord_name"),
    ("new_complaint", "subject", "subject"),
    ("new_complaint", "urgent", "urgent"),
    ("new_complaint", "crisis", "crisis_choice"),
    ("new_complaint", "court", "court"),
    ("new_complaint", "started", "started"),
    ("new_complaint", "reported", "reported"),
    ("new_complaint", "first_report", "first_report"),
    ("new_complaint", "hazard_reported", "hazard_reported"),
    ("new_complaint", "tenure", "tenure"),
    ("new_complaint", "risk_people", "risk_people"),
    ("new_complaint", "risk_health", "risk_health"),
    ("new_complaint", "risk_extent", "risk_extent"),
    ("new_complaint", "emergency", "hazard_level"),
    ("new_complaint", "hazard_time", "hazard_time"),
    ("new_complaint", "route", "route_choice"),
    ("complaint", "profile_check", "profile_ok"),
    ("complaint", "full_name", "full_name"),
    ("complaint", "address", "address"),
    ("complaint", "tenancy_ref", "tenancy_ref"),
    ("complaint", "contact", "contact"),
    ("complaint", "contact_detail", "contact_detail"),
    ("complaint", "what_happened", "what_happened"),
    ("complaint", "dates", "dates"),
    ("complaint", "impact", "impact"),
    ("complaint", "put_right", "put_right"),
    ("complaint", "adjustments", "adjustments"),
    ("complaint", "evidence", None),
    ("complaint", "review", "review_choice"),
    ("complaint", "edit_pick", "edit_field"),
    ("complaint", "letter", "stage1_send"),
    ("complaint", "sent_when", "sent_when"),
    ("complaint", "sent_date", "stage1_sent_on"),
    ("tracking", "pick_case", "case"),
    ("tracking", "status", "action"),
    ("tracking", "event_date", "event_on"),
    ("tracking", "reply_file", None),
    ("tracking", "reply_letter", None),
    ("tracking", "reply_dated", "letter_date_ok"),
    ("tracking", "happy", "happy"),
    ("tracking", "ext_given_on", "ext_given_on"),
    ("tracking", "ext_due", "ext_due"),
    ("tracking", "ext_reasons", "ext_reasons"),
    ("tracking", "inspected_on", "inspected_on"),
    ("tracking", "refusal_reason", "refusal_reason"),
    ("tracking", "refusal_limit", "refusal_limit"),
    ("stage2", "why", "stage2_reasons"),
    ("stage2", "letter", "stage2_send"),
    ("stage2", "sent_date", "stage2_sent_on"),
    ("referral", "explain", "referral_choice"),
    ("referral", "pack", "referred"),
    ("referral", "referred_date", "referred_on"),
    ("share", "pick", "share_case"),
    ("share", "scope", "share_scope"),
    ("helpers", "list", "advocate"),
    ("code", "enter", "code"),
    ("code", "name", "display_name"),
    ("code", "staff_name", "display_name"),
    ("caseload", "list", "caseload_pick"),
    ("caseload", "digest", "digest_hour"),
    ("landlord", "org_name", "org_name"),
    ("landlord", "org_type", "org_type"),
    ("landlord", "org_rp", "org_rp"),
    ("landlord", "org_email", "org_email"),
    ("landlord", "org_homes", "org_homes"),
    ("landlord", "org_stage1", "org_stage1"),
    ("landlord", "org_stage2", "org_stage2"),
    ("landlord", "org_window", "org_window"),
    ("landlord", "org_confirm", "org_confirm"),
    ("invite", "role", "invite_role"),
    ("inbox", "list", "inbox_pick"),
    ("landlord_action", "new_due", "ll_new_due"),
    ("landlord_action", "reason", "ll_reason"),
    ("landlord_action", "confirm", "ll_confirm"),
    ("landlord_action", "response", None),
]


@pytest.mark.parametrize(("flow", "step", "key"), STORED_STEPS)
def test_a_stored_conversation_resumes_at_the_same_question(flow: str, step: str, key: str | None) -> None:
    assert BY_NAME[flow].by_id[step].key == key


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_every_step_asks_something(flow: Flow) -> None:
    """A step without an answer or buttons would only be a place to run code from: routing belongs
    in the transitions."""
    for step in flow.steps:
        assert step.kind is not AnswerKind.NONE or step.choices, f"{flow.name}.{step.id}"


def _states(flow: Flow) -> set[str]:
    return {s if isinstance(s, str) else s["name"] for s in flow.machine_states()}


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_exits_lead_to_real_steps(flow: Flow) -> None:
    for state in _states(flow):
        target = exit_target(state)
        if target is not None and state not in (TO_DRAFT, TO_HELD):  # where is kept in the answers
            assert target[1] in BY_NAME[target[0]].by_id or target[1] == BY_NAME[target[0]].first, state


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_a_routing_state_always_has_a_way_on(flow: Flow) -> None:
    """A state that is not a question is left at once, by an `arrive` transition with no condition last."""
    for state in _states(flow) - set(flow.by_id):
        if exit_target(state) is not None:
            continue
        arrivals = [t for t in flow.transitions if t["trigger"] == ARRIVE and t["source"] == state]
        assert arrivals and "conditions" not in arrivals[-1], f"{flow.name}.{state}"


@pytest.mark.parametrize("flow", FLOWS, ids=[flow.name for flow in FLOWS])
def test_callbacks_and_conditions_named_in_the_table_exist(flow: Flow) -> None:
    for transition in flow.transitions:
        for part in ("conditions", "before", "after"):
            names = transition.get(part) or []
            for name in names if isinstance(names, list) else [names]:
                if isinstance(name, str):
                    assert callable(getattr(flow.model, name, None)), f"{flow.name}: {name}"
