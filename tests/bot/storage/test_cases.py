"""Cases and their events: public refs, the domain `Case` loaded in (date, recording) order, the
cached lifecycle state, landlord policies, advocate links and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select
from storage_builders import ev, seed_user_with_case

from bot.storage.column_types import utcnow
from bot.storage.errors import NotFound
from bot.storage.models import AuditEntryRow, CaseEventRow, LandlordRow
from bot.storage.records import AdvocateScope, EventSource
from bot.storage.refs import ALPHABET, LENGTH, new_public_ref, normalise_ref
from bot.storage.repository import Repository
from flows.case import CaseEvent, CodeChoice, EventKind, LandlordPolicy
from flows.working_days import Nation, OutOfRange


def test_refs_are_short_random_and_unambiguous() -> None:
    refs = [new_public_ref() for _ in range(2000)]
    assert len(set(refs)) == len(refs)
    assert all(len(ref) == LENGTH and set(ref) <= set(ALPHABET) for ref in refs)
    assert not set("ILOU") & set(ALPHABET)
    assert refs != sorted(refs)  # not a counter


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7k2m-9xqd", "7K2M9XQD"),
        (" 7K2M 9XQD ", "7K2M9XQD"),
        ("OIL23456", "01123456"),
        ("7K2M9XQ", None),
        ("UUUUUUUU", None),
    ],
)
def test_typed_refs_are_normalised(typed: str, stored: str | None) -> None:
    assert normalise_ref(typed) == stored


def test_case_refs_are_unique_and_not_sequential(repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        owner = uow.user_by_telegram_id(1).id
        refs = [uow.create_case(owner) for _ in range(60)]
    assert len(set(refs)) == 60
    assert refs != sorted(refs)
    with repo.unit_of_work() as uow:
        found = uow.case_by_ref(refs[0].lower()[:4] + "-" + refs[0][4:])
        assert found is not None and found.public_ref == refs[0]
        assert uow.case_by_ref("NOPE") is None
        assert uow.case_by_ref("00000000") is None
        assert [case.public_ref for case in uow.cases_of(owner)] == refs


def test_a_case_loads_as_the_domain_case_sorted_by_date_then_recording(repo: Repository) -> None:
    policy = LandlordPolicy(stage1_response_working_days=15, escalation_window_days=28)
    with repo.unit_of_work() as uow:
        owner = uow.user_by_telegram_id(1).id
        ref = uow.create_case(
            owner,
            nation=Nation.WALES,
            code=CodeChoice.V2022,
            landlord_type="housing_association",
            subject="damp_and_mould",
            landlord_policy=policy,
            details={"address": "1 Example Street"},
        )
        summary = uow.case_by_ref(ref)
        assert summary is not None
        extension = CaseEvent(
            date(2024, 5, 20), EventKind.STAGE1_EXTENSION, new_due=date(2024, 6, 14), reasons_given=True
        )
        # Recorded out of date order, as a resident remembers things; two on the same day.
        for event in [
            ev("2024-05-28", "stage1_response"),
            ev("2024-05-01", "complaint_made"),
            ev("2024-05-01", "acknowledged"),
            extension,
        ]:
            uow.append_event(summary.id, event, EventSource.RESIDENT, owner, note="they rang me")
    with repo.unit_of_work() as uow:
        case = uow.load_case(summary.id)
    assert [(str(e.date), e.kind.value) for e in case.events] == [
        ("2024-05-01", "complaint_made"),
        ("2024-05-01", "acknowledged"),
        ("2024-05-20", "stage1_extension"),
        ("2024-05-28", "stage1_response"),
    ]
    assert case.events[2] == extension
    assert case.nation is Nation.WALES
    assert case.code is CodeChoice.V2022
    assert case.landlord_policy == policy
    assert (case.landlord_type, case.subject) == ("housing_association", "damp_and_mould")


def test_events_keep_their_source_recorder_position_and_note(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    with repo.unit_of_work() as uow:
        advocate = uow.user_by_telegram_id(2).id
        assert (
            uow.append_event(case_id, ev("2024-01-02", "complaint_made"), EventSource.RESIDENT, user_id) == 0
        )
        assert (
            uow.append_event(
                case_id, ev("2024-01-03", "acknowledged"), EventSource.ADVOCATE, advocate, "by email"
            )
            == 1
        )
        rows = uow.session.exec(select(CaseEventRow).order_by(CaseEventRow.position)).all()
    assert [(r.position, r.source, r.recorded_by_user_id, r.note) for r in rows] == [
        (0, "resident", user_id, None),
        (1, "advocate", advocate, "by email"),
    ]


def test_the_lifecycle_state_is_cached_and_closing_sets_closed_at(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    with repo.unit_of_work() as uow:
        assert uow.cases_of(user_id)[0].lifecycle_state == "drafting"
        uow.append_event(case_id, ev("2024-05-01", "complaint_made"), EventSource.RESIDENT, user_id)
        assert uow.cases_of(user_id)[0].lifecycle_state == "stage1_waiting_acknowledgement"
        uow.append_event(case_id, ev("2024-05-03", "acknowledged"), EventSource.RESIDENT, user_id)
        summary = uow.cases_of(user_id)[0]
        assert (summary.lifecycle_state, summary.closed_at) == ("stage1_waiting_response", None)
        uow.append_event(case_id, ev("2024-06-01", "resolved"), EventSource.RESIDENT, user_id)
    with repo.unit_of_work() as uow:
        closed = uow.cases_of(user_id)[0]
    assert closed.lifecycle_state == "closed"
    assert closed.closed_at is not None and closed.closed_at.tzinfo is not None
    assert closed.updated_at >= closed.created_at


def test_an_approved_landlords_policy_fills_what_the_resident_did_not_say(repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        approved = LandlordRow(
            name="Westlea",
            landlord_type="housing_association",
            policy={"stage1_response_working_days": 10, "escalation_window_days": 28, "unknown_key": 1},
            approved_at=utcnow(),
        )
        unapproved = LandlordRow(
            name="Elsewhere", landlord_type="council", policy={"stage1_response_working_days": 99}
        )
        uow.session.add_all([approved, unapproved])
        uow.session.flush()
        owner = uow.user_by_telegram_id(1).id
        with_approved = uow.case_by_ref(
            uow.create_case(
                owner, landlord_id=approved.id, landlord_policy=LandlordPolicy(escalation_window_days=20)
            )
        )
        with_unapproved = uow.case_by_ref(uow.create_case(owner, landlord_id=unapproved.id))
        assert with_approved is not None and with_unapproved is not None
        assert uow.load_case(with_approved.id).landlord_policy == LandlordPolicy(
            stage1_response_working_days=10, escalation_window_days=20
        )
        assert uow.load_case(with_unapproved.id).landlord_policy == LandlordPolicy()


def test_appending_to_a_missing_case_or_an_uncountable_date_writes_nothing(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1)
    with pytest.raises(NotFound), repo.unit_of_work() as uow:
        uow.append_event(case_id + 100, ev("2024-05-01", "complaint_made"), EventSource.RESIDENT, user_id)
    with pytest.raises(NotFound), repo.unit_of_work() as uow:
        uow.load_case(case_id + 100)
    with pytest.raises(OutOfRange), repo.unit_of_work() as uow:
        uow.append_event(case_id, ev("1980-05-01", "complaint_made"), EventSource.RESIDENT, user_id)
    with repo.unit_of_work() as uow:
        assert uow.load_case(case_id).events == ()


def test_the_audit_log_holds_ids_and_kinds_and_refuses_free_text(repo: Repository) -> None:
    user_id, case_id = seed_user_with_case(repo, 1, (ev("2024-05-01", "complaint_made"),))
    with repo.unit_of_work() as uow:
        advocate = uow.user_by_telegram_id(2).id
        link_id = uow.access.link(case_id, advocate, AdvocateScope.VIEW)
        entries = uow.session.exec(select(AuditEntryRow).order_by(AuditEntryRow.id)).all()
        with pytest.raises(ValueError, match="ids and kinds only"):
            uow.audit("note", case_id=case_id, text="my landlord Mr Smith ignored me")
    assert [(e.action, e.case_id, e.actor_user_id, e.detail) for e in entries] == [
        ("case_created", case_id, user_id, {}),
        ("event_recorded", case_id, user_id, {"kind": "complaint_made", "position": 0, "source": "resident"}),
        ("advocate_linked", case_id, advocate, {"link_id": link_id, "scope": "view"}),
    ]


def test_a_correction_is_an_event_of_its_own_and_the_case_loads_as_corrected(repo: Repository) -> None:
    """Issue 20: a date corrected, an event removed, a landlord's event disputed (never removed): every
    row stays, each correction audited, and the case (and its cached state) follows the corrections."""
    user_id, case_id = seed_user_with_case(repo, 1)
    made, acknowledged = ev("2024-05-01", "complaint_made"), ev("2024-05-20", "acknowledged")
    answered = ev("2024-05-21", "stage1_response")
    with repo.unit_of_work() as uow:
        uow.append_event(case_id, made, EventSource.RESIDENT, user_id)
        uow.append_event(case_id, acknowledged, EventSource.RESIDENT, user_id)
        uow.append_event(case_id, answered, EventSource.LANDLORD, None)
        assert uow.cases_of(user_id)[0].lifecycle_state == "stage1_answered"
        uow.correct_event(case_id, acknowledged, "2024-05-03", EventSource.RESIDENT, user_id)
        uow.correct_event(
            case_id, ev("2024-05-03", "acknowledged"), "2024-05-02", EventSource.RESIDENT, user_id
        )
        with pytest.raises(ValueError, match="disputed"):
            uow.correct_event(case_id, answered, "removed", EventSource.RESIDENT, user_id)
        uow.correct_event(case_id, answered, "disputed", EventSource.RESIDENT, user_id)
        with pytest.raises(NotFound):
            uow.correct_event(case_id, acknowledged, "removed", EventSource.RESIDENT, user_id)  # moved since
    with repo.unit_of_work() as uow:
        case = uow.load_case(case_id)
        assert case.events == (made, ev("2024-05-02", "acknowledged"), answered)
        landlord, disputed = uow.event_marks(case_id)
        assert landlord == disputed == frozenset({answered})
        uow.correct_event(case_id, made, "removed", EventSource.RESIDENT, user_id)
        assert uow.load_case(case_id).events == (ev("2024-05-02", "acknowledged"), answered)
        assert [entry.event for entry in uow.case_history(case_id)] == [
            ev("2024-05-02", "acknowledged"),
            answered,
        ]
        rows = uow.session.exec(select(CaseEventRow).order_by(CaseEventRow.position)).all()
        assert [(r.kind, r.replaces) for r in rows] == [
            ("complaint_made", None),
            ("acknowledged", None),
            ("stage1_response", None),
            ("acknowledged", 1),
            ("acknowledged", 1),
            ("disputed", 2),
            ("removed", 0),
        ]
        actions = [row.action for row in uow.session.exec(select(AuditEntryRow).order_by(AuditEntryRow.id))]
        assert actions[-4:] == ["event_corrected", "event_corrected", "event_disputed", "event_removed"]
