"""Conversations: off the steps that are no longer steps.

The conversations became declared machines (issue 18): the "One moment." steps that only ran a
callback and moved on are gone, their routing now in the transition tables. The bot never stored a
conversation at one (it always moved on in the same update), and every question kept its id and its
answer key; a row at a removed step (written by hand, or by a failed older version) would no longer
load, so it is moved to the menu with its answers kept.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (flow, step) of every step removed: each ran a callback and moved on at once.
REMOVED_STEPS = (
    ("onboarding", "done"),
    ("home", "route"),
    ("explainer", "after"),
    ("delete", "deleted"),
    ("new_complaint", "start"),
    ("new_complaint", "resumed"),
    ("new_complaint", "summary"),
    ("new_complaint", "report_first"),
    ("new_complaint", "hazard_info"),
    ("new_complaint", "stopped"),
    ("new_complaint", "open"),
    ("complaint", "start"),
    ("complaint", "use_profile"),
    ("complaint", "save_profile"),
    ("complaint", "edit"),
    ("complaint", "later"),
    ("complaint", "delivered"),
    ("complaint", "record_today"),
    ("complaint", "recorded"),
    ("tracking", "act"),
    ("tracking", "record_event"),
    ("tracking", "close"),
    ("tracking", "unhappy"),
    ("tracking", "record_extension"),
    ("tracking", "record_inspection"),
    ("stage2", "later"),
    ("stage2", "delivered"),
    ("stage2", "recorded"),
    ("referral", "not_now"),
    ("referral", "later"),
    ("referral", "recorded"),
    ("share", "code"),
    ("helpers", "remove"),
    ("code", "redeem"),
    ("code", "named"),
    ("caseload", "open"),
    ("caseload", "digest_set"),
    ("landlord", "start"),
    ("landlord", "registered"),
    ("invite", "start"),
    ("invite", "code"),
    ("inbox", "open"),
    ("landlord_action", "start"),
    ("landlord_action", "do"),
    ("portal", "show"),
    ("compliance", "show"),
    ("person", "told"),
)


def upgrade() -> None:
    conversations = sa.table("conversations", sa.column("flow", sa.String), sa.column("state", sa.String))
    for flow, step in REMOVED_STEPS:
        op.execute(
            conversations.update()
            .where(conversations.c.flow == flow, conversations.c.state == step)
            .values(flow="home", state="menu")
        )


def downgrade() -> None:
    """Nothing to undo: the menu is a step in every version."""
