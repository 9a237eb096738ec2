"""Timeline facts in plain words, in the resident's language.

Each message is a whole sentence in the catalogue (translators need the sentence, not fragments),
with `{placeholders}` for dates, numbers and names. Dates always carry the weekday. The text says
what was due, when, by how many working days it was missed, which paragraph requires it, and what
the resident can do now.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from flows.code_rules import Standing
from flows.deadlines import ClockStart, Deadline, DeadlineId, ExtensionOutcome
from flows.findings import Finding, WarningId
from flows.i18n import N_, Translator
from flows.labels import CLOCK_START_LABELS, deadline_label, event_label, state_label
from flows.time_limits import STAGE2_WINDOW_RULE, TimeLimitStatus, twelve_months_after
from flows.timeline import NextStep, NextStepId
from flows.triage.grounds import Body
from flows.triage.rendering import body_in_sentence, body_name
from flows.working_days import WorkingCalendar


def _d(t: Translator, value: date | None) -> str:
    return t.format_date(value) if value is not None else "?"


# Enum members read once: a member read from its class goes through EnumType.__getattr__'s hook, about
# as costly as formatting a short sentence.
_STILL_OPEN = (TimeLimitStatus.OPEN, TimeLimitStatus.CLOSING)
_CLOSED = TimeLimitStatus.CLOSED
_VERIFIED = Standing.VERIFIED
_STAGE1_RESPONSE = DeadlineId.STAGE1_RESPONSE


# --- how we counted -------------------------------------------------------------------------------


def how_counted(deadline: Deadline, calendar: WorkingCalendar, t: Translator) -> str | None:
    start, code_due, start_kind = deadline.clock_start, deadline.code_due, deadline.clock_start_kind
    if start is None or code_due is None or start_kind is None:
        return None
    # Dates known to be there are formatted directly (`_d` is for those that may be missing).
    lines = [
        t.gettext("We started counting on {start} ({what}). That day is day 0 and does not count.").format(
            start=t.format_date(start), what=t.gettext(CLOCK_START_LABELS[start_kind])
        ),
        t.ngettext(
            "Working days are Monday to Friday, except bank holidays. {n} working day later is {due}.",
            "Working days are Monday to Friday, except bank holidays. {n} working days later is {due}.",
            deadline.working_days,
        ).format(n=t.format_number(deadline.working_days), due=t.format_date(code_due)),
    ]
    skipped = calendar.skipped_between(start, code_due)
    if skipped.weekend_days:
        lines.append(
            t.ngettext(
                "On the way we skipped {n} weekend day.",
                "On the way we skipped {n} weekend days.",
                skipped.weekend_days,
            ).format(n=t.format_number(skipped.weekend_days))
        )
    if skipped.bank_holidays:
        names = "; ".join(f"{name} ({t.format_date(day)})" for day, name in skipped.bank_holidays)
        lines.append(t.gettext("We also skipped these bank holidays: {holidays}.").format(holidays=names))
    rule = deadline.rule
    if rule is not None:
        lines.append(t.gettext("Rule: {rule}.").format(rule=rule.citation))
        if rule.standing is not _VERIFIED:
            lines.append(
                t.gettext(
                    "We could not check this rule against the Code's own text, so check it with the "
                    "Housing Ombudsman."
                )
            )
    if deadline.counted_from_request:
        assert deadline.max_from_request_working_days is not None and deadline.request_date is not None
        request_kind = (
            ClockStart.COMPLAINT_MADE if deadline.id is _STAGE1_RESPONSE else ClockStart.ESCALATION_REQUESTED
        )
        lines.append(
            t.ngettext(
                "The Code also sets a latest date counted from {what} ({request}): {n} working day later, "
                "{latest} ({rule}). The acknowledgement came late, and a late acknowledgement does not give "
                "the landlord more time, so we use {latest}.",
                "The Code also sets a latest date counted from {what} ({request}): {n} working days later, "
                "{latest} ({rule}). The acknowledgement came late, and a late acknowledgement does not give "
                "the landlord more time, so we use {latest}.",
                deadline.max_from_request_working_days,
            ).format(
                what=t.gettext(CLOCK_START_LABELS[request_kind]),
                request=t.format_date(deadline.request_date),
                n=t.format_number(deadline.max_from_request_working_days),
                latest=_d(t, deadline.max_from_request_due),
                rule=deadline.max_from_request_rule.citation if deadline.max_from_request_rule else "",
            )
        )
    for outcome in deadline.extensions:
        lines.append(_extension_line(outcome, deadline, t))
    if deadline.code_limit_due is not None:
        lines.append(
            t.gettext(
                "The Code's own latest date, with the longest extension it allows without good reason, was "
                "{limit}."
            ).format(limit=t.format_date(deadline.code_limit_due))
        )
    landlord_due, due = deadline.landlord_due, deadline.due
    if landlord_due is not None and due is not None:
        if landlord_due > due:
            lines.append(
                t.gettext(
                    "Your landlord's own policy gives {landlord_due}. The Code is the minimum standard, "
                    "so we use the Code's date."
                ).format(landlord_due=t.format_date(landlord_due))
            )
        elif landlord_due < due:
            lines.append(
                t.gettext("Your landlord's own policy promises an earlier date: {landlord_due}.").format(
                    landlord_due=t.format_date(landlord_due)
                )
            )
    return " ".join(lines)


def _extension_line(outcome: ExtensionOutcome, deadline: Deadline, t: Translator) -> str:
    given_on = t.format_date(outcome.event.date)
    if outcome.requested_due is None:
        return t.gettext(
            "On {given_on} the landlord asked for more time but gave no new date, so the date does not move."
        ).format(given_on=given_on)
    new_due = t.format_date(outcome.requested_due)
    if outcome.after_due:
        return t.gettext(
            "On {given_on} the landlord asked for more time, until {new_due}, but its deadline had already "
            "passed, so the date does not move."
        ).format(given_on=given_on, new_due=new_due)
    if outcome.capped:
        return t.ngettext(
            "On {given_on} the landlord moved the date to {new_due}. Without reasons it may add at most {cap} "
            "working day, so we use {used}.",
            "On {given_on} the landlord moved the date to {new_due}. Without reasons it may add at most {cap} "
            "working days, so we use {used}.",
            deadline.extension_cap_working_days,
        ).format(
            given_on=given_on,
            new_due=new_due,
            cap=t.format_number(deadline.extension_cap_working_days),
            used=_d(t, outcome.moved_due_to),
        )
    if outcome.over_limit:
        return t.gettext(
            "On {given_on} the landlord moved the date to {new_due}, beyond the Code's limit. It gave reasons, "
            "so we use its date, but whether they were good reasons is for the Housing Ombudsman to judge."
        ).format(given_on=given_on, new_due=new_due)
    if outcome.moved_due_to is not None:
        return t.gettext("On {given_on} the landlord moved the date to {new_due}.").format(
            given_on=given_on, new_due=new_due
        )
    return t.gettext("On {given_on} the landlord named {new_due}, which does not move the date.").format(
        given_on=given_on, new_due=new_due
    )


# --- warnings -------------------------------------------------------------------------------------


def as_the_resident_said(findings: Iterable[Finding], started: object) -> list[Finding]:
    """The findings with the start of the problem as the resident gave it. A month ("2026-08", for
    "August 2026") is counted from its 1st, the earliest it can be; a complaint is said to be more than
    12 months after it only when it is so even from the month's last day (Code 2.3)."""
    if not (isinstance(started, str) and len(started) == 7):
        return list(findings)
    first = date.fromisoformat(started + "-01")
    last = first.replace(day=monthrange(first.year, first.month)[1])
    return [
        replace(
            f,
            params={
                **f.params,
                "issue_month": True,
                "certain": f.params["complaint_made"] > twelve_months_after(last),
            },
        )
        if f.id is WarningId.COMPLAINT_OUTSIDE_12_MONTHS and f.params.get("issue_started") == first
        else f
        for f in findings
    ]


_MISSED_MESSAGES = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_(
        "Your landlord had to acknowledge your complaint by {due} ({rule})."
    ),
    DeadlineId.STAGE1_RESPONSE: N_("Your landlord had to answer your complaint by {due} ({rule})."),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_(
        "Your landlord had to acknowledge your stage 2 request by {due} ({rule})."
    ),
    DeadlineId.STAGE2_RESPONSE: N_("Your landlord had to give its final answer by {due} ({rule})."),
}


def _missed_message(p: dict[str, Any], rule: str, t: Translator) -> str:
    template = _MISSED_MESSAGES[
        p["deadline"]
    ]  # looked up first: babel would read a key inside gettext() as a message
    text = t.gettext(template).format(due=_d(t, p["due"]), rule=rule)
    late = p["working_days_late"]
    if p["done_on"] is None:
        text += " " + t.ngettext(
            "It has not done so and is {n} working day late. You can ask the Housing Ombudsman to contact "
            "your landlord and tell it to respond.",
            "It has not done so and is {n} working days late. You can ask the Housing Ombudsman to contact "
            "your landlord and tell it to respond.",
            late,
        ).format(n=t.format_number(late))
    else:
        text += " " + t.ngettext(
            "It was {n} working day late. Keep a note of this: delays in handling a complaint can be a "
            "service failure, and you can mention them at stage 2 or to the Housing Ombudsman.",
            "It was {n} working days late. Keep a note of this: delays in handling a complaint can be a "
            "service failure, and you can mention them at stage 2 or to the Housing Ombudsman.",
            late,
        ).format(n=t.format_number(late))
    return text


def _finding_unexpected_event(p: dict[str, Any], rule: str, t: Translator) -> str:
    text = t.gettext(
        "We did not expect “{event}” on {date}: at that point the complaint was at “{state}”. We kept "
        "it and still worked out your dates, but please check the date and what happened."
    ).format(event=event_label(p["kind"], t), date=_d(t, p["date"]), state=state_label(p["state"], t))
    if p["reason"] == "stage1_not_answered":
        text += " " + t.gettext(
            "Stage 2 normally comes after the landlord's stage 1 answer, or once the stage 1 deadline "
            "has passed."
        )
    elif p["reason"] == "landlord_not_overdue":
        text += " " + t.gettext(
            "The Housing Ombudsman normally looks at a complaint after the landlord's final answer, or "
            "once the landlord has missed a deadline."
        )
    return text


def _finding_extension_over_limit(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "On {given_on} your landlord moved its deadline to {new_due}, {extended} working day after the "
        "Code's date. The Code allows at most {cap} extra working days without a good reason, which "
        "the landlord must explain ({rule}).",
        "On {given_on} your landlord moved its deadline to {new_due}, {extended} working days after the "
        "Code's date. The Code allows at most {cap} extra working days without a good reason, which "
        "the landlord must explain ({rule}).",
        p["extended_working_days"],
    ).format(
        given_on=_d(t, p["given_on"]),
        new_due=_d(t, p["new_due"]),
        extended=t.format_number(p["extended_working_days"]),
        cap=t.format_number(p["cap_working_days"]),
        rule=rule,
    )


def _finding_extension_without_reasons(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "On {given_on} your landlord asked for more time without saying why. The Code says it must "
        "clearly explain its reasons and give you the Housing Ombudsman's contact details ({rule}). "
        "You can ask it to explain in writing."
    ).format(given_on=_d(t, p["given_on"]), rule=rule)


def _finding_extension_without_date(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "On {given_on} your landlord asked for more time but gave no new date. The Code says it must "
        "tell you when to expect its answer ({rule}), so ask it in writing for a date. Until then we "
        "count to {due}."
    ).format(given_on=_d(t, p["given_on"]), rule=rule, due=_d(t, p["due"]))


def _finding_answered_after_code_limit(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "Your landlord answered on {done_on}, by the date it set itself ({due}), but it had extended its "
        "deadline beyond what the Code allows without good reason ({rule}). The Code's own latest date "
        "was {limit}, so the answer came {n} working day after it. Whether the landlord's reason was "
        "good enough is for the Housing Ombudsman to judge, not the landlord.",
        "Your landlord answered on {done_on}, by the date it set itself ({due}), but it had extended its "
        "deadline beyond what the Code allows without good reason ({rule}). The Code's own latest date "
        "was {limit}, so the answer came {n} working days after it. Whether the landlord's reason was "
        "good enough is for the Housing Ombudsman to judge, not the landlord.",
        p["working_days_beyond_code_limit"],
    ).format(
        done_on=_d(t, p["done_on"]),
        due=_d(t, p["due"]),
        rule=rule,
        limit=_d(t, p["code_limit_due"]),
        n=t.format_number(p["working_days_beyond_code_limit"]),
    )


def _finding_stage2_request_long_after_response(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "You asked for stage 2 on {requested_on}, {months} month or more after the stage 1 answer of "
        "{stage1_response}. Many landlords' policies set a time limit for asking (often 28 days), and "
        "we do not know your landlord's. It can still accept your request. If it refuses, it must tell "
        "you why in writing, and you can take that to the Housing Ombudsman.",
        "You asked for stage 2 on {requested_on}, {months} months or more after the stage 1 answer of "
        "{stage1_response}. Many landlords' policies set a time limit for asking (often 28 days), and "
        "we do not know your landlord's. It can still accept your request. If it refuses, it must tell "
        "you why in writing, and you can take that to the Housing Ombudsman.",
        p["months"],
    ).format(
        requested_on=_d(t, p["requested_on"]),
        months=t.format_number(p["months"]),
        stage1_response=_d(t, p["stage1_response"]),
    )


def _finding_extension_after_due(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "On {given_on} your landlord asked for more time, after its deadline of {due} had passed. A "
        "late request for more time does not move the deadline."
    ).format(given_on=_d(t, p["given_on"]), due=_d(t, p["due"]))


def _finding_policy_longer_than_code(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "Your landlord's policy gives it {policy} working day, but the Code allows {code} ({rule}). "
        "The Code is the minimum standard, so we use the Code's dates.",
        "Your landlord's policy gives it {policy} working days, but the Code allows {code} ({rule}). "
        "The Code is the minimum standard, so we use the Code's dates.",
        p["policy_working_days"],
    ).format(
        policy=t.format_number(p["policy_working_days"]),
        code=t.format_number(p["code_working_days"]),
        rule=rule,
    )


def _finding_escalation_refused(p: dict[str, Any], rule: str, t: Translator) -> str:
    text = t.gettext(
        "You asked for stage 2 on {requested_on} and your landlord refused on {declined_on}. A landlord "
        "must take a complaint to stage 2 when any part of it is not resolved, unless it has a valid "
        "reason, and it must tell you in writing that you can go to the Housing Ombudsman ({rule})."
    ).format(requested_on=_d(t, p["requested_on"]), declined_on=_d(t, p["declined_on"]), rule=rule)
    if p.get("within_window"):
        text += " " + t.gettext(
            "You asked within your landlord's own time limit, which ended on {window_ends}."
        ).format(window_ends=_d(t, p["window_ends"]))
    return text


def _finding_complaint_refused(p: dict[str, Any], rule: str, t: Translator) -> str:
    if p["stage"] == 2:
        text = t.gettext(
            "Your landlord took your request for stage 2 and then refused to deal with your complaint on "
            "{declined_on}."
        )
    else:
        text = t.gettext("Your landlord refused to deal with your complaint on {declined_on}.")
    return (
        text.format(declined_on=_d(t, p["declined_on"]))
        + " "
        + t.gettext(
            "A landlord that does not accept a complaint must explain its reasons in writing and tell you "
            "that you can take its decision to the Housing Ombudsman ({rule}). If it did not, ask it to, "
            "and tell the Ombudsman."
        ).format(rule=rule)
    )


def _finding_complaint_outside_12_months(p: dict[str, Any], rule: str, t: Translator) -> str:
    if p.get("issue_month"):
        # The resident gave only the month the problem started: its 1st is not a date they said.
        values = {
            "complaint_made": _d(t, p["complaint_made"]),
            "month": t.format_month(p["issue_started"]),
            "rule": rule,
        }
        if p.get("certain"):
            return t.gettext(
                "You complained on {complaint_made}, more than 12 months after the problem started in {month}. "
                "Landlords must accept complaints made within 12 months and can choose to look at older ones "
                "({rule})."
            ).format(**values)
        return t.gettext(
            "You complained on {complaint_made}, about 12 months after the problem started in {month}. If that "
            "was more than 12 months after it started, your landlord can choose whether to look at it; "
            "complaints made within 12 months must be accepted ({rule})."
        ).format(**values)
    return t.gettext(
        "You complained on {complaint_made}, more than 12 months after the problem started on "
        "{issue_started}. Landlords must accept complaints made within 12 months and can choose to look "
        "at older ones ({rule})."
    ).format(complaint_made=_d(t, p["complaint_made"]), issue_started=_d(t, p["issue_started"]), rule=rule)


def _finding_complaint_window_closing(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "Complain soon: the 12 months to complain end on {ends} ({n} day left).",
        "Complain soon: the 12 months to complain end on {ends} ({n} days left).",
        p["days_left"],
    ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))


def _finding_stage2_request_after_window(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "You asked for stage 2 on {requested_on}, after your landlord's own time limit ended on {ends}. "
        "The landlord can still accept it. If it refuses, it must tell you why in writing."
    ).format(requested_on=_d(t, p["requested_on"]), ends=_d(t, p["ends"]))


def _finding_stage2_request_window_closing(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "Your landlord's time limit to ask for stage 2 ends on {ends} ({n} day left).",
        "Your landlord's time limit to ask for stage 2 ends on {ends} ({n} days left).",
        p["days_left"],
    ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))


def _finding_referral_window_closing(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.ngettext(
        "Only {n} day left to take your complaint to the Housing Ombudsman: the 12 months end on {ends}.",
        "Only {n} days left to take your complaint to the Housing Ombudsman: the 12 months end on {ends}.",
        p["days_left"],
    ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))


def _finding_referral_window_closed(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "The 12 months to take this complaint to the Housing Ombudsman ended on {ends}. The Ombudsman "
        "can still look at it if there was a good reason for the delay: contact it and explain."
    ).format(ends=_d(t, p["ends"]))


def _finding_outside_ombudsman_remit(p: dict[str, Any], rule: str, t: Translator) -> str:
    if p["body"] is not Body.HOUSING_OMBUDSMAN:
        return t.gettext("This complaint is likely to be for {body}, not the Housing Ombudsman.").format(
            body=body_in_sentence(p["body"], t)
        )
    return t.gettext(
        "The Housing Ombudsman may not be able to look at this part of your complaint ({rule}). Check "
        "with the Ombudsman before you rely on it."
    ).format(rule=rule)


def _finding_code_version_assumed(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "This complaint began on {date}, before the Complaint Handling Code of 1 April 2022. We counted "
        "with that Code's timescales as a guide; your landlord's rules at the time may have been "
        "different."
    ).format(date=_d(t, p["stage_began"]))


def _finding_before_first_code(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "The Housing Ombudsman published its first Complaint Handling Code in July 2020. This complaint "
        "began on {date}, before that, so no Code applied to it then: your landlord's own complaints "
        "policy set its timescales. The Code's dates here are only a guide."
    ).format(date=_d(t, p["stage_began"]))


def _finding_event_after_as_of(p: dict[str, Any], rule: str, t: Translator) -> str:
    return t.gettext(
        "We left out “{event}” on {date}, because it is after the day we are counting to."
    ).format(event=event_label(p["kind"], t), date=_d(t, p["date"]))


_FINDING_MESSAGES: dict[WarningId, Callable[[dict[str, Any], str, Translator], str]] = {
    WarningId.DEADLINE_MISSED: _missed_message,
    WarningId.UNEXPECTED_EVENT: _finding_unexpected_event,
    WarningId.EXTENSION_OVER_LIMIT: _finding_extension_over_limit,
    WarningId.EXTENSION_WITHOUT_REASONS: _finding_extension_without_reasons,
    WarningId.EXTENSION_WITHOUT_DATE: _finding_extension_without_date,
    WarningId.ANSWERED_AFTER_CODE_LIMIT: _finding_answered_after_code_limit,
    WarningId.STAGE2_REQUEST_LONG_AFTER_RESPONSE: _finding_stage2_request_long_after_response,
    WarningId.EXTENSION_AFTER_DUE: _finding_extension_after_due,
    WarningId.POLICY_LONGER_THAN_CODE: _finding_policy_longer_than_code,
    WarningId.ESCALATION_REFUSED: _finding_escalation_refused,
    WarningId.COMPLAINT_REFUSED: _finding_complaint_refused,
    WarningId.COMPLAINT_OUTSIDE_12_MONTHS: _finding_complaint_outside_12_months,
    WarningId.COMPLAINT_WINDOW_CLOSING: _finding_complaint_window_closing,
    WarningId.STAGE2_REQUEST_AFTER_WINDOW: _finding_stage2_request_after_window,
    WarningId.STAGE2_REQUEST_WINDOW_CLOSING: _finding_stage2_request_window_closing,
    WarningId.REFERRAL_WINDOW_CLOSING: _finding_referral_window_closing,
    WarningId.REFERRAL_WINDOW_CLOSED: _finding_referral_window_closed,
    WarningId.OUTSIDE_OMBUDSMAN_REMIT: _finding_outside_ombudsman_remit,
    WarningId.CODE_VERSION_ASSUMED: _finding_code_version_assumed,
    WarningId.BEFORE_FIRST_CODE: _finding_before_first_code,
    WarningId.EVENT_AFTER_AS_OF: _finding_event_after_as_of,
}


def finding_message(finding: Finding, t: Translator) -> str:
    # A table, not a `match`: each case of a match on enum members reads its member from the class,
    # through EnumType's __getattr__ hook, in turn (ten such reads cost about as much as a sentence).
    message = _FINDING_MESSAGES.get(finding.id)
    if message is None:
        raise ValueError(f"no message for finding {finding.id}")  # pragma: no cover - every id is handled
    return message(finding.params, finding.rule or "", t)


# --- next steps -----------------------------------------------------------------------------------

_WAIT_MESSAGES = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("Your landlord must acknowledge your complaint by {due}."),
    DeadlineId.STAGE1_RESPONSE: N_("Your landlord must answer your complaint by {due}."),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("Your landlord must acknowledge your stage 2 request by {due}."),
    DeadlineId.STAGE2_RESPONSE: N_("Your landlord must give its final answer by {due}."),
}


def _step_contact_other_body(p: dict[str, Any], t: Translator) -> str:
    return t.gettext(
        "{body} is the right place for this complaint. Your landlord's complaints process still comes first."
    ).format(body=body_name(p["body"], t))


def _step_make_complaint(p: dict[str, Any], t: Translator) -> str:
    text = t.gettext(
        "Write to your landlord and say you are making a complaint: what went wrong, how it affects "
        "you, and what would put it right."
    )
    if p["status"] in _STILL_OPEN:
        text += " " + t.ngettext(
            "You have until {ends} to complain ({n} day left).",
            "You have until {ends} to complain ({n} days left).",
            p["days_left"],
        ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))
    elif p["status"] is _CLOSED:
        text += " " + t.gettext(
            "It is more than 12 months since the problem started. You can still complain, and your "
            "landlord can choose to look at it (Code 2.3)."
        )
    return text


def _step_wait_for_landlord(p: dict[str, Any], t: Translator) -> str:
    template = _WAIT_MESSAGES[p["deadline"]]
    text = t.gettext(template).format(due=_d(t, p["due"]))
    if p.get("code_limit_due") is not None:
        text += " " + t.gettext(
            "That date is beyond the Code's own latest date, {limit}, which has passed. Whether the "
            "landlord's reason for the extra time is good enough is for the Housing Ombudsman to judge: "
            "if you do not think it is, you can contact the Ombudsman now."
        ).format(limit=_d(t, p["code_limit_due"]))
    return text + " " + t.gettext("We will remind you before then.")


def _step_chase_landlord(p: dict[str, Any], t: Translator) -> str:
    return t.ngettext(
        "“{deadline}” was due on {due} and is now {n} working day late. Write to your landlord, say "
        "which deadline it missed, and ask when it will reply. Keep a copy.",
        "“{deadline}” was due on {due} and is now {n} working days late. Write to your landlord, say "
        "which deadline it missed, and ask when it will reply. Keep a copy.",
        p["working_days_late"],
    ).format(
        deadline=deadline_label(p["deadline"], t),
        due=_d(t, p["due"]),
        n=t.format_number(p["working_days_late"]),
    )


def _step_complain_about_delay(p: dict[str, Any], t: Translator) -> str:
    return t.gettext(
        "Say in your letter that the delay is now part of your complaint. Not answering in time is a "
        "failure in handling your complaint: the landlord should put it right, and the Housing "
        "Ombudsman can look at it too."
    )


def _step_ask_ombudsman_to_intervene(p: dict[str, Any], t: Translator) -> str:
    return t.gettext(
        "You can contact the Housing Ombudsman now. When a landlord misses a deadline, the Ombudsman "
        "can contact it, tell it to respond, and issue a Complaint Handling Failure Order."
    )


def _step_ask_for_stage2(p: dict[str, Any], t: Translator) -> str:
    if p["after_no_response"]:
        if p["rule"] == STAGE2_WINDOW_RULE:
            return t.gettext(
                "Your landlord has not answered your complaint in time. Its own complaints policy lets "
                "you ask for stage 2 now."
            )
        return t.gettext(
            "Your landlord has not answered your complaint in time. You can ask for stage 2 now: a "
            "complaint not resolved at stage 1 must go to stage 2 ({rule})."
        ).format(rule=p["rule"])
    if p["no_reasons_needed"]:
        text = t.gettext(
            "If you are not happy with the stage 1 answer, ask for stage 2. You do not have to give "
            "reasons (Code 6.12)."
        )
    else:
        text = t.gettext(
            "If you are not happy with the stage 1 answer, ask for stage 2 and say what is still not "
            "put right."
        )
    if p["status"] in _STILL_OPEN:
        text += " " + t.ngettext(
            "Your landlord's policy says to ask by {ends} ({n} day left).",
            "Your landlord's policy says to ask by {ends} ({n} days left).",
            p["days_left"],
        ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))
    elif p["status"] is _CLOSED:
        text += " " + t.gettext(
            "Your landlord's own time limit ended on {ends}. Ask anyway: if it refuses, it must say why "
            "in writing, and you can go to the Housing Ombudsman."
        ).format(ends=_d(t, p["ends"]))
    return text


def _step_challenge_refusal(p: dict[str, Any], t: Translator) -> str:
    return t.gettext(
        "Reply to your landlord: say that you asked for stage 2 on {requested_on} and ask it to take "
        "your complaint to stage 2. You can also take the refusal to the Housing Ombudsman."
    ).format(requested_on=_d(t, p["requested_on"]))


def _step_refer_to_ombudsman(p: dict[str, Any], t: Translator) -> str:
    if p["declined"]:
        text = t.gettext(
            "Your landlord refused, so you can take your complaint to the Housing Ombudsman now. It is "
            "free. Use its online complaint form."
        )
    else:
        text = t.gettext(
            "You have your landlord's final answer, so you can take your complaint to the Housing "
            "Ombudsman now. It is free. Use its online complaint form."
        )
    if p["status"] in _STILL_OPEN:
        text += " " + t.ngettext(
            "You have until {ends} ({n} day left).",
            "You have until {ends} ({n} days left).",
            p["days_left"],
        ).format(ends=_d(t, p["ends"]), n=t.format_number(p["days_left"]))
    elif p["status"] is _CLOSED:
        text += " " + t.gettext(
            "The 12 months ended on {ends}: contact the Ombudsman and explain why you could not come sooner."
        ).format(ends=_d(t, p["ends"]))
    return text


def _step_wait_for_ombudsman(p: dict[str, Any], t: Translator) -> str:
    return t.gettext(
        "Your complaint is with the Housing Ombudsman. Keep your letters and evidence together and "
        "answer its questions when it asks."
    )


def _step_case_closed(p: dict[str, Any], t: Translator) -> str:
    return t.gettext("This complaint is closed. If the problem comes back, you can start a new complaint.")


_NEXT_STEP_MESSAGES: dict[NextStepId, Callable[[dict[str, Any], Translator], str]] = {
    NextStepId.CONTACT_OTHER_BODY: _step_contact_other_body,
    NextStepId.MAKE_COMPLAINT: _step_make_complaint,
    NextStepId.WAIT_FOR_LANDLORD: _step_wait_for_landlord,
    NextStepId.CHASE_LANDLORD: _step_chase_landlord,
    NextStepId.COMPLAIN_ABOUT_DELAY: _step_complain_about_delay,
    NextStepId.ASK_OMBUDSMAN_TO_INTERVENE: _step_ask_ombudsman_to_intervene,
    NextStepId.ASK_FOR_STAGE2: _step_ask_for_stage2,
    NextStepId.CHALLENGE_REFUSAL: _step_challenge_refusal,
    NextStepId.REFER_TO_OMBUDSMAN: _step_refer_to_ombudsman,
    NextStepId.WAIT_FOR_OMBUDSMAN: _step_wait_for_ombudsman,
    NextStepId.CASE_CLOSED: _step_case_closed,
}


def next_step_message(step: NextStep, t: Translator) -> str:
    # A table, not a `match`, as for findings.
    message = _NEXT_STEP_MESSAGES.get(step.id)
    if message is None:
        raise ValueError(f"no message for next step {step.id}")  # pragma: no cover - every id is handled
    return message(step.params, t)
