"""Initial schema: users, landlords, cases and their events, conversations, reminders, advocate links,
evidence files and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Self-contained on purpose (plain SQLAlchemy types, no import of today's models): a migration must
keep meaning what it meant when it was written.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
PENDING = sa.text("sent_at IS NULL AND cancelled_at IS NULL")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(column: str, table: str, referred: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=f"fk_{table}_{column}_{referred}", ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{columns[0]}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("roles", sa.String(100), nullable=False),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("telegram_id", name="uq_users_telegram_id"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "landlords",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("landlord_type", sa.String(32), nullable=False),
        sa.Column("registered_provider_number", sa.String(16), nullable=True),
        sa.Column("council_name", sa.String(200), nullable=True),
        sa.Column("policy", JSON_DOCUMENT, nullable=False),
        sa.Column("contact_routes", JSON_DOCUMENT, nullable=False),
        _time("approved_at", nullable=True),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_landlords"),
        sa.UniqueConstraint("registered_provider_number", name="uq_landlords_registered_provider_number"),
    )
    _index("landlords", "name")
    op.create_table(
        "cases",
        _id(),
        sa.Column("public_ref", sa.String(8), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("landlord_id", sa.Integer(), nullable=True),
        sa.Column("nation", sa.String(20), nullable=False),
        sa.Column("code_choice", sa.String(8), nullable=False),
        sa.Column("landlord_type", sa.String(200), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("landlord_name", sa.String(200), nullable=True),
        sa.Column("landlord_policy", JSON_DOCUMENT, nullable=False),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.Column("lifecycle_state", sa.String(40), nullable=False),
        _time("created_at"),
        _time("updated_at"),
        _time("closed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("public_ref", name="uq_cases_public_ref"),
        _fk("owner_user_id", "cases", "users", "CASCADE"),
        _fk("landlord_id", "cases", "landlords", "SET NULL"),
        sqlite_autoincrement=True,
    )
    _index("cases", "owner_user_id")
    _index("cases", "landlord_id")
    _index("cases", "closed_at")
    op.create_table(
        "case_events",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("extra_working_days", sa.Integer(), nullable=True),
        sa.Column("reasons_given", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=True),
        _time("recorded_at"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
        sa.UniqueConstraint("case_id", "position", name="uq_case_events_case_id_position"),
        _fk("case_id", "case_events", "cases", "CASCADE"),
        _fk("recorded_by_user_id", "case_events", "users", "SET NULL"),
    )
    _index("case_events", "recorded_by_user_id")
    op.create_table(
        "conversations",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("flow", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("answers", JSON_DOCUMENT, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        sa.UniqueConstraint("user_id", name="uq_conversations_user_id"),
        _fk("user_id", "conversations", "users", "CASCADE"),
        _fk("case_id", "conversations", "cases", "SET NULL"),
    )
    _index("conversations", "case_id")
    op.create_table(
        "reminders",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        _time("due_at"),
        sa.Column("payload", JSON_DOCUMENT, nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        _time("claimed_until", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("sent_at", nullable=True),
        _time("cancelled_at", nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
        _fk("user_id", "reminders", "users", "CASCADE"),
        _fk("case_id", "reminders", "cases", "CASCADE"),
    )
    _index("reminders", "user_id")
    _index("reminders", "case_id")
    # Only pending reminders: the due scan reads this small index, however many have been sent.
    op.create_index(
        "ix_reminders_due", "reminders", ["due_at"], sqlite_where=PENDING, postgresql_where=PENDING
    )
    op.create_table(
        "advocate_links",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("advocate_user_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        _time("consent_given_at"),
        _time("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_advocate_links"),
        _fk("case_id", "advocate_links", "cases", "CASCADE"),
        _fk("advocate_user_id", "advocate_links", "users", "CASCADE"),
    )
    _index("advocate_links", "case_id")
    _index("advocate_links", "advocate_user_id")
    op.create_table(
        "evidence_files",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("telegram_file_id", sa.String(200), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("stored_path", sa.String(200), nullable=False),
        sa.Column("original_name", sa.String(255), nullable=True),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_files"),
        sa.UniqueConstraint("case_id", "sha256", name="uq_evidence_files_case_id_sha256"),
        _fk("case_id", "evidence_files", "cases", "CASCADE"),
    )
    _index("evidence_files", "sha256")
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        _time("at"),
        sa.Column("detail", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        _fk("case_id", "audit_log", "cases", "SET NULL"),
        _fk("actor_user_id", "audit_log", "users", "SET NULL"),
    )
    _index("audit_log", "case_id")
    _index("audit_log", "actor_user_id")


def downgrade() -> None:
    # Children first; dropping a table drops its indexes.
    for table in (
        "audit_log",
        "evidence_files",
        "advocate_links",
        "reminders",
        "conversations",
        "case_events",
        "cases",
        "landlords",
        "users",
    ):
        op.drop_table(table)
