"""Reply addresses: one per case, made on first use, unguessable, found again whatever the case of the
letters; nothing else (another domain, a made-up token, a deleted case) finds a case."""

from __future__ import annotations

import pytest
from mail_builders import DOMAIN, seed_case
from sqlalchemy.exc import IntegrityError

from bot.mail.addresses import NoReplyDomain, case_for_address, reply_address, token_of
from bot.settings import Settings
from bot.storage.models import CaseReplyAddressRow
from bot.storage.repository import Repository


def with_domain(settings: Settings) -> Settings:
    return settings  # the mail tests' settings have the domain (conftest.py)


def test_a_case_gets_one_address_made_on_first_use(repo: Repository, settings: Settings) -> None:
    settings = with_domain(settings)
    _, case_id = seed_case(repo, 1)
    _, other_case = seed_case(repo, 2)
    with repo.unit_of_work() as uow:
        first = reply_address(uow, case_id, settings)
    with repo.unit_of_work() as uow:
        again = reply_address(uow, case_id, settings)
        other = reply_address(uow, other_case, settings)
    assert first == again != other
    local, _, domain = first.partition("@")
    assert domain == DOMAIN
    assert local.startswith("case-") and len(local) == len("case-") + 26
    assert local == local.lower()
    with repo.unit_of_work() as uow:
        assert case_for_address(uow, first, settings) == case_id
        assert case_for_address(uow, first.upper(), settings) == case_id  # case folded on the way
        assert case_for_address(uow, f"<{other}>") == other_case
        assert case_for_address(uow, first.replace(DOMAIN, "elsewhere.example"), settings) is None
        last = local[-1]
        changed = local[:-1] + ("b" if last == "a" else "a")  # one character off (never the same one)
        assert case_for_address(uow, f"{changed}@{DOMAIN}", settings) is None
        assert case_for_address(uow, f"case-{'a' * 26}@{DOMAIN}", settings) is None


def test_no_domain_no_address(repo: Repository, settings: Settings) -> None:
    _, case_id = seed_case(repo, 1)
    unset = settings.model_copy(update={"mail_reply_domain": None})
    with repo.unit_of_work() as uow, pytest.raises(NoReplyDomain):
        reply_address(uow, case_id, unset)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "case-@x.example",
        "someone@" + DOMAIN,
        "case-" + "a" * 25 + "@" + DOMAIN,
        "case-" + "1" * 26 + "@" + DOMAIN,
    ],
)
def test_what_is_not_a_reply_address(address: str) -> None:
    assert token_of(address, DOMAIN) is None


def test_the_address_goes_with_the_case(repo: Repository, settings: Settings) -> None:
    settings = with_domain(settings)
    user_id, case_id = seed_case(repo, 1)
    with repo.unit_of_work() as uow:
        address = reply_address(uow, case_id, settings)
    with repo.unit_of_work() as uow:
        uow.delete_user(user_id)
    with repo.unit_of_work() as uow:
        assert case_for_address(uow, address, settings) is None
        assert uow.session.get(CaseReplyAddressRow, 1) is None


def test_a_token_is_unique(repo: Repository) -> None:
    _, case_id = seed_case(repo, 1)
    _, other_case = seed_case(repo, 2)
    with pytest.raises(IntegrityError), repo.unit_of_work() as uow:
        uow.session.add(CaseReplyAddressRow(case_id=case_id, token="a" * 26))
        uow.session.add(CaseReplyAddressRow(case_id=other_case, token="a" * 26))
        uow.session.flush()
