"""The case as landlords get it: the record and letter read for any case, the submission document,
and its published JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest
from support.databases import make_settings
from support.landlords import DETAILS, MADE_ON, PROFILE, add_landlord, deliver_complaint, sample_pdf

from bot.cli.schemas import published_schemas
from bot.delivery.document import SubmissionDocument, build_document, document_filename
from bot.delivery.email import body_text
from bot.services.case_records import case_record, letter_for
from bot.services.workspace import DbWorkspace
from bot.settings import Settings
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.routing import plan_for

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_the_case_record_is_the_one_the_resident_sees(repo: Repository) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo), NOW)
    with repo.unit_of_work() as uow:
        uow.store_evidence(delivered.case_id, sample_pdf(b"photo"), "mould.pdf")
        owner = uow.user(delivered.owner_id)
        assert owner is not None
        seen_by_resident = DbWorkspace(uow, owner, MADE_ON, 10**6).case(delivered.ref)
        record = case_record(uow, delivered.case_id)
    assert record == seen_by_resident
    assert record.details["impact"] == DETAILS["impact"]
    assert [item.name for item in record.evidence] == ["mould.pdf"]


def test_letters_are_in_english_with_the_owners_details_dated_when_each_stage_began(repo: Repository) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo), NOW)
    with repo.unit_of_work() as uow:
        uow.set_language(delivered.owner_id, "pl")  # the resident's chat language does not matter
        stage1 = letter_for(uow, delivered.case_id, 1)
        for day, kind in (("2026-03-11", "acknowledged"), ("2026-03-20", "stage1_response")):
            event = CaseEvent(date.fromisoformat(day), EventKind(kind))
            uow.append_event(delivered.case_id, event, EventSource.LANDLORD, None)
        event = CaseEvent(date(2026, 3, 24), EventKind.ESCALATION_REQUESTED)
        uow.append_event(delivered.case_id, event, EventSource.RESIDENT, delivered.owner_id)
        stage2 = letter_for(uow, delivered.case_id, 2)
    assert stage1.title == "Formal complaint (stage 1)"
    assert PROFILE["full_name"] in stage1.body and PROFILE["tenancy_ref"] in stage1.body
    assert DETAILS["what_happened"] in stage1.body
    assert "Monday, 9 March 2026" in stage1.body
    assert stage1.filename == f"complaint-{delivered.ref}-stage1.pdf"
    assert stage2.title == "Request for stage 2"
    assert "Tuesday, 24 March 2026" in stage2.body
    with pytest.raises(ValueError, match="stage"), repo.unit_of_work() as uow:
        letter_for(uow, delivered.case_id, 3)


def test_the_document_has_the_complaint_the_clocks_and_the_letter(repo: Repository) -> None:
    landlord_id = add_landlord(repo, email="complaints@westlea.example")
    delivered = deliver_complaint(repo, landlord_id, NOW)
    with repo.unit_of_work() as uow:
        uow.store_evidence(delivered.case_id, sample_pdf(b"photo"), "mould.pdf")
        [_, email] = uow.access.submissions_of_case(delivered.case_id)
        document = build_document(uow, email, NOW)
    assert document.submission_id == email.id and document.idempotency_key == email.idempotency_key
    assert (document.stage, document.case_ref, document.landlord_name) == (
        1,
        delivered.ref,
        "Westlea Housing",
    )
    assert document.resident.name == PROFILE["full_name"]
    assert document.resident.contact_detail == PROFILE["contact_detail"]
    assert document.complaint.put_right == DETAILS["put_right"]
    assert document.complaint.stage2_reasons is None
    assert [(e.date, e.kind) for e in document.events] == [(MADE_ON, EventKind.COMPLAINT_MADE)]
    acknowledgement = document.deadlines[0]
    assert (acknowledgement.id, acknowledgement.due, acknowledgement.status) == (
        "stage1_acknowledgement",
        date(2026, 3, 16),
        "pending",
    )
    assert acknowledgement.rule == "Code 6.2 (2024)"
    [evidence] = document.evidence
    assert (
        evidence.name == "mould.pdf"
        and len(evidence.sha256) == 64
        and evidence.mime_type == "application/pdf"
    )
    assert DETAILS["impact"] in document.letter.text
    assert document_filename(document) == f"complaint-{delivered.ref}-stage1.json"
    schema = json.loads((ROOT / "docs" / "schema" / "submission.schema.json").read_text())
    jsonschema.validate(json.loads(document.model_dump_json()), schema)


@pytest.mark.parametrize("name", ["submission.schema.json", "landlord-action.schema.json"])
def test_the_published_landlord_schemas_are_current(name: str) -> None:
    """`fairsay schema --write docs/schema` after changing the models."""
    committed = json.loads((ROOT / "docs" / "schema" / name).read_text(encoding="utf-8"))
    assert committed == published_schemas()[name]


def test_the_document_schema_names_its_version() -> None:
    schema = SubmissionDocument.model_json_schema(mode="serialization")
    assert schema["properties"]["schema_version"]["const"] == "1"


def test_a_late_acknowledgement_shows_the_landlord_the_rule_behind_the_date(
    repo: Repository, settings: Settings, tmp_path: Path
) -> None:
    """The date counted from the complaint comes with its own paragraphs, in the JSON and the email.

    Complaint Mon 9 Mar 2026, acknowledged late on Fri 27 Mar (due Mon 16 Mar). 10 WD after the
    acknowledgement is Tue 14 Apr (Good Friday 3 Apr and Easter Monday 6 Apr skipped), but 15 WD after
    the complaint (10-13, 16-20, 23-27 Mar, then 30 Mar) is Mon 30 Mar: the earlier date counts, under
    Code 6.2 and 6.3 (2024), not 6.3 alone.
    """
    now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    delivered = deliver_complaint(repo, add_landlord(repo, email="complaints@westlea.example"), now)
    with repo.unit_of_work() as uow:
        event = CaseEvent(date(2026, 3, 27), EventKind.ACKNOWLEDGED)
        uow.append_event(delivered.case_id, event, EventSource.LANDLORD, None)
        email = next(s for s in uow.access.submissions_of_case(delivered.case_id) if s.channel == "email")
        document = build_document(uow, email, now)
    response = next(d for d in document.deadlines if d.id == "stage1_response")
    assert (response.due, response.status, response.rule) == (
        date(2026, 3, 30),
        "pending",
        "Code 6.2 and 6.3 (2024)",
    )
    text = body_text(document, make_settings(settings.database_url, tmp_path))
    assert "Respond at stage 1 by Monday 30 March 2026 (Code 6.2 and 6.3 (2024)): pending" in text


def test_the_document_carries_only_the_parts_for_the_landlord(repo: Repository) -> None:
    """The Portsmouth seed case: the leak is the landlord's; the housing register is the LGSCO's."""
    landlord_id = add_landlord(repo, email="complaints@portsmouth.example")
    delivered = deliver_complaint(repo, landlord_id, NOW)
    plan = plan_for("england", "council", ["repairs", "allocations"])
    with repo.unit_of_work() as uow:
        uow.update_case_details(delivered.case_id, {"routing": plan.record()})
        [_, email] = uow.access.submissions_of_case(delivered.case_id)
        document = build_document(uow, email, NOW)
    assert [(p.topic, p.aspect, p.label) for p in document.complaint.parts] == [
        ("repairs", "whole", "Repairs")
    ]
    assert "What my complaint is about\n- Repairs" in document.letter.text
    assert "housing register" not in document.letter.text
    schema = json.loads((ROOT / "docs" / "schema" / "submission.schema.json").read_text())
    jsonschema.validate(json.loads(document.model_dump_json()), schema)


def test_a_complaint_made_before_parts_has_none(repo: Repository) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo, email="complaints@westlea.example"), NOW)
    with repo.unit_of_work() as uow:
        [_, email] = uow.access.submissions_of_case(delivered.case_id)
        document = build_document(uow, email, NOW)
    assert document.complaint.parts == []
    assert "What my complaint is about" not in document.letter.text
