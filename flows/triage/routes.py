"""Triage's routing: which body handles a complaint (domain.md 4.1–4.5), and the Scheme grounds that
may stop the Housing Ombudsman looking at it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.case import LandlordType
from flows.triage.grounds import (
    ANOTHER_OMBUDSMAN_2022,
    COURT_PROCEEDINGS_2022,
    COURTS_BETTER_2022,
    GOVERNANCE_2022,
    PERSONNEL_MATTERS,
    RENT_OR_SERVICE_CHARGE_LEVEL_2024,
    Body,
    GroundKind,
    SchemeGround,
    Subject,
)
from flows.triage.parsing import parse_landlord_type, parse_nation, parse_subject
from flows.working_days import Nation

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
