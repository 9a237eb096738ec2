"""What a landlord's complaints team sees: a complaint delivered through Fair Say, its Code clocks
from the landlord's side ("acknowledge by", "respond by", with the paragraph), and the buttons that
answer it. Written in the staff member's language; the resident's own words are quoted as written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.case import Case
from flows.conversations.types import Button
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import N_, Translator
from flows.landlord_actions import ActionKind
from flows.routing import landlord_topics, record_label
from flows.timeline import Timeline, build_timeline

LANDLORD_BUTTON = "ll:"  # callback data "ll:<action>:<case ref>"
FILES_ACTION = "files"  # "ll:files:<case ref>": the letter and the evidence, sent to the team member

ACTION_LABELS = {
    ActionKind.ACKNOWLEDGE: N_("Acknowledge"),
    ActionKind.EXTEND: N_("Extend"),
    ActionKind.RESPOND: N_("Upload response"),
    ActionKind.DECLINE: N_("Decline"),
}

_DUTY = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("Acknowledge stage 1 by {due} ({rule})."),
    DeadlineId.STAGE1_RESPONSE: N_("Respond at stage 1 by {due} ({rule})."),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("Acknowledge stage 2 by {due} ({rule})."),
    DeadlineId.STAGE2_RESPONSE: N_("Respond at stage 2 by {due} ({rule})."),
}
_OVERDUE = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("Stage 1 acknowledgement overdue since {due} ({rule})."),
    DeadlineId.STAGE1_RESPONSE: N_("Stage 1 response overdue since {due} ({rule})."),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("Stage 2 acknowledgement overdue since {due} ({rule})."),
    DeadlineId.STAGE2_RESPONSE: N_("Stage 2 response overdue since {due} ({rule})."),
}
DETAIL_LABELS = (
    ("subject", N_("About")),
    ("what_happened", N_("What happened")),
    ("impact", N_("How it affects them")),
    ("put_right", N_("What would put it right")),
    ("adjustments", N_("Adjustments needed")),
)
_EXCERPT = 600


def landlord_button_data(action: ActionKind, ref: str) -> str:
    return f"{LANDLORD_BUTTON}{action.value}:{ref}"


def parse_landlord_button(data: str) -> tuple[ActionKind, str] | None:
    action, _, ref = data.removeprefix(LANDLORD_BUTTON).partition(":")
    try:
        return ActionKind(action), ref
    except ValueError:
        return None


def files_ref(data: str) -> str | None:
    """The case reference of an "ll:files:<ref>" button; None for any other."""
    action, _, ref = data.removeprefix(LANDLORD_BUTTON).partition(":")
    return ref if data.startswith(LANDLORD_BUTTON) and action == FILES_ACTION and ref else None


def submission_buttons(ref: str, t: Translator) -> tuple[tuple[Button, ...], ...]:
    files = Button(f"{LANDLORD_BUTTON}{FILES_ACTION}:{ref}", t.gettext("Letter and evidence"))
    return (
        (files,),
        *(
            (Button(landlord_button_data(kind, ref), t.gettext(label)),)
            for kind, label in ACTION_LABELS.items()
        ),
    )


def duty_lines(timeline: Timeline, t: Translator) -> list[str]:
    """The landlord's open Code clocks, soonest first, from the landlord's side."""
    lines = []
    for deadline in sorted(
        (d for d in timeline.deadlines if d.is_open and d.due is not None), key=lambda d: d.due or date.max
    ):
        assert deadline.due is not None
        rule = deadline.due_rule.citation if deadline.due_rule is not None else ""
        template = _OVERDUE if deadline.status is DeadlineStatus.MISSED else _DUTY
        line = t.gettext(template[deadline.id]).format(due=t.format_date(deadline.due), rule=rule)
        if deadline.landlord_due is not None and deadline.landlord_due < deadline.due:
            line += " " + t.gettext("Your own policy: by {date}.").format(
                date=t.format_date(deadline.landlord_due)
            )
        lines.append(line)
    return lines


def next_due(timeline: Timeline) -> date | None:
    dues = [d.due for d in timeline.deadlines if d.is_open and d.due is not None]
    return min(dues) if dues else None


def is_overdue(timeline: Timeline) -> bool:
    return any(d.is_open and d.status is DeadlineStatus.MISSED for d in timeline.deadlines)


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


_CONTACT_BY = {
    "email": N_("Contact by email: {detail}"),
    "phone": N_("Contact by phone: {detail}"),
}


def resident_lines(profile: dict[str, Any], t: Translator) -> list[str]:
    """Who the resident is and how to reach them, as they gave it (name, address, reference, contact)."""
    lines = []
    if profile.get("full_name"):
        lines.append(t.gettext("Resident: {name}").format(name=profile["full_name"]))
    if profile.get("address"):
        lines.append(t.gettext("Address: {address}").format(address=profile["address"]))
    if profile.get("tenancy_ref"):
        lines.append(t.gettext("Tenancy reference: {reference}").format(reference=profile["tenancy_ref"]))
    how, detail = profile.get("contact"), profile.get("contact_detail")
    if how in _CONTACT_BY and detail:
        lines.append(t.gettext(_CONTACT_BY[how]).format(detail=detail))
    elif how:
        lines.append(t.gettext("Contact by post, at the address above"))
    return lines


def submission_message(
    ref: str,
    stage: int,
    case: Case,
    details: dict[str, Any],
    today: date,
    t: Translator,
    profile: dict[str, Any] | None = None,
    evidence_count: int = 0,
) -> str:
    """A complaint arriving, for the landlord's team: who the resident is, what it is about, what the Code
    asks by when; the letter comes with it (bot.services.notices)."""
    if stage == 2:
        heading = t.gettext("A resident asks for stage 2 of complaint {ref}.").format(ref=ref)
    else:
        heading = t.gettext("A new complaint has arrived through Fair Say: {ref} (stage 1).").format(ref=ref)
    parts = [heading, "\n".join(resident_lines(profile or {}, t))]
    for key, label in DETAIL_LABELS:
        value = details.get(key)
        if value:
            parts.append(f"{t.gettext(label)}: {_excerpt(str(value))}")
    for_you = [record_label(part, t) for part in landlord_topics(details)]  # not the parts for another body
    if for_you:
        parts.append(t.gettext("The parts for you: {parts}").format(parts="; ".join(for_you)))
    if stage == 2 and details.get("stage2_reasons"):
        parts.append(f"{t.gettext('What is still not right')}: {_excerpt(str(details['stage2_reasons']))}")
    parts.append("\n".join(duty_lines(build_timeline(case, today), t)))
    parts.append(
        t.ngettext(
            "“Letter and evidence” sends you the letter (PDF) and {n} evidence file.",
            "“Letter and evidence” sends you the letter (PDF) and {n} evidence files.",
            evidence_count,
        ).format(n=t.format_number(evidence_count))
    )
    return "\n\n".join(part for part in parts if part)


def inbox_line(ref: str, timeline: Timeline, t: Translator) -> str:
    due = next_due(timeline)
    if due is None:
        return t.gettext("{ref}: nothing due").format(ref=ref)
    if is_overdue(timeline):
        return t.gettext("❗ {ref}: overdue since {date}").format(ref=ref, date=t.format_date(due))
    return t.gettext("⏳ {ref}: due {date}").format(ref=ref, date=t.format_date(due))
