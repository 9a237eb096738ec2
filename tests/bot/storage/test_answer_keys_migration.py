"""Migration 0009 (issue 24, one name per concept): the letters' answer keys named by stage, and the
advocate chosen on /helpers' list, in stored conversations, and back on downgrade; nothing else changes."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from storage_builders import make_settings

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.storage.db import MIGRATIONS_DIR, current_revision, downgrade, make_engine, upgrade
from bot.storage.models import CaseEventRow, ConversationRow, UserRow
from bot.storage.repository import Repository
from flows.conversations.registry import FLOWS
from tests.bot.test_chat_service import Resident, onboard, write_complaint

_spec = importlib.util.spec_from_file_location(
    "one_name_per_concept", Path(MIGRATIONS_DIR) / "versions" / "0009_one_name_per_concept.py"
)
assert _spec is not None and _spec.loader is not None
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)
RENAMED_KEYS: dict[str, str] = _migration.RENAMED_KEYS

BEFORE = "0008_event_corrections"

# (flow, step, answers as stored before 0009, the same after it)
ROWS: tuple[tuple[str, str, dict[str, Any], dict[str, Any]], ...] = (
    (
        "complaint",
        "sent_date",
        {"case": "FS0001", "send": "sent", "sent_when": "other", "what_happened": "send me a reply"},
        {"case": "FS0001", "stage1_send": "sent", "sent_when": "other", "what_happened": "send me a reply"},
    ),
    (
        "stage2",
        "letter",
        {"case": "FS0002", "send2": "later", "sent2_on": "2026-03-02", "sent_on": "2026-01-05"},
        {
            "case": "FS0002",
            "stage2_send": "later",
            "stage2_sent_on": "2026-03-02",
            "stage1_sent_on": "2026-01-05",
        },
    ),
    ("helpers", "list", {"helper": "12", "case": "FS0003"}, {"advocate": "12", "case": "FS0003"}),
    # Nothing to rename: left exactly as it was (a value named like an old key is a value, not a key).
    (
        "home",
        "menu",
        {"_onboarded": True, "review_choice": "send"},
        {"_onboarded": True, "review_choice": "send"},
    ),
    ("home", "menu", {}, {}),
)


def stored(engine: Any) -> dict[int, dict[str, Any]]:
    with Session(engine) as session:
        return {row.user_id: row.answers for row in session.exec(select(ConversationRow)).all()}


def test_the_new_keys_are_the_flows_and_the_old_ones_are_gone() -> None:
    keys = {step.key for flow in FLOWS for step in flow.steps}
    assert set(RENAMED_KEYS.values()) <= keys
    assert not set(RENAMED_KEYS) & keys


def test_stored_answers_take_the_new_keys_and_give_them_back(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, BEFORE)
        with Session(engine) as session:
            for number, (flow, step, answers, _) in enumerate(ROWS, start=1):
                user = UserRow(telegram_id=7000 + number)
                session.add(user)
                session.flush()
                assert user.id is not None
                session.add(ConversationRow(user_id=user.id, flow=flow, state=step, answers=answers))
            session.commit()
        ids = sorted(stored(engine))

        upgrade(engine, "0009_one_name_per_concept")
        assert current_revision(engine) == "0009_one_name_per_concept"
        assert [stored(engine)[i] for i in ids] == [after for *_, after in ROWS]

        downgrade(engine, BEFORE)
        assert current_revision(engine) == BEFORE
        assert [stored(engine)[i] for i in ids] == [before for _, _, before, _ in ROWS]
    finally:
        engine.dispose()


def test_a_resident_mid_way_through_sending_carries_on_across_the_migration(
    database_url: str, tmp_path: Path
) -> None:
    """A real conversation, stored at the stage 1 letter's date question by the chat itself: taken back
    to 0008 (the keys the code before issue 24 stored), then up again, the resident types the date and
    it is recorded: nothing is asked again, nothing is lost."""
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    settings = make_settings(database_url, tmp_path)
    clock = ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    repository = Repository.open(settings)
    try:
        resident = Resident(ChatService(repository, settings, clock))
        onboard(resident)
        write_complaint(resident, upload=False)
        resident.press("That's right: write my letter")
        resident.press("I've sent it")
        resident.press("Another day")
        assert "On what date did you send it?" in resident.text
    finally:
        repository.close()

    engine = make_engine(database_url)
    try:
        downgrade(engine, BEFORE)
        (row,) = stored(engine).values()
        assert {"send", "sent_when"} <= row.keys() and not {"stage1_send", "stage1_sent_on"} & row.keys()
        upgrade(engine)
        (row,) = stored(engine).values()
        assert {"stage1_send", "sent_when"} <= row.keys() and "send" not in row
    finally:
        engine.dispose()

    repository = Repository.open(settings)
    try:
        resident = Resident(ChatService(repository, settings, clock), resident.telegram_id)
        resident.send("27/02/2026")
        assert "On what date did you send it?" not in resident.text
    finally:
        repository.close()
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            events = [(e.date, e.kind) for e in session.exec(select(CaseEventRow)).all()]
        assert (date(2026, 2, 27), "complaint_made") in events
    finally:
        engine.dispose()
