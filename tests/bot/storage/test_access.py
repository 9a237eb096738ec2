"""The access layer on a real database: codes, links, landlords' keys and submissions' retries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.access import CodeKind, Redeemed, code_hash
from bot.storage.records import AdvocateScope, Role
from bot.storage.repository import Repository

NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def people(repo: Repository) -> tuple[int, int, int, int]:
    """A resident with a case, a helper, a stranger; and the case's id."""
    with repo.unit_of_work() as uow:
        resident, advocate, stranger = (uow.user_by_telegram_id(n).id for n in (1, 2, 3))
        ref = uow.create_case(resident, landlord_name="Riverside Housing")
        case_id = uow.case_by_ref(ref).id  # type: ignore[union-attr]
    return resident, advocate, stranger, case_id


def test_a_code_links_once_and_only_its_hash_is_kept(repo: Repository) -> None:
    resident, advocate, stranger, case_id = people(repo)
    with repo.unit_of_work() as uow:
        code = uow.access.create_code(CodeKind.CONSENT, resident, case_id=case_id, scope="act", now=NOW)
    typed = f" {code[:5].lower()}-{code[5:]} "  # as a person might type it
    with repo.unit_of_work() as uow:
        outcome, _ = uow.access.redeem(typed, advocate, NOW)
        again, _ = uow.access.redeem(code, stranger, NOW)
        assert (outcome, again) == (Redeemed.LINKED, Redeemed.UNKNOWN)
        assert uow.access.advocate_scope(case_id, advocate) is AdvocateScope.ACT
        assert uow.access.advocate_scope(case_id, stranger) is None
        assert Role.ADVOCATE in uow.user(advocate).roles  # type: ignore[union-attr]
        assert code_hash(code) == code_hash(typed) and len(code_hash(code)) == 64


def test_only_the_owner_can_revoke_and_it_is_immediate(repo: Repository) -> None:
    resident, advocate, stranger, case_id = people(repo)
    with repo.unit_of_work() as uow:
        link_id = uow.access.link(case_id, advocate, AdvocateScope.VIEW, NOW)
        assert not uow.access.revoke(link_id, stranger, NOW)
        assert not uow.access.revoke(link_id, advocate, NOW)
        assert uow.access.revoke(link_id, resident, NOW)
        assert not uow.access.revoke(link_id, resident, NOW)  # already revoked
        assert uow.access.advocate_scope(case_id, advocate) is None
        assert uow.access.links_of_advocate(advocate) == []
        assert [
            link.revoked_at is not None for link in uow.access.links_of_case(case_id, active_only=False)
        ] == [True]


def test_wrong_codes_are_counted_per_person_per_hour(repo: Repository) -> None:
    _, advocate, stranger, _ = people(repo)
    with repo.unit_of_work() as uow:
        for minute in range(5):
            assert (
                uow.access.redeem("AAAAABBBBB", advocate, NOW + timedelta(minutes=minute))[0]
                is Redeemed.UNKNOWN
            )
        assert uow.access.redeem("AAAAABBBBB", advocate, NOW + timedelta(minutes=6))[0] is Redeemed.SLOW_DOWN
        assert (
            uow.access.redeem("AAAAABBBBB", stranger, NOW)[0] is Redeemed.UNKNOWN
        )  # someone else is not slowed
        assert uow.access.redeem("AAAAABBBBB", advocate, NOW + timedelta(minutes=61))[0] is Redeemed.UNKNOWN


def test_an_api_key_works_only_for_an_approved_landlord_and_only_its_hash_is_kept(repo: Repository) -> None:
    resident, *_ = people(repo)
    with repo.unit_of_work() as uow:
        landlord_id = uow.access.register_landlord(
            resident,
            name="Riverside Housing",
            landlord_type="housing_association",
            registered_provider_number="L4321",
            council_name=None,
            complaint_email=None,
            homes=100,
        )
        key = uow.access.set_api_key(landlord_id)
        assert uow.access.landlord_by_api_key(key) is None  # not approved yet
        uow.access.approve_landlord(landlord_id, NOW)
        found = uow.access.landlord_by_api_key(key)
        assert found is not None and found.id == landlord_id
        assert uow.access.landlord_by_api_key(key + "x") is None
        assert uow.access.matching_landlord("  riverside   HOUSING ") == found
        assert uow.access.matching_landlord("Riverside") is None


def test_a_failed_submission_is_retried_later_and_given_up_after_eight_tries(repo: Repository) -> None:
    resident, _, _, case_id = people(repo)
    with repo.unit_of_work() as uow:
        landlord_id = uow.access.register_landlord(
            resident,
            name="Riverside Housing",
            landlord_type="council",
            registered_provider_number=None,
            council_name="Leeds",
            complaint_email="c@example.org",
            homes=None,
        )
        [submission] = uow.access.submit(case_id, landlord_id, 1, ["email"])
        assert [s.id for s in uow.access.due_submissions(datetime.now(UTC))] == [submission]
        now = datetime.now(UTC)
        uow.access.submission_failed(submission, "ConnectionRefusedError", now)
        assert uow.access.due_submissions(now + timedelta(seconds=59)) == []
        assert [s.attempts for s in uow.access.due_submissions(now + timedelta(minutes=1))] == [1]
        for _ in range(7):
            uow.access.submission_failed(submission, "ConnectionRefusedError", now)
        assert uow.access.due_submissions(now + timedelta(days=1)) == []
