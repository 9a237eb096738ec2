"""One complaint, routed per part: which part goes to the landlord (and then its ombudsman), which
goes to another body, and what else the resident can do about each (a tribunal, a court,
environmental health, the police). The plan is the one place that says so; the letters carry only
the parts for the landlord (`Plan.landlord_parts`).

Every route names its source and the source's standing (VERIFIED: read in the primary text or a word
for word copy; SECONDARY: an adviser's or lawyer's page). The table, per topic:

* **The landlord, then its ombudsman** (flows.triage.route_for; domain.md 4.1–4.5): repairs, damp,
  anti-social behaviour, staff, complaint handling, tenancy, and the works of an adaptation.
* **The LGSCO** (domain.md 4.1): a council's housing register (Portsmouth 202224228: "this falls
  within the jurisdiction of the Local Government and Social Care Ombudsman", paragraph 42(j) of the
  2022 Scheme), homelessness, and the occupational therapy or social care assessment behind an
  adaptation (LGSCO decisions 21 017 097 and 25 000 077, adult care services: VERIFIED, read on
  lgo.org.uk).
* **The First-tier Tribunal (Property Chamber)**: service charges under s.27A Landlord and Tenant Act
  1985, for a tenant whose charge varies with costs; s.26 leaves out a council's tenants unless the
  tenancy is a long lease (SECONDARY: Halsbury's Laws 613 on lexisnexis.co.uk; the gov.uk guide T541
  names the tribunal for service charges: VERIFIED). Rent: an assured periodic tenant can refer a
  notice of increase under s.13 Housing Act 1988 to the tribunal (s.14), not where the tenancy has its
  own rent review clause (SECONDARY: Shelter Legal England; Local Government Lawyer on Peabody Trust v
  Welstead [2024] UKUT 41 (LC)). A council's secure tenant has neither, and a council's (or an ALMO's)
  tenant is never offered the rent route, whatever tenure they tap; with the tenure not known, a rent
  names only the assured tenant's route (never a lease's rent). The tenure question is shared
  with Awaab's Law (`flows.tenure`): a shared owner holds a long lease as a leaseholder does; a
  private renter's assured (shorthold) tenancy is assured; temporary and supported accommodation may
  be a tenancy or a licence, so, as for "not sure", the tribunal may be open.
* **The county court for disrepair**, after the Pre-Action Protocol for Housing Conditions Claims
  (England) (VERIFIED: justice.gov.uk; para 1.1: the Protocol applies to residential property in
  England). A matter in court is one the Housing Ombudsman cannot consider (2022 Scheme 41(c),
  VERIFIED, domain.md 2.2).
* **Environmental health** for a home that is not the council's own; for a council's own home, a
  statutory nuisance claim by the resident in the magistrates' court, s.82 Environmental Protection
  Act 1990 ("a local authority environmental health department cannot take action against its own
  local authority": SECONDARY, Shelter Legal England, "Action by occupiers").
* **The police** for a crime (general knowledge: 999 in an emergency, 101 otherwise).

Courts, tribunals and environmental health are given for homes in England only: the Protocol is
England's, and our sources are English.

Remit limits (personnel matters, a matter in court, rent and service-charge levels) are said in one
plain sentence with what the resident can ask for instead (an apology, a review of how it was
handled, training): Westlea 201911525 (personnel, the seed), 2022 Scheme 41(c), and the 42(d)
recollection with the HOS jurisdiction fact sheet ("the level of a service charge", domain.md 2.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flows.case import LandlordType
from flows.code_rules import Standing
from flows.i18n import N_, Translator
from flows.tenure import Tenure, holds_assured_tenancy, holds_long_lease, in_other_housing, parse_tenure
from flows.triage.grounds import Body, Subject
from flows.triage.parsing import parse_landlord_type, parse_nation, parse_subject
from flows.triage.rendering import body_in_sentence, render_route, subject_label
from flows.triage.routes import Route, route_for
from flows.working_days import Nation

__all__ = [
    "ASPECT_LABELS",
    "LIMIT_TEXTS",
    "OPTION_SOURCES",
    "OPTION_TEXTS",
    "Aspect",
    "Limit",
    "Option",
    "Part",
    "Plan",
    "Source",
    "landlord_topics",
    "part_ids",
    "part_label",
    "plan_for",
    "plan_from_answers",
    "record_label",
    "remit_limits_said",
    "render_plan",
    "render_why",
    "topics_of",
]


class Aspect(StrEnum):
    WHOLE = "whole"
    WORKS = "works"  # an adaptation: the works to the home (the landlord's)
    ASSESSMENT = (
        "assessment"  # an adaptation: the occupational therapy or social care assessment (the council's)
    )


class Option(StrEnum):
    """Another way to take a part forward, beside (or instead of) the complaint."""

    TRIBUNAL_SERVICE_CHARGE = "tribunal_service_charge"
    TRIBUNAL_RENT = "tribunal_rent"
    TRIBUNAL_IF_TENURE = "tribunal_if_tenure"  # the tenure is not known: the tribunal may be open
    TRIBUNAL_RENT_IF_TENURE = "tribunal_rent_if_tenure"  # the same for a rent: only an assured tenant's
    COUNTY_COURT = "county_court"
    ENVIRONMENTAL_HEALTH = "environmental_health"
    STATUTORY_NUISANCE = "statutory_nuisance"  # s.82 EPA 1990, for a council's own home
    POLICE = "police"


class Limit(StrEnum):
    """What the Housing Ombudsman will not decide, said at triage."""

    PERSONNEL = "personnel"
    IN_COURT = "in_court"
    CHARGE_LEVEL = "charge_level"


@dataclass(frozen=True, slots=True)
class Source:
    title: str  # the document's own (English) name
    url: str
    standing: Standing


@dataclass(frozen=True, slots=True)
class Part:
    topic: Subject
    aspect: Aspect
    body: Body | None  # who takes a complaint about this part; None: the police only
    to_landlord: bool  # in the letters to the landlord
    options: tuple[Option, ...] = ()
    limits: tuple[Limit, ...] = ()
    route: Route | None = None

    def record(self) -> dict[str, Any]:
        """As kept in the case's details (ids only)."""
        return {
            "topic": self.topic.value,
            "aspect": self.aspect.value,
            "body": self.body.value if self.body is not None else None,
            "to_landlord": self.to_landlord,
            "options": [option.value for option in self.options],
            "limits": [limit.value for limit in self.limits],
        }


@dataclass(frozen=True, slots=True)
class Plan:
    parts: tuple[Part, ...]
    nation: Nation

    @property
    def landlord_parts(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if part.to_landlord)

    @property
    def elsewhere_parts(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if not part.to_landlord)

    @property
    def is_notable(self) -> bool:
        """Worth a word before the letter: several parts, a part for another body, a Scheme ground, a
        tribunal or the police, a remit limit. Disrepair's court and environmental health routes alone
        are not: the Protocol makes court the last resort, after the landlord's complaints process
        (its para 4), so a plain repair goes straight to the letter as before."""
        return len(self.parts) > 1 or any(
            not part.to_landlord
            or part.limits
            or part.body is not Body.HOUSING_OMBUDSMAN
            or (part.route is not None and part.route.grounds)
            or any(option not in _DISREPAIR_OPTIONS for option in part.options)
            for part in self.parts
        )

    @property
    def landlord_subject(self) -> Subject | None:
        """What the complaint to the landlord is about, for the case it opens: the first part for the
        landlord (the works of an adaptation are routed as a repair), so that the case's timeline, next
        steps and the landlord's inbox follow the parts the letter carries, not a part for another body
        (a council's housing register first, then a leak: the case is the leak's, for the Housing
        Ombudsman). None when no part is for the landlord."""
        for part in self.landlord_parts:
            return Subject.REPAIRS if part.aspect is Aspect.WORKS else part.topic
        return None

    def record(self) -> dict[str, Any]:
        return {"parts": [part.record() for part in self.parts]}


# --- sources ---------------------------------------------------------------------------------------

PROTOCOL = Source(
    "Pre-Action Protocol for Housing Conditions Claims (England)",
    "https://www.justice.gov.uk/courts/procedure-rules/civil/protocol/prot_hou",
    Standing.VERIFIED,
)
SCHEME_2022_41C = Source(
    "Housing Ombudsman Scheme (2022), paragraph 41(c), as quoted in Barking and Dagenham 202009340",
    "https://housing-ombudsman.org.uk/decisions/barking-and-dagenham-council-202009340",
    Standing.VERIFIED,
)
TRIBUNAL_GUIDE = Source(
    "GOV.UK guidance T541: service charges in the property tribunal",
    "https://www.gov.uk/government/publications/service-and-administration-charges-and-management-matters-t541",
    Standing.VERIFIED,
)
LTA_1985_S26 = Source(
    "Landlord and Tenant Act 1985 ss.18, 26 and 27A, as summarised in Halsbury's Laws of England 613",
    "https://www.lexisnexis.co.uk/legal/commentary/halsburys-laws-of-england/landlord-tenant/"
    "application-of-the-service-charge-provisions-of-the-landlord-tenant-act-1985",
    Standing.SECONDARY,
)
HA_1988_S13 = Source(
    "Housing Act 1988 ss.13 and 14, as explained by Shelter Legal England",
    "https://england.shelter.org.uk/legal/rents/market_rents/rent_increases/section_13_rent_increases",
    Standing.SECONDARY,
)
RENT_REVIEW_CLAUSE = Source(
    "Local Government Lawyer on Peabody Trust v Welstead [2024] UKUT 41 (LC)",
    "https://www.localgovernmentlawyer.co.uk/housing-law/315-housing-features/"
    "57144-section-13-rent-increases-and-contractual-provisions-in-the-upper-tribunal",
    Standing.SECONDARY,
)
EPA_S82 = Source(
    "Environmental Protection Act 1990 s.82, as explained by Shelter Legal England (action by occupiers)",
    "https://england.shelter.org.uk/legal/housing_conditions/non_contractual__rights/"
    "environmental_protection_act_1990/action_by_occupiers",
    Standing.SECONDARY,
)
ENVIRONMENTAL_HEALTH_DUTIES = Source(
    "Shelter Legal England: local authority statutory nuisance duties",
    "https://england.shelter.org.uk/professional_resources/legal/housing_conditions/"
    "local_authority_duties_to_deal_with_poor_conditions/local_authority_statutory_nuisance_duties",
    Standing.SECONDARY,
)
LGSCO_SOCIAL_CARE = Source(
    "LGSCO decision 21 017 097 (Somerset County Council): an occupational therapy assessment and adaptations",
    "https://www.lgo.org.uk/decisions/adult-care-services/disabled-facilities-grants/21-017-097",
    Standing.VERIFIED,
)
LGSCO_HOUSING = Source(
    "LGSCO: all local authority housing activities other than provision and management of social housing",
    "https://www.lgo.org.uk/information-centre/information-for-organisations-we-investigate/"
    "information-for-link-officers?chapter=10",
    Standing.VERIFIED,
)
PORTSMOUTH = Source(
    "Housing Ombudsman, Portsmouth City Council 202224228 (allocations are for the LGSCO)",
    "https://www.housing-ombudsman.org.uk/decisions/portsmouth-city-council-202224228/",
    Standing.VERIFIED,
)
WESTLEA = Source(
    "Housing Ombudsman, Westlea Housing Association 201911525 (personnel matters are outside its remit)",
    "https://www.housing-ombudsman.org.uk/decisions/westlea-housing-association-limited-201911525/",
    Standing.VERIFIED,
)
JURISDICTION_FACT_SHEET = Source(
    "Housing Ombudsman fact sheet: our jurisdiction (the level of a service charge)",
    "https://www.housing-ombudsman.org.uk/centre-for-learning/fact-sheets/our-jurisdiction/",
    Standing.VERIFIED,
)

OPTION_SOURCES: dict[Option, tuple[Source, ...]] = {
    Option.TRIBUNAL_SERVICE_CHARGE: (TRIBUNAL_GUIDE, LTA_1985_S26),
    Option.TRIBUNAL_RENT: (HA_1988_S13, RENT_REVIEW_CLAUSE),
    Option.TRIBUNAL_IF_TENURE: (TRIBUNAL_GUIDE, LTA_1985_S26),
    Option.TRIBUNAL_RENT_IF_TENURE: (HA_1988_S13, RENT_REVIEW_CLAUSE),
    Option.COUNTY_COURT: (PROTOCOL, SCHEME_2022_41C),
    Option.ENVIRONMENTAL_HEALTH: (ENVIRONMENTAL_HEALTH_DUTIES,),
    Option.STATUTORY_NUISANCE: (EPA_S82,),
    Option.POLICE: (),
}
LIMIT_SOURCES: dict[Limit, tuple[Source, ...]] = {
    Limit.PERSONNEL: (WESTLEA,),
    Limit.IN_COURT: (SCHEME_2022_41C,),
    Limit.CHARGE_LEVEL: (JURISDICTION_FACT_SHEET,),
}
ASPECT_SOURCES: dict[Aspect, tuple[Source, ...]] = {
    Aspect.WHOLE: (),
    Aspect.WORKS: (),
    Aspect.ASSESSMENT: (LGSCO_SOCIAL_CARE, LGSCO_HOUSING),
}


# --- the table -------------------------------------------------------------------------------------

_DISREPAIR = frozenset({Subject.REPAIRS, Subject.DAMP_MOULD})
_DISREPAIR_OPTIONS = frozenset({Option.COUNTY_COURT, Option.ENVIRONMENTAL_HEALTH, Option.STATUTORY_NUISANCE})
_COUNCIL_OWN_HOMES = frozenset({LandlordType.COUNCIL, LandlordType.ALMO})  # an ALMO runs the council's homes
_SOCIAL = frozenset(
    {
        LandlordType.COUNCIL,
        LandlordType.ALMO,
        LandlordType.HOUSING_ASSOCIATION,
        LandlordType.REGISTERED_PROVIDER,
    }
)


def _charge_options(topic: Subject, landlord: LandlordType | None, tenure: Tenure) -> tuple[Option, ...]:
    """Whether the First-tier Tribunal can decide the charge, by tenure (module docstring). Temporary and
    supported accommodation may be a tenancy or a licence: as for "not sure", the tribunal may be open."""
    if topic is Subject.SERVICE_CHARGE_LEVEL:
        if tenure is Tenure.NOT_SURE or in_other_housing(tenure):
            return (Option.TRIBUNAL_IF_TENURE,)
        # s.27A LTA 1985; s.26 leaves out a council's tenants unless the tenancy is a long lease.
        if holds_long_lease(tenure) or (holds_assured_tenancy(tenure) and landlord not in _COUNCIL_OWN_HOMES):
            return (Option.TRIBUNAL_SERVICE_CHARGE,)
        return ()
    # Rent: a notice of increase under s.13 HA 1988 to an assured periodic tenant. Never a lease's rent, and
    # never a council's own tenant (a council's tenancy is not an assured one, as for the service charge
    # above): "not sure" there is a secure tenant's, with no tribunal to name.
    if landlord in _COUNCIL_OWN_HOMES:
        return ()
    if tenure is Tenure.NOT_SURE or in_other_housing(tenure):
        return (Option.TRIBUNAL_RENT_IF_TENURE,)
    return (Option.TRIBUNAL_RENT,) if holds_assured_tenancy(tenure) else ()


def _options(
    topic: Subject, landlord: LandlordType | None, tenure: Tenure, nation: Nation, court: bool = False
) -> tuple[Option, ...]:
    if nation is not Nation.ENGLAND:
        return ()
    if topic in _DISREPAIR:
        nuisance = (
            Option.STATUTORY_NUISANCE if landlord in _COUNCIL_OWN_HOMES else Option.ENVIRONMENTAL_HEALTH
        )
        # Proceedings already started: "you can also claim" would be a second claim (the limit says the rest).
        return (nuisance,) if court else (Option.COUNTY_COURT, nuisance)
    if topic in (Subject.SERVICE_CHARGE_LEVEL, Subject.RENT_LEVEL):
        return _charge_options(topic, landlord, tenure)
    return ()


def _limits(topic: Subject, body: Body | None, court: bool) -> tuple[Limit, ...]:
    if body is not Body.HOUSING_OMBUDSMAN:
        return ()
    limits = []
    if topic is Subject.PERSONNEL:
        limits.append(Limit.PERSONNEL)
    if topic in (Subject.RENT_LEVEL, Subject.SERVICE_CHARGE_LEVEL):
        limits.append(Limit.CHARGE_LEVEL)
    if court:
        limits.append(Limit.IN_COURT)
    return tuple(limits)


def plan_for(
    nation: Nation | str | None,
    landlord_type: str | None,
    topics: Iterable[str | Subject],
    *,
    tenure: str | Tenure | None = None,
    court_proceedings: bool = False,
) -> Plan:
    """Each topic routed (module docstring), in the order given, each once. Never raises."""
    where = parse_nation(nation)
    landlord = parse_landlord_type(landlord_type)
    held = parse_tenure(tenure)
    parts: list[Part] = []
    seen: set[Subject] = set()
    for value in topics:
        topic = value if isinstance(value, Subject) else parse_subject(value)
        if topic in seen:
            continue
        seen.add(topic)
        if topic is Subject.CRIME:
            parts.append(
                Part(topic, Aspect.WHOLE, None, False, (Option.POLICE,) if where is Nation.ENGLAND else ())
            )
            continue
        if (
            topic is Subject.GRANTS_ADAPTATIONS
            and where is Nation.ENGLAND
            and (landlord in _SOCIAL or landlord is None)
        ):
            # The works to the home are the landlord's; the assessment of need is the council's social care.
            works = route_for(where, landlord_type, Subject.REPAIRS, court_proceedings=court_proceedings)
            parts.append(
                Part(
                    topic,
                    Aspect.WORKS,
                    works.body,
                    True,
                    (),
                    _limits(topic, works.body, court_proceedings),
                    works,
                )
            )
            parts.append(Part(topic, Aspect.ASSESSMENT, Body.LGSCO, False))
            continue
        route = route_for(where, landlord_type, topic, court_proceedings=court_proceedings)
        to_landlord = route.body is not Body.LGSCO
        parts.append(
            Part(
                topic,
                Aspect.WHOLE,
                route.body,
                to_landlord,
                _options(topic, landlord, held, where, court_proceedings),
                _limits(topic, route.body, court_proceedings),
                route,
            )
        )
    return Plan(tuple(parts), where)


def topics_of(answers: dict[str, Any]) -> list[str]:
    """The main topic, then the others the resident added."""
    topics = [str(answers.get("subject") or Subject.OTHER.value)]
    topics += [str(topic) for topic in answers.get("topics") or () if str(topic) not in topics]
    return topics


def plan_from_answers(answers: dict[str, Any]) -> Plan:
    return plan_for(
        answers.get("nation"),
        answers.get("landlord_type"),
        topics_of(answers),
        tenure=answers.get("tenure"),
        court_proceedings=answers.get("court") == "yes",
    )


# --- words ------------------------------------------------------------------------------------------

ASPECT_LABELS: dict[Aspect, str] = {
    Aspect.WORKS: N_("Adaptations: the works to your home"),
    Aspect.ASSESSMENT: N_("Adaptations: the occupational therapy or social care assessment"),
}

OPTION_TEXTS: dict[Option, str] = {
    Option.TRIBUNAL_SERVICE_CHARGE: N_(
        "The First-tier Tribunal (Property Chamber) can decide whether the service charge is reasonable and "
        "payable."
    ),
    Option.TRIBUNAL_RENT: N_(
        "If your landlord sent a formal notice of a rent increase, you can ask the First-tier Tribunal "
        "(Property Chamber) to decide the rent before the new rent starts."
    ),
    Option.TRIBUNAL_IF_TENURE: N_(
        "If you are a leaseholder, a shared owner or a housing association tenant, the First-tier Tribunal "
        "(Property Chamber) may be able to decide the charge. Tap “Why?” to see when."
    ),
    Option.TRIBUNAL_RENT_IF_TENURE: N_(
        "If you are an assured tenant, as most housing association tenants are, and your landlord sent a formal "
        "notice of a rent increase, the First-tier Tribunal (Property Chamber) may be able to decide the rent. "
        "Tap “Why?” to see when."
    ),
    Option.COUNTY_COURT: N_(
        "You can also claim for disrepair in the county court, after the steps of the pre-action protocol "
        "for housing conditions claims. Once it is in court, the Housing Ombudsman cannot look at it."
    ),
    Option.ENVIRONMENTAL_HEALTH: N_(
        "You can also ask your council's environmental health team to inspect your home."
    ),
    Option.STATUTORY_NUISANCE: N_(
        "The council cannot take action against itself, but you can bring a statutory nuisance claim in the "
        "magistrates' court yourself."
    ),
    Option.POLICE: N_("Report a crime to the police: 999 in an emergency, otherwise 101."),
}

LIMIT_TEXTS: dict[Limit, str] = {
    Limit.PERSONNEL: N_(
        "The Ombudsman cannot decide whether a member of staff is disciplined; you can ask your landlord for "
        "an apology, a review of how it was handled, and staff training."
    ),
    Limit.CHARGE_LEVEL: N_(
        "The Ombudsman does not decide how much rent or service charge is fair; you can ask your landlord for "
        "an explanation, an apology and a review of how it dealt with you."
    ),
    Limit.IN_COURT: N_(
        "The Ombudsman cannot look at what a court is dealing with; you can ask your landlord for an apology "
        "and a review of how it handled things outside the court case."
    ),
}

# Why each option is what it is (shown behind "Why?", with the sources).
OPTION_WHY: dict[Option, str] = {
    Option.TRIBUNAL_SERVICE_CHARGE: N_(
        "The tribunal decides service charges that vary with the landlord's costs (Landlord and Tenant Act "
        "1985, section 27A). A council's tenants can use it only if they hold a long lease (section 26)."
    ),
    Option.TRIBUNAL_RENT: N_(
        "An assured periodic tenant can refer a notice of increase under section 13 of the Housing Act 1988 to "
        "the tribunal (section 14), but not when the tenancy agreement has its own rent review clause. A "
        "council's secure tenants have no such right."
    ),
    Option.TRIBUNAL_IF_TENURE: N_(
        "Leaseholders and shared owners, and housing association tenants whose service charge varies with "
        "costs, can ask the tribunal about service charges (Landlord and Tenant Act 1985, sections 26 and "
        "27A); assured tenants can refer a notice of a rent increase (Housing Act 1988, sections 13 and 14). "
        "A council's secure tenants can do neither."
    ),
    Option.TRIBUNAL_RENT_IF_TENURE: N_(
        "An assured periodic tenant can refer a notice of increase under section 13 of the Housing Act 1988 to "
        "the tribunal (section 14), but not when the tenancy agreement has its own rent review clause. A "
        "council's secure tenants have no such right."
    ),
    Option.COUNTY_COURT: N_(
        "A disrepair claim follows the pre-action protocol for housing conditions claims (England) before it "
        "goes to court. The Housing Ombudsman cannot consider matters that are the subject of court "
        "proceedings (Scheme 2022, paragraph 41(c))."
    ),
    Option.ENVIRONMENTAL_HEALTH: N_(
        "A council's environmental health team can act on housing conditions that are a statutory nuisance, "
        "for homes that are not the council's own."
    ),
    Option.STATUTORY_NUISANCE: N_(
        "Section 82 of the Environmental Protection Act 1990 lets a person affected by a statutory nuisance "
        "ask the magistrates' court for an order, which matters for council tenants because a council cannot "
        "take action against itself."
    ),
    Option.POLICE: N_("Crime is for the police, not a landlord or an ombudsman, to investigate."),
}

STANDING_NOTES: dict[Standing, str] = {
    Standing.VERIFIED: N_("Source: {title}, {url}"),
    Standing.SECONDARY: N_("Source (an adviser's summary: check it before you rely on it): {title}, {url}"),
    Standing.UNVERIFIED: N_("Not yet checked in a source: {title}, {url}"),
}


def part_label(part: Part, t: Translator) -> str:
    if part.aspect in ASPECT_LABELS:
        return t.gettext(ASPECT_LABELS[part.aspect])
    return subject_label(part.topic, t)


def _where(part: Part, t: Translator) -> str:
    label = part_label(part, t)
    if part.body is None:
        return t.gettext("• {part}: the police.").format(part=label)
    body = body_in_sentence(part.body, t)
    if part.to_landlord:
        return t.gettext("• {part}: your landlord first, then {body}.").format(part=label, body=body)
    return t.gettext("• {part}: {body}, not your landlord.").format(part=label, body=body)


def render_plan(plan: Plan, t: Translator) -> str:
    """Short: where each part goes, another way on, and a remit limit in one sentence each."""
    lines = [t.gettext("Where each part of your complaint goes:")]
    for part in plan.parts:
        lines.append(_where(part, t))
        lines.extend("  " + t.gettext(OPTION_TEXTS[option]) for option in part.options)
        lines.extend("  " + t.gettext(LIMIT_TEXTS[limit]) for limit in part.limits)
    lines.append("")
    if plan.landlord_parts and plan.elsewhere_parts:
        lines.append(t.gettext("Your letter to your landlord will cover only the parts for your landlord."))
    elif not plan.landlord_parts:
        lines.append(t.gettext("None of this goes through your landlord's complaints process."))
    return "\n".join(lines)


def _source_lines(sources: Sequence[Source], t: Translator) -> list[str]:
    return [
        t.gettext(STANDING_NOTES[source.standing]).format(title=source.title, url=source.url)
        for source in sources
    ]


def render_why(plan: Plan, t: Translator) -> str:
    """Behind "Why?": who handles each part and why (with the Scheme's paragraphs), then each other way
    on and each limit with its sources and their standing. Parts sharing a route are explained once."""
    blocks: list[str] = []
    explained: dict[tuple[object, ...], int] = {}
    for part in plan.parts:
        label = part_label(part, t)
        if part.aspect is Aspect.ASSESSMENT:
            lines = [
                label,
                t.gettext(
                    "An occupational therapy or social care assessment is the council's social care work, so a "
                    "complaint about it goes to the Local Government and Social Care Ombudsman. The works to "
                    "your home are your landlord's."
                ),
                t.gettext(
                    "Find out how to complain on the Local Government and Social Care Ombudsman's website: {url}"
                ).format(url="https://www.lgo.org.uk"),
            ]
        elif part.route is not None:
            key = (part.route.body, part.route.reason, part.route.grounds, part.route.also)
            if key in explained:  # the same route as an earlier part: name this part there
                index = explained[key]
                heading, _, rest = blocks[index].partition("\n")
                blocks[index] = heading + ", " + label + "\n" + rest
                lines = []
            else:
                explained[key] = len(blocks)
                lines = [label, render_route(part.route, t)]
        else:
            lines = [label]
        extra: list[str] = []
        for option in part.options:
            extra.append(t.gettext(OPTION_WHY[option]))
            extra.extend(_source_lines(OPTION_SOURCES[option], t))
        for limit in part.limits:
            extra.append(t.gettext(LIMIT_TEXTS[limit]))
            extra.extend(_source_lines(LIMIT_SOURCES[limit], t))
        extra.extend(_source_lines(ASPECT_SOURCES[part.aspect], t))
        if not lines and extra:
            lines = [label]
        if lines or extra:
            blocks.append("\n".join(lines + extra))
    return "\n\n".join(blocks)


def remit_limits_said(topics: Iterable[Subject], t: Translator) -> list[str]:
    """The remit limits the resident's words meet, one plain sentence each (before any landlord is known)."""
    limits: list[Limit] = []
    for topic in topics:
        for limit in _limits(topic, Body.HOUSING_OMBUDSMAN, court=False):
            if limit not in limits:
                limits.append(limit)
    return [t.gettext(LIMIT_TEXTS[limit]) for limit in limits]


def part_ids(details: dict[str, Any]) -> tuple[str, ...]:
    """The parts sent to the landlord as ids: "topic", or "topic:aspect" for part of a topic."""
    return tuple(
        part["topic"] if part["aspect"] == Aspect.WHOLE.value else f"{part['topic']}:{part['aspect']}"
        for part in landlord_topics(details)
    )


def record_label(part: dict[str, str], t: Translator) -> str:
    """The label of a part kept in a case's details ({"topic", "aspect"})."""
    aspect = part.get("aspect")
    if aspect in ASPECT_LABELS:
        return t.gettext(ASPECT_LABELS[Aspect(aspect)])
    return subject_label(parse_subject(part.get("topic")), t)


def landlord_topics(details: dict[str, Any]) -> list[dict[str, str]]:
    """The parts kept in a case's details that go to the landlord: [{"topic", "aspect"}]."""
    routing = details.get("routing")
    if not isinstance(routing, dict):
        return []
    return [
        {"topic": str(part.get("topic")), "aspect": str(part.get("aspect") or Aspect.WHOLE.value)}
        for part in routing.get("parts") or ()
        # "Something else" names nothing: the resident's own words say what it is.
        if isinstance(part, dict) and part.get("to_landlord") and part.get("topic") != Subject.OTHER.value
    ]
