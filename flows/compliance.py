"""A landlord's complaint handling over a reporting period, as the Regulator of Social Housing asks it
to publish (Tenant Satisfaction Measures, domain.md 4.6), with the open deadlines nearest to running out.

* CH01, per stage: complaints received in the period per 1,000 homes. Stage 1 counts `complaint_made`
  dated in the period, stage 2 `escalation_requested`. None when the number of homes is unknown.
* CH02, per stage: of the responses given in the period (`stage1_response` / `stage2_response` dated
  in it), the share within the Complaint Handling Code's timescales: the stage's response deadline, as
  `flows.timeline.compute_facts` works it out (valid extensions included, over-long ones capped), has
  status MET. A response whose deadline cannot be worked out (no start in the history) is counted as
  a response but not as within timescales: it cannot be shown to be on time.
* Nearing: every open deadline (`Deadline.is_open`) already missed or due within N working days of
  `as_of` on the case's own calendar (bank holidays of its nation), missed first, then by due date.

The measures' names (CH01, CH02) are VERIFIED; the Regulator's exact wording of them is UNVERIFIED
(domain.md 4.6 and 7.7), so labels keep the codes and describe what we count rather than quote it.
The counting itself follows the Code's timescales, which the measures were aligned with in 2024.
Each case counts once per stage: the first event of a kind starts or stops a clock, as elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flows.case import Case, EventKind
from flows.deadlines import DeadlineId, DeadlineStatus
from flows.i18n import N_, Translator
from flows.timeline import Facts, compute_facts
from flows.working_days import calendar_for

DEFAULT_WINDOW_WORKING_DAYS = 5
HOMES_PER_RATE = 1000  # CH01 is "per 1,000 homes"


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def financial_year_start(day: date) -> date:
    """1 April of the financial year (1 April to 31 March) that `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass(frozen=True, slots=True)
class _StageKinds:
    received: EventKind
    acknowledged: EventKind
    responded: EventKind
    response_deadline: DeadlineId


_STAGES = {
    1: _StageKinds(
        EventKind.COMPLAINT_MADE,
        EventKind.ACKNOWLEDGED,
        EventKind.STAGE1_RESPONSE,
        DeadlineId.STAGE1_RESPONSE,
    ),
    2: _StageKinds(
        EventKind.ESCALATION_REQUESTED,
        EventKind.STAGE2_ACKNOWLEDGED,
        EventKind.STAGE2_RESPONSE,
        DeadlineId.STAGE2_RESPONSE,
    ),
}


class Timescales(StrEnum):
    """Whether a complaint stage's response kept to the Code's timescales."""

    YES = "yes"  # answered by the (validly extended) due date
    NO = "no"  # answered late, or the due date passed without an answer
    OPEN = "open"  # not answered yet, and not due yet
    NOT_APPLICABLE = "n/a"  # ended in time without an answer owed (withdrawn, refused), or no clock


_TIMESCALES_BY_STATUS = {
    DeadlineStatus.MET: Timescales.YES,
    # An extension with reasons beyond the Code's cap: counted as within timescales, as before (whether the
    # reason was good is the Ombudsman's call; the landlord's view of it is issue 19's).
    DeadlineStatus.MET_EXTENSION_OVER_LIMIT: Timescales.YES,
    DeadlineStatus.MISSED: Timescales.NO,
    DeadlineStatus.PENDING: Timescales.OPEN,
    DeadlineStatus.NOT_APPLICABLE: Timescales.NOT_APPLICABLE,
}


@dataclass(frozen=True, slots=True)
class ComplaintStage:
    """One complaint at one stage: a row of the export."""

    ref: str
    stage: int
    received_on: date | None
    acknowledged_on: date | None
    response_due: date | None
    responded_on: date | None
    within_timescales: Timescales
    working_days_late: int | None
    parts: tuple[str, ...] = ()  # the parts sent to the landlord (flows.routing): "topic" or "topic:aspect"


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: int
    received: int
    received_per_1000_homes: float | None  # CH01
    responses: int
    responses_within_timescales: int

    @property
    def share_within_timescales(self) -> float | None:  # CH02
        return self.responses_within_timescales / self.responses if self.responses else None


@dataclass(frozen=True, slots=True)
class NearingDeadline:
    ref: str
    deadline: DeadlineId
    due: date
    working_days_left: int  # negative: working days late
    missed: bool


@dataclass(frozen=True, slots=True)
class Compliance:
    period: Period
    as_of: date
    homes: int | None
    window_working_days: int
    stages: tuple[StageFigures, StageFigures]
    complaint_stages: tuple[ComplaintStage, ...]  # received or answered in the period, or still open
    nearing: tuple[NearingDeadline, ...]

    def stage(self, number: int) -> StageFigures:
        return self.stages[number - 1]


def per_1000_homes(count: int, homes: int | None) -> float | None:
    # No homes recorded (or a nonsensical 0): no rate rather than a division by zero.
    return count * HOMES_PER_RATE / homes if homes is not None and homes > 0 else None


def compute_compliance(
    cases: Iterable[tuple[str, Case]],
    period: Period,
    homes: int | None,
    as_of: date,
    window_working_days: int = DEFAULT_WINDOW_WORKING_DAYS,
    parts: Mapping[str, tuple[str, ...]] | None = None,
) -> Compliance:
    """The figures for a landlord's cases (public ref, case); events after `as_of` are ignored. `parts`:
    each case's parts sent to the landlord, by ref, carried on its rows (the figures do not change)."""
    received = dict.fromkeys(_STAGES, 0)
    responses = dict.fromkeys(_STAGES, 0)
    within = dict.fromkeys(_STAGES, 0)
    rows: list[ComplaintStage] = []
    nearing: list[NearingDeadline] = []
    for ref, case in cases:
        facts = compute_facts(case, as_of)
        for number, kinds in _STAGES.items():
            row = _complaint_stage(ref, number, kinds, facts, (parts or {}).get(ref, ()))
            if row.received_on in period:
                received[number] += 1
            if row.responded_on in period:
                responses[number] += 1
                within[number] += row.within_timescales is Timescales.YES
            if row.received_on in period or row.responded_on in period or _open_by(period.end, number, facts):
                rows.append(row)
        nearing.extend(_nearing(ref, case, facts, as_of, window_working_days))
    figures = tuple(
        StageFigures(
            number,
            received[number],
            per_1000_homes(received[number], homes),
            responses[number],
            within[number],
        )
        for number in _STAGES
    )
    nearing.sort(key=lambda item: (not item.missed, item.due, item.ref, _DEADLINE_ORDER[item.deadline]))
    return Compliance(
        period,
        as_of,
        homes,
        window_working_days,
        (figures[0], figures[1]),
        tuple(rows),
        tuple(nearing),
    )


_DEADLINE_ORDER = {deadline_id: position for position, deadline_id in enumerate(DeadlineId)}


def _open_by(end: date, number: int, facts: Facts) -> bool:
    """Still waiting for its response, and begun by the period's end (however long before it)."""
    began = facts.index.stage1_began if number == 1 else facts.index.stage2_began
    return began is not None and began <= end and facts.deadline(_STAGES[number].response_deadline).is_open


def _complaint_stage(
    ref: str, number: int, kinds: _StageKinds, facts: Facts, parts: tuple[str, ...] = ()
) -> ComplaintStage:
    index = facts.index
    received, acknowledged = index.get(kinds.received), index.get(kinds.acknowledged)
    responded = index.get(kinds.responded)
    deadline = facts.deadline(kinds.response_deadline)
    within = _TIMESCALES_BY_STATUS[deadline.status]
    return ComplaintStage(
        ref,
        number,
        received.date if received else None,
        acknowledged.date if acknowledged else None,
        deadline.due,
        responded.date if responded else None,
        within,
        deadline.working_days_late if within in (Timescales.YES, Timescales.NO) else None,
        parts,
    )


def _nearing(ref: str, case: Case, facts: Facts, as_of: date, window: int) -> Iterable[NearingDeadline]:
    calendar = calendar_for(case.nation, case.extra_holidays)  # the calendar compute_facts counted with
    for deadline in facts.deadlines:
        if not deadline.is_open or deadline.due is None:
            continue
        missed = deadline.status is DeadlineStatus.MISSED
        left = calendar.working_days_between(as_of, deadline.due)
        if missed or left <= window:
            yield NearingDeadline(ref, deadline.id, deadline.due, left, missed)


# --- the chat message ------------------------------------------------------------------------------

# The landlord's staff see these (residents see flows.labels.DEADLINE_LABELS, written to them).
STAFF_DEADLINE_LABELS: dict[DeadlineId, str] = {
    DeadlineId.STAGE1_ACKNOWLEDGEMENT: N_("stage 1 acknowledgement"),
    DeadlineId.STAGE1_RESPONSE: N_("stage 1 response"),
    DeadlineId.STAGE2_ACKNOWLEDGEMENT: N_("stage 2 acknowledgement"),
    DeadlineId.STAGE2_RESPONSE: N_("stage 2 response"),
}

MESSAGE_NEARING_LIMIT = 20  # a chat message stays readable (and under Telegram's 4,096 characters)


def compliance_message(compliance: Compliance, t: Translator, limit: int = MESSAGE_NEARING_LIMIT) -> str:
    """The figures for the landlord's staff, in their language."""
    lines = [
        t.gettext("Complaints from {start} to {end}, counted on {as_of}.").format(
            start=t.format_date(compliance.period.start),
            end=t.format_date(compliance.period.end),
            as_of=t.format_date(compliance.as_of),
        )
    ]
    if compliance.homes is not None:
        lines.append(t.gettext("Homes on record: {n}.").format(n=t.format_number(compliance.homes)))
    for figures in compliance.stages:
        lines += ["", *_stage_lines(figures, t)]
    lines += ["", *_nearing_lines(compliance, t, limit)]
    lines += [
        "",
        t.gettext(
            "CH01 and CH02 are the Regulator of Social Housing's complaint measures. We count responses "
            "against the Complaint Handling Code's timescales, valid extensions included."
        ),
    ]
    return "\n".join(lines)


def _stage_lines(figures: StageFigures, t: Translator) -> list[str]:
    stage, n = t.format_number(figures.stage), figures.received
    lines = [
        t.ngettext(
            "Stage {stage}: {n} complaint received.", "Stage {stage}: {n} complaints received.", n
        ).format(stage=stage, n=t.format_number(n))
    ]
    rate = figures.received_per_1000_homes
    if rate is None:
        lines.append(t.gettext("CH01: not worked out, as we do not know how many homes you have."))
    else:
        lines.append(
            t.gettext("CH01, stage {stage} complaints per 1,000 homes: {rate}.").format(
                rate=t.format_number(round(rate, 2)), stage=stage
            )
        )
    share = figures.share_within_timescales
    if share is None:
        lines.append(t.gettext("CH02: no stage {stage} responses in this period.").format(stage=stage))
    else:
        lines.append(
            t.ngettext(
                "CH02: {within} of {n} stage {stage} response was within the Complaint Handling Code's "
                "timescales ({share}).",
                "CH02: {within} of {n} stage {stage} responses were within the Complaint Handling Code's "
                "timescales ({share}).",
                figures.responses,
            ).format(
                within=t.format_number(figures.responses_within_timescales),
                n=t.format_number(figures.responses),
                stage=stage,
                share=t.format_percent(share),
            )
        )
    return lines


def _nearing_lines(compliance: Compliance, t: Translator, limit: int) -> list[str]:
    window = compliance.window_working_days
    if not compliance.nearing:
        return [
            t.ngettext(
                "No open deadline has been missed, and none is due within {n} working day.",
                "No open deadline has been missed, and none is due within {n} working days.",
                window,
            ).format(n=t.format_number(window))
        ]
    lines = [
        t.ngettext(
            "Open deadlines missed, or due within {n} working day:",
            "Open deadlines missed, or due within {n} working days:",
            window,
        ).format(n=t.format_number(window))
    ]
    lines += [_nearing_line(item, compliance.as_of, t) for item in compliance.nearing[:limit]]
    hidden = len(compliance.nearing) - limit
    if hidden > 0:
        lines.append(t.ngettext("And {n} more.", "And {n} more.", hidden).format(n=t.format_number(hidden)))
    return lines


def _nearing_line(item: NearingDeadline, as_of: date, t: Translator) -> str:
    values = {"ref": item.ref, "deadline": t.gettext(STAFF_DEADLINE_LABELS[item.deadline])}
    values["due"] = t.format_date(item.due)
    if item.missed:
        late = -item.working_days_left
        return t.ngettext(
            "{ref}: {deadline} was due on {due}; missed, {n} working day late.",
            "{ref}: {deadline} was due on {due}; missed, {n} working days late.",
            late,
        ).format(n=t.format_number(late), **values)
    if item.due == as_of:
        return t.gettext("{ref}: {deadline} is due today, {due}.").format(**values)
    return t.ngettext(
        "{ref}: {deadline} is due on {due}, in {n} working day.",
        "{ref}: {deadline} is due on {due}, in {n} working days.",
        item.working_days_left,
    ).format(n=t.format_number(item.working_days_left), **values)
