"""Awaab's Law for those it covers: who it covers, whether there is a risk to health now, and when the
landlord became aware, in the words residents, letters, the referral pack and the portal use.

`flows.hazards` holds the regulations' clocks; this module decides whether they apply to a resident,
which track (the 24-hour emergency track or the working-day track) to offer, and the moment they count
from. Sources and their standing are in docs/awaabs-law.md.

Scope (s.10A Landlord and Tenant Act 1985, VERIFIED; the exclusions beyond low-cost home ownership as
Shelter and Nearly Legal report them, SECONDARY):
- covered: a home in England let as social housing by a registered provider (a housing association,
  a council, a co-op or trust that is a registered provider), to a tenant;
- not covered: private renting (the Renters' Rights Act 2025 lets Awaab's Law be extended to it, with
  no date set: SECONDARY), leaseholders (long leases are not "relevant social housing leases"),
  shared owners (low-cost home ownership is excluded), temporary accommodation for homelessness and
  supported housing; a home outside England.
Where the landlord type does not settle it (a social landlord also has leaseholders and shared
owners; "I'm not sure"), the tenure is asked.

Risk now: the regulations call a hazard an emergency when a reasonable landlord would make it safe
within 24 hours ("imminent and significant risk of harm", SECONDARY: Nearly Legal). The landlord
decides that; we only offer the emergency route when what the resident tells us points to it (`is_risk_now`).

Report time: the 24-hour clock runs from the moment the landlord became aware. When the resident
does not know the time of the report, we count from the end of that day (23:59), the latest the
landlord can have known, and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from flows.case import LandlordType
from flows.code_rules import Rule, Standing
from flows.hazards import (
    EMERGENCY_INVESTIGATION,
    EMERGENCY_MAKE_SAFE,
    INVESTIGATION,
    LONDON,
    PREVENTATIVE_WORK,
    SAFETY_WORK,
    WRITTEN_SUMMARY,
    ClockStatus,
    HazardDeadline,
    HazardLevel,
    hazard_clocks,
    reported_moment,
    rule_lines,
    tracked_deadlines,
    when_text,
)
from flows.i18n import N_, Translator
from flows.tenure import (
    Tenure,
    holds_long_lease,
    in_other_housing,
    parse_tenure,
    rents_privately,
    rents_social_home,
)
from flows.working_days import Nation

# --- sources --------------------------------------------------------------------------------------

_LTA_10A = "https://www.legislation.gov.uk/ukpga/1985/70/section/10A/data.html"
_SHELTER = (
    "https://england.shelter.org.uk/professional_resources/legal/housing_conditions/"
    "responsibility_for_repairs/hazards_in_social_housing"
)
_NEARLY_LEGAL = "https://nearlylegal.co.uk/2025/10/awaabs-law-a-summary-overview-of-phase-1/"
_FOOT_ANSTEY = "https://www.footanstey.com/our-insights/articles-news/awaabs-law-an-overview-for-charities"

SOCIAL_HOUSING_RULE = Rule("Landlord and Tenant Act 1985, s.10A", Standing.VERIFIED, _LTA_10A)
EXCLUSIONS_RULE = Rule("Awaab's Law: which tenancies are not covered", Standing.SECONDARY, _SHELTER)
PRIVATE_EXTENSION_RULE = Rule("Renters' Rights Act 2025, s.60", Standing.SECONDARY, _FOOT_ANSTEY)
# Domain notes 4.1: the LGSCO covers council housing functions, "homelessness decisions and temporary
# accommodation" (SECONDARY: Shelter).
TEMPORARY_ACCOMMODATION_RULE = Rule(
    "Local Government and Social Care Ombudsman: council housing functions",
    Standing.SECONDARY,
    "https://england.shelter.org.uk/legal/courts_and_legal_action/complaining_to_the_ombudsman/"
    "Local_Government_Ombudsman",
)
EMERGENCY_MEANING_RULE = Rule(
    "Hazards in Social Housing Regulations 2025: emergency hazard", Standing.SECONDARY, _NEARLY_LEGAL
)

# --- scope ----------------------------------------------------------------------------------------


class Scope(StrEnum):
    COVERED = "covered"
    ASK_TENURE = "ask_tenure"  # the landlord type does not settle it
    PRIVATE_RENTING = "private_renting"
    OWNERSHIP = "ownership"  # leaseholders and shared owners
    OTHER_HOUSING = "other_housing"  # temporary and supported accommodation
    UNSETTLED = "unsettled"  # neither the landlord type nor the resident could say
    OUTSIDE_ENGLAND = "outside_england"


# Values, not members: a typed answer (a plain str) is looked up in them, and a member hashes by its name.
SOCIAL_LANDLORDS = frozenset(
    kind.value
    for kind in (LandlordType.HOUSING_ASSOCIATION, LandlordType.COUNCIL, LandlordType.REGISTERED_PROVIDER)
)
PRIVATE_LANDLORDS = frozenset(
    kind.value for kind in (LandlordType.PRIVATE_LANDLORD, LandlordType.LETTING_AGENT)
)


def awaab_scope(nation: str | None, landlord_type: str | None, tenure: str | None) -> Scope:
    """Whether Awaab's Law's clocks apply to this home, or what is still needed to know."""
    if nation != Nation.ENGLAND.value:
        return Scope.OUTSIDE_ENGLAND
    if landlord_type in PRIVATE_LANDLORDS:
        return Scope.PRIVATE_RENTING
    if tenure is None:
        return Scope.ASK_TENURE
    held = parse_tenure(tenure)
    if rents_social_home(held):
        return Scope.COVERED
    if rents_privately(held):
        return Scope.PRIVATE_RENTING
    if holds_long_lease(held):
        return Scope.OWNERSHIP
    if in_other_housing(held):
        return Scope.OTHER_HOUSING
    # not sure: a social landlord's tenants are covered; anyone else's we cannot tell
    return Scope.COVERED if landlord_type in SOCIAL_LANDLORDS else Scope.UNSETTLED


def scope_of(answers: Mapping[str, Any]) -> Scope:
    return awaab_scope(answers.get("nation"), answers.get("landlord_type"), answers.get("tenure"))


_INSTEAD = {
    Scope.PRIVATE_RENTING: (
        N_(
            "Awaab's Law's deadlines cover homes rented from a council or housing association, not private "
            "renting, so we won't count them for you. What applies instead: your landlord must keep your home "
            "in repair and fit to live in. If it doesn't put a hazard like damp or mould right, contact your "
            "council's environmental health (private housing) team: it can inspect and order your landlord to "
            "fix it. A law passed in 2025 lets the government extend Awaab's Law to private renting, but no date "
            "has been set."
        ),
        (SOCIAL_HOUSING_RULE, PRIVATE_EXTENSION_RULE),
    ),
    Scope.OWNERSHIP: (
        N_(
            "Awaab's Law's deadlines cover homes rented from a council or housing association. They do not cover "
            "leaseholders or shared owners, so we won't count them for you. What applies instead: your lease says "
            "who must repair what, and your landlord's complaints process (and then the Housing Ombudsman) still "
            "covers how it deals with you. If a hazard puts your health at risk, your council's environmental "
            "health team can inspect it."
        ),
        (SOCIAL_HOUSING_RULE, EXCLUSIONS_RULE),
    ),
    Scope.OTHER_HOUSING: (
        N_(
            "Awaab's Law's deadlines do not cover temporary accommodation for homeless people or supported "
            "housing, so we won't count them for you. What applies instead: the provider must still keep the "
            "home safe, and your council's environmental health team can inspect a hazard. You can still "
            "complain to the landlord or the council."
        ),
        (EXCLUSIONS_RULE,),
    ),
    Scope.UNSETTLED: (
        N_(
            "Awaab's Law's deadlines cover homes rented from a council or housing association, so we won't count "
            "them until we know that is your home. Your tenancy agreement says who your landlord is. If you rent "
            "from a council or housing association, start a new complaint and tell us so."
        ),
        (SOCIAL_HOUSING_RULE,),
    ),
}


def assumed_tenure_text(answers: Mapping[str, Any], t: Translator) -> str:
    """For a social landlord's resident not sure of their tenure, whose clocks we count: what that rests
    on, and when they would not apply (shared owners and leaseholders of the same landlords)."""
    if answers.get("tenure") != Tenure.NOT_SURE.value or scope_of(answers) is not Scope.COVERED:
        return ""
    return t.gettext(
        "As you're not sure, we'll count Awaab's Law's deadlines as for someone who rents from a council or "
        "housing association. They do not apply if you own your home on a lease or in shared ownership: your "
        "tenancy agreement or lease says which you have."
    )


def temporary_accommodation_text(answers: Mapping[str, Any], t: Translator) -> str:
    """For someone in temporary accommodation while homeless: the ombudsman for it is the LGSCO (a
    council housing function), though the rest of the journey names the Housing Ombudsman."""
    if answers.get("tenure") != Tenure.TEMPORARY.value:
        return ""
    lines = [
        t.gettext(
            "If the council placed you there because you are homeless, complaints about it usually go to the "
            "Local Government and Social Care Ombudsman rather than the Housing Ombudsman, once the council's "
            "own complaints process is done: temporary accommodation is one of the council's housing duties."
        )
    ]
    return "\n".join(lines + rule_lines(TEMPORARY_ACCOMMODATION_RULE, t))


def not_covered_text(scope: Scope, t: Translator) -> str:
    """For someone Awaab's Law does not cover: plainly what applies instead (empty if it covers them)."""
    found = _INSTEAD.get(scope)
    if found is None:
        return ""
    text, rules = found
    lines = [t.gettext(text)]
    for rule in rules:
        lines += rule_lines(rule, t)
    return "\n".join(lines)


# --- risk now -------------------------------------------------------------------------------------

RISK_PEOPLE_CHOICES = (("yes", N_("Yes")), ("no", N_("No")))
RISK_HEALTH_CHOICES = (
    ("hospital", N_("Someone needed hospital, A&E or urgent care because of it")),
    ("symptoms", N_("Breathing problems, coughs, infections or worse asthma")),
    ("no", N_("No, not that I know of")),
)
RISK_EXTENT_CHOICES = (
    ("small", N_("A small patch")),
    ("room", N_("Much of one room")),
    ("wide", N_("Several rooms, or it is spreading fast")),
)


def is_risk_now(answers: Mapping[str, Any]) -> bool:
    """What the resident told us points to an emergency (a risk to health a reasonable landlord would
    make safe within 24 hours): someone needed urgent medical care; or someone is unwell and either
    vulnerable or living with widespread damp or mould; or someone vulnerable lives with widespread damp
    or mould. Our reading, not the regulations' test: the resident decides whether to ask for the
    emergency route, the landlord decides what the hazard is."""
    health, vulnerable = answers.get("risk_health"), answers.get("risk_people") == "yes"
    wide = answers.get("risk_extent") == "wide"
    return health == "hospital" or (health == "symptoms" and (vulnerable or wide)) or (vulnerable and wide)


def hazard_level(answers: Mapping[str, Any]) -> HazardLevel:
    """The emergency track when the resident chose it (the risk questions offered it), or said at the
    start that someone is in danger at home; otherwise the working-day track."""
    chose = is_risk_now(answers) and answers.get("hazard_level") == HazardLevel.EMERGENCY.value
    return HazardLevel.EMERGENCY if chose or answers.get("urgent") == "danger" else HazardLevel.SIGNIFICANT


# --- the report's time ----------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)
_NOON = re.compile(r"^\s*(?:12\s*)?(?:noon|mid-?day)\s*$", re.IGNORECASE)


def _reading(text: str) -> tuple[time, bool] | None:
    """A clock time as typed, and whether it could as well be 12 hours later ("2.30": morning or
    afternoon? A time with am or pm, a leading zero, 0 or 12 to 23 o'clock, or noon, is not)."""
    if _NOON.match(text):
        return time(12), False
    found = _TIME.match(text)
    if found is None:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    leading_zero = len(found[1]) == 2 and hour < 10  # "09", in any script's digits ("٠٩")
    ambiguous = not half and 1 <= hour <= 11 and not leading_zero
    return time(hour, minute), ambiguous


def read_time(text: str) -> time | None:
    """A clock time as residents type it: 14:30, 14.30, 2:30pm, 2pm, 9 am, 14, noon."""
    reading = _reading(text)
    return None if reading is None else reading[0]


def time_problem(text: str, reported_on: str | None, now: datetime, t: Translator) -> str | None:
    """Why a typed report time cannot be used, or None. A time that could be morning or afternoon
    ("2.30") is asked again unless the afternoon has not come yet on the day of the report: read as
    02:30 when 14:30 was meant, the 24-hour deadline would fall 12 hours early."""
    reading = _reading(text)
    if reading is None:
        return t.gettext("I could not read that as a time. Please type it like 14:30 or 2:30pm.")
    at, ambiguous = reading
    local = now.astimezone(LONDON) if now.tzinfo else now
    today = reported_on == local.date().isoformat()
    if today and at > local.time():
        return t.gettext("That time hasn't come yet today. Please check it.")
    later = time(at.hour + 12, at.minute) if ambiguous else None
    if later is not None and not (today and later > local.time()):
        return t.gettext(
            "Was that in the morning or the afternoon? Please type it like 9:30am or 2:30pm, or 14:30."
        )
    return None


def report_date_problem(reported_on: str, started: str | None, t: Translator) -> str | None:
    """A report before the day the resident said the problem started (or was first noticed) is a slip
    in one of the two dates: clocks counted from it would call the landlord late when it is not."""
    if started and reported_on < started:
        return t.gettext(
            "That is before {date}, when you said the problem started. Please check the date. If it was the "
            "start date that was wrong, go back with /back to change it."
        ).format(date=t.format_date(date.fromisoformat(started)))
    return None


def hazard_details(answers: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a case keeps to track the clocks: when the landlord knew (day, and time if known), and the
    track. None when Awaab's Law does not cover the home or the day is not known."""
    reported = answers.get("hazard_reported")
    tenure = answers.get("tenure") or Tenure.NOT_SURE.value  # asked before the tenure was: a social tenant
    if (
        not reported
        # Answers /back left behind: the complaint is no longer about damp, or it was not reported after all.
        or answers.get("subject") != "damp_mould"
        or answers.get("reported") == "no"
        or awaab_scope(answers.get("nation"), answers.get("landlord_type"), tenure) is not Scope.COVERED
    ):
        return None
    level = hazard_level(answers)
    details = {"reported_on": reported, "level": level.value}
    if level is HazardLevel.EMERGENCY and answers.get("hazard_time"):
        details["reported_at"] = read_time(answers["hazard_time"]).isoformat("minutes")  # type: ignore[union-attr]
    return details


def report_time_note(hazard: Mapping[str, Any], t: Translator) -> str:
    """On the emergency track without a known time: say the 24 hours count from the end of the day."""
    if hazard.get("level") != HazardLevel.EMERGENCY.value or hazard.get("reported_at"):
        return ""
    return t.gettext(
        "You didn't know the time you told your landlord, so we count the {hours} hours from the end of that "
        "day (23:59), the latest it can have known. If you find the time, the deadline may be earlier."
    ).format(hours=t.format_number(EMERGENCY_INVESTIGATION.hours or 0))


# --- "report it first" ----------------------------------------------------------------------------


def _emergency_hours(t: Translator) -> dict[str, str]:
    """The emergency clocks' hours, for messages that state them."""
    return {
        "investigate_hours": t.format_number(EMERGENCY_INVESTIGATION.hours or 0),
        "safe_hours": t.format_number(EMERGENCY_MAKE_SAFE.hours or 0),
    }


def report_message(answers: Mapping[str, Any], t: Translator) -> str:
    """The message to send the landlord (English when `t` is English; a preview otherwise)."""
    what = t.gettext("[describe the problem and where it is]")
    if answers.get("subject") != "damp_mould" or scope_of(answers) is not Scope.COVERED:
        return t.gettext(
            "I am reporting a repair at my home: {what}. Please tell me when you will inspect and fix it."
        ).format(what=what)
    if hazard_level(answers) is HazardLevel.EMERGENCY:
        return t.gettext(
            "I am reporting damp and mould at my home: {what}. I believe it is an emergency hazard: it puts my "
            "household's health at risk now. Under Awaab's Law (the Hazards in Social Housing (Prescribed "
            "Requirements) (England) Regulations 2025), please investigate within {investigate_hours} hours of this "
            "report and make my home safe within {safe_hours} hours. Please confirm the date and time you received "
            "this report."
        ).format(what=what, **_emergency_hours(t))
    return t.gettext(
        "I am reporting damp and mould at my home: {what}. Under Awaab's Law (the Hazards in Social Housing "
        "(Prescribed Requirements) (England) Regulations 2025), please investigate within {investigate_days} "
        "working days of this report and send me a written summary of what you find within {summary_days} "
        "working days of the investigation. Please confirm the date you received this report."
    ).format(
        what=what,
        investigate_days=t.format_number(INVESTIGATION.working_days or 0),
        summary_days=t.format_number(WRITTEN_SUMMARY.working_days or 0),
    )


def report_timescales(answers: Mapping[str, Any], t: Translator) -> str:
    """What the landlord must do once it has the report, for a covered damp and mould case."""
    if answers.get("subject") != "damp_mould" or scope_of(answers) is not Scope.COVERED:
        return ""
    level = hazard_level(answers)
    lines = [t.gettext("Under Awaab's Law, once your landlord has your report:")]
    lines += ["• " + clock.text(t) for clock in hazard_clocks(level)]
    if level is HazardLevel.EMERGENCY:
        lines.append(
            t.gettext(
                "As it may be an emergency, phone your landlord's emergency repairs line now, then send the "
                "message in writing too."
            )
        )
    lines.append(
        t.gettext("Note the date and time you report it: the deadlines count from when your landlord knew.")
    )
    lines += rule_lines(hazard_clocks(level)[0].rule, t)
    return "\n".join(lines)


# --- letters, the referral pack, the portal --------------------------------------------------------

_DUTY = {
    EMERGENCY_INVESTIGATION.id: N_("Investigate the emergency hazard ({hours} hours)"),
    EMERGENCY_MAKE_SAFE.id: N_("Make the home safe ({hours} hours)"),
    INVESTIGATION.id: N_("Investigate the hazard ({working_days} working days)"),
    WRITTEN_SUMMARY.id: N_("Written summary of the investigation ({working_days} working days after it)"),
    SAFETY_WORK.id: N_("Safety work ({working_days} working days after the investigation)"),
    PREVENTATIVE_WORK.id: N_("Start further preventative work ({weeks} weeks after the investigation)"),
}


def _status(deadline: HazardDeadline, t: Translator, *, letter: bool) -> str:
    """Met, not due yet, or missed: "missed" only when the duty was done late. Fair Say records only the
    investigation's date (/status, "They inspected"), so a passed clock with nothing recorded may well
    have been met: a letter asks the landlord, the portal and the referral pack say nothing is recorded."""
    if deadline.status is ClockStatus.MET:
        return t.gettext("met")
    if deadline.status is ClockStatus.PENDING:
        return t.gettext("not due yet")
    if deadline.done_on is None:
        if letter:
            return t.gettext("the date has passed: please tell me whether and when you did this")
        return t.gettext("the date has passed, not recorded as done")
    late = deadline.late_working_days
    if late:
        return t.ngettext("missed by {n} working day", "missed by {n} working days", late).format(
            n=t.format_number(late)
        )
    return t.gettext("missed")


def covers_case(details: Mapping[str, Any], nation: str, landlord_type: str | None) -> bool:
    """A case's hazard is tracked and Awaab's Law covers its home (cases opened before the tenure was
    asked count unless their landlord type rules it out)."""
    if not details.get("hazard"):
        return False
    scope = awaab_scope(nation, landlord_type, details.get("tenure") or Tenure.NOT_SURE.value)
    return scope is Scope.COVERED or (scope is Scope.UNSETTLED and not details.get("tenure"))


def covered_hazard(
    details: Mapping[str, Any], nation: str, landlord_type: str | None
) -> Mapping[str, Any] | None:
    """The hazard a case tracks, if Awaab's Law covers its home (a case opened before the scope was
    checked may keep a report date for a private landlord's home): for /status and the reminders."""
    return details["hazard"] if covers_case(details, nation, landlord_type) else None


def deadline_lines(
    details: Mapping[str, Any],
    nation: str,
    landlord_type: str | None,
    as_of: datetime,
    t: Translator,
    *,
    letter: bool = False,
    extra_holidays: Iterable[date] = (),
) -> list[str]:
    """One line per Awaab's Law clock of a case (duty, due, status), or none when it has none; `letter`:
    in the resident's words to the landlord."""
    if not covers_case(details, nation, landlord_type):
        return []
    hazard = details["hazard"]
    deadlines = tracked_deadlines(hazard, as_of, details.get("hazard_investigated"), extra_holidays)
    if deadlines is None:
        return []
    reported = reported_moment(hazard)
    first = (
        t.gettext("Damp and mould first reported to the landlord: {when}.").format(
            when=when_text(t, reported)
        )
        if hazard.get("reported_at")
        else t.gettext("Damp and mould first reported to the landlord: {date}.").format(
            date=t.format_date(reported.date())
        )
    )
    lines = [first]
    if hazard.get("level") == HazardLevel.EMERGENCY.value and not hazard.get("reported_at"):
        lines.append(
            t.gettext(
                "The time is not known, so the {hours} hours are counted from the end of that day (23:59)."
            ).format(hours=t.format_number(EMERGENCY_INVESTIGATION.hours or 0))
        )
    for deadline in deadlines:
        lines.append(
            "- "
            + t.gettext("{duty}: due {due}, {status}.").format(
                duty=t.gettext(_DUTY[deadline.clock.id]).format(**deadline.clock.times(t)),
                due=when_text(t, deadline.due),
                status=_status(deadline, t, letter=letter),
            )
        )
    return lines


def letter_paragraph(
    details: Mapping[str, Any],
    nation: str,
    landlord_type: str | None,
    written_on: date,
    t: Translator,
    *,
    extra_holidays: Iterable[date] = (),
) -> str | None:
    """Awaab's Law in a letter to the landlord: the report, each clock and whether it was missed (as of
    the start of the day the letter is written, so nothing is called missed before it is)."""
    lines = deadline_lines(
        details,
        nation,
        landlord_type,
        datetime.combine(written_on, time(0), LONDON),
        t,
        letter=True,
        extra_holidays=extra_holidays,
    )
    if not lines:
        return None
    return "\n".join(
        [
            t.gettext(
                "Awaab's Law (the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025)"
            ),
            *lines,
            t.gettext(
                "Please keep to these deadlines while you deal with my complaint. If my home cannot be made safe "
                "in time, please offer me safe alternative accommodation."
            ),
        ]
    )
