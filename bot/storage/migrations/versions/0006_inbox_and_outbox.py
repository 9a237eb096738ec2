"""A durable inbox of Telegram updates (replacing `processed_updates`: its ids move in as handled) and
an outbox of replies, so nothing a resident sends or is sent is lost to a crash.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _lease() -> list[sa.Column[object]]:
    return [
        sa.Column("claimed_by", sa.String(64), nullable=True),
        _time("lease_until", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", _JSON, nullable=True),
        _time("received_at"),
        *_lease(),
        _time("handled_at", nullable=True),
        sa.PrimaryKeyConstraint("update_id", name="pk_inbox"),
    )
    op.create_index("ix_inbox_telegram_id", "inbox", ["telegram_id"])
    op.create_index("ix_inbox_handled_at", "inbox", ["handled_at"])
    op.execute(
        "INSERT INTO inbox (update_id, received_at, attempts, handled_at) "
        "SELECT update_id, processed_at, 0, processed_at FROM processed_updates"
    )
    op.drop_index("ix_processed_updates_processed_at", table_name="processed_updates")
    op.drop_table("processed_updates")
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("reply", _JSON, nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        _time("created_at"),
        *_lease(),
        _time("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_chat_id", "outbox", ["chat_id"])
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_index("ix_outbox_chat_id", table_name="outbox")
    op.drop_table("outbox")
    op.create_table(
        "processed_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        _time("processed_at"),
        sa.PrimaryKeyConstraint("update_id", name="pk_processed_updates"),
    )
    op.create_index("ix_processed_updates_processed_at", "processed_updates", ["processed_at"])
    op.execute(
        "INSERT INTO processed_updates (update_id, processed_at) "
        "SELECT update_id, handled_at FROM inbox WHERE handled_at IS NOT NULL"
    )
    op.drop_index("ix_inbox_handled_at", table_name="inbox")
    op.drop_index("ix_inbox_telegram_id", table_name="inbox")
    op.drop_table("inbox")
