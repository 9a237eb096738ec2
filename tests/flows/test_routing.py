"""One complaint, routed per part (flows.routing): the table (topic × landlord type × nation × tenure ×
court), the adaptations split, the Portsmouth seed case, the remit said in one sentence, and short
messages with the paragraphs and sources behind "Why?"."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from flows.case import Case, CaseEvent, EventKind, LandlordType
from flows.code_rules import Standing
from flows.findings import Finding, WarningId
from flows.i18n import translator
from flows.messages import finding_message
from flows.routing import (
    ASPECT_SOURCES,
    LIMIT_SOURCES,
    LIMIT_TEXTS,
    OPTION_SOURCES,
    Aspect,
    Limit,
    Option,
    part_ids,
    plan_for,
    remit_limits_said,
    render_plan,
    render_why,
)
from flows.submissions import submission_message
from flows.tenure import Tenure
from flows.triage.grounds import Body, Subject
from flows.triage.parsing import parse_subject, parse_topics
from flows.triage.routes import RouteReason
from flows.working_days import Nation

EN = translator("en")
OP, L = Option, Limit
HOS, LGSCO = Body.HOUSING_OMBUDSMAN, Body.LGSCO

# nation, landlord type, topic, tenure, court → body, to the landlord, other ways on, remit limits
TABLE = [
    # disrepair: the county court (after the Protocol), and environmental health or a s.82 claim
    ("england", "council", "repairs", None, False, HOS, True, (OP.COUNTY_COURT, OP.STATUTORY_NUISANCE), ()),
    ("england", "almo", "damp_mould", None, False, HOS, True, (OP.COUNTY_COURT, OP.STATUTORY_NUISANCE), ()),
    (
        "england",
        "housing_association",
        "repairs",
        None,
        False,
        HOS,
        True,
        (OP.COUNTY_COURT, OP.ENVIRONMENTAL_HEALTH),
        (),
    ),
    (
        "england",
        "registered_provider",
        "damp_mould",
        None,
        False,
        HOS,
        True,
        (OP.COUNTY_COURT, OP.ENVIRONMENTAL_HEALTH),
        (),
    ),
    (
        "england",
        "private_landlord",
        "repairs",
        None,
        False,
        Body.COUNCIL_PRIVATE_SECTOR,
        True,
        (OP.COUNTY_COURT, OP.ENVIRONMENTAL_HEALTH),
        (),
    ),
    (
        "england",
        "council",
        "repairs",
        None,
        True,
        HOS,
        True,
        (OP.STATUTORY_NUISANCE,),  # already in court: not "you can also claim" in the county court
        (L.IN_COURT,),
    ),
    # the council's housing register and homelessness: the LGSCO, not the landlord's letter
    ("england", "council", "allocations", None, False, LGSCO, False, (), ()),
    ("england", None, "allocations", None, False, LGSCO, False, (), ()),
    ("england", "housing_association", "allocations", None, False, HOS, True, (), ()),
    ("england", "council", "homelessness", None, False, LGSCO, False, (), ()),
    ("england", "housing_association", "homelessness", None, False, LGSCO, False, (), ()),
    # the landlord's own business
    ("england", "council", "antisocial_behaviour", None, False, HOS, True, (), ()),
    ("england", "council", "tenancy_management", None, False, HOS, True, (), ()),
    ("england", "housing_association", "complaint_handling", None, False, HOS, True, (), ()),
    ("england", "council", "personnel", None, False, HOS, True, (), (L.PERSONNEL,)),
    ("england", "housing_association", "personnel", None, True, HOS, True, (), (L.PERSONNEL, L.IN_COURT)),
    # a crime: the police
    ("england", "council", "crime", None, False, None, False, (OP.POLICE,), ()),
    ("england", "housing_association", "crime", None, False, None, False, (OP.POLICE,), ()),
    # service charges: the tribunal for leaseholders and housing association tenants, not a council's tenants
    (
        "england",
        "housing_association",
        "service_charge_level",
        "leaseholder",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_SERVICE_CHARGE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "housing_association",
        "service_charge_level",
        "assured",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_SERVICE_CHARGE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "council",
        "service_charge_level",
        "leaseholder",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_SERVICE_CHARGE,),
        (L.CHARGE_LEVEL,),
    ),
    ("england", "council", "service_charge_level", "secure", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    ("england", "council", "service_charge_level", "assured", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    ("england", "almo", "service_charge_level", "secure", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    (
        "england",
        "housing_association",
        "service_charge_level",
        "not_sure",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_IF_TENURE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "housing_association",
        "service_charge_level",
        None,
        False,
        HOS,
        True,
        (OP.TRIBUNAL_IF_TENURE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "council",
        "service_charge_level",
        "secure",
        True,
        HOS,
        True,
        (),
        (L.CHARGE_LEVEL, L.IN_COURT),
    ),
    # rent: a notice of increase to an assured tenant; nothing for a council's secure tenant or a lease
    (
        "england",
        "housing_association",
        "rent_level",
        "assured",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_RENT,),
        (L.CHARGE_LEVEL,),
    ),
    ("england", "council", "rent_level", "secure", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    ("england", "housing_association", "rent_level", "leaseholder", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    ("england", "housing_association", "rent_level", "shared_owner", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    # the tenure question is shared with Awaab's Law: a shared owner holds a long lease, a private
    # renter an assured (shorthold) tenancy; temporary and supported accommodation may be either
    (
        "england",
        "housing_association",
        "service_charge_level",
        "shared_owner",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_SERVICE_CHARGE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "unknown",
        "rent_level",
        "private_renter",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_RENT,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "council",
        "service_charge_level",
        "temporary",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_IF_TENURE,),
        (L.CHARGE_LEVEL,),
    ),
    # A rent with the tenure unknown: the tribunal only for an assured tenant's notice of increase, never
    # a lease's rent (it said "a leaseholder, a shared owner" may take "the charge" there), and never for a
    # council's own tenant.
    (
        "england",
        "housing_association",
        "rent_level",
        "supported",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_RENT_IF_TENURE,),
        (L.CHARGE_LEVEL,),
    ),
    (
        "england",
        "housing_association",
        "rent_level",
        "not_sure",
        False,
        HOS,
        True,
        (OP.TRIBUNAL_RENT_IF_TENURE,),
        (L.CHARGE_LEVEL,),
    ),
    ("england", "council", "rent_level", "not_sure", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    ("england", "almo", "rent_level", "assured", False, HOS, True, (), (L.CHARGE_LEVEL,)),
    # Court proceedings started: no "you can also claim in the county court".
    (
        "england",
        "housing_association",
        "repairs",
        None,
        True,
        HOS,
        True,
        (OP.ENVIRONMENTAL_HEALTH,),
        (L.IN_COURT,),
    ),
    # Wales, Scotland, Northern Ireland: their ombudsmen; no English court or tribunal routes
    ("wales", "council", "repairs", None, False, Body.PSOW, True, (), ()),
    ("wales", "housing_association", "allocations", None, False, Body.PSOW, True, (), ()),
    ("scotland", "housing_association", "service_charge_level", "assured", False, Body.SPSO, True, (), ()),
    ("scotland", "council", "personnel", None, False, Body.SPSO, True, (), ()),
    ("northern_ireland", "housing_association", "rent_level", "assured", False, Body.NIPSO, True, (), ()),
    ("northern_ireland", "council", "crime", None, False, None, False, (), ()),
]


@pytest.mark.parametrize(
    ("nation", "landlord", "topic", "tenure", "court", "body", "to_landlord", "options", "limits"), TABLE
)
def test_each_topic_is_routed_by_landlord_nation_tenure_and_court(
    nation: str,
    landlord: str | None,
    topic: str,
    tenure: str | None,
    court: bool,
    body: Body | None,
    to_landlord: bool,
    options: tuple[Option, ...],
    limits: tuple[Limit, ...],
) -> None:
    plan = plan_for(nation, landlord, [topic], tenure=tenure, court_proceedings=court)
    (part,) = plan.parts
    assert (part.topic, part.aspect) == (Subject(topic), Aspect.WHOLE)
    assert (part.body, part.to_landlord, part.options, part.limits) == (body, to_landlord, options, limits)


@pytest.mark.parametrize("landlord", ["council", "almo", "housing_association", "registered_provider", None])
def test_adaptations_split_into_the_landlords_works_and_the_councils_assessment(landlord: str | None) -> None:
    plan = plan_for("england", landlord, ["grants_adaptations"])
    works, assessment = plan.parts
    assert (works.aspect, works.body, works.to_landlord) == (Aspect.WORKS, HOS, True)
    assert (assessment.aspect, assessment.body, assessment.to_landlord) == (Aspect.ASSESSMENT, LGSCO, False)
    assert plan.landlord_parts == (works,)
    assert part_ids({"routing": plan.record()}) == ("grants_adaptations:works",)


def test_adaptations_outside_england_stay_whole_with_that_nations_ombudsman() -> None:
    (part,) = plan_for("wales", "council", ["grants_adaptations"]).parts
    assert (part.aspect, part.body, part.to_landlord) == (Aspect.WHOLE, Body.PSOW, True)


def test_a_council_tenants_wet_room_is_read_as_adaptations_and_split() -> None:
    topics = parse_topics("I need a wet room and grab rails in my council flat")
    assert topics == [Subject.GRANTS_ADAPTATIONS]
    plan = plan_for("england", "council", topics)
    assert [(part.aspect, part.body) for part in plan.parts] == [
        (Aspect.WORKS, HOS),
        (Aspect.ASSESSMENT, LGSCO),
    ]


def test_portsmouth_the_leak_stays_with_the_housing_ombudsman_and_the_register_goes_to_the_lgsco() -> None:
    """The seed case (202224228, a council's secure tenant): a leak and a housing register problem."""
    words = "The roof leaks into the bedroom, and the housing register lost my medical priority."
    topics = parse_topics(words)
    assert Subject.REPAIRS in topics and Subject.ALLOCATIONS in topics
    plan = plan_for("england", "council", topics)
    leak = next(part for part in plan.parts if part.topic is Subject.REPAIRS)
    register = next(part for part in plan.parts if part.topic is Subject.ALLOCATIONS)
    assert (leak.body, leak.to_landlord) == (HOS, True)
    assert (register.body, register.to_landlord) == (LGSCO, False)
    assert register.route is not None and register.route.reason is RouteReason.COUNCIL_AS_HOUSING_AUTHORITY
    assert [part.topic for part in plan.landlord_parts] == [Subject.REPAIRS]
    assert part_ids({"routing": plan.record()}) == ("repairs",)
    text = render_plan(plan, EN)
    assert "• Repairs: your landlord first, then the Housing Ombudsman." in text
    assert (
        "• The housing register or a move: the Local Government and Social Care Ombudsman, not your landlord."
        in text
    )
    assert "only the parts for your landlord" in text


def test_the_same_topic_twice_is_one_part_and_the_order_is_kept() -> None:
    plan = plan_for("england", "council", ["allocations", "repairs", "allocations", Subject.REPAIRS])
    assert [part.topic for part in plan.parts] == [Subject.ALLOCATIONS, Subject.REPAIRS]


def test_nothing_for_the_landlord_says_so() -> None:
    plan = plan_for("england", "council", ["homelessness", "crime"])
    assert plan.landlord_parts == ()
    assert "None of this goes through your landlord's complaints process." in render_plan(plan, EN)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("My neighbour bids every night, it is so noisy", Subject.ANTISOCIAL_BEHAVIOUR),
        ("my neighbours bids… noisy", Subject.ANTISOCIAL_BEHAVIOUR),
        ("I bid on every flat and never get one", Subject.ALLOCATIONS),
        ("I want the housing officer Mr Smith disciplined for shouting at me", Subject.PERSONNEL),
        ("My neighbour attacked me on the stairs", Subject.CRIME),
        ("The stable door is broken", Subject.REPAIRS),  # "stab" in "stable" is no crime
    ],
)
def test_what_the_words_are_about(words: str, expected: Subject) -> None:
    assert parse_subject(words) is expected


def test_a_neighbour_bidding_is_not_allocations() -> None:
    assert Subject.ALLOCATIONS not in parse_topics("my neighbour bids… noisy")


def test_disciplining_staff_is_both_personnel_and_how_staff_treated_me() -> None:
    assert parse_topics("I want the housing officer Mr Smith disciplined for shouting at me") == [
        Subject.PERSONNEL,
        Subject.STAFF_CONDUCT,
    ]


@pytest.mark.parametrize("limit", list(Limit))
def test_each_remit_limit_is_one_plain_sentence_with_what_to_ask_for_instead(limit: Limit) -> None:
    text = EN.gettext(LIMIT_TEXTS[limit])
    assert text.endswith(".") and text.count(". ") == 0 and text.count(".") == 1  # one sentence
    assert "apology" in text and "review" in text
    assert not re.search(r"\d+\([a-z]\)|paragraph|Scheme", text)  # the paragraph is behind "Why?"
    assert LIMIT_SOURCES[limit]


def test_personnel_limit_offers_training() -> None:
    (text,) = remit_limits_said([Subject.PERSONNEL, Subject.STAFF_CONDUCT], EN)
    assert "disciplined" in text and "training" in text


def test_no_limit_for_topics_within_the_remit() -> None:
    assert remit_limits_said([Subject.REPAIRS, Subject.ANTISOCIAL_BEHAVIOUR], EN) == []


@pytest.mark.parametrize("row", TABLE, ids=lambda row: "-".join(str(value) for value in row[:5]))
def test_the_short_message_has_no_paragraphs_and_why_has_them(row: tuple[object, ...]) -> None:
    nation, landlord, topic, tenure, court = row[:5]
    plan = plan_for(nation, landlord, [topic], tenure=tenure, court_proceedings=bool(court))  # type: ignore[arg-type]
    short = render_plan(plan, EN)
    assert not re.search(r"\d{2}\([a-z]\)|paragraph|https?://|section \d", short), short
    assert "The Local" not in short and "The Housing" not in short  # names inside a sentence are lower case
    why = render_why(plan, EN)
    for part in plan.parts:
        for option in part.options:
            for source in OPTION_SOURCES[option]:
                assert source.url in why
        if part.route is not None:
            for ground in part.route.grounds:
                assert ground.source in why


def test_why_gives_the_scheme_paragraph_and_source_for_the_register() -> None:
    why = render_why(plan_for("england", "council", ["repairs", "allocations"]), EN)
    assert "42(j)" in why and "portsmouth-city-council-202224228" in why
    assert "Pre-Action Protocol for Housing Conditions Claims (England)" in why
    assert "Environmental Protection Act 1990" in why


def test_why_explains_which_tenures_can_take_service_charges_to_the_tribunal() -> None:
    why = render_why(
        plan_for("england", "housing_association", ["service_charge_level"], tenure="not_sure"), EN
    )
    assert "section 27A" in why or "sections 26 and 27A" in why
    assert "secure tenants can do neither" in why
    assert "Source (an adviser's summary: check it before you rely on it)" in why  # SECONDARY is flagged


def test_every_source_has_an_address_and_a_standing() -> None:
    sources = [
        *(source for group in OPTION_SOURCES.values() for source in group),
        *(source for group in LIMIT_SOURCES.values() for source in group),
        *(source for group in ASPECT_SOURCES.values() for source in group),
    ]
    assert sources
    for source in sources:
        assert source.url.startswith("https://") and source.title
        assert source.standing in (Standing.VERIFIED, Standing.SECONDARY)
    assert OPTION_SOURCES[Option.POLICE] == ()  # 999 and 101 are general knowledge


def test_another_body_is_named_in_lower_case_inside_a_sentence() -> None:
    """The stray capital: "likely to be for The Local Government…"."""
    finding = Finding(
        WarningId.OUTSIDE_OMBUDSMAN_REMIT, None, {"body": Body.LGSCO, "reason": None, "grounds": []}, None
    )
    text = finding_message(finding, EN)
    assert "likely to be for the Local Government and Social Care Ombudsman" in text


def test_the_landlords_team_is_told_only_the_parts_for_it() -> None:
    plan = plan_for("england", "council", ["repairs", "allocations", "grants_adaptations"])
    case = Case((CaseEvent(date(2026, 3, 9), EventKind.COMPLAINT_MADE),))
    text = submission_message("7K2M9XQD", 1, case, {"routing": plan.record()}, date(2026, 3, 10), EN)
    assert "The parts for you: Repairs; Adaptations: the works to your home" in text
    assert "housing register" not in text and "assessment" not in text
    assert "The parts for you" not in submission_message("7K2M9XQD", 1, case, {}, date(2026, 3, 10), EN)


@pytest.mark.parametrize(
    ("landlord", "topics", "tenure", "notable"),
    [
        ("housing_association", ["repairs"], None, False),  # court and environmental health: last resorts
        ("council", ["damp_mould"], None, False),
        ("council", ["antisocial_behaviour"], None, False),
        ("council", ["repairs", "antisocial_behaviour"], None, True),  # several parts
        ("council", ["allocations"], None, True),
        ("council", ["personnel"], None, True),
        ("housing_association", ["service_charge_level"], "assured", True),
        ("council", ["crime"], None, True),
        ("private_landlord", ["repairs"], None, True),
    ],
)
def test_which_plans_are_worth_a_word_before_the_letter(
    landlord: str, topics: list[str], tenure: str | None, notable: bool
) -> None:
    assert plan_for("england", landlord, topics, tenure=tenure).is_notable is notable


def test_something_else_is_not_named_as_a_part_in_the_letters() -> None:
    plan = plan_for("england", "council", ["other", "antisocial_behaviour"])
    assert [part.topic for part in plan.landlord_parts] == [Subject.OTHER, Subject.ANTISOCIAL_BEHAVIOUR]
    assert part_ids({"routing": plan.record()}) == ("antisocial_behaviour",)


_LANDLORDS = [*(landlord.value for landlord in LandlordType), None]
_TENURES = [*(tenure.value for tenure in Tenure), None]
_NATION_BODIES = {
    Nation.WALES: Body.PSOW,
    Nation.SCOTLAND: Body.SPSO,
    Nation.NORTHERN_IRELAND: Body.NIPSO,
}


@pytest.mark.parametrize("nation", list(Nation))
@pytest.mark.parametrize("topic", list(Subject))
def test_every_topic_landlord_nation_tenure_and_court_keeps_the_rules(topic: Subject, nation: Nation) -> None:
    """The whole table, against the rules it must keep whatever the combination."""
    council_homes = {LandlordType.COUNCIL.value, LandlordType.ALMO.value}
    for landlord, tenure, court in itertools.product(_LANDLORDS, _TENURES, (False, True)):
        plan = plan_for(nation, landlord, [topic], tenure=tenure, court_proceedings=court)
        assert plan.parts and all(part.topic is topic for part in plan.parts)
        for part in plan.parts:
            if not part.to_landlord:
                assert part.body in (Body.LGSCO, None)
            if nation is not Nation.ENGLAND:
                assert part.options == () and part.limits == ()
                assert part.body in (_NATION_BODIES[nation], Body.COUNCIL_PRIVATE_SECTOR, None)
            if Option.TRIBUNAL_SERVICE_CHARGE in part.options:
                assert topic is Subject.SERVICE_CHARGE_LEVEL
                assert tenure in ("leaseholder", "shared_owner") or (
                    tenure in ("assured", "private_renter") and landlord not in council_homes
                )
            if Option.TRIBUNAL_RENT in part.options:
                assert topic is Subject.RENT_LEVEL and tenure in ("assured", "private_renter")
                assert landlord not in council_homes
            if Option.TRIBUNAL_IF_TENURE in part.options:
                assert topic is Subject.SERVICE_CHARGE_LEVEL
                assert tenure in ("not_sure", "temporary", "supported", None)
            if Option.TRIBUNAL_RENT_IF_TENURE in part.options:
                assert topic is Subject.RENT_LEVEL and landlord not in council_homes
                assert tenure in ("not_sure", "temporary", "supported", None)
            if court:
                assert Option.COUNTY_COURT not in part.options
            if Option.STATUTORY_NUISANCE in part.options:
                assert landlord in council_homes
            if Option.ENVIRONMENTAL_HEALTH in part.options:
                assert landlord not in council_homes
            assert (Limit.IN_COURT in part.limits) == (court and part.body is Body.HOUSING_OMBUDSMAN)
        short = render_plan(plan, EN)
        assert not re.search(r"\d{2}\([a-z]\)|paragraph|https?://", short)
        assert render_why(plan, EN)


def test_a_rent_with_the_tenure_unknown_names_only_the_assured_tenants_route() -> None:
    """Broken as a resident not sure of their tenure, about their rent: told a leaseholder or a shared owner
    "may" take "the charge" to the tribunal, which decides neither's rent (only an assured tenant's notice of
    increase, s.13 and 14 Housing Act 1988)."""
    text = render_plan(plan_for("england", "housing_association", ["rent_level"], tenure="not_sure"), EN)
    assert "If you are an assured tenant" in text and "notice of a rent increase" in text
    assert "leaseholder" not in text and "shared owner" not in text
    why = render_why(plan_for("england", "housing_association", ["rent_level"], tenure="not_sure"), EN)
    assert "section 13 of the Housing Act 1988" in why and "Landlord and Tenant Act 1985" not in why
