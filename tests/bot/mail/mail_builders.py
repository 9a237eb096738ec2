"""Builders for the mail tests: a resident (with a Telegram chat) and their case."""

from __future__ import annotations

from bot.storage.repository import Repository

DOMAIN = "replies.fairsay.example"


def seed_case(repo: Repository, telegram_id: int = 1) -> tuple[int, int]:
    """A resident with one case; (user id, case id)."""
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(telegram_id)
        ref = uow.create_case(user.id, subject="damp in the bedroom", details={"name": "Ann Example"})
        summary = uow.case_by_ref(ref)
        assert summary is not None
    return user.id, summary.id
