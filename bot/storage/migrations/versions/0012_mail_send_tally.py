"""The limits on complaints emailed for residents, kept apart from the residents' data (issue 27 review).

`case_email_sends` goes with /delete (it is the resident's data), and with it the count the limits
were taken from: deleting the account and starting again gave a fresh allowance for the same address,
without end. Each send now also leaves a tally row that names no one: a SHA-256 of what is limited
("recipient:" + the folded address, "resident:" + the Telegram id), and when. Rows older than the
limits' 24 hours are removed as new ones are written.

Revision ID: 0012_mail_send_tally
Revises: 0011_case_mail_outbound
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_mail_send_tally"
down_revision: str | None = "0011_case_mail_outbound"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_send_tally",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_send_tally"),
    )
    op.create_index("ix_mail_send_tally_key_created_at", "mail_send_tally", ["key", "created_at"])
    op.create_index("ix_mail_send_tally_created_at", "mail_send_tally", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_send_tally_created_at", table_name="mail_send_tally")
    op.drop_index("ix_mail_send_tally_key_created_at", table_name="mail_send_tally")
    op.drop_table("mail_send_tally")
