"""Triage: routing table, Scheme grounds as data, parsing the resident's words, and rendering via gettext."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from hypothesis import given
from hypothesis import strategies as st
from support.wrapping import strip_wrapped

import flows.triage
import flows.triage.rendering
from flows.case import LandlordType
from flows.code_rules import Standing
from flows.i18n import Translator, translator
from flows.triage.grounds import GROUNDS_BY_ID, SCHEME_GROUNDS, Body, GroundKind, SchemeGround, Subject
from flows.triage.parsing import parse_landlord_type, parse_nation, parse_subject
from flows.triage.rendering import (
    BODY_NAMES,
    REASON_TEXTS,
    SUBJECT_LABELS,
    body_name,
    render_route,
    subject_label,
)
from flows.triage.routes import Route, RouteReason, route_for
from flows.working_days import Nation

HOS = Body.HOUSING_OMBUDSMAN
SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
URL = re.compile(r"https://\S+")
CHECK = "Check with the Ombudsman"
JUNK = ["", "   ", "🙂", "🙂" * 10_000, "x" * 10_000, "\x00\n\t", "{}", "{name}", "%s", "None", "-", "_"]

# Letters read in a source (domain.md 2.2, 1.12) or cited in a seed decision (Westlea, Portsmouth).
VERIFIED_CITATIONS = {
    ("2022", "41(c)"),  # Barking & Dagenham 202009340
    ("2022", "42(f)"),  # Ealing 202209234
    ("2022", "42(c)"),  # Portsmouth 202224228
    ("2022", "42(j)"),  # Portsmouth 202224228
    ("2022", "42(m)"),  # Portsmouth 202224228
    ("2020", "39(a)"),  # Hyde 202000411
    ("2020", "39(e)"),  # Westlea 201911525
}


@pytest.fixture
def english() -> Translator:
    return translator("en")


def _ids(grounds: tuple[SchemeGround, ...]) -> list[str]:
    return [ground.id for ground in grounds]


def _every_route() -> list[Route]:
    nations: list[Nation | None] = [*Nation, None]
    landlords: list[str | None] = [*LandlordType, None]
    return [
        route_for(nation, landlord, subject, court_proceedings=court)
        for nation, landlord, subject, court in itertools.product(nations, landlords, Subject, (False, True))
    ]


# --- Routing table --------------------------------------------------------------------------------

# (nation, landlord type, subject, court proceedings) -> (body, reason, ground ids, also)
ROUTES = [
    # England, every landlord type, an ordinary subject.
    ("england", "housing_association", "repairs", False, HOS, RouteReason.SOCIAL_LANDLORD, [], ()),
    ("england", "registered_provider", "repairs", False, HOS, RouteReason.SOCIAL_LANDLORD, [], ()),
    ("england", "almo", "repairs", False, HOS, RouteReason.SOCIAL_LANDLORD, [], ()),
    ("england", "council", "repairs", False, HOS, RouteReason.COUNCIL_AS_LANDLORD, [], ()),
    (
        "england",
        "private_landlord",
        "repairs",
        False,
        Body.COUNCIL_PRIVATE_SECTOR,
        RouteReason.PRIVATE_LANDLORD,
        [],
        (),
    ),
    ("england", "letting_agent", "repairs", False, Body.PROPERTY_REDRESS, RouteReason.LETTING_AGENT, [], ()),
    ("england", None, "repairs", False, HOS, RouteReason.UNKNOWN_LANDLORD, [], ()),
    ("england", "a man called Bob", "repairs", False, HOS, RouteReason.UNKNOWN_LANDLORD, [], ()),
    # Council as housing authority -> LGSCO; council as landlord -> HOS (Portsmouth: management transfer).
    (
        "england",
        "council",
        "allocations",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (HOS,),
    ),
    (
        "england",
        "council",
        "homelessness",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (),
    ),
    (
        "england",
        "council",
        "grants_adaptations",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (),
    ),
    ("england", "council", "damp_mould", False, HOS, RouteReason.COUNCIL_AS_LANDLORD, [], ()),
    ("england", "council", "antisocial_behaviour", False, HOS, RouteReason.COUNCIL_AS_LANDLORD, [], ()),
    ("england", "council", "tenancy_management", False, HOS, RouteReason.COUNCIL_AS_LANDLORD, [], ()),
    # Housing associations: allocations normally HOS, LGSCO for a council function (common allocation scheme).
    (
        "england",
        "housing_association",
        "allocations",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        [],
        (Body.LGSCO,),
    ),
    (
        "england",
        "registered_provider",
        "grants_adaptations",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        [],
        (Body.LGSCO,),
    ),
    (
        "england",
        "housing_association",
        "homelessness",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_FUNCTION,
        ["scheme_2022_42j"],
        (HOS,),
    ),
    (
        "england",
        "almo",
        "allocations",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_FUNCTION,
        ["scheme_2022_42j"],
        (HOS,),
    ),
    (
        "england",
        "private_landlord",
        "homelessness",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        [],
        (),
    ),
    (
        "england",
        None,
        "allocations",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (HOS,),
    ),
    # Subjects the Scheme may keep out.
    (
        "england",
        "housing_association",
        "rent_level",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        ["scheme_2024_42d"],
        (),
    ),
    (
        "england",
        "council",
        "service_charge_level",
        False,
        HOS,
        RouteReason.COUNCIL_AS_LANDLORD,
        ["scheme_2024_42d"],
        (),
    ),
    (
        "england",
        "housing_association",
        "personnel",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        ["scheme_2024_42_personnel"],
        (),
    ),
    (
        "england",
        "council",
        "governance",
        False,
        HOS,
        RouteReason.COUNCIL_AS_LANDLORD,
        ["scheme_2022_42m"],
        (),
    ),
    ("england", "housing_association", "staff_conduct", False, HOS, RouteReason.SOCIAL_LANDLORD, [], ()),
    ("england", "council", "complaint_handling", False, HOS, RouteReason.COUNCIL_AS_LANDLORD, [], ()),
    # Court proceedings: 2022 Scheme 41(c) and 42(f).
    (
        "england",
        "housing_association",
        "repairs",
        True,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        ["scheme_2022_41c", "scheme_2022_42f"],
        (),
    ),
    (
        "england",
        "council",
        "rent_level",
        True,
        HOS,
        RouteReason.COUNCIL_AS_LANDLORD,
        ["scheme_2024_42d", "scheme_2022_41c", "scheme_2022_42f"],
        (),
    ),
    (
        "england",
        "housing_association",
        "allocations",
        True,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        ["scheme_2022_41c", "scheme_2022_42f"],
        (Body.LGSCO,),
    ),
    (
        "england",
        "council",
        "homelessness",
        True,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (),
    ),
    (
        "england",
        "council",
        "allocations",
        True,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j", "scheme_2022_41c", "scheme_2022_42f"],
        (HOS,),
    ),
    (
        "england",
        "private_landlord",
        "repairs",
        True,
        Body.COUNCIL_PRIVATE_SECTOR,
        RouteReason.PRIVATE_LANDLORD,
        [],
        (),
    ),
    # Wales -> PSOW, even for a council and even for a council's housing-authority work.
    ("wales", "council", "repairs", False, Body.PSOW, RouteReason.HOME_IN_WALES, [], ()),
    ("wales", "council", "allocations", False, Body.PSOW, RouteReason.HOME_IN_WALES, [], ()),
    ("wales", "housing_association", "rent_level", True, Body.PSOW, RouteReason.HOME_IN_WALES, [], ()),
    ("wales", "almo", "repairs", False, Body.PSOW, RouteReason.HOME_IN_WALES, [], ()),
    ("wales", None, None, False, Body.PSOW, RouteReason.HOME_IN_WALES, [], ()),
    ("scotland", "housing_association", "repairs", False, Body.SPSO, RouteReason.HOME_IN_SCOTLAND, [], ()),
    ("scotland", "council", "homelessness", False, Body.SPSO, RouteReason.HOME_IN_SCOTLAND, [], ()),
    (
        "northern_ireland",
        "housing_association",
        "damp_mould",
        False,
        Body.NIPSO,
        RouteReason.HOME_IN_NORTHERN_IRELAND,
        [],
        (),
    ),
    (
        "northern_ireland",
        "registered_provider",
        "personnel",
        False,
        Body.NIPSO,
        RouteReason.HOME_IN_NORTHERN_IRELAND,
        [],
        (),
    ),
    # Private renting outside England: domain.md has no route, so no ombudsman is named.
    (
        "wales",
        "private_landlord",
        "repairs",
        False,
        Body.COUNCIL_PRIVATE_SECTOR,
        RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND,
        [],
        (),
    ),
    (
        "scotland",
        "letting_agent",
        "repairs",
        False,
        Body.COUNCIL_PRIVATE_SECTOR,
        RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND,
        [],
        (),
    ),
    (
        "northern_ireland",
        "private_landlord",
        "other",
        False,
        Body.COUNCIL_PRIVATE_SECTOR,
        RouteReason.PRIVATE_RENTING_OUTSIDE_ENGLAND,
        [],
        (),
    ),
    # The resident's own words, and an unknown nation (the assistant's home nation is England).
    (
        "England",
        "Housing Association",
        "black mould in the bathroom",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        [],
        (),
    ),
    (
        "Northern Ireland",
        "housing association",
        "leak",
        False,
        Body.NIPSO,
        RouteReason.HOME_IN_NORTHERN_IRELAND,
        [],
        (),
    ),
    (
        None,
        "Leeds City Council",
        "I've been on the waiting list for 6 years",
        False,
        Body.LGSCO,
        RouteReason.COUNCIL_AS_HOUSING_AUTHORITY,
        ["scheme_2022_42j"],
        (HOS,),
    ),
    (
        "Atlantis",
        "our housing association",
        "I want the housing officer disciplined",
        False,
        HOS,
        RouteReason.SOCIAL_LANDLORD,
        ["scheme_2024_42_personnel"],
        (),
    ),
]


@pytest.mark.parametrize(
    ("nation", "landlord", "subject", "court", "body", "reason", "grounds", "also"), ROUTES
)
def test_route_table(
    nation: str | None,
    landlord: str | None,
    subject: str | None,
    court: bool,
    body: Body,
    reason: RouteReason,
    grounds: list[str],
    also: tuple[Body, ...],
) -> None:
    route = route_for(nation, landlord, subject, court_proceedings=court)
    assert (route.body, route.reason, _ids(route.grounds), route.also) == (body, reason, grounds, also)
    assert route.nation is parse_nation(nation)


def test_route_table_covers_every_nation_landlord_type_body_and_reason() -> None:
    assert {parse_nation(row[0]) for row in ROUTES} == set(Nation)
    english = [row for row in ROUTES if parse_nation(row[0]) is Nation.ENGLAND]
    english_landlords = {parse_landlord_type(row[1]) for row in english}
    assert english_landlords == {*LandlordType, None}
    assert {row[4] for row in ROUTES} == set(Body)
    assert {row[5] for row in ROUTES} == set(RouteReason)


def test_route_accepts_a_nation_enum_and_enum_values() -> None:
    route = route_for(Nation.WALES, LandlordType.COUNCIL, Subject.ALLOCATIONS)
    assert (route.body, route.nation) == (Body.PSOW, Nation.WALES)


def test_seed_cases_route_to_the_housing_ombudsman() -> None:
    # flows/examples: Westlea (housing association) and Portsmouth (council), both about staff conduct.
    for landlord in ("housing_association", "council"):
        route = route_for(Nation.ENGLAND, landlord, "staff_conduct")
        assert route.body is HOS
        assert not route.outside_housing_ombudsman


def test_court_proceedings_add_41c_and_42f_exactly_where_the_housing_ombudsman_is_involved() -> None:
    nations: list[Nation | None] = [*Nation, None]
    landlords: list[str | None] = [*LandlordType, None]
    for nation, landlord, subject in itertools.product(nations, landlords, Subject):
        without = route_for(nation, landlord, subject)
        route = route_for(nation, landlord, subject, court_proceedings=True)
        assert (route.body, route.reason, route.also) == (without.body, without.reason, without.also)
        involved = HOS in (route.body, *route.also) and route.nation is Nation.ENGLAND
        court = (GROUNDS_BY_ID["scheme_2022_41c"], GROUNDS_BY_ID["scheme_2022_42f"])
        assert route.grounds == without.grounds + (court if involved else ()), (nation, landlord, subject)


def test_grounds_only_where_england_and_the_housing_ombudsman_may_be_asked() -> None:
    for route in _every_route():
        if route.nation is not Nation.ENGLAND or route.body in (
            Body.COUNCIL_PRIVATE_SECTOR,
            Body.PROPERTY_REDRESS,
        ):
            assert route.grounds == ()
        assert len(set(route.grounds)) == len(route.grounds)
        assert route.body not in route.also


@given(
    st.one_of(st.none(), st.text(max_size=300)),
    st.one_of(st.none(), st.text(max_size=300)),
    st.one_of(st.none(), st.text(max_size=300)),
    st.booleans(),
)
def test_route_for_never_raises(
    nation: str | None, landlord: str | None, subject: str | None, court: bool
) -> None:
    route = route_for(nation, landlord, subject, court_proceedings=court)
    assert isinstance(route.body, Body)
    assert render_route(route, translator("en"))


# --- outside_housing_ombudsman -------------------------------------------------------------------

MAY_NOT = GROUNDS_BY_ID["scheme_2024_42d"]
CANNOT = GROUNDS_BY_ID["scheme_2022_41c"]


@pytest.mark.parametrize(
    ("route", "outside"),
    [
        (Route(HOS, RouteReason.SOCIAL_LANDLORD, ()), False),
        (Route(HOS, RouteReason.SOCIAL_LANDLORD, (), (Body.LGSCO,)), False),
        (Route(HOS, RouteReason.SOCIAL_LANDLORD, (MAY_NOT,)), True),
        (Route(HOS, RouteReason.COUNCIL_AS_LANDLORD, (CANNOT,)), True),
        (Route(HOS, RouteReason.COUNCIL_AS_LANDLORD, (MAY_NOT, CANNOT)), True),
        *[(Route(body, RouteReason.UNKNOWN_LANDLORD, ()), True) for body in Body if body is not HOS],
        (Route(Body.LGSCO, RouteReason.COUNCIL_AS_HOUSING_AUTHORITY, (MAY_NOT,), (HOS,)), True),
    ],
)
def test_outside_housing_ombudsman_truth_table(route: Route, outside: bool) -> None:
    assert route.outside_housing_ombudsman is outside


def test_outside_matches_the_routing_rules() -> None:
    assert not route_for("england", "council", "repairs").outside_housing_ombudsman
    assert not route_for("england", "housing_association", "allocations").outside_housing_ombudsman
    assert route_for("england", "council", "allocations").outside_housing_ombudsman
    assert route_for("england", "housing_association", "personnel").outside_housing_ombudsman
    assert route_for("england", "council", "repairs", court_proceedings=True).outside_housing_ombudsman
    assert route_for("wales", "council", "repairs").outside_housing_ombudsman
    assert route_for("england", "letting_agent", "repairs").outside_housing_ombudsman


# --- The grounds as data --------------------------------------------------------------------------


def test_every_ground_has_paragraph_version_kind_standing_and_https_source() -> None:
    assert len(GROUNDS_BY_ID) == len(SCHEME_GROUNDS)
    for ground in SCHEME_GROUNDS:
        assert SNAKE_CASE.match(ground.id), ground.id
        assert re.fullmatch(r"\d{2}(?:\([a-z]\))?", ground.paragraph), ground.id
        assert ground.scheme_version in {"2024", "2022", "2020"}, ground.id
        assert ground.kind in (GroundKind.CANNOT, GroundKind.MAY_NOT), ground.id
        assert ground.kind in ("cannot", "may_not")
        assert isinstance(ground.standing, Standing), ground.id
        assert ground.source.startswith("https://") and " " not in ground.source, ground.id
        assert ground.summary.strip().endswith("."), ground.id
        assert GROUNDS_BY_ID[ground.id] is ground


def test_only_letters_read_in_a_source_are_verified() -> None:
    verified = {(g.scheme_version, g.paragraph) for g in SCHEME_GROUNDS if g.standing is Standing.VERIFIED}
    assert verified == VERIFIED_CITATIONS
    # The current Scheme's para 42 letters are a recollection (domain.md 2.2, 7.4).
    assert all(g.standing is not Standing.VERIFIED for g in SCHEME_GROUNDS if g.scheme_version == "2024")


def test_cited_decisions_back_their_grounds() -> None:
    portsmouth = "portsmouth-city-council-202224228"
    westlea = "westlea-housing-association-limited-201911525"
    for ground_id in ("scheme_2022_42c", "scheme_2022_42j", "scheme_2022_42m"):
        assert portsmouth in GROUNDS_BY_ID[ground_id].source
    assert westlea in GROUNDS_BY_ID["scheme_2020_39e"].source
    assert westlea in GROUNDS_BY_ID["scheme_2024_42_personnel"].source
    assert GROUNDS_BY_ID["scheme_2022_41c"].kind is GroundKind.CANNOT
    assert GROUNDS_BY_ID["scheme_2022_42f"].kind is GroundKind.MAY_NOT


def test_the_current_42c_summary_names_no_period() -> None:
    # 6 or 12 months is unresolved for the current Scheme (domain.md 2.2, 7.4).
    assert "month" not in GROUNDS_BY_ID["scheme_2024_42c"].summary


# --- Parsing --------------------------------------------------------------------------------------


def test_subject_ids_are_short_stable_snake_case() -> None:
    for subject in Subject:
        assert SNAKE_CASE.match(subject.value) and len(subject.value) <= 24, subject
    for reason in RouteReason:
        assert SNAKE_CASE.match(reason.value), reason


@pytest.mark.parametrize("subject", list(Subject))
def test_parse_subject_accepts_ids_in_any_case_with_hyphens_or_spaces(subject: Subject) -> None:
    assert parse_subject(subject.value) is subject
    assert parse_subject(subject.value.upper()) is subject
    assert parse_subject(subject.value.replace("_", "-")) is subject
    assert parse_subject(" " + subject.value.replace("_", " ").title() + " ") is subject
    assert parse_subject(subject) is subject


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("There's black mould in the bedroom", Subject.DAMP_MOULD),
        ("MOULD", Subject.DAMP_MOULD),
        ("damp patches on the wall and a leak", Subject.DAMP_MOULD),
        ("the roof has a leak", Subject.REPAIRS),
        ("They never repair anything", Subject.REPAIRS),
        ("the fire door is broken", Subject.REPAIRS),
        ("my neighbour plays loud music", Subject.ANTISOCIAL_BEHAVIOUR),
        ("Noise every night from upstairs", Subject.ANTISOCIAL_BEHAVIOUR),
        ("a rent increase of 7%", Subject.RENT_LEVEL),
        ("they raised my rent again", Subject.RENT_LEVEL),
        ("the service charge went up", Subject.SERVICE_CHARGE_LEVEL),
        ("I've been on the waiting list for years", Subject.ALLOCATIONS),
        ("bidding on properties gets me nowhere", Subject.ALLOCATIONS),
        ("I asked for a transfer on medical grounds", Subject.ALLOCATIONS),
        ("I am homeless and the council won't help", Subject.HOMELESSNESS),
        ("temporary accommodation is awful", Subject.HOMELESSNESS),
        ("I want the housing officer disciplined", Subject.PERSONNEL),
        ("I want her sacked", Subject.PERSONNEL),
        ("the staff were dismissive", Subject.STAFF_CONDUCT),
        ("the housing officer was rude to me", Subject.STAFF_CONDUCT),
        ("they ignored my complaint", Subject.COMPLAINT_HANDLING),
        ("they refused to escalate to stage 2", Subject.COMPLAINT_HANDLING),
        ("my disabled facilities grant was refused", Subject.GRANTS_ADAPTATIONS),
        ("I need a stairlift", Subject.GRANTS_ADAPTATIONS),
        ("corruption at the top of the organisation", Subject.GOVERNANCE),
        ("I asked for a management transfer", Subject.TENANCY_MANAGEMENT),
        ("succession to my mum's tenancy", Subject.TENANCY_MANAGEMENT),
        ("lovely weather today", Subject.OTHER),
        ("🙂 " * 100 + "there is mould everywhere", Subject.DAMP_MOULD),
    ],
)
def test_parse_subject_reads_the_residents_words(text: str, subject: Subject) -> None:
    assert parse_subject(text) is subject


@pytest.mark.parametrize("junk", [None, *JUNK])
def test_parse_subject_junk_is_other(junk: str | None) -> None:
    assert parse_subject(junk) is Subject.OTHER


@given(st.text(max_size=2_000))
def test_parse_subject_never_raises(text: str) -> None:
    assert isinstance(parse_subject(text), Subject)


@pytest.mark.parametrize("landlord", list(LandlordType))
def test_parse_landlord_type_accepts_ids_in_any_case_with_hyphens_or_spaces(landlord: LandlordType) -> None:
    assert parse_landlord_type(landlord.value) is landlord
    assert parse_landlord_type(landlord.value.upper().replace("_", "-")) is landlord
    assert parse_landlord_type(landlord.value.replace("_", " ")) is landlord
    assert parse_landlord_type(landlord) is landlord


@pytest.mark.parametrize(
    ("text", "landlord"),
    [
        ("my landlord is a housing association", LandlordType.HOUSING_ASSOCIATION),
        ("Clarion Housing Association", LandlordType.HOUSING_ASSOCIATION),
        ("a housing trust", LandlordType.HOUSING_ASSOCIATION),
        ("HA", LandlordType.HOUSING_ASSOCIATION),
        ("a registered provider", LandlordType.REGISTERED_PROVIDER),
        ("private registered provider of social housing", LandlordType.REGISTERED_PROVIDER),
        ("the council", LandlordType.COUNCIL),
        ("Leeds City Council", LandlordType.COUNCIL),
        ("local authority", LandlordType.COUNCIL),
        ("ALMO", LandlordType.ALMO),
        ("an arm's-length management organisation for the council", LandlordType.ALMO),
        ("an arm’s length body", LandlordType.ALMO),
        ("letting agent", LandlordType.LETTING_AGENT),
        ("the agent", LandlordType.LETTING_AGENT),
        ("a lettings agency", LandlordType.LETTING_AGENT),
        ("private landlord", LandlordType.PRIVATE_LANDLORD),
        ("I rent privately", LandlordType.PRIVATE_LANDLORD),
        ("Bob", None),
        ("a social landlord", None),
    ],
)
def test_parse_landlord_type_reads_simple_words(text: str, landlord: LandlordType | None) -> None:
    assert parse_landlord_type(text) is landlord


@pytest.mark.parametrize("junk", [None, *JUNK])
def test_parse_landlord_type_junk_is_none(junk: str | None) -> None:
    assert parse_landlord_type(junk) is None


@given(st.text(max_size=2_000))
def test_parse_landlord_type_never_raises(text: str) -> None:
    result = parse_landlord_type(text)
    assert result is None or isinstance(result, LandlordType)


@pytest.mark.parametrize(
    ("value", "nation"),
    [
        (Nation.SCOTLAND, Nation.SCOTLAND),
        ("wales", Nation.WALES),
        ("Cymru", Nation.WALES),
        ("Northern Ireland", Nation.NORTHERN_IRELAND),
        ("northern-ireland", Nation.NORTHERN_IRELAND),
        ("NI", Nation.NORTHERN_IRELAND),
        ("SCOTLAND", Nation.SCOTLAND),
        (None, Nation.ENGLAND),
        ("", Nation.ENGLAND),
        ("🙂" * 10_000, Nation.ENGLAND),
    ],
)
def test_parse_nation(value: Nation | str | None, nation: Nation) -> None:
    assert parse_nation(value) is nation


# --- Rendering ------------------------------------------------------------------------------------


def test_render_goes_entirely_through_the_translator(wrapping: Translator) -> None:
    for route in _every_route():
        rendered = render_route(route, wrapping)
        for line in rendered.splitlines():
            if not line.strip() or URL.fullmatch(line.strip()):
                continue
            assert line.startswith("«") and line.endswith("»"), line
            assert not re.search(r"\w", strip_wrapped(line)), line


def test_rendered_english_has_no_markers_or_unfilled_placeholders(english: Translator) -> None:
    for route in _every_route():
        rendered = render_route(route, english)
        assert "«" not in rendered
        assert not re.search(r"\{\w*\}", rendered), rendered
        assert "@" not in rendered  # no email route: HOS takes no new enquiries by email (domain.md 1.10)


def test_every_unverified_ground_renders_a_check_warning(english: Translator) -> None:
    for ground in SCHEME_GROUNDS:
        rendered = render_route(Route(HOS, RouteReason.SOCIAL_LANDLORD, (ground,)), english)
        assert english.gettext(ground.summary) in rendered
        assert ground.source in rendered
        if ground.standing is Standing.VERIFIED:
            assert CHECK not in rendered, ground.id
            assert ground.paragraph in rendered and ground.scheme_version in rendered
        else:
            assert rendered.count(CHECK) == 1, ground.id
            # The letter never stands alone: every line naming it also says to check.
            for line in rendered.splitlines():
                if ground.paragraph in line and not URL.search(line):
                    assert CHECK in line, line


def test_route_with_several_grounds_warns_once_per_unverified_ground(english: Translator) -> None:
    route = route_for("england", "council", "rent_level", court_proceedings=True)
    rendered = render_route(route, english)
    unverified = [g for g in route.grounds if g.standing is not Standing.VERIFIED]
    assert unverified and rendered.count(CHECK) == len(unverified)
    assert "41(c)" in rendered and "42(f)" in rendered and "2022" in rendered


def test_housing_ombudsman_contact_is_the_online_form(english: Translator) -> None:
    rendered = render_route(route_for("england", "council", "repairs"), english)
    assert "Who handles this complaint: The Housing Ombudsman." in rendered
    assert "online form" in rendered
    assert "https://www.housing-ombudsman.org.uk/residents/" in rendered
    assert "13 January 2026" in rendered and "by email" in rendered


def test_other_bodies_contact_routes_are_as_given_in_domain_md(english: Translator) -> None:
    assert "0800 377 7330" in render_route(route_for("scotland", "housing_association", "repairs"), english)
    assert "https://www.lgo.org.uk" in render_route(route_for("england", "council", "allocations"), english)
    assert "https://www.tpos.co.uk/how-it-works" in render_route(
        route_for("england", "letting_agent", "repairs"), english
    )
    private = render_route(route_for("england", "private_landlord", "repairs"), english)
    assert "Renters' Rights Act 2025" in private and "private-sector housing team" in private


def test_also_bodies_and_the_memorandum_are_explained(english: Translator) -> None:
    rendered = render_route(route_for("england", "housing_association", "allocations"), english)
    assert "common allocation scheme" in rendered
    assert "work together" in rendered
    plain = render_route(route_for("england", "housing_association", "repairs"), english)
    assert "work together" not in plain


@pytest.mark.parametrize("nation", list(Nation))
def test_code_does_not_apply_line_only_outside_england(nation: Nation, english: Translator) -> None:
    for landlord in ("council", "private_landlord"):
        rendered = render_route(route_for(nation, landlord, "repairs"), english)
        line = "Complaint Handling Code does not apply in"
        if nation is Nation.ENGLAND:
            assert line not in rendered
        else:
            assert f"{line} {english.gettext(flows.triage.rendering.NATION_NAMES[nation])}" in rendered
            assert "Timescales there are different." in rendered


def test_private_renting_outside_england_names_no_body(english: Translator) -> None:
    rendered = render_route(route_for("scotland", "private_landlord", "repairs"), english)
    assert "Who handles this complaint" not in rendered
    assert "covers England only" in rendered and "Scotland" in rendered


def test_names_and_labels_go_through_the_translator(wrapping: Translator) -> None:
    for body in Body:
        assert body_name(body, wrapping) == f"«{BODY_NAMES[body]}»"
    for subject in Subject:
        assert subject_label(subject, wrapping) == f"«{SUBJECT_LABELS[subject]}»"
    assert set(REASON_TEXTS) == set(RouteReason)


def test_babel_extracts_every_data_string() -> None:
    extracted: set[str] = set()
    for path in sorted(Path(flows.triage.__file__).parent.glob("*.py")):  # every module of the package
        for _, message, _, _ in extract_from_file("python", str(path)):
            if isinstance(message, tuple):
                extracted.update(m for m in message if m)
            else:
                extracted.add(message)
    data = [g.summary for g in SCHEME_GROUNDS] + list(BODY_NAMES.values()) + list(SUBJECT_LABELS.values())
    data += list(REASON_TEXTS.values()) + list(flows.triage.rendering.NATION_NAMES.values())
    for text in data:
        assert text in extracted, text
    for message in extracted:
        assert not re.search(r"%(?:\(\w+\))?[sd]", message), message
