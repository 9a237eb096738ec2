"""Small builders for cases in tests: `ev("2024-05-01", "complaint_made")`."""

from __future__ import annotations

from datetime import date

from flows.case import Case, CaseEvent, CodeChoice, EventKind, LandlordPolicy
from flows.working_days import Nation


def ev(day: str, kind: str, **extra: object) -> CaseEvent:
    """A case event from an ISO date and a kind name; extension fields as keywords."""
    new_due = extra.pop("new_due", None)
    return CaseEvent(
        date.fromisoformat(day),
        EventKind(kind),
        new_due=date.fromisoformat(str(new_due)) if new_due else None,
        **extra,  # type: ignore[arg-type]
    )


def case(*events: CaseEvent, **options: object) -> Case:
    policy = options.pop("policy", None)
    return Case(
        events=tuple(events),
        nation=Nation(str(options.pop("nation", "england"))),
        code=CodeChoice(str(options.pop("code", "auto"))),
        landlord_policy=LandlordPolicy(**policy) if isinstance(policy, dict) else LandlordPolicy(),
        landlord_type=options.pop("landlord_type", None),  # type: ignore[arg-type]
        subject=options.pop("subject", None),  # type: ignore[arg-type]
    )
