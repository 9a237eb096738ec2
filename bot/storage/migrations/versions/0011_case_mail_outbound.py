"""Complaints emailed for residents: the sending of each "out" case email (issue 27).

One row per email Fair Say sends for a resident, beside its `case_emails` row: the stage, the
resident's consent (when, and the version of the words they agreed to), the durable delivery's attempts
and lease, and the recipient address folded to lower case for the per-recipient limit.

Revision ID: 0011_case_mail_outbound
Revises: 0010_case_mail
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011_case_mail_outbound"
down_revision: str | None = "0010_case_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "case_email_sends",
        sa.Column("email_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_version", sa.String(40), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("left_out", _JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["case_emails.id"],
            name="fk_case_email_sends_email_id_case_emails",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_case_email_sends_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("email_id", name="pk_case_email_sends"),
    )
    op.create_index("ix_case_email_sends_user_id_created_at", "case_email_sends", ["user_id", "created_at"])
    op.create_index(
        "ix_case_email_sends_recipient_created_at", "case_email_sends", ["recipient", "created_at"]
    )
    op.create_index("ix_case_email_sends_next_attempt_at", "case_email_sends", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_case_email_sends_next_attempt_at", table_name="case_email_sends")
    op.drop_index("ix_case_email_sends_recipient_created_at", table_name="case_email_sends")
    op.drop_index("ix_case_email_sends_user_id_created_at", table_name="case_email_sends")
    op.drop_table("case_email_sends")
