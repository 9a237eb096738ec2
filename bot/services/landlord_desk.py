"""A landlord's side of a complaint, whichever way it comes in (Telegram buttons, the HTTP API, the
portal): one function per job, inside the caller's unit of work.

A landlord only ever reaches complaints delivered to it: any other reference, real or guessed, is
"not found", exactly like one that does not exist, so nothing is disclosed. Every action becomes a
case event (source "landlord"), is audited, replans the resident's reminders and tells the resident
and their helpers in their own language (`bot.services.notices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.services.case_records import case_record
from bot.services.notices import NoticeKind, queue, tell_resident_and_helpers
from bot.services.reminder_planning import plan_case_reminders
from bot.services.response_reading import read_letter_file
from bot.storage.errors import EvidenceRejected
from bot.storage.records import CaseSummary, EventSource
from bot.storage.unit_of_work import UnitOfWork
from flows.case import Case, CaseEvent
from flows.conversations.workspace import LetterText
from flows.landlord_actions import ActionKind, Caution, LandlordAction, Problem, cautions, event_for
from flows.response_check import check_response, stage_and_code

LANDLORD_TIME_ZONE = ZoneInfo("Europe/London")  # landlords in England and Wales


@dataclass(frozen=True, slots=True)
class ResponseFile:
    name: str
    data: bytes
    letter: LetterText | None = None  # its text, read before the transaction (OCR takes seconds)


def note_response_gaps(
    uow: UnitOfWork, case_id: int, case: Case, letter: LetterText, today: date
) -> int | None:
    """Check a response letter against the Code's list (flows.response_check) and keep what it leaves
    out on the case, for the resident's news, the stage 2 letter and the Ombudsman summary. Returns
    the stage checked, or None when the letter could not be read."""
    if letter.text is None:
        return None
    stage, code = stage_and_code(case, today)
    check = check_response(letter.text, today, stage=stage, code=code)
    gaps = case_details_gaps(uow, case_id)
    gaps[str(stage)] = {
        "missing": [e.value for e in check.missing],
        "rule": check.rule.citation,
        "letter_date": check.letter_date.isoformat() if check.letter_date else None,
    }
    uow.update_case_details(case_id, {"response_gaps": gaps})
    return stage


def case_details_gaps(uow: UnitOfWork, case_id: int) -> dict[str, object]:
    return dict(case_record(uow, case_id).details.get("response_gaps") or {})


@dataclass(frozen=True, slots=True)
class Outcome:
    """`event` when recorded; otherwise `problem` (the action does not fit), `not_found`, or `file_problem`."""

    event: CaseEvent | None = None
    problem: Problem | None = None
    not_found: bool = False
    file_problem: str | None = None  # "too_large", "unsupported_type"
    cautions: tuple[Caution, ...] = ()  # with Problem.CONFIRMATION_NEEDED: what to read before confirming


def landlord_case(uow: UnitOfWork, landlord_id: int, ref: str) -> CaseSummary | None:
    """The complaint with this reference if it was delivered to this landlord; None otherwise."""
    summary = uow.case_by_ref(ref)
    if summary is None or summary.landlord_id != landlord_id:
        return None
    return summary


def landlord_today(now: datetime) -> date:
    return now.astimezone(LANDLORD_TIME_ZONE).date()


def act(
    uow: UnitOfWork,
    landlord_id: int,
    actor_user_id: int | None,
    ref: str,
    action: LandlordAction,
    now: datetime,
    response: ResponseFile | None = None,
) -> Outcome:
    summary = landlord_case(uow, landlord_id, ref)
    if summary is None:
        return Outcome(not_found=True)
    landlord = uow.access.landlord(landlord_id)
    if landlord is None or not landlord.approved:
        return Outcome(not_found=True)
    case_before, today = uow.load_case(summary.id), landlord_today(now)
    result = event_for(case_before, action, today)
    if isinstance(result, Problem):
        held = tuple(cautions(case_before, action, today)) if result is Problem.CONFIRMATION_NEEDED else ()
        return Outcome(problem=result, cautions=held)
    sha256 = None
    if response is not None:
        try:
            stored = uow.store_evidence(summary.id, response.data, response.name, by_user_id=actor_user_id)
        except EvidenceRejected as rejected:
            return Outcome(file_problem=rejected.reason)
        sha256 = stored.sha256
    gaps_stage = None
    if response is not None and action.kind is ActionKind.RESPOND:
        letter = response.letter or read_letter_file(response.data)
        gaps_stage = note_response_gaps(uow, summary.id, case_before, letter, today)
    reason = (action.reason or "").strip() or None
    position = uow.append_event(summary.id, result, EventSource.LANDLORD, actor_user_id, note=reason)
    uow.audit(
        "landlord_action",
        case_id=summary.id,
        actor_user_id=actor_user_id,
        landlord_id=landlord_id,
        kind=action.kind.value,
        position=position,
    )
    payload = {
        "case": summary.public_ref,
        "event": result.kind.value,
        "date": result.date.isoformat(),
        "new_due": result.new_due.isoformat() if result.new_due else None,
        "reason": reason,
        "landlord": landlord.name,
        "sha256": sha256,
        "gaps_stage": gaps_stage,
    }
    tell_resident_and_helpers(uow, summary.id, f"{summary.public_ref}:{position}", now, payload)
    plan_case_reminders(uow, summary.id, now)
    return Outcome(event=result)


def deliver(uow: UnitOfWork, case_id: int, stage: int, now: datetime) -> list[int]:
    """A complaint (stage 1) or a stage 2 request goes to the onboarded landlord of the case, by each
    route it chose: its team in Telegram at once (a notice each), email and webhook by the delivery
    worker. Returns the submissions' ids; none if the case has no approved landlord."""
    summary = uow.case_summary(case_id)
    landlord = uow.access.landlord(summary.landlord_id) if summary.landlord_id is not None else None
    if landlord is None or not landlord.approved:
        return []
    channels = ["telegram"]
    if landlord.complaint_email:
        channels.append("email")
    if landlord.webhook_url:
        channels.append("webhook")
    ids = uow.access.submit(case_id, landlord.id, stage, channels, now)
    team = [user for user in uow.access.staff_of(landlord.id) if user.telegram_id is not None]
    for user in team:
        assert user.id is not None
        queue(
            uow,
            user.id,
            NoticeKind.SUBMISSION,
            f"{summary.public_ref}:{stage}",
            now,
            case_id=case_id,
            payload={"case": summary.public_ref, "stage": stage},
        )
    uow.access.submission_done(ids[0], now)  # the Telegram notices are queued with this transaction
    uow.audit("submitted", case_id=case_id, landlord_id=landlord.id, stage=stage, routes=len(channels))
    return ids
