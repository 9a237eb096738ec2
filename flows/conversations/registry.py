"""Every conversation, listed once: the engine finds a flow here by name, the diagrams draw each one."""

from __future__ import annotations

from flows.conversations.complaint import COMPLAINT
from flows.conversations.engine import Flow
from flows.conversations.home import DELETION, EXPLAINER, HOME, ONBOARDING
from flows.conversations.landlord import COMPLIANCE, INBOX, INVITE, LANDLORD, LANDLORD_ACTION
from flows.conversations.new_complaint import NEW_COMPLAINT
from flows.conversations.people import CASELOAD, CODE, HELPERS, SHARE
from flows.conversations.portal import PORTAL
from flows.conversations.referral import REFERRAL
from flows.conversations.safety import HELD_FLOW, PERSON_FLOW
from flows.conversations.stage2 import STAGE2
from flows.conversations.tracking import TRACKING

FLOWS: tuple[Flow, ...] = (
    ONBOARDING,
    HOME,
    EXPLAINER,
    DELETION,
    PERSON_FLOW,
    HELD_FLOW,
    NEW_COMPLAINT,
    COMPLAINT,
    TRACKING,
    STAGE2,
    REFERRAL,
    SHARE,
    HELPERS,
    CODE,
    CASELOAD,
    LANDLORD,
    INVITE,
    INBOX,
    LANDLORD_ACTION,
    COMPLIANCE,
    PORTAL,
)
BY_NAME = {flow.name: flow for flow in FLOWS}
# Flows whose questions are about the one complaint kept under "case": their buttons name it too.
ABOUT_ONE_COMPLAINT = frozenset({"complaint", "tracking", "stage2", "referral"})
assert len(BY_NAME) == len(FLOWS), "two flows with one name"
