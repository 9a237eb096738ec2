"""Migration 0007: a conversation stored at a step that is no longer one (the conversations became
declared machines) is moved to the menu with its answers; one at a question resumes at that question."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select
from storage_builders import make_settings

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.storage.db import MIGRATIONS_DIR, make_engine, upgrade
from bot.storage.models import ConversationRow, UserRow
from bot.storage.repository import Repository
from flows.conversations.registry import BY_NAME
from flows.conversations.types import Incoming

_spec = importlib.util.spec_from_file_location(
    "removed_steps", Path(MIGRATIONS_DIR) / "versions" / "0007_conversations_off_removed_steps.py"
)
assert _spec is not None and _spec.loader is not None
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)
REMOVED_STEPS: tuple[tuple[str, str], ...] = _migration.REMOVED_STEPS

# Questions that stay, with an answer already given: after the upgrade each is asked again, showing it.
KEPT = (
    ("new_complaint", "landlord_name", {"landlord_name": "Riverside Housing"}, "Riverside Housing"),
    ("complaint", "dates", {"case": "FS0001", "dates": "Reported on 5 January"}, "Reported on 5 January"),
    ("onboarding", "role", {"language": "en"}, "Who are you?"),
)


def test_every_removed_step_was_a_step_and_is_gone() -> None:
    for flow, step in REMOVED_STEPS:
        assert step not in BY_NAME[flow].by_id, (flow, step)


def test_conversations_at_removed_steps_go_to_the_menu_answers_kept(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0006")
        rows = [
            (flow, step, {"_onboarded": True, "landlord_name": "Riverside"}) for flow, step in REMOVED_STEPS
        ]
        rows += [(flow, step, {"_onboarded": True, **answers}) for flow, step, answers, _ in KEPT]
        with Session(engine) as session:
            for number, (flow, step, answers) in enumerate(rows, start=1):
                user = UserRow(telegram_id=5000 + number)
                session.add(user)
                session.flush()
                assert user.id is not None
                session.add(ConversationRow(user_id=user.id, flow=flow, state=step, answers=answers))
            session.commit()
        upgrade(engine)
        with Session(engine) as session:
            stored = {
                row.user_id: (row.flow, row.state, row.answers)
                for row in session.exec(select(ConversationRow)).all()
            }
    finally:
        engine.dispose()
    assert len(stored) == len(rows)
    for user_id, (flow, step, answers) in enumerate(rows, start=1):
        now = stored[user_id]
        assert now[2] == answers
        if (flow, step) in REMOVED_STEPS:
            assert now[:2] == ("home", "menu")
        else:
            assert now[:2] == (flow, step)

    repository = Repository.open(make_settings(database_url, tmp_path))
    try:
        service = ChatService(
            repository,
            make_settings(database_url, tmp_path),
            ManualClock(datetime(2026, 3, 2, 12, tzinfo=UTC)),
        )
        for number, (flow, step, _) in enumerate(rows, start=1):
            replies = service.handle_telegram(5000 + number, "en", Incoming(text="/continue"))
            text = "\n".join(reply.text for reply in replies)
            if (flow, step) in REMOVED_STEPS:
                assert "What would you like to do?" in text, (flow, step)
        for offset, (_, _, _, shown) in enumerate(KEPT, start=len(REMOVED_STEPS) + 1):
            replies = service.handle_telegram(5000 + offset, "en", Incoming(text="/continue"))
            assert shown in "\n".join(reply.text for reply in replies)
    finally:
        repository.close()


# Stored by the code before 0007: its trail, draft and review screen may name steps since removed.
OLD_POINTERS = (
    # (flow, step, answers, what is typed, what the reply shows, where it leads)
    (
        "complaint",
        "dates",
        {"case": "FS0001", "_trail": [["complaint", "what_happened"], ["complaint", "edit"]]},
        "/back",
        "What happened?",
        ("complaint", "what_happened"),
    ),
    (
        "home",
        "menu",
        {"_draft": ["complaint", "use_profile"]},
        "/new",
        "unfinished complaint",
        ("new_complaint", "resume"),
    ),
    (
        "tracking",
        "status",
        {"case": "FS0001", "_trail": [["tracking", "act"], ["tracking", "record_event"]]},
        "/back",
        "There is no earlier question to go back to.",
        ("tracking", "status"),
    ),
)


def test_stored_trails_and_drafts_naming_removed_steps_still_work(database_url: str, tmp_path: Path) -> None:
    """Migration 0007 moved conversations off removed steps, not their `_trail` and `_draft`: /back
    or "Carry on" then answered "Sorry, something went wrong". The engine passes over what no longer
    exists (a draft at a removed step resumes at its flow's start)."""
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0006")
        with Session(engine) as session:
            for number, (flow, step, answers, *_) in enumerate(OLD_POINTERS, start=1):
                user = UserRow(telegram_id=6000 + number)
                session.add(user)
                session.flush()
                assert user.id is not None
                stored = {"_onboarded": True, "language": "en", **answers}
                session.add(ConversationRow(user_id=user.id, flow=flow, state=step, answers=stored))
            session.commit()
        upgrade(engine)
    finally:
        engine.dispose()
    settings = make_settings(database_url, tmp_path)
    repository = Repository.open(settings)
    try:
        service = ChatService(repository, settings, ManualClock(datetime(2026, 3, 2, 12, tzinfo=UTC)))
        for number, (_, _, _, typed, shown, leads_to) in enumerate(OLD_POINTERS, start=1):
            replies = service.handle_telegram(6000 + number, "en", Incoming(text=typed))
            assert shown in "\n".join(reply.text for reply in replies), typed
            with repository.unit_of_work() as uow:
                user = uow.user_by_telegram_id(6000 + number, "en")
                conversation = uow.conversation(user.id)
                assert (conversation.flow, conversation.state) == leads_to
        replies = service.handle_telegram(6002, "en", Incoming(text="1"))  # "Carry on where I left off"
        assert "What is your full name" in "\n".join(reply.text for reply in replies)
    finally:
        repository.close()
