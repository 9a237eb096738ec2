"""Case mail: each case's reply address token, and its emails both ways with their attachments.

Issue 27: Fair Say sends the complaint by email for the resident and receives what comes back at an
address unique to the case (`case-<token>@MAIL_REPLY_DOMAIN`). Everything hangs from the case
(ON DELETE CASCADE), so /delete and retention take the mail with the case.

Revision ID: 0010_case_mail
Revises: 0009_one_name_per_concept
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010_case_mail"
down_revision: str | None = "0009_one_name_per_concept"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "case_reply_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_reply_addresses_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_reply_addresses"),
        sa.UniqueConstraint("case_id", name="uq_case_reply_addresses_case_id"),
        sa.UniqueConstraint("token", name="uq_case_reply_addresses_token"),
    )
    op.create_table(
        "case_emails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        _time("created_at"),
        _time("mail_date", nullable=True),
        sa.Column("message_id", sa.String(500), nullable=True),
        sa.Column("in_reply_to", sa.String(500), nullable=True),
        sa.Column("from_address", sa.String(320), nullable=True),
        sa.Column("to_address", sa.String(320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("raw_sha256", sa.String(64), nullable=True),
        sa.Column("raw_size", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _time("status_at"),
        sa.Column("relay_reply", sa.String(1000), nullable=True),
        sa.Column("queue_id", sa.String(100), nullable=True),
        _time("accepted_at", nullable=True),
        sa.Column("envelope_id", sa.String(100), nullable=True),
        sa.Column("dsn_requested", sa.Boolean(), nullable=False),
        sa.Column("delivery_status", sa.String(16), nullable=True),
        sa.Column("delivery_diagnostic", sa.String(1000), nullable=True),
        sa.Column("classification", sa.String(16), nullable=True),
        sa.Column("auto_submitted", sa.Boolean(), nullable=False),
        sa.Column("about_email_id", sa.Integer(), nullable=True),
        _time("forwarded_at", nullable=True),
        sa.Column("refused_attachments", _JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_emails_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["about_email_id"],
            ["case_emails.id"],
            name="fk_case_emails_about_email_id_case_emails",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_emails"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_case_emails_case_id", "case_emails", ["case_id"])
    op.create_index("ix_case_emails_message_id", "case_emails", ["message_id"])
    op.create_index("ix_case_emails_envelope_id", "case_emails", ["envelope_id"])
    op.create_table(
        "case_email_attachments",
        sa.Column("email_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["case_emails.id"],
            name="fk_case_email_attachments_email_id_case_emails",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_files.id"],
            name="fk_case_email_attachments_evidence_id_evidence_files",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("email_id", "evidence_id", name="pk_case_email_attachments"),
    )
    op.create_index("ix_case_email_attachments_evidence_id", "case_email_attachments", ["evidence_id"])


def downgrade() -> None:
    op.drop_index("ix_case_email_attachments_evidence_id", table_name="case_email_attachments")
    op.drop_table("case_email_attachments")
    op.drop_index("ix_case_emails_envelope_id", table_name="case_emails")
    op.drop_index("ix_case_emails_message_id", table_name="case_emails")
    op.drop_index("ix_case_emails_case_id", table_name="case_emails")
    op.drop_table("case_emails")
    op.drop_table("case_reply_addresses")
