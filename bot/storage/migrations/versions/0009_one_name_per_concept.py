"""Conversations: answer keys with one name per concept (issue 24).

The stage 1 and stage 2 letters kept whether and when they were sent under `send`/`sent_on` and
`send2`/`sent2_on`; they are now `stage1_send`/`stage1_sent_on` and `stage2_send`/`stage2_sent_on`.
The advocate chosen on /helpers' list (`helper`) is `advocate`, the storage's word (the chat keeps its
plain words and the /helpers command). A conversation stored mid-way (at a letter's "sent" question,
or with the answers kept for it) carries on at the same question with its answers.

Revision ID: 0009_one_name_per_concept
Revises: 0008_event_corrections
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009_one_name_per_concept"
down_revision: str | None = "0008_event_corrections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Old answer key -> new.
RENAMED_KEYS = {
    "send": "stage1_send",
    "sent_on": "stage1_sent_on",
    "send2": "stage2_send",
    "sent2_on": "stage2_sent_on",
    "helper": "advocate",  # the advocate chosen on /helpers' list
}

_conversations = sa.table(
    "conversations",
    sa.column("id", sa.Integer),
    sa.column("answers", sa.JSON().with_variant(JSONB(), "postgresql")),
)


def renamed(answers: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The answers with each key in `names` renamed."""
    return {names.get(key, key): value for key, value in answers.items()}


def _rename(names: Mapping[str, str]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_conversations.c.id, _conversations.c.answers)).all()
    for row_id, answers in rows:
        if isinstance(answers, dict) and names.keys() & answers.keys():
            connection.execute(
                _conversations.update()
                .where(_conversations.c.id == row_id)
                .values(answers=renamed(answers, names))
            )


def upgrade() -> None:
    _rename(RENAMED_KEYS)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED_KEYS.items()})
