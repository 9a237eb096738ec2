"""The resident's tenure: what kind of tenancy or lease they hold. One small shared place, so every
flow that needs it (routing to a tribunal here; Awaab's Law elsewhere) asks the same question and
keeps the same ids under the answer key `tenure`.

The ids are stable (stored in conversations and case details). Which tenures give a right to the
First-tier Tribunal (Property Chamber) is in `flows.routing`, with its sources.
"""

from __future__ import annotations

from enum import StrEnum

from flows.conversations.engine import AnswerKind, Choice, Step
from flows.i18n import N_

__all__ = ["TENURE_CHOICES", "TENURE_KEY", "TENURE_STEP", "Tenure", "parse_tenure"]

TENURE_KEY = "tenure"


class Tenure(StrEnum):
    SECURE = "secure"  # a council's secure (or introductory, flexible) tenant
    ASSURED = "assured"  # a housing association's assured (or starter, assured shorthold) tenant
    LEASEHOLD = "leasehold"  # a long lease: a leaseholder or shared owner
    NOT_SURE = "not_sure"


TENURE_CHOICES = (
    Choice(Tenure.SECURE.value, N_("A council tenancy (secure or introductory)")),
    Choice(Tenure.ASSURED.value, N_("A housing association tenancy (assured or starter)")),
    Choice(Tenure.LEASEHOLD.value, N_("A lease: leaseholder or shared owner")),
    Choice(Tenure.NOT_SURE.value, N_("I'm not sure")),
)

TENURE_STEP = Step(
    "tenure",
    AnswerKind.CHOICE,
    N_("What kind of tenancy or lease do you have?"),
    key=TENURE_KEY,
    choices=TENURE_CHOICES,
)


def parse_tenure(value: object) -> Tenure:
    """A stored tenure id; anything else is "not sure"."""
    try:
        return Tenure(str(value))
    except ValueError:
        return Tenure.NOT_SURE
