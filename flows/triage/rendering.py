"""Triage in the resident's words: the bodies', nations' and subjects' names, and a route rendered
with why, how to reach the body and what may stop the Housing Ombudsman."""

from __future__ import annotations

from flows.code_rules import Standing
from flows.i18n import N_, Translator
from flows.triage.grounds import CURRENT_SCHEME_VERSION, Body, SchemeGround, Subject
from flows.triage.routes import Route, RouteReason
from flows.working_days import Nation

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
