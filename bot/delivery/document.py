"""The submission document: a complaint (or a stage 2 request) as JSON for a landlord's systems.

The same document goes by email (attached as complaint-REF-stageN.json), by webhook (the request
body) and through the API (GET /api/v1/complaints/REF). Its JSON Schema is published in
docs/schema/submission.schema.json (`fairsay schema --write docs/schema`). Fields are only ever added
within a schema version, so a consumer should ignore fields it does not know.

The Code deadlines are computed when the document is made, so a retried delivery may show a later
status than the first try; the idempotency key stays the same.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from bot.services.case_records import case_record, stage_letter
from bot.services.landlord_desk import landlord_today
from bot.storage.access import Submission
from bot.storage.unit_of_work import UnitOfWork
from flows.case import EventKind
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import translator
from flows.routing import landlord_topics, record_label
from flows.timeline import build_timeline

SCHEMA_VERSION: Literal["1"] = "1"


class Resident(BaseModel):
    """The resident's details as they gave them for their letters."""

    name: str | None
    address: str | None
    tenancy_reference: str | None
    contact_method: str | None = Field(
        description='How they want to be contacted: "email", "phone" or "post".'
    )
    contact_detail: str | None = Field(description="The email address or phone number, if not by post.")


class ComplaintPart(BaseModel):
    """One part of the complaint that is for the landlord (flows.routing). Parts for another body (the
    LGSCO, the police) are not sent."""

    topic: str = Field(description='A topic id, e.g. "repairs" or "antisocial_behaviour".')
    aspect: str = Field(
        description='"whole", or for adaptations "works" (the works to the home; the assessment is the '
        "council's social care and is not sent)."
    )
    label: str = Field(description="The topic as the letter names it (English).")


class Complaint(BaseModel):
    """The resident's own words, as written."""

    subject: str | None
    what_happened: str | None
    dates: str | None = Field(description="Important dates, in the resident's words.")
    impact: str | None = Field(description="How it has affected the resident and their household.")
    put_right: str | None = Field(description="What the resident asks the landlord to do to put it right.")
    adjustments: str | None = Field(description="Reasonable adjustments the resident needs.")
    stage2_reasons: str | None = Field(description="Stage 2: what is still not right (optional, Code 6.12).")
    parts: list[ComplaintPart] = Field(
        default_factory=list,
        description="Added in 2026-12: the parts of the complaint for the landlord (empty for complaints "
        "made before parts were routed).",
    )


class Event(BaseModel):
    date: date
    kind: EventKind


class Deadline(BaseModel):
    """One of the landlord's Code deadlines, as counted when the document was made."""

    id: DeadlineId
    due: date | None
    status: DeadlineStatus
    rule: str | None = Field(description='The paragraph that sets it, e.g. "Code 6.3 (2024)".')


class Evidence(BaseModel):
    name: str
    sha256: str = Field(description="SHA-256 of the file, in hex: shows it has not changed since.")
    size: int
    mime_type: str


class LetterText(BaseModel):
    title: str
    filename: str = Field(description="The name of the PDF copy attached to the email.")
    text: str = Field(description="The letter as plain text; paragraphs are separated by blank lines.")


class SubmissionDocument(BaseModel):
    """A complaint delivered to a landlord through Fair Say."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    submission_id: int
    idempotency_key: str = Field(
        description="The same on every retry of this delivery: a repeat with a key already seen is a duplicate."
    )
    stage: Literal[1, 2]
    case_ref: str = Field(description="The complaint's reference: quote it in the API and in letters.")
    landlord_name: str
    state: str = Field(description="Where the complaint stands in its lifecycle.")
    as_of: date = Field(description="The day (in London) the deadlines were counted.")
    generated_at: datetime
    resident: Resident
    complaint: Complaint
    events: list[Event]
    deadlines: list[Deadline]
    evidence: list[Evidence]
    letter: LetterText


def _text(values: dict[str, Any], key: str) -> str | None:
    value = values.get(key)
    return str(value) if value not in (None, "") else None


def build_document(uow: UnitOfWork, submission: Submission, now: datetime) -> SubmissionDocument:
    """The document for one submission, from the case as it is now."""
    record = case_record(uow, submission.case_id)
    summary = uow.case_summary(submission.case_id)
    profile = uow.profile(summary.owner_user_id)
    landlord = uow.access.landlord(submission.landlord_id)
    today = landlord_today(now)
    timeline = build_timeline(record.case, today)
    letter = stage_letter(record, profile, submission.stage)
    details = record.details
    return SubmissionDocument(
        submission_id=submission.id,
        idempotency_key=submission.idempotency_key,
        stage=1 if submission.stage == 1 else 2,
        case_ref=record.ref,
        landlord_name=landlord.name if landlord is not None else record.landlord_name,
        state=timeline.state.value,
        as_of=today,
        generated_at=now,
        resident=Resident(
            name=_text(profile, "full_name"),
            address=_text(profile, "address"),
            tenancy_reference=_text(profile, "tenancy_ref"),
            contact_method=_text(profile, "contact"),
            contact_detail=_text(profile, "contact_detail"),
        ),
        complaint=Complaint(
            subject=summary.subject,
            what_happened=_text(details, "what_happened"),
            dates=_text(details, "dates"),
            impact=_text(details, "impact"),
            put_right=_text(details, "put_right"),
            adjustments=_text(details, "adjustments"),
            stage2_reasons=_text(details, "stage2_reasons"),
            parts=[
                ComplaintPart(
                    topic=part["topic"], aspect=part["aspect"], label=record_label(part, translator("en"))
                )
                for part in landlord_topics(details)
            ],
        ),
        events=[Event(date=event.date, kind=event.kind) for event in record.case.events],
        deadlines=[
            Deadline(
                id=deadline.id,
                due=deadline.due,
                status=deadline.status,
                # The rule behind the date: a late acknowledgement leaves it counted from the request.
                rule=deadline.due_rule.citation if deadline.due_rule is not None else None,
            )
            for deadline in timeline.deadlines
        ],
        evidence=[
            Evidence(name=item.name, sha256=item.sha256, size=item.size, mime_type=item.mime_type)
            for item in record.evidence
        ],
        letter=LetterText(title=letter.title, filename=letter.filename, text=letter.body),
    )


def document_filename(document: SubmissionDocument) -> str:
    return f"complaint-{document.case_ref}-stage{document.stage}.json"


def schemas() -> dict[str, dict[str, Any]]:
    return {"submission.schema.json": SubmissionDocument.model_json_schema(mode="serialization")}
