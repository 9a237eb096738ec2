"""Onboarded landlords and complaints delivered to them, for the delivery, API and admin tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.services.landlord_desk import deliver
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind

PROFILE = {
    "full_name": "Amina Okafor",
    "address": "Flat 4, 12 Rowan Street, Leeds LS6 1AA",
    "tenancy_ref": "WL-20417",
    "contact": "email",
    "contact_detail": "amina@example.org",
}
DETAILS = {
    "what_happened": "Black mould has spread across the bedroom wall since the roof leak in October.",
    "dates": "Reported the leak on 3 October 2025 and again on 2 February 2026.",
    "impact": "My son's asthma is worse and we sleep in the living room.",
    "put_right": "Fix the roof, treat the mould and redecorate the bedroom.",
    "adjustments": "Please write to me: I am hard of hearing.",
}
MADE_ON = date(2026, 3, 9)  # a Monday; the acknowledgement is due on Monday 16 March (5 working days)


@dataclass(frozen=True, slots=True)
class Delivered:
    owner_id: int
    landlord_id: int
    case_id: int
    ref: str
    submission_ids: list[int]


def add_landlord(
    repo: Repository,
    name: str = "Westlea Housing",
    *,
    staff_telegram_id: int = 2001,
    email: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    approved: bool = True,
) -> int:
    with repo.unit_of_work() as uow:
        staff = uow.user_by_telegram_id(staff_telegram_id)
        landlord_id = uow.access.register_landlord(
            staff.id,
            name=name,
            landlord_type="housing_association",
            registered_provider_number=None,
            council_name=None,
            complaint_email=email,
            homes=4000,
        )
        if approved:
            uow.access.approve_landlord(landlord_id)
        uow.access.update_landlord(landlord_id, webhook_url=webhook_url, webhook_secret=webhook_secret)
    return landlord_id


def deliver_complaint(
    repo: Repository,
    landlord_id: int,
    now: datetime,
    *,
    owner_telegram_id: int = 1001,
    made_on: date = MADE_ON,
    landlord_name: str = "Westlea Housing",
) -> Delivered:
    """A resident's stage 1 complaint, sent on `made_on` and delivered to the landlord by every route."""
    with repo.unit_of_work() as uow:
        owner = uow.user_by_telegram_id(owner_telegram_id)
        uow.update_profile(owner.id, PROFILE)
        ref = uow.create_case(
            owner.id,
            landlord_name=landlord_name,
            landlord_type="housing_association",
            subject="damp_mould",
            details=dict(DETAILS),
            landlord_id=landlord_id,
        )
        summary = uow.case_by_ref(ref)
        assert summary is not None
        uow.append_event(
            summary.id, CaseEvent(made_on, EventKind.COMPLAINT_MADE), EventSource.RESIDENT, owner.id
        )
        ids = deliver(uow, summary.id, 1, now)
    return Delivered(owner.id, landlord_id, summary.id, ref, ids)


def sample_pdf(marker: bytes = b"") -> bytes:
    """Enough of a PDF for the evidence store (which looks at the first bytes)."""
    return b"%PDF-1.7\n" + b"\x00" * 64 + marker
