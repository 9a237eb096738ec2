"""Correcting what was recorded (/status → correct): which events this person may correct, what may be
done with one (change its date, remove it, or dispute what the landlord recorded), and whether a
corrected date still fits the history (flows.history)."""

from __future__ import annotations

from datetime import date

from flows.case import CaseEvent
from flows.conversations.chosen_case import current_case, role_on
from flows.conversations.engine import Choice, Turn
from flows.conversations.workspace import CaseRecord
from flows.history import LANDLORD_ACTS, can_remove, order_clash, order_clash_message, refusal_clash
from flows.i18n import N_
from flows.labels import event_label


def event_id(event: CaseEvent) -> str:
    return f"{event.kind.value}@{event.date.isoformat()}"


def correctable(record: CaseRecord, turn: Turn) -> tuple[CaseEvent, ...]:
    """What this person may correct: not what Fair Say delivered (its day is known); an advocate acting
    with consent only what the landlord did, as they may record it (the resident's own steps are theirs)."""
    owner = role_on(turn, record.ref) == "owner"
    return tuple(
        e for e in record.case.events if e not in record.delivered and (owner or e.kind in LANDLORD_ACTS)
    )


def chosen_event(turn: Turn) -> tuple[CaseRecord, CaseEvent] | None:
    """The event picked to correct, found again by its kind and date (the history may have moved on)."""
    current = current_case(turn)
    if current is None:
        return None
    record, chosen = current[0], turn.answers.get("correct_event")
    event = next((e for e in correctable(record, turn) if event_id(e) == chosen), None)
    return (record, event) if event is not None else None


def correction_choices(turn: Turn) -> tuple[Choice, ...]:
    current = current_case(turn)
    events = correctable(current[0], turn) if current is not None else ()
    t = turn.t
    listed = tuple(
        Choice(event_id(e), f"{t.format_date(e.date)}: {event_label(e.kind, t)}", literal=True)
        for e in events
    )
    return (*listed, Choice("none", N_("Leave it as it is")))


def correct_how_prompt(turn: Turn) -> str:
    t, chosen = turn.t, chosen_event(turn)
    if chosen is None:
        return t.gettext("I can't find that any more. Please choose again.")
    record, event = chosen
    text = t.gettext("What should I do with “{event}” on {date}?").format(
        event=event_label(event.kind, t), date=t.format_date(event.date)
    )
    if event in record.landlord_recorded:
        text += "\n\n" + t.gettext(
            "Your landlord recorded this, so I can't change it. I can note that you dispute it: it shows on your "
            "timeline and in your pack for the Housing Ombudsman."
        )
    elif not can_remove(record.case.events, event):
        text += "\n\n" + t.gettext(
            "What you recorded after it follows from it, so I can't remove it. I can change its date."
        )
    return text


def correct_how_choices(turn: Turn) -> tuple[Choice, ...]:
    chosen = chosen_event(turn)
    leave = Choice("none", N_("Leave it as it is"))
    if chosen is None:
        return (leave,)
    record, event = chosen
    if event in record.landlord_recorded:
        return (() if event in record.disputed else (Choice("dispute", N_("I dispute this")),)) + (leave,)
    remove = (Choice("remove", N_("Remove it")),) if can_remove(record.case.events, event) else ()
    return (Choice("date", N_("Change its date")), *remove, leave)


def check_corrected_date(on: str, turn: Turn) -> str | None:
    """The corrected date must fit the rest of the history, as a new event's must (flows.history)."""
    chosen = chosen_event(turn)
    if chosen is None:
        return None
    record, event = chosen
    others = list(record.case.events)
    others.remove(event)
    corrected = CaseEvent(date.fromisoformat(on), event.kind)
    clash = order_clash(others, corrected) or refusal_clash(others, corrected, recorded_on=event.date)
    return None if clash is None else order_clash_message(clash, turn.t)
