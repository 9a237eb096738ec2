"""Triage as data: the bodies that handle complaints, what a complaint is about, and the Housing Ombudsman
Scheme's grounds for not investigating.

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

from dataclasses import dataclass
from enum import StrEnum

from flows.code_rules import Standing
from flows.i18n import N_

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
