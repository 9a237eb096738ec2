"""Awaab's Law: the timescales a social landlord in England must meet for hazards in the home.

Law: section 10A of the Landlord and Tenant Act 1985 (inserted by s.42 of the Social Housing
(Regulation) Act 2023) implies into social tenancies a promise that the landlord will meet the
"prescribed requirements". Those are in the Hazards in Social Housing (Prescribed Requirements)
(England) Regulations 2025, in force from 27 October 2025. Breach is actionable only as a breach of
that implied covenant, and the landlord has a defence if it "used all reasonable endeavours to
avoid that breach" (s.10A(4) and (5), read on legislation.gov.uk: VERIFIED).

What we could and could not read (the full fact table is in the domain notes):
- Scope and phasing (emergency hazards of all kinds and significant damp and mould from 27 October
  2025; more hazards "in 2026" and the rest "in 2027") come from the government's own guidance:
  VERIFIED. No start day for the 2026 and 2027 phases was found in an official source, so they are
  `None` here (not in force as far as we know) and can be set when confirmed.
- The regulation text itself could not be read here. Every timescale below is as reported by law
  firms and landlords that quote the regulations and guidance: SECONDARY. Messages that use them
  tell the resident to check with the landlord or an adviser.

Counting: a working day is Monday to Friday less England bank holidays (as reported: SECONDARY).
The day the landlord became aware, or the day the investigation concluded, is day 0 and does not
count, the same convention as `flows.working_days` (landlords' own Awaab's Law policies call it "Day
Zero": SECONDARY). Hour clocks run in elapsed time through nights, weekends and bank holidays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_time

from flows.code_rules import Rule, Standing
from flows.i18n import N_, Translator
from flows.working_days import WorkingCalendar


class HazardLevel(StrEnum):
    EMERGENCY = "emergency"  # imminent and significant risk of harm: the 24-hour track
    SIGNIFICANT = "significant"  # significant risk of harm: the working-day track


class HazardKind(StrEnum):
    """Hazard groups as the government's guidance phases them in (HHSRS hazards)."""

    DAMP_MOULD = "damp_mould"
    # The 2026 phase, as listed in the guidance's introduction:
    EXCESS_COLD_HEAT = "excess_cold_heat"
    FALLS = "falls"
    STRUCTURAL_COLLAPSE_EXPLOSIONS = "structural_collapse_explosions"
    FIRE_ELECTRICAL = "fire_electrical"
    HYGIENE_FOOD_SAFETY = "hygiene_food_safety"
    # Never in scope ("apart from overcrowding"):
    OVERCROWDING = "overcrowding"
    # Every other HHSRS hazard (the 2027 phase):
    OTHER = "other"


class CountsFrom(StrEnum):
    LANDLORD_AWARE = "landlord_aware"
    INVESTIGATION_CONCLUDED = "investigation_concluded"


class ClockStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    MISSED = "missed"


# --- sources ------------------------------------------------------------------------------------

_GOVUK_GUIDANCE = (
    "https://www.gov.uk/government/publications/awaabs-law-guidance-for-social-landlords/"
    "awaabs-law-guidance-for-social-landlords-timeframes-for-repairs-in-the-social-rented-sector"
)
_GOVUK_RESPONSE = (
    "https://www.gov.uk/government/consultations/"
    "awaabs-law-consultation-on-timescales-for-repairs-in-the-social-rented-sector/outcome/"
    "awaabs-law-consultation-on-timescales-for-repairs-in-the-social-rented-sector-government-response"
)
_LTA_10A = "https://www.legislation.gov.uk/ukpga/1985/70/section/10A/data.html"
_HOS_AWAABS_LAW = "https://www.housing-ombudsman.org.uk/?p=139898"
_BEVAN_BRITTAN = "https://www.bevanbrittan.com/insights/articles/2025/awaab-s-law-consultation-and-introduction-in-october-2025"
_WELHAT_DAMP_POLICY = "https://www.welhat.gov.uk/policies/damp-mould-policy/6"
_NEARLY_LEGAL = "https://nearlylegal.co.uk/2025/10/awaabs-law-a-summary-overview-of-phase-1/"

_REGS = "Hazards in Social Housing Regulations 2025 (SI 2025/1042)"

SCOPE_RULE = Rule("Awaab's Law guidance for social landlords, section 1", Standing.VERIFIED, _GOVUK_GUIDANCE)
# Emergency hazards are every prescribed hazard except lack of space (overcrowding); the guidance
# says "all emergency hazards", the exclusion is as reported.
OVERCROWDING_RULE = Rule(f"{_REGS}, emergency hazards", Standing.SECONDARY, _NEARLY_LEGAL)
# The ministerial foreword says landlords that miss the deadlines "must provide safe alternative
# accommodation"; "at the landlord's expense" is as reported (Bevan Brittan).
ALTERNATIVE_ACCOMMODATION_RULE = Rule(
    "Awaab's Law: government response (June 2025)", Standing.VERIFIED, _GOVUK_RESPONSE
)
DEFENCE_RULE = Rule("Landlord and Tenant Act 1985, s.10A(4)–(5)", Standing.VERIFIED, _LTA_10A)
OMBUDSMAN_RULE = Rule(
    "Housing Ombudsman: complaints involving Awaab's Law", Standing.VERIFIED, _HOS_AWAABS_LAW
)

# --- scope --------------------------------------------------------------------------------------

AWAABS_LAW_FROM = date(2025, 10, 27)
# "In 2026" / "In 2027" (guidance, section 1). No day seen in an official source: UNVERIFIED, so
# these phases count as not in force until a date is set here (or passed to `in_scope`).
PHASE_2_FROM: date | None = None
PHASE_3_FROM: date | None = None

PHASE_2_KINDS = frozenset(
    {
        HazardKind.EXCESS_COLD_HEAT,
        HazardKind.FALLS,
        HazardKind.STRUCTURAL_COLLAPSE_EXPLOSIONS,
        HazardKind.FIRE_ELECTRICAL,
        HazardKind.HYGIENE_FOOD_SAFETY,
    }
)


def in_force_from(
    kind: HazardKind,
    level: HazardLevel,
    *,
    phase_2_from: date | None = PHASE_2_FROM,
    phase_3_from: date | None = PHASE_3_FROM,
) -> date | None:
    """The first day the timescales cover this hazard, or None if never / not yet announced."""
    if kind is HazardKind.OVERCROWDING:
        return None
    if level is HazardLevel.EMERGENCY or kind is HazardKind.DAMP_MOULD:
        return AWAABS_LAW_FROM
    if kind in PHASE_2_KINDS:
        return phase_2_from
    return phase_3_from


def in_scope(
    kind: HazardKind,
    level: HazardLevel,
    on: date,
    *,
    phase_2_from: date | None = PHASE_2_FROM,
    phase_3_from: date | None = PHASE_3_FROM,
) -> bool:
    """Whether Awaab's Law timescales cover a hazard of this kind and level reported on `on`.

    A hazard first reported before 27 October 2025 comes into scope when it is reported again, or
    changes materially, on or after that day (Housing Ombudsman guidance): pass that later date.
    """
    if isinstance(on, datetime):
        on = on.date()
    start = in_force_from(kind, level, phase_2_from=phase_2_from, phase_3_from=phase_3_from)
    return start is not None and on >= start


# --- clocks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HazardClock:
    id: str
    what: str  # N_ plain-language duty, translated at render
    rule: Rule
    hours: int | None
    working_days: int | None
    weeks: int | None
    counts_from: CountsFrom

    def times(self, t: Translator) -> dict[str, str]:
        """The fields that set the deadline, for the words that state them ({hours}, {working_days},
        {weeks}), so the words follow when a time changes."""
        return {
            "hours": t.format_number(self.hours or 0),
            "working_days": t.format_number(self.working_days or 0),
            "weeks": t.format_number(self.weeks or 0),
        }

    def text(self, t: Translator) -> str:
        """The duty in words."""
        return t.gettext(self.what).format(**self.times(t))


EMERGENCY_INVESTIGATION = HazardClock(
    id="emergency_investigation",
    what=N_("Your landlord must investigate the problem within {hours} hours of finding out about it."),
    rule=Rule(f"{_REGS}, emergency hazards", Standing.SECONDARY, _BEVAN_BRITTAN),
    hours=24,
    working_days=None,
    weeks=None,
    counts_from=CountsFrom.LANDLORD_AWARE,
)
EMERGENCY_MAKE_SAFE = HazardClock(
    id="emergency_make_safe",
    what=N_(
        "Your landlord must make your home safe as soon as it reasonably can, and within {hours} hours of "
        "finding out about the problem."
    ),
    rule=Rule(f"{_REGS}, emergency hazards", Standing.SECONDARY, _BEVAN_BRITTAN),
    hours=24,
    working_days=None,
    weeks=None,
    counts_from=CountsFrom.LANDLORD_AWARE,
)
INVESTIGATION = HazardClock(
    id="investigation",
    what=N_(
        "Your landlord must investigate the problem within {working_days} working days of finding out about it."
    ),
    rule=Rule(f"{_REGS}, significant hazards: investigation", Standing.SECONDARY, _BEVAN_BRITTAN),
    hours=None,
    working_days=10,
    weeks=None,
    counts_from=CountsFrom.LANDLORD_AWARE,
)
WRITTEN_SUMMARY = HazardClock(
    id="written_summary",
    what=N_(
        "Your landlord must send you a written summary of what the investigation found within {working_days} "
        "working days of finishing it."
    ),
    rule=Rule(f"{_REGS}, significant hazards: written summary", Standing.SECONDARY, _BEVAN_BRITTAN),
    hours=None,
    working_days=3,
    weeks=None,
    counts_from=CountsFrom.INVESTIGATION_CONCLUDED,
)
SAFETY_WORK = HazardClock(
    id="safety_work",
    what=N_(
        "If the investigation finds a significant hazard, your landlord must do the work to make your "
        "home safe within {working_days} working days of finishing the investigation."
    ),
    rule=Rule(f"{_REGS}, significant hazards: safety work", Standing.SECONDARY, _BEVAN_BRITTAN),
    hours=None,
    working_days=5,
    weeks=None,
    counts_from=CountsFrom.INVESTIGATION_CONCLUDED,
)
PREVENTATIVE_WORK = HazardClock(
    id="preventative_work",
    what=N_(
        "Your landlord must take steps within 5 working days to start any further work to stop the "
        "problem coming back. If it cannot start in that time, it must start as soon as it "
        "reasonably can, and within {weeks} weeks of finishing the investigation."
    ),
    rule=Rule(f"{_REGS}, supplementary preventative work", Standing.SECONDARY, _WELHAT_DAMP_POLICY),
    hours=None,
    working_days=None,
    weeks=12,
    counts_from=CountsFrom.INVESTIGATION_CONCLUDED,
)

_CLOCKS = {
    HazardLevel.EMERGENCY: (EMERGENCY_INVESTIGATION, EMERGENCY_MAKE_SAFE),
    HazardLevel.SIGNIFICANT: (INVESTIGATION, WRITTEN_SUMMARY, SAFETY_WORK, PREVENTATIVE_WORK),
}


def hazard_clocks(level: HazardLevel) -> tuple[HazardClock, ...]:
    """The clocks for one level, in the order they run."""
    return _CLOCKS[level]


# --- deadlines ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HazardDeadline:
    clock: HazardClock
    starts: date | datetime  # day 0 (working days, weeks) or the moment the hours start
    due: date | datetime  # a day for working-day and week clocks; a moment for hour clocks
    status: ClockStatus
    late_working_days: int | None  # working days after `due` to completion or `as_of`, if missed
    done_on: date | datetime | None = None


LONDON = ZoneInfo("Europe/London")


def _add_hours(start: datetime, hours: int) -> datetime:
    """Elapsed hours: across a clock change 24 hours is still 24 hours (a naive time is London's)."""
    zone = start.tzinfo or LONDON
    due = (start.replace(tzinfo=zone).astimezone(UTC) + timedelta(hours=hours)).astimezone(zone)
    return due if start.tzinfo is not None else due.replace(tzinfo=None)


def _day(value: date | datetime) -> date:
    """The London day of a date or time."""
    if not isinstance(value, datetime):
        return value
    return (value.astimezone(LONDON) if value.tzinfo is not None else value).date()


def _moment(value: datetime, like: datetime) -> datetime:
    """`value` comparable with `like` (a naive time is London's)."""
    if (value.tzinfo is None) == (like.tzinfo is None):
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=LONDON)
    return value.astimezone(LONDON).replace(tzinfo=None)


def _hour_clock_status(due: datetime, done: date | datetime | None, as_of: datetime) -> ClockStatus:
    if done is None:
        return ClockStatus.MISSED if _moment(as_of, due) > due else ClockStatus.PENDING
    if isinstance(done, datetime):
        return ClockStatus.MET if _moment(done, due) <= due else ClockStatus.MISSED
    # A day without a time: on the due day it gets the benefit of the doubt.
    return ClockStatus.MET if done <= _day(due) else ClockStatus.MISSED


def hazard_deadlines(
    level: HazardLevel,
    reported_on: datetime,
    calendar: WorkingCalendar,
    *,
    investigated_on: date | datetime | None = None,
    summary_sent_on: date | datetime | None = None,
    safety_work_done_on: date | datetime | None = None,
    preventative_work_started_on: date | datetime | None = None,
    as_of: datetime,
) -> list[HazardDeadline]:
    """Each clock's due date and status as of `as_of`.

    `reported_on` is when the landlord became aware. Clocks that count from the end of the
    investigation appear only once `investigated_on` is known. Scope is checked separately
    (`in_scope`). Pass the England calendar: the regulations apply in England only.
    """
    done_for = {
        EMERGENCY_INVESTIGATION.id: investigated_on,
        EMERGENCY_MAKE_SAFE.id: safety_work_done_on,
        INVESTIGATION.id: investigated_on,
        WRITTEN_SUMMARY.id: summary_sent_on,
        SAFETY_WORK.id: safety_work_done_on,
        PREVENTATIVE_WORK.id: preventative_work_started_on,
    }
    deadlines = []
    for clock in hazard_clocks(level):
        done = done_for[clock.id]
        if clock.counts_from is CountsFrom.LANDLORD_AWARE:
            start: date | datetime = reported_on
        elif investigated_on is not None:
            start = investigated_on
        else:
            continue
        if clock.hours is not None:  # hour clocks all run from the moment the landlord became aware
            due_moment = _add_hours(reported_on, clock.hours)
            status = _hour_clock_status(due_moment, done, as_of)
            deadlines.append(HazardDeadline(clock, reported_on, due_moment, status, None, done))
            continue
        start_day = _day(start)
        if clock.working_days is not None:
            due_day = calendar.add_working_days(start_day, clock.working_days)
        else:
            due_day = start_day + timedelta(weeks=clock.weeks or 0)
        end_day = _day(done if done is not None else as_of)
        if done is not None:
            status = ClockStatus.MET if end_day <= due_day else ClockStatus.MISSED
        else:
            status = ClockStatus.MISSED if end_day > due_day else ClockStatus.PENDING
        late = calendar.working_days_between(due_day, end_day) if status is ClockStatus.MISSED else None
        deadlines.append(HazardDeadline(clock, start_day, due_day, status, late, done))
    return deadlines


# --- rendering ----------------------------------------------------------------------------------


def _when(t: Translator, value: date | datetime) -> str:
    if isinstance(value, datetime):
        local = value.astimezone(LONDON) if value.tzinfo is not None else value
        return t.gettext("{time} on {date}").format(
            time=format_time(local.time(), "short", locale=t.locale), date=t.format_date(local.date())
        )
    return t.format_date(value)


def _status_line(deadline: HazardDeadline, t: Translator) -> str:
    done, late = deadline.done_on, deadline.late_working_days
    if deadline.status is ClockStatus.MET and done is not None:
        return t.gettext("Done on {date}: on time.").format(date=_when(t, done))
    if deadline.status is ClockStatus.PENDING:
        return t.gettext("Not done yet. There is still time.")
    if done is not None:
        if late:
            return t.ngettext(
                "Done on {date}: {n} working day late.", "Done on {date}: {n} working days late.", late
            ).format(date=_when(t, done), n=t.format_number(late))
        return t.gettext("Done on {date}: after the deadline.").format(date=_when(t, done))
    if late:
        return t.ngettext(
            "Not done yet: {n} working day late so far.", "Not done yet: {n} working days late so far.", late
        ).format(n=t.format_number(late))
    return t.gettext("Not done yet, and the deadline has passed.")


def _rule_lines(rule: Rule, t: Translator) -> list[str]:
    lines = [t.gettext("Rule: {rule}.").format(rule=rule.citation), rule.source]
    if rule.standing is not Standing.VERIFIED:
        lines.append(
            t.gettext(
                "We could not check this against the text of the regulations, so check it with your "
                "landlord or an adviser before you rely on it."
            )
        )
    return lines


def render_hazard_deadlines(deadlines: list[HazardDeadline], t: Translator) -> str:
    """The clocks in plain words: duty, due date with weekday, status, rule, and what to do."""
    lines = [t.gettext("Awaab's Law: what your landlord must do about the hazard in your home, and by when.")]
    shown = {deadline.clock.id for deadline in deadlines}
    level = HazardLevel.EMERGENCY if EMERGENCY_INVESTIGATION.id in shown else HazardLevel.SIGNIFICANT
    for deadline in deadlines:
        clock = deadline.clock
        lines += ["", clock.text(t), t.gettext("Due by {when}.").format(when=_when(t, deadline.due))]
        if clock.hours is not None:
            lines.append(t.gettext("These hours run through nights, weekends and bank holidays."))
        else:
            lines.append(
                t.gettext("We started counting on {start}. That day is day 0 and does not count.").format(
                    start=t.format_date(_day(deadline.starts))
                )
            )
            if clock.working_days is not None:
                lines.append(t.gettext("Working days are Monday to Friday, except bank holidays."))
        lines.append(_status_line(deadline, t))
        lines += _rule_lines(clock.rule, t)
    later = [clock for clock in hazard_clocks(level) if clock.id not in shown]
    if later:
        lines += ["", t.gettext("Once the investigation is finished, these deadlines start:")]
        lines += [clock.text(t) for clock in later]
        lines.append(t.gettext("Tell us the date the investigation finished and we will work out the dates."))

    missed = [d for d in deadlines if d.status is ClockStatus.MISSED]
    lines.append("")
    if missed:
        lines.append(t.gettext("Your landlord has missed a deadline. What you can do:"))
    else:
        lines.append(t.gettext("If your landlord misses a deadline, you can:"))
    lines.append(
        t.gettext(
            "Tell your landlord in writing which deadline it missed, and make a complaint. It must keep to "
            "the Awaab's Law deadlines while it deals with your complaint."
        )
    )
    lines += _rule_lines(OMBUDSMAN_RULE, t)
    if level is HazardLevel.EMERGENCY or any(d.clock.id == SAFETY_WORK.id for d in deadlines):
        lines.append(
            t.gettext(
                "If your home cannot be made safe in time, your landlord must offer you safe alternative "
                "accommodation. Ask your landlord for it."
            )
        )
        lines += _rule_lines(ALTERNATIVE_ACCOMMODATION_RULE, t)
    lines.append(
        t.gettext(
            "If your landlord does not put things right after your complaint, you can take it to the "
            "Housing Ombudsman."
        )
    )
    lines.append(
        t.gettext(
            "You may also be able to take your landlord to court for breaking your tenancy. Get legal "
            "advice first: the landlord has a defence if it can show it used all reasonable endeavours "
            "to meet the deadline."
        )
    )
    lines += _rule_lines(DEFENCE_RULE, t)
    return "\n".join(lines)


# A report whose time is not known counts from the end of its day: the latest the landlord can have
# known (rather than a guessed hour, which could call the 24-hour clock missed too early).
END_OF_DAY = time(23, 59)


def reported_moment(hazard: Mapping[str, Any]) -> datetime:
    """When the landlord became aware: the day and time told (`reported_at`, "HH:MM"), or the end of the
    day when no time was given."""
    day = date.fromisoformat(hazard["reported_on"])
    at = time.fromisoformat(hazard["reported_at"]) if hazard.get("reported_at") else END_OF_DAY
    return datetime.combine(day, at, tzinfo=LONDON)


def tracked_deadlines(
    hazard: Mapping[str, Any],
    now: datetime,
    investigated_on: str | None = None,
    extra_holidays: Iterable[date] = (),
) -> list[HazardDeadline] | None:
    """The clocks of a hazard a case tracks (`{"reported_on", "level"}` and `"reported_at"` if the time
    is known, as /status keeps them), as of `now`; None when the report came before Awaab's Law
    applied to it."""
    reported = date.fromisoformat(hazard["reported_on"])
    level = HazardLevel(hazard["level"])
    if not in_scope(HazardKind.DAMP_MOULD, level, reported):
        return None
    from flows.working_days import Nation, calendar_for

    return hazard_deadlines(
        level,
        reported_moment(hazard),
        calendar_for(Nation.ENGLAND, extra_holidays),
        investigated_on=date.fromisoformat(investigated_on) if investigated_on else None,
        as_of=now if now.tzinfo else now.replace(tzinfo=LONDON),
    )


rule_lines = _rule_lines  # the rule, its source, and "check it" unless verified: for other modules' messages
when_text = _when  # a day, or a time on a day, in the reader's language
