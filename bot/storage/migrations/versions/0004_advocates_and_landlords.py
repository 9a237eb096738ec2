"""Advocates and landlords: one-time codes (consent for a helper, invitations for landlord staff),
failed code attempts (to slow guessing), submissions to landlords and their delivery state; staff
membership, display names and digest hours on users; delivery routes and the API key's hash on
landlords.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("landlords") as batch:
        batch.add_column(sa.Column("homes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("complaint_email", sa.String(320), nullable=True))
        batch.add_column(sa.Column("webhook_url", sa.String(500), nullable=True))
        batch.add_column(sa.Column("webhook_secret", sa.String(128), nullable=True))
        batch.add_column(sa.Column("api_key_hash", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_landlords_api_key_hash", ["api_key_hash"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(120), nullable=True))
        batch.add_column(sa.Column("landlord_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("staff_role", sa.String(16), nullable=True))
        batch.add_column(sa.Column("digest_hour", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_users_landlord_id_landlords", "landlords", ["landlord_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_users_landlord_id", ["landlord_id"])
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("landlord_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(8), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _time("used_at", nullable=True),
        sa.Column("used_by_user_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invites"),
        sa.UniqueConstraint("code_hash", name="uq_invites_code_hash"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_invites_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["landlord_id"], ["landlords.id"], name="fk_invites_landlord_id_landlords", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name="fk_invites_created_by_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by_user_id"], ["users.id"], name="fk_invites_used_by_user_id_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_invites_case_id", "invites", ["case_id"])
    op.create_index("ix_invites_landlord_id", "invites", ["landlord_id"])
    op.create_index("ix_invites_created_by_user_id", "invites", ["created_by_user_id"])
    op.create_table(
        "code_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name="pk_code_attempts"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_code_attempts_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_code_attempts_user_id", "code_attempts", ["user_id"])
    op.create_index("ix_code_attempts_at", "code_attempts", ["at"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("landlord_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("next_attempt_at"),
        sa.Column("last_error", sa.String(200), nullable=True),
        _time("delivered_at", nullable=True),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("idempotency_key", name="uq_submissions_idempotency_key"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_submissions_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["landlord_id"], ["landlords.id"], name="fk_submissions_landlord_id_landlords", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_submissions_case_id", "submissions", ["case_id"])
    op.create_index("ix_submissions_landlord_id", "submissions", ["landlord_id"])
    op.create_index("ix_submissions_next_attempt_at", "submissions", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_table("submissions")
    op.drop_table("code_attempts")
    op.drop_table("invites")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_landlord_id")
        batch.drop_constraint("fk_users_landlord_id_landlords", type_="foreignkey")
        batch.drop_column("digest_hour")
        batch.drop_column("staff_role")
        batch.drop_column("landlord_id")
        batch.drop_column("display_name")
    with op.batch_alter_table("landlords") as batch:
        batch.drop_constraint("uq_landlords_api_key_hash", type_="unique")
        batch.drop_column("api_key_hash")
        batch.drop_column("webhook_secret")
        batch.drop_column("webhook_url")
        batch.drop_column("complaint_email")
        batch.drop_column("homes")
