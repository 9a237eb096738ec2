"""Reminder delivery: 100,000 due reminders sent to the loopback fake Bot API; reminders per second,
and a check that none went twice.

    python benchmarks/reminders.py [--reminders N] [--database URL]

Each reminder belongs to its own resident and complaint (a complaint sent on Monday 2 March 2026
whose acknowledgement was due on the 9th), so every send is composed from that case's timeline as
it is now, as in production. Data is bulk-loaded; sending goes through the real ReminderSender and
PTB against the fake. SQLite by default; `--database` a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from harness import FakeBotApi
from sqlalchemy import insert

from bot.clock import ManualClock
from bot.services.reminder_sender import ReminderSender
from bot.settings import Settings
from bot.storage.models import CaseEventRow, CaseRow, ReminderRow, UserRow
from bot.storage.repository import Repository
from bot.telegram.outgoing import send_replies
from flows.conversations.types import Reply

DUE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def seed(repository: Repository, count: int) -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    with repository.engine.begin() as connection:
        for start in range(0, count, 10_000):
            ids = range(start + 1, min(start + 10_000, count) + 1)
            connection.execute(
                insert(UserRow),
                [
                    {
                        "id": i,
                        "telegram_id": i,
                        "language": "en",
                        "time_zone": "Europe/London",
                        "roles": frozenset({"resident"}),
                        "created_at": now,
                        "profile": {},
                    }
                    for i in ids
                ],
            )
            connection.execute(
                insert(CaseRow),
                [
                    {
                        "id": i,
                        "public_ref": f"R{i:07d}",
                        "owner_user_id": i,
                        "nation": "england",
                        "code_choice": "auto",
                        "landlord_name": "Riverside",
                        "landlord_policy": {},
                        "details": {},
                        "lifecycle_state": "stage1_waiting_acknowledgement",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            connection.execute(
                insert(CaseEventRow),
                [
                    {
                        "case_id": i,
                        "position": 0,
                        "date": now.date(),
                        "kind": "complaint_made",
                        "reasons_given": False,
                        "source": "resident",
                        "recorded_at": now,
                    }
                    for i in ids
                ],
            )
            connection.execute(
                insert(ReminderRow),
                [
                    {
                        "user_id": i,
                        "case_id": i,
                        "kind": "deadline_missed",
                        "due_at": DUE,
                        "attempts": 0,
                        "dedupe_key": f"R{i:07d}:ack",
                        "payload": {
                            "case": f"R{i:07d}",
                            "kind": "deadline_missed",
                            "subject": "stage1_acknowledgement",
                        },
                    }
                    for i in ids
                ],
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=100_000)
    parser.add_argument("--database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fairsay-bench-"))
    url = args.database or f"sqlite:///{folder / 'reminders.sqlite3'}"
    if args.database:
        from throughput import create_database

        url = create_database(args.database)
    settings = Settings.from_values(database_url=url, evidence_dir=folder / "evidence")
    repository = Repository.open(settings)
    started = time.perf_counter()
    seed(repository, args.reminders)
    print(
        f"seeded {args.reminders:,} residents, complaints and due reminders in {time.perf_counter() - started:.0f} s"
    )

    with FakeBotApi(token=f"{secrets.randbelow(10**6)}:BENCH") as fake:

        async def run() -> float:
            application = fake.application_builder().build()
            async with application:

                async def send(telegram_id: int, reply: Reply) -> None:
                    await send_replies(application.bot, telegram_id, [reply])

                sender = ReminderSender(repository, ManualClock(DUE.replace(hour=11)), send, claimer="bench")
                began = time.perf_counter()
                while await sender.run_once(limit=500):
                    pass
                return time.perf_counter() - began

        elapsed = asyncio.run(run())
        sent = fake.count("sendMessage")
        per_chat = {}
        for call in fake.calls("sendMessage"):
            chat = int(call.params["chat_id"])
            per_chat[chat] = per_chat.get(chat, 0) + 1
    repository.close()
    twice = sum(1 for n in per_chat.values() if n > 1)
    print(
        f"sent {sent:,} reminders in {elapsed:.1f} s: {sent / elapsed:,.0f} per second; "
        f"residents reminded twice: {twice}; missing: {args.reminders - len(per_chat)}"
    )


if __name__ == "__main__":
    main()
