"""One contract for the `Workspace` protocol (flows.conversations.workspace), run against the in-memory
workspace the conversation tests use and the database one the bot uses (bot.workspace): a conversation
test that passes on memory must mean the same on the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from support.databases import make_settings, upgrade
from support.landlords import sample_pdf

from bot.services.workspace import DbWorkspace
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind
from flows.conversations.types import IncomingFile
from flows.conversations.workspace import EvidenceRejected, Workspace
from tests.flows.conversations.memory import MemoryWorkspace

TODAY = date(2026, 3, 2)
MADE = CaseEvent(date(2026, 3, 2), EventKind.COMPLAINT_MADE)
STARTED = CaseEvent(date(2026, 1, 5), EventKind.ISSUE_STARTED)
ACKNOWLEDGED = CaseEvent(date(2026, 3, 4), EventKind.ACKNOWLEDGED)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    if request.param == "memory":
        yield MemoryWorkspace(today=TODAY)
        return
    url: str = request.getfixturevalue(f"{request.param.replace('postgresql', 'postgres')}_url")
    if url.startswith("postgresql"):
        upgrade(url)
    repo = Repository.open(make_settings(url, tmp_path))
    try:
        with repo.unit_of_work() as uow:
            yield DbWorkspace(uow, uow.user_by_telegram_id(5005), TODAY, 1_000_000)
    finally:
        repo.close()


def _open(workspace: Workspace) -> str:
    return workspace.open_case(
        nation="england",
        landlord_type="council",
        landlord_name="Leeds City Council",
        subject="damp_mould",
        details={"what_happened": "Mould in the bedroom"},
    )


def test_language_and_profile(workspace: Workspace) -> None:
    workspace.set_language("pl")
    assert workspace.language == "pl"
    workspace.update_profile({"full_name": "Amina Shah"})
    workspace.update_profile({"phone": "07700 900123"})
    profile = workspace.profile()
    assert (profile.get("full_name"), profile.get("phone")) == ("Amina Shah", "07700 900123")
    profile["full_name"] = "changed by the caller"
    assert workspace.profile().get("full_name") == "Amina Shah"


def test_a_new_complaint_has_no_events_and_keeps_its_details(workspace: Workspace) -> None:
    ref = _open(workspace)
    record = workspace.case(ref)
    assert record is not None and record.ref == ref
    assert (record.case.events, record.landlord_name) == ((), "Leeds City Council")
    assert (record.case.landlord_type, record.case.subject) == ("council", "damp_mould")
    assert record.details.get("what_happened") == "Mould in the bedroom"
    assert [r.ref for r in workspace.cases()] == [ref]
    assert workspace.case("FS-NO-SUCH") is None
    workspace.update_case_details(ref, {"put_right": "Treat the mould"})
    details = workspace.case(ref).details  # type: ignore[union-attr]
    assert (details.get("what_happened"), details.get("put_right")) == (
        "Mould in the bedroom",
        "Treat the mould",
    )


def test_events_come_back_in_date_order_and_corrections_apply(workspace: Workspace) -> None:
    ref = _open(workspace)
    for event in (MADE, ACKNOWLEDGED, STARTED):  # recorded out of order
        workspace.record_event(ref, event)
    assert [e.kind for e in workspace.case(ref).case.events] == [  # type: ignore[union-attr]
        EventKind.ISSUE_STARTED,
        EventKind.COMPLAINT_MADE,
        EventKind.ACKNOWLEDGED,
    ]
    workspace.correct_event(ref, ACKNOWLEDGED, "2026-03-05")
    workspace.correct_event(ref, STARTED, "removed")
    events = workspace.case(ref).case.events  # type: ignore[union-attr]
    assert [(e.kind, e.date) for e in events] == [
        (EventKind.COMPLAINT_MADE, date(2026, 3, 2)),
        (EventKind.ACKNOWLEDGED, date(2026, 3, 5)),
    ]


def test_evidence_is_kept_by_its_hash_and_other_files_are_refused(workspace: Workspace) -> None:
    ref = _open(workspace)
    data = sample_pdf(b"photo")
    stored = workspace.add_evidence(
        ref, IncomingFile("mould.pdf", "application/pdf", data, "document", size=len(data))
    )
    evidence = workspace.case(ref).evidence  # type: ignore[union-attr]
    assert [(item.sha256, item.name) for item in evidence] == [(stored.sha256, "mould.pdf")]
    with pytest.raises(EvidenceRejected) as refused:
        workspace.add_evidence(
            ref, IncomingFile("run.exe", "application/x-msdownload", b"MZ\x90\x00", "document", size=4)
        )
    assert refused.value.reason == "unsupported_type"


def test_deleting_everything_leaves_no_complaints(workspace: Workspace) -> None:
    _open(workspace)
    workspace.delete_everything()
    assert workspace.cases() == []
