"""A case as the letters and the landlord's copy need it, read in the caller's unit of work.

Whoever asks (the delivery worker, the landlord API), the letter is the resident's: always in English,
with the case owner's own details, exactly as the resident's preview showed it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.clock import today_in_london
from bot.storage.unit_of_work import UnitOfWork
from flows.case import EventKind
from flows.conversations.workspace import CaseRecord, EvidenceRecord, Letter
from flows.i18n import translator
from flows.letters import stage1_letter, stage2_letter

# The event that opens each stage: its date is the date the letter was sent.
_STAGE_START = {1: EventKind.COMPLAINT_MADE, 2: EventKind.ESCALATION_REQUESTED}


def case_record(uow: UnitOfWork, case_id: int) -> CaseRecord:
    """The domain case, its landlord's name, the resident's answers and the evidence records."""
    summary = uow.case_summary(case_id)
    evidence = tuple(
        EvidenceRecord(item.sha256, item.original_name or "file", item.mime_type, item.size)
        for item in uow.evidence_of(case_id)
    )
    landlord_recorded, disputed = uow.event_marks(case_id)
    case = uow.load_case(case_id)
    delivered_kinds = uow.delivered_kinds(case_id)
    return CaseRecord(
        summary.public_ref,
        case,
        summary.landlord_name or "",
        uow.case_details(case_id),
        evidence,
        landlord_recorded,
        disputed,
        frozenset(event for event in case.events if event.kind in delivered_kinds),
    )


def letter_for(uow: UnitOfWork, case_id: int, stage: int, written_on: date | None = None) -> Letter:
    """The stage's letter in English, with the case owner's details."""
    profile = uow.profile(uow.case_summary(case_id).owner_user_id)
    return stage_letter(case_record(uow, case_id), profile, stage, written_on)


def stage_letter(
    record: CaseRecord, profile: dict[str, Any], stage: int, written_on: date | None = None
) -> Letter:
    """Dated the day the stage began (the day the resident sent it), or today if it has not begun."""
    if stage not in _STAGE_START:
        raise ValueError(f"stage must be 1 or 2, not {stage}")
    if written_on is None:
        started = [event.date for event in record.case.events if event.kind is _STAGE_START[stage]]
        written_on = max(started) if started else today_in_london()
    write = stage1_letter if stage == 1 else stage2_letter
    return write(record, profile, written_on, translator("en"))
