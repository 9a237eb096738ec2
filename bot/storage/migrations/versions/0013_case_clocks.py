"""Kept clocks (issue 28): each case's open deadlines (`case_clocks`) and stage figures
(`case_stages`), its nearest deadline and the stamp of what they were computed with (`cases.next_due`,
`cases.clocks_stamp`), with the indexes the inbox and the reports read them by.

Existing cases are left unstamped (NULL): the first reader of a landlord's cases computes them
(bot.storage.clocks.refresh_stale), or `fairsay db clocks` does it for all at once after the upgrade.
The rules live in Python (flows.clocks), so the migration does not compute them itself: a migration
that imported today's rules would compute yesterday's data with tomorrow's code when replayed.

Revision ID: 0013_case_clocks
Revises: 0012_mail_send_tally
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_case_clocks"
down_revision: str | None = "0012_mail_send_tally"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_CASE = "closed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("next_due", sa.Date(), nullable=True))
        batch.add_column(sa.Column("clocks_stamp", sa.String(length=32), nullable=True))
    op.create_index(
        "ix_cases_open_by_due",
        "cases",
        ["landlord_id", "next_due", "public_ref"],
        sqlite_where=sa.text(OPEN_CASE),
        postgresql_where=sa.text(OPEN_CASE),
    )
    op.create_index("ix_cases_clocks_stamp", "cases", ["landlord_id", "clocks_stamp"])
    op.create_table(
        "case_clocks",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.String(length=32), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("citation", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_clocks_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "deadline", name="pk_case_clocks"),
    )
    op.create_table(
        "case_stages",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("began_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_on", sa.Date(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("response_due", sa.Date(), nullable=True),
        sa.Column("response_status", sa.String(length=32), nullable=False),
        sa.Column("working_days_late", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_stages_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "stage", name="pk_case_stages"),
    )


def downgrade() -> None:
    op.drop_table("case_stages")
    op.drop_table("case_clocks")
    op.drop_index("ix_cases_clocks_stamp", table_name="cases")
    op.drop_index("ix_cases_open_by_due", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("clocks_stamp")
        batch.drop_column("next_due")
