"""The web portal's one-time sign-in links, and the sessions they open.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "portal_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _time("used_at", nullable=True),
        _time("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_portal_sign_ins"),
        sa.UniqueConstraint("token_hash", name="uq_portal_sign_ins_token_hash"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_portal_sign_ins_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_portal_sign_ins_user_id", "portal_sign_ins", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_portal_sign_ins_user_id", table_name="portal_sign_ins")
    op.drop_table("portal_sign_ins")
