"""Case events: a correction names the event it corrects (`case_events.replaces`).

Issue 20: a resident can correct or remove what they recorded, and dispute what the landlord
recorded. The history stays append-only: a correction is a row of its own (audited), naming the
event it corrects by its position. Existing rows correct nothing (NULL).

Revision ID: 0008_event_corrections
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_event_corrections"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("case_events", sa.Column("replaces", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Corrections would read as events of kinds this version does not know: take them out first.
    op.execute(sa.text("DELETE FROM case_events WHERE replaces IS NOT NULL"))
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("replaces")
