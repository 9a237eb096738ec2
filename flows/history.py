"""Whether a new event fits the history already recorded: what must have happened first.

A complaint's events follow the Code's order (Code 6.2 to 6.14): the complaint is made before it is
acknowledged, acknowledged before it is answered, answered before stage 2 is asked for. An event
dated before one that must come first (an acknowledgement dated before the complaint was made) is a
typing mistake, not a history to count deadlines from: it is refused, naming the event it clashes
with and that event's date, so the resident can fix whichever date is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flows.case import CaseEvent, EventKind
from flows.i18n import Translator
from flows.labels import event_label

_STAGE1 = frozenset({EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE})
_ANSWERED1 = _STAGE1 | {EventKind.ACKNOWLEDGED, EventKind.STAGE1_EXTENSION}
_ASKED2 = _ANSWERED1 | {EventKind.STAGE1_RESPONSE}
_STAGE2 = _ASKED2 | {EventKind.ESCALATION_REQUESTED}

# For each kind, the kinds that cannot be dated after it.
MUST_COME_FIRST: dict[EventKind, frozenset[EventKind]] = {
    EventKind.ISSUE_STARTED: frozenset(),
    EventKind.COMPLAINT_MADE: frozenset({EventKind.ISSUE_STARTED}),
    EventKind.ACKNOWLEDGED: _STAGE1,
    EventKind.STAGE1_EXTENSION: _STAGE1,
    EventKind.STAGE1_RESPONSE: _ANSWERED1,
    EventKind.ESCALATION_REQUESTED: _ASKED2,
    EventKind.STAGE2_ACKNOWLEDGED: _STAGE2,
    EventKind.STAGE2_EXTENSION: _STAGE2,
    EventKind.STAGE2_RESPONSE: _STAGE2 | {EventKind.STAGE2_ACKNOWLEDGED, EventKind.STAGE2_EXTENSION},
    EventKind.LANDLORD_DECLINED: _STAGE1,
    EventKind.REFERRED_TO_OMBUDSMAN: _STAGE1,
    EventKind.RESOLVED: _STAGE1,
    EventKind.WITHDRAWN: _STAGE1,
}


@dataclass(frozen=True, slots=True)
class OrderClash:
    """`new` cannot be dated where it is: `other` must come `before` it (or after it, when False)."""

    new: CaseEvent
    other: CaseEvent
    other_comes_first: bool


def order_clash(events: Iterable[CaseEvent], new: CaseEvent) -> OrderClash | None:
    """The first recorded event `new` clashes with, if any: one that must come first but is dated
    later, or one that must come later but is dated earlier. Same-day events never clash."""
    first = MUST_COME_FIRST[new.kind]
    for event in events:
        if event.kind in first and event.date > new.date:
            return OrderClash(new, event, other_comes_first=True)
        if new.kind in MUST_COME_FIRST[event.kind] and event.date < new.date:
            return OrderClash(new, event, other_comes_first=False)
    return None


def order_clash_message(clash: OrderClash, t: Translator) -> str:
    """Why the date was refused, naming the recorded event it clashes with and that event's date."""
    values = {
        "date": t.format_date(clash.new.date),
        "other": event_label(clash.other.kind, t),
        "other_date": t.format_date(clash.other.date),
    }
    if clash.other_comes_first:
        return t.gettext(
            "{date} is before {other_date}, the date I have for “{other}”. That has to come first, so please "
            "check the date and send it again."
        ).format(**values)
    return t.gettext(
        "{date} is after {other_date}, the date I have for “{other}”. That has to come later, so please check "
        "the date and send it again."
    ).format(**values)


# What a refusal refuses depends on where the complaint stood: after a request for stage 2 (and before its
# acknowledgement) it refuses the escalation (Code 6.10, 2022 Code 5.9); after the acknowledgement, the
# complaint at stage 2 (Code 2.4). Dated before that request or acknowledgement, the refusal would be read as
# refusing something else (the complaint at stage 1), so the date is a slip.
_REFUSED_STEPS = frozenset({EventKind.ESCALATION_REQUESTED, EventKind.STAGE2_ACKNOWLEDGED})


def refusal_clash(
    events: Iterable[CaseEvent], new: CaseEvent, recorded_on: date | None = None
) -> OrderClash | None:
    """A refusal dated before the stage 2 request (or acknowledgement) it refuses. `recorded_on` is the date a
    refusal being corrected had (what it refused is what came before it then); None for a new refusal, which
    refuses where the complaint stands now."""
    if new.kind is not EventKind.LANDLORD_DECLINED:
        return None
    refused = [
        event
        for event in events
        if event.kind in _REFUSED_STEPS and (recorded_on is None or event.date <= recorded_on)
    ]
    latest = max(refused, key=lambda event: event.date, default=None)
    if latest is not None and new.date < latest.date:
        return OrderClash(new, latest, other_comes_first=True)
    return None


# What the landlord did. An advocate acting with the resident's consent records these, and may correct
# them; the resident's own steps (the problem starting, the complaint, stage 2, the referral, closing
# it) are the resident's to correct.
LANDLORD_ACTS = frozenset(
    {
        EventKind.ACKNOWLEDGED,
        EventKind.STAGE1_EXTENSION,
        EventKind.STAGE1_RESPONSE,
        EventKind.STAGE2_ACKNOWLEDGED,
        EventKind.STAGE2_EXTENSION,
        EventKind.STAGE2_RESPONSE,
        EventKind.LANDLORD_DECLINED,
    }
)

# The steps that open a stage, and what rests on each: removing the complaint while the landlord's
# acknowledgement stays would leave a history with no complaint, and every deadline gone with it.
_RESTS_ON = {
    EventKind.COMPLAINT_MADE: frozenset(EventKind) - {EventKind.ISSUE_STARTED, EventKind.COMPLAINT_MADE},
    EventKind.ESCALATION_REQUESTED: frozenset(
        {EventKind.STAGE2_ACKNOWLEDGED, EventKind.STAGE2_EXTENSION, EventKind.STAGE2_RESPONSE}
    ),
}


def can_remove(events: Iterable[CaseEvent], event: CaseEvent) -> bool:
    """Whether `event` can be removed: nothing else recorded rests on it (or another like it stays)."""
    others = list(events)
    others.remove(event)
    if any(other.kind is event.kind for other in others):
        return True
    return not any(other.kind in _RESTS_ON.get(event.kind, frozenset()) for other in others)
