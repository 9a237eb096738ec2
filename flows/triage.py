"""Triage: which body handles a complaint, and the Housing Ombudsman Scheme's grounds for not investigating.

Sources are in ../shared/domain.md (sections 1.10, 1.12, 2.1–2.3, 4.1–4.5 and 7) and the two
Ombudsman decisions in ../shared/seeds/:

* Westlea Housing Association 201911525 (2021, 2020 Scheme): applies 39(e) (six months) and says
  personnel matters, such as disciplining a housing officer, are outside the Ombudsman's remit
  (no paragraph cited).
* Portsmouth City Council 202224228 (27 February 2024, so the 1 October 2022 Scheme): 42(c) (six
  months), 42(j) (allocations are for the LGSCO) and 42(m) (governance and wider systemic issues).

The letters of the current (1 April 2024) Scheme's para 42 are an UNVERIFIED recollection (domain.md
2.2 and 7.4); each ground below carries its own `standing`, and a ground that is not verified is
never rendered as certain: the text tells the resident to check with the Ombudsman. Decision
addresses follow the pattern in domain.md ("How to use this file").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from flows.case import LandlordType
from flows.code_rules import Standing
from flows.i18n import N_, Translator
from flows.working_days import Nation

__all__ = [
    "BODY_IN_SENTENCE",
    "BODY_NAMES",
    "CURRENT_SCHEME_VERSION",
    "GROUNDS_BY_ID",
    "NATION_NAMES",
    "REASON_TEXTS",
    "SCHEME_GROUNDS",
    "SUBJECT_LABELS",
    "Body",
    "GroundKind",
    "Route",
    "RouteReason",
    "SchemeGround",
    "Subject",
    "body_in_sentence",
    "body_name",
    "ground_lines",
    "nation_name",
    "parse_landlord_type",
    "parse_nation",
    "parse_subject",
    "parse_topics",
    "render_route",
    "route_for",
    "subject_label",
]

CURRENT_SCHEME_VERSION = "2024"  # the Scheme in force from 1 April 2024 (domain.md 2.1)


class Body(StrEnum):
    HOUSING_OMBUDSMAN = "housing_ombudsman"
    LGSCO = "lgsco"  # Local Government and Social Care Ombudsman
    PSOW = "psow"  # Public Services Ombudsman for Wales
    SPSO = "spso"  # Scottish Public Services Ombudsman
    NIPSO = "nipso"  # Northern Ireland Public Services Ombudsman
    PROPERTY_REDRESS = "property_redress"  # letting agents: The Property Ombudsman or Property Redress Scheme
    # Private landlords: no ombudsman yet (the Renters' Rights Act 2025 redress scheme is not live).
    COUNCIL_PRIVATE_SECTOR = "council_private_sector_housing"


class Subject(StrEnum):
    """What the complaint is about. The ids are stable (JSON input, buttons) and at most 24 characters."""

    REPAIRS = "repairs"
    DAMP_MOULD = "damp_mould"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour"
    STAFF_CONDUCT = "staff_conduct"
    COMPLAINT_HANDLING = "complaint_handling"
    TENANCY_MANAGEMENT = "tenancy_management"
    RENT_LEVEL = "rent_level"
    SERVICE_CHARGE_LEVEL = "service_charge_level"
    ALLOCATIONS = "allocations"  # housing register, banding, bidding, transfers through the register
    HOMELESSNESS = "homelessness"  # homelessness decisions and temporary accommodation
    GRANTS_ADAPTATIONS = "grants_adaptations"  # council grants, disabled facilities grants
    PERSONNEL = "personnel"  # e.g. wanting a member of staff disciplined
    GOVERNANCE = "governance"  # the landlord's governance structures, wider systemic issues
    CRIME = "crime"  # for the police (flows.routing)
    OTHER = "other"


class GroundKind(StrEnum):
    CANNOT = "cannot"  # "cannot consider" (2022 Scheme para 41)
    MAY_NOT = "may_not"  # "may not consider" (2022/2024 para 42, 2020 para 39)


@dataclass(frozen=True, slots=True)
class SchemeGround:
    id: str
    paragraph: str  # e.g. "42(f)"; "42" alone where the letter is not known
    scheme_version: str  # "2024", "2022" or "2020"
    kind: GroundKind
    summary: str  # N_(...): one or more whole sentences, translated when rendered
    standing: Standing  # of the paragraph citation: VERIFIED only when read in a source
    source: str  # where it was read (or, for an unverified letter, where to check it)


_SCHEME_PAGE = "https://www.housing-ombudsman.org.uk/landlords-info/the-housing-ombudsman-scheme/"
_JURISDICTION_FACT_SHEET = (
    "https://www.housing-ombudsman.org.uk/centre-for-learning/fact-sheets/our-jurisdiction/"
)
_OVER_A_YEAR = "https://housing-ombudsman.org.uk/residents/make-a-complaint/your-complaint-is-over-a-year-old"
_BARKING_AND_DAGENHAM = "https://housing-ombudsman.org.uk/decisions/barking-and-dagenham-council-202009340"
_EALING = "https://housing-ombudsman.org.uk/decisions/london-borough-of-ealing-202209234"
_HYDE = "https://www.housing-ombudsman.org.uk/decisions/hyde-housing-association-limited-202000411/"
_WESTLEA = "https://www.housing-ombudsman.org.uk/decisions/westlea-housing-association-limited-201911525/"
_PORTSMOUTH = "https://www.housing-ombudsman.org.uk/decisions/portsmouth-city-council-202224228/"

# --- the grounds, as data ---------------------------------------------------------------------------
# Current (2024) Scheme, para 42: UNVERIFIED letters (domain.md 2.2 table). Summaries avoid any detail
# the sources do not give (e.g. 42(c) names no period: 6 or 12 months is unresolved, domain.md 7.4).
PROCESS_NOT_FINISHED_2024 = SchemeGround(
    "scheme_2024_42a",
    "42(a)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at a complaint before your landlord's complaints process has "
        "finished, unless the landlord has failed to handle your complaint properly and has not put it "
        "right within a reasonable time."
    ),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
TWELVE_MONTHS_TO_OMBUDSMAN_2024 = SchemeGround(
    "scheme_2024_42b",
    "42(b)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at a complaint brought to it more than 12 months after your "
        "landlord's complaints process ended, unless there is a good reason for the delay."
    ),
    Standing.UNVERIFIED,
    _OVER_A_YEAR,  # the 12 months are verified there; the letter is not
)
RAISED_LATE_WITH_LANDLORD_2024 = SchemeGround(
    "scheme_2024_42c",
    "42(c)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at problems that were not raised with the landlord as a formal "
        "complaint within a reasonable time of them happening."
    ),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
RENT_OR_SERVICE_CHARGE_LEVEL_2024 = SchemeGround(
    "scheme_2024_42d",
    "42(d)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at the level of rent or a service charge, or at the amount of "
        "an increase. It can still look at how your landlord dealt with you about it."
    ),
    Standing.UNVERIFIED,
    _JURISDICTION_FACT_SHEET,  # the fact sheet lists "the level of a service charge"
)
COURTS_BETTER_2024 = SchemeGround(
    "scheme_2024_42f",
    "42(f)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at matters that it thinks would be quicker, fairer, more "
        "reasonable or more effective to settle through the courts, a tribunal or another procedure."
    ),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
NO_POWER_TO_GIVE_2024 = SchemeGround(
    "scheme_2024_42g",
    "42(g)",
    "2024",
    GroundKind.MAY_NOT,
    N_("The Housing Ombudsman may not look at a complaint that asks for an outcome it has no power to give."),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
ANOTHER_BODY_2024 = SchemeGround(
    "scheme_2024_42j",
    "42(j)",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at matters that belong to another ombudsman, regulator or "
        "complaint-handling body, such as the Local Government and Social Care Ombudsman for housing "
        "applications and homelessness."
    ),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
ALREADY_DECIDED_2024 = SchemeGround(
    "scheme_2024_42k",
    "42(k)",
    "2024",
    GroundKind.MAY_NOT,
    N_("The Housing Ombudsman may not reopen matters that it or another ombudsman has already decided."),
    Standing.UNVERIFIED,
    _SCHEME_PAGE,
)
# Westlea 201911525 says personnel matters are "outside of this Service's remit" without citing a
# paragraph; domain.md 2.2 recalls them among the current para 42 grounds, letter unknown.
PERSONNEL_MATTERS = SchemeGround(
    "scheme_2024_42_personnel",
    "42",
    "2024",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman does not look at staff employment matters, such as whether a member of staff "
        "should be disciplined. It can still look at how your landlord dealt with your complaint about that "
        "member of staff."
    ),
    Standing.UNVERIFIED,
    _WESTLEA,
)

# 1 October 2022 Scheme: VERIFIED letters (domain.md 2.2; Portsmouth 202224228).
COURT_PROCEEDINGS_2022 = SchemeGround(
    "scheme_2022_41c",
    "41(c)",
    "2022",
    GroundKind.CANNOT,
    N_(
        "The Housing Ombudsman cannot look at matters that are going through the courts, or that a court has "
        "already decided."
    ),
    Standing.VERIFIED,
    _BARKING_AND_DAGENHAM,
)
RAISED_LATE_WITH_LANDLORD_2022 = SchemeGround(
    "scheme_2022_42c",
    "42(c)",
    "2022",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at problems that were not raised within a reasonable time, "
        "normally within 6 months of them happening."
    ),
    Standing.VERIFIED,
    _PORTSMOUTH,
)
COURTS_BETTER_2022 = SchemeGround(
    "scheme_2022_42f",
    "42(f)",
    "2022",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at matters that it thinks would be quicker, fairer, more "
        "reasonable or more effective to settle through the courts, a tribunal or another procedure."
    ),
    Standing.VERIFIED,
    _EALING,
)
ANOTHER_OMBUDSMAN_2022 = SchemeGround(
    "scheme_2022_42j",
    "42(j)",
    "2022",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at matters that belong to another ombudsman. For example, how a "
        "council deals with housing applications under its allocation scheme is for the Local Government "
        "and Social Care Ombudsman."
    ),
    Standing.VERIFIED,
    _PORTSMOUTH,
)
GOVERNANCE_2022 = SchemeGround(
    "scheme_2022_42m",
    "42(m)",
    "2022",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman may not look at how your landlord's governance works, or at wider problems "
        "across the whole organisation. It looks at specific complaints about the service you received."
    ),
    Standing.VERIFIED,
    _PORTSMOUTH,
)

# 1 September 2020 Scheme, para 39: VERIFIED letters (domain.md 1.12, 2.2; Westlea 201911525).
PROCESS_NOT_FINISHED_2020 = SchemeGround(
    "scheme_2020_39a",
    "39(a)",
    "2020",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman will not look at a complaint made before the landlord's complaints process has "
        "finished, unless there is evidence that the landlord failed to handle the complaint properly."
    ),
    Standing.VERIFIED,
    _HYDE,
)
RAISED_LATE_WITH_LANDLORD_2020 = SchemeGround(
    "scheme_2020_39e",
    "39(e)",
    "2020",
    GroundKind.MAY_NOT,
    N_(
        "The Housing Ombudsman will not look at problems that were not raised with the landlord as a formal "
        "complaint within a reasonable time, normally within 6 months of them happening."
    ),
    Standing.VERIFIED,
    _WESTLEA,
)

SCHEME_GROUNDS: tuple[SchemeGround, ...] = (
    PROCESS_NOT_FINISHED_2024,
    TWELVE_MONTHS_TO_OMBUDSMAN_2024,
    RAISED_LATE_WITH_LANDLORD_2024,
    RENT_OR_SERVICE_CHARGE_LEVEL_2024,
    COURTS_BETTER_2024,
    NO_POWER_TO_GIVE_2024,
    ANOTHER_BODY_2024,
    ALREADY_DECIDED_2024,
    PERSONNEL_MATTERS,
    COURT_PROCEEDINGS_2022,
    RAISED_LATE_WITH_LANDLORD_2022,
    COURTS_BETTER_2022,
    ANOTHER_OMBUDSMAN_2022,
    GOVERNANCE_2022,
    PROCESS_NOT_FINISHED_2020,
    RAISED_LATE_WITH_LANDLORD_2020,
)
GROUNDS_BY_ID: dict[str, SchemeGround] = {ground.id: ground for ground in SCHEME_GROUNDS}

# Which grounds a subject meets. Verified (2022) letters are used wherever a decision applied them.
_SUBJECT_GROUNDS: dict[Subject, tuple[SchemeGround, ...]] = {
    Subject.RENT_LEVEL: (RENT_OR_SERVICE_CHARGE_LEVEL_2024,),
    Subject.SERVICE_CHARGE_LEVEL: (RENT_OR_SERVICE_CHARGE_LEVEL_2024,),
    Subject.PERSONNEL: (PERSONNEL_MATTERS,),
    Subject.GOVERNANCE: (GOVERNANCE_2022,),
}
_COURT_GROUNDS = (COURT_PROCEEDINGS_2022, COURTS_BETTER_2022)


# --- routes ---------------------------------------------------------------------------------------


class RouteReason(StrEnum):
    SOCIAL_LANDLORD = "social_landlord"  # housing association, other registered provider, ALMO
    COUNCIL_AS_LANDLORD = "council_as_landlord"
    COUNCIL_AS_HOUSING_AUTHORITY = "council_as_housing_authority"  # allocations, homelessness, grants
    COUNCIL_FUNCTION = "council_function"  # a housing association or ALMO doing a council job
    HOME_IN_WALES = "home_in_wales"
    HOME_IN_SCOTLAND = "home_in_scotland"
    HOME_IN_NORTHERN_IRELAND = "home_in_northern_ireland"
    PRIVATE_LANDLORD = "private_landlord"
    LETTING_AGENT = "letting_agent"
    PRIVATE_RENTING_OUTSIDE_ENGLAND = "private_renting_outside_england"  # domain.md has no route
    UNKNOWN_LANDLORD = "unknown_landlord"


@dataclass(frozen=True, slots=True)
class Route:
    body: Body
    reason: RouteReason
    # Scheme grounds that may stop the Housing Ombudsman investigating this subject (empty when none).
    grounds: tuple[SchemeGround, ...]
    also: tuple[Body, ...] = ()  # another body that may share the complaint
    nation: Nation = Nation.ENGLAND

    @property
    def outside_housing_ombudsman(self) -> bool:
        """True when another body handles it, or a Scheme ground says HOS cannot or may not consider it."""
        return self.body is not Body.HOUSING_OMBUDSMAN or any(
            ground.kind in (GroundKind.CANNOT, GroundKind.MAY_NOT) for ground in self.grounds
        )


_HOUSING_AUTHORITY_SUBJECTS = frozenset(
    {Subject.ALLOCATIONS, Subject.HOMELESSNESS, Subject.GRANTS_ADAPTATIONS}
)
_REGISTERED_PROVIDERS = frozenset({LandlordType.HOUSING_ASSOCIATION, LandlordType.REGISTERED_PROVIDER})
_PRIVATE = frozenset({LandlordType.PRIVATE_LANDLORD, LandlordType.LETTING_AGENT})
_NATION_ROUTES = {
    Nation.WALES: (Body.PSOW, RouteReason.HOME_IN_WALES),
    Nation.SCOTLAND: (Body.SPSO, RouteReason.HOME_IN_SCOTLAND),
    Nation.NORTHERN_IRELAND: (Body.NIPSO, RouteReason.HOME_IN_NORTHERN_IRELAND),
}


def route_for(
    nation: Nation | str | None,
    landlord_type: str | None,
    subject: str | None,
    *,
    court_proceedings: bool = False,
) -> Route:
    """Which body handles the complaint, and why (domain.md 4.1–4.5). Never raises.

    `landlord_type` and `subject` may be ids or the resident's own words. An unknown nation is taken
    as England (the assistant is for England); an unknown landlord in England goes to the Housing
    Ombudsman, the body for social housing.
    """
    where = parse_nation(nation)
    landlord = parse_landlord_type(landlord_type)
    about = parse_subject(subject)

    if where is not Nation.ENGLAND:
        if landlord in _PRIVATE:
            return Route(
                Body.COUNCIL_PRIVATE_SECTOR, RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND, (), nation=where
            )
        body, reason = _NATION_ROUTES[where]
        return Route(body, reason, (), nation=where)

    hos_grounds = _SUBJECT_GROUNDS.get(about, ()) + (_COURT_GROUNDS if court_proceedings else ())
    court_only = _COURT_GROUNDS if court_proceedings else ()

    if about in _HOUSING_AUTHORITY_SUBJECTS:
        if landlord in _REGISTERED_PROVIDERS and about is not Subject.HOMELESSNESS:
            # Normally the Housing Ombudsman; the LGSCO only when the association carries out a council
            # function, e.g. a common allocation scheme (domain.md 4.1, VERIFIED).
            return Route(Body.HOUSING_OMBUDSMAN, RouteReason.SOCIAL_LANDLORD, hos_grounds, (Body.LGSCO,))
        if landlord in _REGISTERED_PROVIDERS or landlord is LandlordType.ALMO:
            # Homelessness is the council's duty; an ALMO runs the council's own schemes.
            return Route(
                Body.LGSCO,
                RouteReason.COUNCIL_FUNCTION,
                (ANOTHER_OMBUDSMAN_2022, *court_only),
                (Body.HOUSING_OMBUDSMAN,),
            )
        if landlord in _PRIVATE:
            return Route(Body.LGSCO, RouteReason.COUNCIL_AS_HOUSING_AUTHORITY, ())
        # A council (or an unknown landlord): the council as housing authority. For allocations, a
        # management transfer by a council landlord stays with the Housing Ombudsman (Portsmouth).
        if about is Subject.ALLOCATIONS or landlord is None:
            return Route(
                Body.LGSCO,
                RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
                (ANOTHER_OMBUDSMAN_2022, *court_only),
                (Body.HOUSING_OMBUDSMAN,),
            )
        return Route(Body.LGSCO, RouteReason.COUNCIL_AS_HOUSING_AUTHORITY, (ANOTHER_OMBUDSMAN_2022,))

    match landlord:
        case LandlordType.PRIVATE_LANDLORD:
            return Route(Body.COUNCIL_PRIVATE_SECTOR, RouteReason.PRIVATE_LANDLORD, ())
        case LandlordType.LETTING_AGENT:
            return Route(Body.PROPERTY_REDRESS, RouteReason.LETTING_AGENT, ())
        case LandlordType.COUNCIL:
            return Route(Body.HOUSING_OMBUDSMAN, RouteReason.COUNCIL_AS_LANDLORD, hos_grounds)
        case None:
            return Route(Body.HOUSING_OMBUDSMAN, RouteReason.UNKNOWN_LANDLORD, hos_grounds)
        case _:
            return Route(Body.HOUSING_OMBUDSMAN, RouteReason.SOCIAL_LANDLORD, hos_grounds)


# --- parsing the resident's words -----------------------------------------------------------------

_MAX_TEXT = 5_000  # keyword matching reads at most this much (a Telegram message is at most 4,096)


def _normalise_id(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _words(value: str) -> str:
    return value[:_MAX_TEXT].lower().replace("’", "'")


# Checked in order; the first match wins (more specific subjects first).
_SUBJECT_PATTERNS: tuple[tuple[Subject, re.Pattern[str]], ...] = tuple(
    (subject, re.compile(pattern))
    for subject, pattern in (
        (
            Subject.PERSONNEL,
            r"\bdisciplin|\bsack(?:ed|ing)?\b|\bfired\b|\bdismissed\b|\blose (?:his|her|their) jobs?\b",
        ),
        (
            Subject.GOVERNANCE,
            r"\bgovernance\b|\bcorrupt|\bboard (?:members?|of directors|meetings?)\b|\bchief executive\b"
            r"|\bsystemic\b",
        ),
        (
            Subject.HOMELESSNESS,
            r"\bhomeless|\btemporary accommodation\b|\bemergency accommodation\b|\bbed and breakfast\b",
        ),
        (
            Subject.ALLOCATIONS,
            r"\bwaiting list|\bhousing register\b|\bbidding\b|\bbanding\b|\bband [a-e1-5]\b"
            # "bids" only when not the neighbour's ("my neighbour bids ... noisy" is anti-social behaviour)
            r"|(?<!neighbour )(?<!neighbours )(?<!neighbor )(?<!neighbors )\bbids?\b"
            r"|\ballocat|\bhousing application|\bchoice[- ]based letting|(?<!management )\btransfer",
        ),
        (
            Subject.GRANTS_ADAPTATIONS,
            r"\bdisabled facilities|\bdfg\b|\bgrants?\b|\badaptations?\b|\bstair ?lift|\bwet ?room"
            r"|\bgrab rails?\b|\bramp\b",
        ),
        (Subject.SERVICE_CHARGE_LEVEL, r"\bservice charges?\b"),
        (
            Subject.RENT_LEVEL,
            r"\brent (?:increase|rise|went up|going up|has gone up|is too high|too high|level|review)"
            r"|\b(?:increase|rise) in (?:my |the |our )?rent\b|\brais(?:e|ed|ing) (?:my |the |our )?rent\b"
            r"|\bhigh rent\b",
        ),
        (
            Subject.CRIME,
            r"\bcrimes?\b|\bcriminal\b|\bassault|\battacked\b|\bstabb(?:ed|ing)\b|\bburglar|\bbroke in(?:to)?\b|\bstolen\b"
            r"|\btheft\b|\bdrug dealing\b|\bthreatened to (?:kill|hurt)\b",
        ),
        (Subject.DAMP_MOULD, r"\bdamp|\bmou?ld|\bcondensation\b"),
        (
            Subject.REPAIRS,
            r"\brepair|\bdisrepair\b|\bleak|\bbroken\b|\bboiler\b|\bheating\b|\bhot water\b|\bfix"
            r"|\broof\b|\bwindows?\b|\bplumbing\b|\btoilet\b|\belectric|\bpests?\b|\bmice\b|\brats?\b",
        ),
        (
            Subject.ANTISOCIAL_BEHAVIOUR,
            r"\bneighbou?rs?\b|\bnoise|\bnoisy\b|\banti ?-?social|\basb\b|\bnuisance\b|\bvandal",
        ),
        (
            Subject.COMPLAINT_HANDLING,
            r"\bcomplaints? (?:handling|process|procedure|response)|\bcomplaint (?:was |got )?ignored"
            r"|\bignored (?:my |our )?complaint|\bstage (?:1|2|one|two)\b|\bescalat",
        ),
        (
            Subject.STAFF_CONDUCT,
            r"\bstaff\b|\bhousing officer|\bofficers?\b|\brude\b|\battitude\b|\bunprofessional\b"
            r"|\bcontractors?\b|\bharass|\bdiscriminat|\bbias",
        ),
        (
            Subject.TENANCY_MANAGEMENT,
            r"\btenancy\b|\bsuccession\b|\bmutual exchange\b|\bmanagement transfer\b|\bevict|\barrears\b"
            r"|\bpossession\b|\blease\b",
        ),
    )
)


def parse_topics(value: str | None) -> list[Subject]:
    """Every subject the resident's words speak of, most specific first (one complaint, several parts)."""
    if not isinstance(value, str) or not value.strip():
        return []
    text = _words(value)
    return [subject for subject, pattern in _SUBJECT_PATTERNS if pattern.search(text)]


def parse_subject(value: str | None) -> Subject:
    """A subject id (any case, hyphens or spaces for underscores) or the resident's words; else OTHER."""
    if not isinstance(value, str) or not value.strip():
        return Subject.OTHER
    as_id = _normalise_id(value[:100])
    for subject in Subject:
        if as_id == subject.value:
            return subject
    text = _words(value)
    for subject, pattern in _SUBJECT_PATTERNS:
        if pattern.search(text):
            return subject
    return Subject.OTHER


_LANDLORD_PATTERNS: tuple[tuple[LandlordType, re.Pattern[str]], ...] = tuple(
    (landlord, re.compile(pattern))
    for landlord, pattern in (
        (LandlordType.ALMO, r"\balmo\b|\barm'?s?[- ]length"),
        (LandlordType.LETTING_AGENT, r"\bagen(?:t|cy)"),
        (LandlordType.HOUSING_ASSOCIATION, r"\bhousing associations?\b|\bhousing trust\b|^\s*ha\s*$"),
        (
            LandlordType.REGISTERED_PROVIDER,
            r"\bregistered (?:social )?(?:provider|landlord)|\brsl\b|^\s*rp\s*$|\bhousing co-?op",
        ),
        (LandlordType.PRIVATE_LANDLORD, r"\bprivate|\bbuy[- ]to[- ]let\b"),
        (LandlordType.COUNCIL, r"\bcouncil|\blocal authority\b|\bborough\b"),
    )
)


def parse_landlord_type(value: str | None) -> LandlordType | None:
    """A landlord type id (any case, hyphens or spaces) or simple words; None when it cannot be placed."""
    if not isinstance(value, str) or not value.strip():
        return None
    as_id = _normalise_id(value[:100])
    for landlord in LandlordType:
        if as_id == landlord.value:
            return landlord
    text = _words(value)
    for landlord, pattern in _LANDLORD_PATTERNS:
        if pattern.search(text):
            return landlord
    return None


_NATION_WORDS = {
    "england": Nation.ENGLAND,
    "wales": Nation.WALES,
    "cymru": Nation.WALES,
    "scotland": Nation.SCOTLAND,
    "northern_ireland": Nation.NORTHERN_IRELAND,
    "ni": Nation.NORTHERN_IRELAND,
}


def parse_nation(value: Nation | str | None) -> Nation:
    """A nation id or name; anything else is England, the assistant's home nation."""
    if isinstance(value, Nation):
        return value
    if not isinstance(value, str):
        return Nation.ENGLAND
    return _NATION_WORDS.get(_normalise_id(value[:100]), Nation.ENGLAND)


# --- names ----------------------------------------------------------------------------------------

BODY_NAMES: dict[Body, str] = {
    Body.HOUSING_OMBUDSMAN: N_("The Housing Ombudsman"),
    Body.LGSCO: N_("The Local Government and Social Care Ombudsman"),
    Body.PSOW: N_("The Public Services Ombudsman for Wales"),
    Body.SPSO: N_("The Scottish Public Services Ombudsman"),
    Body.NIPSO: N_("The Northern Ireland Public Services Ombudsman"),
    Body.PROPERTY_REDRESS: N_("The Property Ombudsman or the Property Redress Scheme"),
    Body.COUNCIL_PRIVATE_SECTOR: N_("The private-sector housing team at your council"),
}

# The same names inside a sentence ("likely to be for the Local Government ..."), never with a capital "The".
BODY_IN_SENTENCE: dict[Body, str] = {
    Body.HOUSING_OMBUDSMAN: N_("the Housing Ombudsman"),
    Body.LGSCO: N_("the Local Government and Social Care Ombudsman"),
    Body.PSOW: N_("the Public Services Ombudsman for Wales"),
    Body.SPSO: N_("the Scottish Public Services Ombudsman"),
    Body.NIPSO: N_("the Northern Ireland Public Services Ombudsman"),
    Body.PROPERTY_REDRESS: N_("the agent's redress scheme"),
    Body.COUNCIL_PRIVATE_SECTOR: N_("your council's private-sector housing team"),
}

NATION_NAMES: dict[Nation, str] = {
    Nation.ENGLAND: N_("England"),
    Nation.WALES: N_("Wales"),
    Nation.SCOTLAND: N_("Scotland"),
    Nation.NORTHERN_IRELAND: N_("Northern Ireland"),
}

SUBJECT_LABELS: dict[Subject, str] = {
    Subject.REPAIRS: N_("Repairs"),
    Subject.DAMP_MOULD: N_("Damp and mould"),
    Subject.ANTISOCIAL_BEHAVIOUR: N_("Anti-social behaviour"),
    Subject.STAFF_CONDUCT: N_("How staff treated me"),
    Subject.COMPLAINT_HANDLING: N_("How my complaint was handled"),
    Subject.TENANCY_MANAGEMENT: N_("My tenancy or lease"),
    Subject.RENT_LEVEL: N_("How much rent I pay"),
    Subject.SERVICE_CHARGE_LEVEL: N_("How much service charge I pay"),
    Subject.ALLOCATIONS: N_("The housing register or a move"),
    Subject.HOMELESSNESS: N_("Homelessness or temporary accommodation"),
    Subject.GRANTS_ADAPTATIONS: N_("Adaptations or a disabled facilities grant"),
    Subject.PERSONNEL: N_("I want a member of staff disciplined"),
    Subject.GOVERNANCE: N_("How the landlord is run"),
    Subject.CRIME: N_("A crime"),
    Subject.OTHER: N_("Something else"),
}


def body_name(body: Body, t: Translator) -> str:
    """The body's name as a title ("The Housing Ombudsman"), so it can start a sentence."""
    return t.gettext(BODY_NAMES[body])


def body_in_sentence(body: Body, t: Translator) -> str:
    """The body's name inside a sentence ("for the Housing Ombudsman")."""
    return t.gettext(BODY_IN_SENTENCE[body])


def nation_name(nation: Nation, t: Translator) -> str:
    return t.gettext(NATION_NAMES[nation])


def subject_label(subject: Subject, t: Translator) -> str:
    """A short label for a button."""
    return t.gettext(SUBJECT_LABELS[subject])


# --- rendering ------------------------------------------------------------------------------------

_HOS_RESIDENTS = "https://www.housing-ombudsman.org.uk/residents/"
_LGSCO_SITE = "https://www.lgo.org.uk"
_LGSCO_HOUSING_APPLICATIONS = (
    "https://www.lgo.org.uk/make-a-complaint/fact-sheets/housing/housing-applications"
)
_PSOW_SITE = "https://www.ombudsman.wales"
_NIPSO_SITE = "https://nipso.org.uk"
_TPO_HOW_IT_WORKS = "https://www.tpos.co.uk/how-it-works"
_SPSO_FREEPHONE = "0800 377 7330"  # as published on a Scottish housing association's page (domain.md 4.3)

REASON_TEXTS: dict[RouteReason, str] = {
    RouteReason.SOCIAL_LANDLORD: N_(
        "Your landlord is a social landlord in England, such as a housing association, so complaints "
        "about it go to the Housing Ombudsman."
    ),
    RouteReason.COUNCIL_AS_LANDLORD: N_(
        "Your council is your landlord. Complaints about how a council looks after its homes and tenants, "
        "such as repairs, anti-social behaviour or managing your tenancy, go to the Housing Ombudsman."
    ),
    RouteReason.COUNCIL_AS_HOUSING_AUTHORITY: N_(
        "This is about the council's work as the local housing authority (the housing register, homelessness "
        "or housing grants), not about a landlord. The Local Government and Social Care Ombudsman handles "
        "these complaints."
    ),
    RouteReason.COUNCIL_FUNCTION: N_(
        "This is about a council's job (the housing register, homelessness or housing grants). The Local "
        "Government and Social Care Ombudsman handles these complaints, including when another organisation "
        "carries out that job for the council."
    ),
    RouteReason.HOME_IN_WALES: N_(
        "Your home is in Wales. The Public Services Ombudsman for Wales, not the Housing Ombudsman, handles "
        "complaints about social landlords in Wales, including councils and housing associations."
    ),
    RouteReason.HOME_IN_SCOTLAND: N_(
        "Your home is in Scotland. The Scottish Public Services Ombudsman, not the Housing Ombudsman, "
        "handles complaints about social landlords in Scotland once the landlord's own complaints "
        "procedure is finished."
    ),
    RouteReason.HOME_IN_NORTHERN_IRELAND: N_(
        "Your home is in Northern Ireland. The Northern Ireland Public Services Ombudsman, not the Housing "
        "Ombudsman, investigates complaints about the Northern Ireland Housing Executive and housing "
        "associations."
    ),
    RouteReason.PRIVATE_LANDLORD: N_(
        "You rent from a private landlord. The Housing Ombudsman only covers social landlords, and there is "
        "no ombudsman for private landlords in England yet. A landlord redress scheme under the Renters' "
        "Rights Act 2025 is not running yet."
    ),
    RouteReason.LETTING_AGENT: N_(
        "Your complaint is about a letting or managing agent. Letting agents in England must belong to a "
        "redress scheme: The Property Ombudsman or the Property Redress Scheme. Ask the agent which one."
    ),
    RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND: N_(
        "Your home is in {nation} and you rent privately. Our information on private renting covers England "
        "only, so we cannot tell you who handles this in {nation}. Your council or a local advice service "
        "can tell you."
    ),
    RouteReason.UNKNOWN_LANDLORD: N_(
        "We do not know what kind of landlord you have. If it is a council, a housing association or another "
        "social landlord in England, the Housing Ombudsman handles complaints about it. If you rent "
        "privately, tell us, because the route is different."
    ),
}


def _contact_lines(route: Route, t: Translator) -> list[str]:
    match route.body:
        case Body.HOUSING_OMBUDSMAN:
            return [
                t.gettext(
                    "The Housing Ombudsman is free. Your landlord's complaints process normally has to "
                    "finish first, but if your landlord misses its deadlines you can contact the "
                    "Ombudsman now."
                ),
                t.gettext(
                    "To complain, use the online form on the Housing Ombudsman's website: {url}"
                ).format(url=_HOS_RESIDENTS),
                t.gettext(
                    "Since 13 January 2026 the Housing Ombudsman no longer accepts new case enquiries "
                    "by email. Someone you trust, such as a relative or support worker, can use the "
                    "form for you."
                ),
            ]
        case Body.LGSCO:
            lines = [
                t.gettext(
                    "Find out how to complain on the Local Government and Social Care Ombudsman's "
                    "website: {url}"
                ).format(url=_LGSCO_SITE),
                t.gettext(
                    "It generally does not look at matters you have known about for more than 12 "
                    "months, so do not wait."
                ),
            ]
            if route.reason is RouteReason.COUNCIL_FUNCTION:
                lines.append(
                    t.gettext(
                        "When it looks at housing associations carrying out council work "
                        "(its fact sheet on housing applications): {url}"
                    ).format(url=_LGSCO_HOUSING_APPLICATIONS)
                )
            return lines
        case Body.PSOW:
            return [
                t.gettext(
                    "Find out how to complain on the Public Services Ombudsman for Wales's website: {url}"
                ).format(url=_PSOW_SITE),
                t.gettext(
                    "Complain normally within a year of first knowing about the problem. We have not "
                    "been able to confirm this limit for complaints you make yourself: check with the "
                    "Ombudsman."
                ),
                t.gettext(
                    "It cannot normally investigate if you could take the matter to a court or "
                    "tribunal, unless it would be unreasonable to expect you to."
                ),
            ]
        case Body.SPSO:
            return [
                t.gettext(
                    "Finish your landlord's two-stage complaints procedure first. Then you can call "
                    "the Scottish Public Services Ombudsman free on {phone}. We took this number from "
                    "a housing association's website, so check it on the Ombudsman's own website."
                ).format(phone=_SPSO_FREEPHONE),
            ]
        case Body.NIPSO:
            return [
                t.gettext(
                    "Finish your landlord's complaints procedure first, then go to the Ombudsman. Find "
                    "out how on its website: {url}"
                ).format(url=_NIPSO_SITE),
            ]
        case Body.PROPERTY_REDRESS:
            return [
                t.gettext(
                    "Complain to the agent first, using its own complaints procedure. At The Property "
                    "Ombudsman you can refer your complaint once the agent has sent its final letter "
                    "(its “final viewpoint”), or after 8 weeks without one, and within 12 months of "
                    "that final letter."
                ),
                t.gettext("How The Property Ombudsman works: {url}").format(url=_TPO_HOW_IT_WORKS),
            ]
        case Body.COUNCIL_PRIVATE_SECTOR:
            if route.reason is RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND:
                return []
            return [
                t.gettext(
                    "Contact your council's private-sector housing team about the problem. If a "
                    "letting agent manages your home, you can also complain through the agent's "
                    "redress scheme."
                ),
            ]
    return []  # pragma: no cover - every body is handled


_ALSO: dict[Body, str] = {
    Body.LGSCO: N_(
        "If your complaint is about a council job that your landlord carries out, such as a common "
        "allocation scheme run with the council, the Local Government and Social Care Ombudsman may look "
        "at that part instead."
    ),
    Body.HOUSING_OMBUDSMAN: N_(
        "If part of your complaint is about how your landlord looks after your home or tenancy, such as "
        "repairs or a management transfer, that part is for the Housing Ombudsman."
    ),
}


def ground_lines(ground: SchemeGround, t: Translator) -> list[str]:
    lines = [t.gettext(ground.summary)]
    if ground.standing is not Standing.VERIFIED:
        if "(" in ground.paragraph:
            lines.append(
                t.gettext(
                    "We think this is paragraph {paragraph} of the Housing Ombudsman Scheme "
                    "({version}), but we have not been able to check the Scheme's own text. Check with "
                    "the Ombudsman before you rely on it."
                ).format(paragraph=ground.paragraph, version=ground.scheme_version)
            )
        else:
            lines.append(
                t.gettext(
                    "The Ombudsman has said this in a published decision, but we do not know which "
                    "paragraph of its Scheme covers it. Check with the Ombudsman before you rely on "
                    "it."
                )
            )
    elif ground.scheme_version == CURRENT_SCHEME_VERSION:
        lines.append(
            t.gettext("Housing Ombudsman Scheme ({version}), paragraph {paragraph}.").format(
                paragraph=ground.paragraph, version=ground.scheme_version
            )
        )
    else:
        lines.append(
            t.gettext(
                "The Ombudsman has used paragraph {paragraph} of its {version} Scheme for this. The "
                "current Scheme, in force since 1 April 2024, may number it differently."
            ).format(paragraph=ground.paragraph, version=ground.scheme_version)
        )
    lines.append(t.gettext("Source: {url}").format(url=ground.source))
    return lines


def render_route(route: Route, t: Translator) -> str:
    """Who handles the complaint, why, how to reach them, and what may stop the Housing Ombudsman."""
    nation = nation_name(route.nation, t)
    lines = []
    if route.reason is not RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND:  # there we cannot name the body
        lines.append(t.gettext("Who handles this complaint: {body}.").format(body=body_name(route.body, t)))
    lines.append(t.gettext(REASON_TEXTS[route.reason]).format(nation=nation))
    lines.extend(_contact_lines(route, t))
    for other in route.also:
        if other is not route.body and other in _ALSO:
            lines.append(t.gettext(_ALSO[other]))
    involved = {route.body, *route.also}
    if {Body.HOUSING_OMBUDSMAN, Body.LGSCO} <= involved:
        lines.append(
            t.gettext(
                "The Housing Ombudsman and the Local Government and Social Care Ombudsman "
                "work together when a complaint covers both, under a written agreement "
                "between them."
            )
        )
    if route.grounds:
        lines.append(
            t.ngettext(
                "This may stop the Housing Ombudsman looking at your complaint, or part of it:",
                "These may stop the Housing Ombudsman looking at your complaint, or part of it:",
                len(route.grounds),
            )
        )
        for ground in route.grounds:
            lines.extend(ground_lines(ground, t))
    if route.nation is not Nation.ENGLAND:
        lines.append(
            t.gettext(
                "The Housing Ombudsman's Complaint Handling Code does not apply in {nation}, "
                "so its time limits are not the ones your landlord has to meet. Timescales "
                "there are different."
            ).format(nation=nation)
        )
        if route.nation is Nation.WALES and route.body is Body.PSOW:
            lines.append(
                t.gettext(
                    "Many social landlords in Wales follow the Ombudsman's model complaints "
                    "policy, which gives them at most 20 working days to respond."
                )
            )
        elif route.nation is Nation.SCOTLAND and route.body is Body.SPSO:
            lines.append(
                t.gettext(
                    "Social landlords in Scotland usually answer within 5 working days at the "
                    "first stage and 20 working days at the second. Check your landlord's own "
                    "complaints policy."
                )
            )
    return "\n".join(lines)
