"""Letters to the landlord and the Ombudsman referral summary.

Letters go to the landlord in English; the resident previews the same letter in their own language.
So every template sentence is a msgid rendered with a translator (English for the letter, the
resident's language for the preview), and the resident's own words are quoted exactly as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from flows.awaab import deadline_lines, letter_paragraph
from flows.case import EventKind
from flows.code_rules import CODE_2022, CODE_2024, CodeVersion, StageClock
from flows.conversations.workspace import CaseRecord, EvidenceRecord, Letter
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.findings import WarningId
from flows.hazards import LONDON
from flows.i18n import N_, Translator
from flows.labels import deadline_label, event_label, state_label
from flows.messages import as_the_resident_said, finding_message
from flows.refusals import reason_label, refusal_answer
from flows.response_check import ElementId, letter_label
from flows.routing import landlord_topics, record_label
from flows.sent_mail import proof_lines
from flows.timeline import Timeline, build_timeline
from flows.working_days import Nation

CODE_DEFINITION = (
    "an expression of dissatisfaction, however made, about the standard of service, actions or lack of action by "
    "the landlord, its own staff, or those acting on its behalf, affecting a resident or group of residents"
)


def _paragraphs(parts: Iterable[str | None]) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _section(heading: str, text: str | None) -> str | None:
    return f"{heading}\n{text.strip()}" if text and text.strip() else None


def _sender_block(profile: dict[str, Any], t: Translator) -> list[str]:
    lines = [profile.get("full_name") or "", profile.get("address") or ""]
    if profile.get("tenancy_ref"):
        lines.append(t.gettext("Tenancy reference: {reference}").format(reference=profile["tenancy_ref"]))
    return [line for line in lines if line]


def contact_sentence(profile: dict[str, Any], t: Translator) -> str:
    how, detail = profile.get("contact"), profile.get("contact_detail")
    if how == "email" and detail:
        return t.gettext("Please contact me by email at {email}.").format(email=detail)
    if how == "phone" and detail:
        return t.gettext("Please contact me by phone on {phone}.").format(phone=detail)
    return t.gettext("Please contact me by post at the address above.")


def _parts_lines(details: dict[str, Any], t: Translator) -> str | None:
    """The parts of the complaint for the landlord (flows.routing): parts for another body stay out."""
    parts = landlord_topics(details)
    if not parts:
        return None
    return _section(
        t.gettext("What my complaint is about"), "\n".join("- " + record_label(part, t) for part in parts)
    )


def _evidence_lines(evidence: Iterable[EvidenceRecord], t: Translator) -> str | None:
    items = list(evidence)
    if not items:
        return None
    lines = [
        t.ngettext("I enclose {n} item of evidence:", "I enclose {n} items of evidence:", len(items)).format(
            n=t.format_number(len(items))
        )
    ]
    lines += [f"- {item.name} (SHA-256 {item.sha256[:16]}…)" for item in items]
    return "\n".join(lines)


def _representative(details: dict[str, Any], t: Translator) -> str | None:
    """Who acts for the resident, and the consent (Code 1.3): recorded through Fair Say, with its date."""
    lines = [
        t.gettext(
            "{name} is helping me with this complaint, with my consent given through Fair Say on {date}, and may "
            "contact you on my behalf (Code 1.3)."
        ).format(name=advocate["name"], date=t.format_date(date.fromisoformat(advocate["since"])))
        for advocate in details.get("representatives") or ()
    ]
    acting = details.get("representative")  # named by the resident in their answers
    if acting:
        lines.append(
            t.gettext(
                "{name} is helping me with this complaint, with my consent, and may contact you on my behalf "
                "(Code 1.3)."
            ).format(name=acting)
        )
    return "\n".join(lines) or None


# The landlord's deadlines in the resident's voice, for a letter to the landlord ("my complaint").
_LETTER_DEADLINES = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("Acknowledging my complaint (stage 1)"),
    DeadlineId.STAGE1_RESPONSE: N_("Answering my complaint (stage 1)"),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("Acknowledging my stage 2 request"),
    DeadlineId.STAGE2_RESPONSE: N_("Final answer (stage 2)"),
}


def failures_so_far(timeline: Timeline, t: Translator) -> str | None:
    """The complaint-handling failures already found, each with the Code paragraph it breaks: missed
    deadlines (Code 6.2, 6.3, 6.11, 6.14, or 6.2 and 6.3 / 6.11 and 6.14 when a late acknowledgement left
    the date counted from the request) and extensions without reasons or over the limit (6.4)."""
    lines = []
    for deadline in timeline.deadlines:
        if deadline.status is not DeadlineStatus.MISSED or deadline.due is None:
            continue
        lines.append(
            t.gettext("{deadline}: due {due} ({rule}), {status}.").format(
                deadline=t.gettext(_LETTER_DEADLINES[deadline.id]),
                due=t.format_date(deadline.due),
                # The rule behind the date: a late acknowledgement leaves it counted from the request.
                rule=deadline.due_rule.citation if deadline.due_rule else "",
                status=_status_text(deadline.status, deadline.working_days_late or 0, t),
            )
        )
    for finding in timeline.findings:
        p = finding.params
        if finding.id is WarningId.EXTENSION_WITHOUT_REASONS:
            lines.append(
                t.gettext(
                    "On {given_on} you asked for more time without explaining why, which the Code requires "
                    "({rule})."
                ).format(given_on=t.format_date(p["given_on"]), rule=finding.rule or "")
            )
        elif finding.id is WarningId.EXTENSION_OVER_LIMIT:
            lines.append(
                t.ngettext(
                    "On {given_on} you moved your deadline to {new_due}, {extended} working day after the Code's "
                    "date; the Code allows at most {cap} without a good reason ({rule}).",
                    "On {given_on} you moved your deadline to {new_due}, {extended} working days after the Code's "
                    "date; the Code allows at most {cap} without a good reason ({rule}).",
                    p["extended_working_days"],
                ).format(
                    given_on=t.format_date(p["given_on"]),
                    new_due=t.format_date(p["new_due"]),
                    extended=t.format_number(p["extended_working_days"]),
                    cap=t.format_number(p["cap_working_days"]),
                    rule=finding.rule or "",
                )
            )
    return "\n".join(f"- {line}" for line in lines) or None


def response_gaps(details: dict[str, Any], stage: int, t: Translator, voice: str = "letter") -> str | None:
    """What the landlord's response at `stage` did not confirm, as a fact with its paragraph (noted when
    the resident sent the letter in /status: flows.response_check). `voice`: "letter" (to the landlord)
    or "summary" (for the Ombudsman)."""
    gap = (details.get("response_gaps") or {}).get(str(stage))
    if not gap or not gap.get("missing"):
        return None
    what = "; ".join(letter_label(ElementId(m), stage, t) for m in gap["missing"])
    if voice == "letter":
        return t.gettext(
            "Your stage {stage} response did not confirm what the Complaint Handling Code asks a response to "
            "confirm ({rule}): {what}."
        ).format(stage=stage, rule=gap["rule"], what=what)
    return t.gettext("The landlord's stage {stage} response did not confirm ({rule}): {what}.").format(
        stage=stage, rule=gap["rule"], what=what
    )


def stage1_letter(record: CaseRecord, profile: dict[str, Any], written_on: date, t: Translator) -> Letter:
    details = record.details
    english_code = record.case.nation is Nation.ENGLAND
    opening = (
        t.gettext(
            "I am making a formal complaint under your complaints policy and the Housing Ombudsman's Complaint Handling "
            "Code. The Code defines a complaint as “{definition}” (Code 1.2)."
        ).format(definition=CODE_DEFINITION)
        if english_code
        else t.gettext("I am making a formal complaint under your complaints policy.")
    )
    timescales = (
        t.gettext(
            "Please acknowledge this complaint within {acknowledge_days} working days (Code 6.2) and send me your full "
            "response within {respond_days} working days of acknowledging it (Code 6.3). If you need more time, please "
            "tell me why and when I will hear from you, and give me the Housing Ombudsman's contact details (Code 6.4 "
            "and 6.5)."
        ).format(**_clock_days(CODE_2024.stage1, t))
        if english_code
        else t.gettext("Please acknowledge this complaint and reply within the timescales in your policy.")
    )
    body = _paragraphs(
        [
            "\n".join(_sender_block(profile, t)),
            t.format_date(written_on),
            t.gettext("To: {landlord}, complaints team").format(landlord=record.landlord_name),
            t.gettext("Formal complaint (stage 1), our reference {reference}").format(reference=record.ref),
            t.gettext("Dear {landlord},").format(landlord=record.landlord_name),
            opening,
            _representative(details, t),
            _parts_lines(details, t),
            _section(t.gettext("What happened"), details.get("what_happened")),
            _section(t.gettext("Important dates"), details.get("dates")),
            _section(t.gettext("How this has affected me and my household"), details.get("impact")),
            _section(t.gettext("What I would like you to do to put things right"), details.get("put_right")),
            _section(t.gettext("Reasonable adjustments I need"), details.get("adjustments")),
            _evidence_lines(record.evidence, t),
            _awaab(record, written_on, t),
            timescales,
            contact_sentence(profile, t),
            t.gettext("Yours sincerely,") + "\n" + (profile.get("full_name") or ""),
        ]
    )
    return Letter(t.gettext("Formal complaint (stage 1)"), body, f"complaint-{record.ref}-stage1.pdf")


def _clock_days(clock: StageClock, t: Translator) -> dict[str, str]:
    """A stage's times as the letter states them, from the Code's clocks that compute the deadlines."""
    return {
        "acknowledge_days": t.format_number(clock.acknowledgement_working_days),
        "respond_days": t.format_number(clock.response_working_days),
    }


def stage2_letter(record: CaseRecord, profile: dict[str, Any], written_on: date, t: Translator) -> Letter:
    case = record.case
    complained = next((e.date for e in case.events if e.kind is EventKind.COMPLAINT_MADE), None)
    answered = next((e.date for e in case.events if e.kind is EventKind.STAGE1_RESPONSE), None)
    history = []
    if complained:
        history.append(t.gettext("I made my complaint on {date}.").format(date=t.format_date(complained)))
    if answered:
        history.append(
            t.gettext("You sent your stage 1 response on {date}.").format(date=t.format_date(answered))
        )
    else:
        history.append(t.gettext("I have not received your stage 1 response within the Code's timescales."))
    english_code = case.nation is Nation.ENGLAND
    timeline = build_timeline(case, written_on)
    # The Code governing the request (the one in force when it was made, or on the letter's date): the
    # 2022 Code's stage 2 has no "no reasons needed" (2024 Code 6.12) and counts from the request itself.
    code_2022 = english_code and timeline.facts.stage_rules[1].version is CodeVersion.V2022
    if code_2022:
        asking = t.gettext(
            "I am not satisfied, and I ask you to escalate my complaint to stage 2 of your complaints procedure: a "
            "complaint not resolved to the resident's satisfaction at stage one must be progressed to stage two "
            "(Complaint Handling Code 2022, 5.9)."
        )
        timescales = t.gettext(
            "Please acknowledge this request within {acknowledge_days} working days and send me your final response "
            "within {respond_days} working days of this request (Complaint Handling Code 2022). If you decline to "
            "escalate my complaint, please explain why in writing and tell me of my right to go to the Housing "
            "Ombudsman (2022 Code 5.9)."
        ).format(**_clock_days(CODE_2022.stage2, t))
    else:
        asking = t.gettext(
            "I am not satisfied, and I ask you to escalate my complaint to stage 2 of your complaints procedure "
            "(Code 6.10). I do not have to give reasons for this request (Code 6.12)."
        )
        timescales = t.gettext(
            "Please acknowledge this request within {acknowledge_days} working days (Code 6.11) and send me your "
            "final response within {respond_days} working days of acknowledging it (Code 6.14). If you refuse to "
            "escalate my complaint, please explain why in writing and tell me how to contact the Housing Ombudsman."
        ).format(**_clock_days(CODE_2024.stage2, t))
    body = _paragraphs(
        [
            "\n".join(_sender_block(profile, t)),
            t.format_date(written_on),
            t.gettext("To: {landlord}, complaints team").format(landlord=record.landlord_name),
            t.gettext("Request for stage 2, our reference {reference}").format(reference=record.ref),
            t.gettext("Dear {landlord},").format(landlord=record.landlord_name),
            " ".join(history),
            response_gaps(record.details, 1, t),
            asking
            if english_code
            else t.gettext(
                "I am not satisfied, and I ask you to escalate my complaint to the next stage of your complaints "
                "procedure."
            ),
            _parts_lines(record.details, t),
            _section(t.gettext("What is still not right"), record.details.get("stage2_reasons")),
            _awaab(record, written_on, t),
            # Failures against the Housing Ombudsman's Code, which binds only landlords in England.
            _section(
                t.gettext("How my complaint has been handled so far"),
                failures_so_far(timeline, t) if english_code else None,
            ),
            _representative(record.details, t),
            timescales
            if english_code
            else t.gettext("Please acknowledge this request and reply within your policy's timescales."),
            contact_sentence(profile, t),
            t.gettext("Yours sincerely,") + "\n" + (profile.get("full_name") or ""),
        ]
    )
    return Letter(t.gettext("Request for stage 2"), body, f"complaint-{record.ref}-stage2.pdf")


def sent_letters(record: CaseRecord, profile: dict[str, Any], t: Translator) -> list[Letter]:
    """The letters the resident sent, each dated the day it was sent and saying only what was true
    then (for the Ombudsman's pack): the stage 1 complaint, and the stage 2 request if there was one."""
    sent = {
        kind: next((e.date for e in record.case.events if e.kind is kind), None)
        for kind in (EventKind.COMPLAINT_MADE, EventKind.ESCALATION_REQUESTED)
    }
    letters = []
    if (made := sent[EventKind.COMPLAINT_MADE]) is not None:
        letters.append(stage1_letter(record, profile, made, t))
    if (asked := sent[EventKind.ESCALATION_REQUESTED]) is not None:
        letters.append(stage2_letter(record, profile, asked, t))
    return letters


def _awaab(record: CaseRecord, written_on: date, t: Translator) -> str | None:
    """Awaab's Law's clocks and any missed, for a damp and mould case in a home it covers."""
    return letter_paragraph(
        record.details,
        record.case.nation.value,
        record.case.landlord_type,
        written_on,
        t,
        extra_holidays=record.case.extra_holidays,
    )


def referral_summary(
    record: CaseRecord, profile: dict[str, Any], timeline: Timeline, t: Translator
) -> Letter:
    """The case as the Ombudsman's online form asks for it, with every deadline and finding."""
    details = record.details
    # What the resident disputes is marked, as the chat promised when they disputed it.
    events = "\n".join(
        f"- {t.format_date(event.date)}: {event_label(event.kind, t)}"
        + (" " + t.gettext("(you dispute this)") if event in record.disputed else "")
        for event in timeline.facts.events
    )
    deadlines = []
    for deadline in timeline.deadlines:
        if deadline.due is None:
            continue
        line = t.gettext("{deadline}: due {due} ({rule}), {status}.").format(
            deadline=deadline_label(deadline.id, t),
            due=t.format_date(deadline.due),
            rule=deadline.due_rule.citation if deadline.due_rule else "",
            status=_status_text(deadline.status, deadline.working_days_late or 0, t),
        )
        deadlines.append("- " + line)
    findings = "\n".join(
        "- " + _with_paragraph(finding_message(f, t), f.rule)
        for f in as_the_resident_said(timeline.findings, details.get("started"))
    )
    evidence = "\n".join(f"- {item.name}: SHA-256 {item.sha256}" for item in record.evidence)
    body = _paragraphs(
        [
            t.gettext(
                "Use this summary to fill in the Housing Ombudsman's online complaint form. The Ombudsman no longer "
                "takes new enquiries by email (since 13 January 2026)."
            ),
            _section(t.gettext("Your details"), "\n".join(_sender_block(profile, t))),
            _section(t.gettext("Your landlord"), record.landlord_name),
            _section(t.gettext("Where your complaint stands"), state_label(timeline.state, t)),
            _parts_lines(details, t),
            _section(t.gettext("What the complaint is about"), details.get("what_happened")),
            _section(t.gettext("How it has affected you"), details.get("impact")),
            _section(t.gettext("What you want to put it right"), details.get("put_right")),
            _section(t.gettext("What happened when"), events),
            _section(
                t.gettext("Proof of sending"), "\n".join("- " + line for line in proof_lines(details, t))
            ),
            _section(
                t.gettext("Your landlord's deadlines under the Complaint Handling Code"), "\n".join(deadlines)
            ),
            _section(t.gettext("What we found"), findings),
            _section(t.gettext("Your landlord's refusal"), _refusal(timeline, details, t)),
            _section(
                t.gettext("Your landlord's deadlines under Awaab's Law"),
                "\n".join(
                    deadline_lines(
                        details,
                        record.case.nation.value,
                        record.case.landlord_type,
                        datetime.combine(timeline.facts.as_of, time(0), LONDON),
                        t,
                        extra_holidays=record.case.extra_holidays,
                    )
                ),
            ),
            _section(
                t.gettext("What the landlord's responses left out"),
                "\n".join(
                    "- " + gap_line
                    for stage in (1, 2)
                    if (gap_line := response_gaps(details, stage, t, voice="summary")) is not None
                ),
            ),
            _section(
                t.gettext("Evidence (with fingerprints that show the files have not changed)"), evidence
            ),
        ]
    )
    return Letter(t.gettext("Summary for the Housing Ombudsman"), body, f"ombudsman-summary-{record.ref}.pdf")


def _with_paragraph(text: str, rule: str | None) -> str:
    """A finding with the paragraph it rests on, where its message does not name it already."""
    return text if not rule or rule in text else f"{text} ({rule})"


def _refusal(timeline: Timeline, details: dict[str, Any], t: Translator) -> str | None:
    """The reason the landlord gave for refusing, and whether the resident asked in time (flows.refusals)."""
    answer = refusal_answer(timeline, details, t)
    if answer is None:
        return None
    label = reason_label(details, t)
    reason = t.gettext("The reason they gave: {reason}").format(reason=label) if label else None
    return "\n".join(part for part in (reason, answer) if part)


def _status_text(status: str, late: int, t: Translator) -> str:
    if status == "met":
        return t.gettext("met")
    if status == "met_extension_over_limit":
        return t.gettext("met its own extended date, beyond the Code's limit")
    if status == "pending":
        return t.gettext("not due yet")
    return t.ngettext("missed by {n} working day", "missed by {n} working days", late).format(
        n=t.format_number(late)
    )
