"""What a landlord's complaints team sees: a complaint delivered through Fair Say, its Code clocks
from the landlord's side ("acknowledge by", "respond by", with the paragraph), and the buttons that
answer it. Written in the staff member's language; the resident's own words are quoted as written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.case import Case
from flows.conversations.engine import Button
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import N_, Translator
from flows.landlord_actions import ActionKind
from flows.routing import landlord_topics, record_label
from flows.timeline import Timeline, build_timeline

LANDLORD_BUTTON = "ll:"  # callback data "ll:<action>:<case ref>"

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


def submission_buttons(ref: str, t: Translator) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(landlord_button_data(kind, ref), t.gettext(label)),) for kind, label in ACTION_LABELS.items()
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
        lines.append(t.gettext(template[deadline.id]).format(due=t.format_date(deadline.due), rule=rule))
    return lines


def next_due(timeline: Timeline) -> date | None:
    dues = [d.due for d in timeline.deadlines if d.is_open and d.due is not None]
    return min(dues) if dues else None


def is_overdue(timeline: Timeline) -> bool:
    return any(d.is_open and d.status is DeadlineStatus.MISSED for d in timeline.deadlines)


def _excerpt(text: str) -> str:
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 1] + "…"


def submission_message(
    ref: str, stage: int, case: Case, details: dict[str, Any], today: date, t: Translator
) -> str:
    """A complaint arriving, for the landlord's team: what it is about, and what the Code asks by when."""
    if stage == 2:
        heading = t.gettext("A resident asks for stage 2 of complaint {ref}.").format(ref=ref)
    else:
        heading = t.gettext("A new complaint has arrived through Fair Say: {ref} (stage 1).").format(ref=ref)
    parts = [heading]
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
        t.gettext(
            "The letter and the evidence are in your inbox (/inbox) and in the email, if you chose one."
        )
    )
    return "\n\n".join(part for part in parts if part)


def inbox_line(ref: str, timeline: Timeline, t: Translator) -> str:
    due = next_due(timeline)
    if due is None:
        return t.gettext("{ref}: nothing due").format(ref=ref)
    if is_overdue(timeline):
        return t.gettext("❗ {ref}: overdue since {date}").format(ref=ref, date=t.format_date(due))
    return t.gettext("⏳ {ref}: due {date}").format(ref=ref, date=t.format_date(due))
