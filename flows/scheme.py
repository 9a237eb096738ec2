"""The Housing Ombudsman Scheme and the Complaint Handling Code in plain words: explainer topics.

Each `Topic` is data: a short menu title, a 2-4 sentence summary, a "read more" text, and the
sources it rests on. Texts are marked with `N_` and translated when rendered, so one table serves
every language. Facts come from ../shared/domain.md (sections 1.2-1.8, 1.10, 1.12, 2, 3 and 6) and
the two seed decisions it names (Westlea 201911525, Portsmouth 202224228). Each `Source` carries the
standing domain.md gives it; a source that is not VERIFIED is shown with a warning telling the
resident to check with the Ombudsman, and the topic's own text says so too.

    fairsay explain maladministration        # one topic, by id (case-insensitive, '-' or '_')
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.code_rules import CODE_2024, Standing
from flows.i18n import N_, Translator


@dataclass(frozen=True, slots=True)
class Source:
    citation: str  # as messages cite it: "Scheme 42(f) (2022)", "Code 6.12 (2024)", a page title
    url: str
    standing: Standing


@dataclass(frozen=True, slots=True)
class Topic:
    id: str  # stable snake_case id for commands and Telegram callback data (at most 24 characters)
    title: str  # N_(): short menu label
    summary: str  # N_(): 2-4 short sentences
    more: str  # N_(): the "read more" text
    sources: tuple[Source, ...]


# --- Addresses, as domain.md gives them --------------------------------------------------------------

_HOS_FORM_NOTICE = "https://www.housing-ombudsman.org.uk/?p=133640"
_HOS_WAITING = "https://housing-ombudsman.org.uk/residents/make-a-complaint/waiting-for-a-final-response"
_HOS_RESIDENTS = "https://www.housing-ombudsman.org.uk/residents/"
_HOS_OVER_A_YEAR = (
    "https://housing-ombudsman.org.uk/residents/make-a-complaint/your-complaint-is-over-a-year-old"
)
_HOS_SCHEME = "https://www.housing-ombudsman.org.uk/landlords-info/the-housing-ombudsman-scheme/"
_HOS_CODE_2024 = "https://housing-ombudsman.org.uk/landlords-info/complaint-handling-code/the-code-2024"
_HOS_CODE_FAQ = (
    "https://www.housing-ombudsman.org.uk/landlords-info/complaint-handling-code/"
    "complaint-handling-code-2024-faqs/"
)
_HOS_JURISDICTION = "https://www.housing-ombudsman.org.uk/centre-for-learning/fact-sheets/our-jurisdiction/"
_HOS_CHFO = (
    "https://www.housing-ombudsman.org.uk/about-hos/corporate-information/publications/"
    "complaint-handling-failure-orders/"
)
_HOS_FINDINGS = (
    "https://www.housing-ombudsman.org.uk/residents/how-will-you-investigate-my-complaint/"
    "what-findings-can-the-housing-ombudsman-make/"
)
_HOS_ORDER_POWERS = "https://housing-ombudsman.org.uk/?p=70850"
_HOS_REMEDIES = "https://housing-ombudsman.org.uk/landlords-info/guidance-notes/ombudsmans-policy-and-guidance-on-remedies"
_HOS_COMPENSATION_2026 = "https://www.housing-ombudsman.org.uk/?p=143174"
_COMPENSATION_2026_SUMMARY = (
    "https://blog.anthonycollins.com/post/102mi3i/new-housing-ombudsman-compensation-guidance"
)

_DECISIONS = "https://www.housing-ombudsman.org.uk/decisions/"
_WESTLEA = _DECISIONS + "westlea-housing-association-limited-201911525/"
_PORTSMOUTH = _DECISIONS + "portsmouth-city-council-202224228/"
_SOUTHERN = _DECISIONS + "southern-housing-202331162/"
_HYDE = _DECISIONS + "hyde-housing-association-limited-202000411/"
_BARKING = "https://housing-ombudsman.org.uk/decisions/barking-and-dagenham-council-202009340"
_EALING = "https://housing-ombudsman.org.uk/decisions/london-borough-of-ealing-202209234"
_SOVEREIGN = "https://housing-ombudsman.org.uk/decisions/sovereign-network-homes-202224092"

_SLOUGH = (
    "https://slough.gov.uk/complaints-feedback/housing-ombudsman-complaint-handling-code-self-assessment"
)
_GREAT_YARMOUTH_DEFINED = "https://www.great-yarmouth.gov.uk/article/8935/How-a-complaint-is-defined"
_GREAT_YARMOUTH_PROCESS = "https://www.great-yarmouth.gov.uk/article/8964/Complaint-handling-process"
_ALLIANCE = (
    "https://www.alliancehomes.org.uk/contact-us/complaints-comments-compliments/september-2025-update"
)
_OXFORD = "https://www.oxford.gov.uk/complaints-council-housing/council-housing-complaint-handling-code-self-assessment-2024-25/"
_SOUTH_NORFOLK = (
    "https://www.southnorfolkandbroadland.gov.uk/housing/housing-performance/"
    "south-norfolk-housing-complaint-handling-code-self-assessment-2025/complaints-stages"
)
_WELHAT = "https://welhat.gov.uk/policies/complaints-policy-procedure/11"
_PEABODY = "https://www.peabody.org.uk/contact-us/make-a-complaint/how-we-deal-with-complaints/"
_SHELTER = (
    "https://england.shelter.org.uk/legal/courts_and_legal_action/complaining_to_the_ombudsman/"
    "Local_Government_Ombudsman"
)
_EAST_DEVON = (
    "https://eastdevon.gov.uk/customer-services/feedback-and-complaints/complaints/complaints-procedure/"
    "who-can-make-a-complaint"
)
_LGSCO_MOU = (
    "https://lgo.org.uk/information-centre/about-us/others-we-work-with/housing-ombudsman-service/"
    "memorandum-of-understanding-between-the-housing-ombudsman?chapter=3"
)
_SI_2022_561 = "https://legislation.gov.uk/uksi/2022/561/body/made?view=plain"
_LOCALISM_ACT_S180 = "https://legislation.data.gov.uk/ukpga/2011/20/section/180/enacted/data.html"

_V = Standing.VERIFIED
_S = Standing.SECONDARY
_U = Standing.UNVERIFIED

# Sources used by more than one topic.
_ONLINE_FORM = Source("Housing Ombudsman: online form (site notice)", _HOS_FORM_NOTICE, _V)
_WAITING = Source("Housing Ombudsman: waiting for a final response", _HOS_WAITING, _V)
_WESTLEA_DECISION = Source("Westlea Housing Association 201911525 (Ombudsman decision)", _WESTLEA, _V)
_PORTSMOUTH_DECISION = Source("Portsmouth City Council 202224228 (Ombudsman decision)", _PORTSMOUTH, _V)


TOPICS: tuple[Topic, ...] = (
    Topic(
        id="ombudsman",
        title=N_("What the Housing Ombudsman is"),
        summary=N_(
            "The Housing Ombudsman deals with complaints about social landlords in England, such as "
            "housing associations and councils. It is free for residents. It looks at what you and your "
            "landlord say, and decides what is fair. You, or someone helping you, can contact it using "
            "its online form."
        ),
        more=N_(
            "When it can help: usually once your landlord has finished both stages of its complaints "
            "process and sent its final (stage 2) response. If your landlord is not replying on time, "
            "you can contact the Ombudsman sooner.\n"
            "How to contact it: use the online form on the Housing Ombudsman's website. Residents and "
            "representatives can both use it. From 13 January 2026 the Ombudsman no longer accepts new "
            "cases by email.\n"
            "What it does: it considers the evidence from you and from your landlord. It looks for "
            "“maladministration”: for example, whether your landlord kept to the law, followed proper "
            "procedure and good practice, and behaved in a reasonable and competent way.\n"
            "Free advice: landlords' own pages say you can ask the Ombudsman for free advice at any "
            "time. We have only seen this second-hand, so check with the Ombudsman."
        ),
        sources=(
            _ONLINE_FORM,
            _WAITING,
            Source("Housing Ombudsman decisions: “Our approach”", _SOVEREIGN, _V),
            Source("Shelter: a council as landlord goes to the Housing Ombudsman", _SHELTER, _S),
            Source("Peabody: free advice from the Housing Ombudsman", _PEABODY, _S),
        ),
    ),
    Topic(
        id="two_stages",
        title=N_("Your landlord's two stages"),
        summary=N_(
            "Your landlord's complaints process has two stages, and no more. Stage 1: it must "
            "acknowledge your complaint within {stage1_acknowledge} working days, then reply within "
            "{stage1_respond} working days. Stage 2, if you are still unhappy: it must acknowledge your "
            "request within {stage2_acknowledge} working days, then give its final reply within "
            "{stage2_respond} working days. Both replies are counted from the acknowledgement."
        ),
        more=N_(
            "Stage 1 (Code 6.2, 6.3): an acknowledgement within {stage1_acknowledge} working days of your "
            "complaint being received, then a full reply within {stage1_respond} working days of the "
            "acknowledgement.\n"
            "More time at stage 1 (Code 6.4, 6.5): your landlord must tell you why and give you the new "
            "timescale. The extra time must be no more than {stage1_extension} working days without good "
            "reason. It must "
            "also give you the Housing Ombudsman's contact details.\n"
            "Stage 2 (Code 6.10 to 6.14): if any part of your complaint is not sorted out at stage 1, it "
            "must go to stage 2. You do not have to explain why you are asking. A different person "
            "handles it. Your landlord must acknowledge within {stage2_acknowledge} working days of your "
            "request, then reply within {stage2_respond} working days of the acknowledgement.\n"
            "More time at stage 2 (Code 6.15): landlords' published policies say up to {stage2_extension} "
            "more working days, with reasons explained. We have only seen this second-hand, so check with the "
            "Ombudsman.\n"
            "No “stage 0” (Code 5.2, 5.3): your landlord must not add an extra step such as “stage 0” "
            "or an “informal complaint”. More than two stages is not acceptable under any circumstances."
        ),
        sources=(
            Source("Code 6.2, 6.3, 6.4, 6.5 (2024)", _SOUTH_NORFOLK, _V),
            Source("Code 6.10, 6.11, 6.12, 6.13 (2024)", _OXFORD + "8", _V),
            Source("Code 6.14 (2024): Housing Ombudsman, waiting for a final response", _HOS_WAITING, _V),
            Source("Code 6.15 (2024), as landlords report it", _WELHAT, _S),
            Source("Code 5.2, 5.3 (2024)", _GREAT_YARMOUTH_PROCESS, _V),
        ),
    ),
    Topic(
        id="complaint_or_request",
        title=N_("Complaint or service request?"),
        summary=N_(
            "A complaint is telling your landlord you are unhappy with its service, with something it "
            "did, or with something it failed to do. You do not have to use the word “complaint”. A "
            "service request is asking your landlord to do something, such as a repair. If you are "
            "unhappy with how it deals with your request, you can make a complaint."
        ),
        more=N_(
            "What the Code says (Code 1.2): a complaint is “an expression of dissatisfaction, however "
            "made, about the standard of service, actions or lack of action by the landlord, its own "
            "staff, or those acting on its behalf, affecting a resident or group of residents.”\n"
            "Your choice (Code 1.3): if you tell your landlord you are unhappy, it must give you the "
            "choice to make a complaint.\n"
            "Service requests (Code 1.4): a first report, such as “my boiler is broken”, can be a "
            "service request. It is not a complaint, but your landlord must record it and keep track of "
            "it.\n"
            "If the response is not good enough: your landlord must offer to log a stage 1 complaint. "
            "The repair carries on alongside the complaint.\n"
            "If you want to complain formally, your landlord should not just treat it as a service "
            "request. The Ombudsman has told a landlord that doing this was not in line with the Code."
        ),
        sources=(
            Source("Code 1.2 (2024)", _SLOUGH, _V),
            Source("Code 1.3 (2024)", _GREAT_YARMOUTH_DEFINED, _V),
            Source("Code 1.4 (2024)", _ALLIANCE, _V),
            Source("Housing Ombudsman: Complaint Handling Code FAQs", _HOS_CODE_FAQ, _V),
        ),
    ),
    Topic(
        id="time_limits",
        title=N_("Time limits"),
        summary=N_(
            "Complain to your landlord within 12 months of the problem happening, or of you finding out "
            "about it. After your landlord's final (stage 2) response, you have 12 months to take your "
            "complaint to the Housing Ombudsman. If you can, act sooner."
        ),
        more=N_(
            "Complaining to your landlord (Code 2.3): your landlord should accept a complaint made within "
            "12 months of the issue happening, or of you becoming aware of it. For older issues it should "
            "consider using its discretion.\n"
            "Asking for stage 2: we have not found a time limit for this in the Code, but some landlords "
            "set their own, for example 4 weeks. Check your landlord's complaints policy and ask in time. "
            "If you told your landlord you were still unhappy within its time limit, that should count. "
            "In one case the Ombudsman found service failure because the landlord did not escalate the "
            "complaint when the resident said he was still unhappy.\n"
            "Going to the Ombudsman: if it has been 12 months or more since your landlord's stage 2 "
            "(final) response, the Ombudsman says it will not be able to consider your complaint, unless "
            "there are reasons.\n"
            "The Ombudsman's own rules (the Housing Ombudsman Scheme) also expect you to have complained "
            "to your landlord within a reasonable time. Older decisions said this was normally 6 months; "
            "it may now be 12 months. We have not been able to confirm the current rule or its paragraph "
            "letter, so check with the Ombudsman. If a problem has gone on for a long time, complain now."
        ),
        sources=(
            Source("Code 2.3 (2024)", _OXFORD + "3", _V),
            Source("Housing Ombudsman: your complaint is over a year old", _HOS_OVER_A_YEAR, _V),
            _WESTLEA_DECISION,
            Source("Scheme 42(b) and 42(c) (letters and wording to be confirmed)", _HOS_SCHEME, _U),
        ),
    ),
    Topic(
        id="cannot_look_at",
        title=N_("What the Ombudsman cannot look at"),
        summary=N_(
            "The Housing Ombudsman cannot look at matters that are, or were, decided in court. It may "
            "decide not to look at matters that a court or tribunal could deal with better, or that "
            "belong to another ombudsman. It does not deal with staff discipline or employment matters, "
            "or with how your landlord is run as an organisation."
        ),
        more=N_(
            "Court cases (Scheme 41(c), 2022): it cannot consider matters that are the subject of court "
            "proceedings, or where a court has already given judgment on the merits.\n"
            "Courts and tribunals (Scheme 42(f), 2022): it may decide not to consider a matter if it "
            "thinks a court, a tribunal or another procedure would be quicker, fairer, more reasonable "
            "or more effective.\n"
            "Another ombudsman: council housing waiting lists (allocations) are for the Local Government "
            "and Social Care Ombudsman, not the Housing Ombudsman.\n"
            "Staff matters: it does not investigate employment or other personnel issues, so it cannot "
            "make your landlord discipline a member of staff. It can still look at how staff treated you, "
            "and at how your landlord answered your complaint about them.\n"
            "Governance: it looks at specific complaints about the service you received, not at how your "
            "landlord is governed or at wider systemic issues. In a 2024 decision it said this is "
            "reflected at paragraph 42(m) of its Scheme.\n"
            "Other reasons: the Scheme lists more. The Ombudsman's fact sheet mentions complaints where "
            "the landlord's process is not finished, the level of a service charge, legal action, and "
            "time limits. We have not been able to check the full current list or its paragraph "
            "letters, so check with the Ombudsman."
        ),
        sources=(
            Source("Scheme 41(c) (2022): Barking & Dagenham 202009340", _BARKING, _V),
            Source("Scheme 42(f) (2022): Ealing 202209234", _EALING, _V),
            _WESTLEA_DECISION,
            Source("Scheme 42(j) and 42(m) (2022): Portsmouth City Council 202224228", _PORTSMOUTH, _V),
            Source("Housing Ombudsman fact sheet: our jurisdiction", _HOS_JURISDICTION, _V),
            Source("Scheme paragraph 42, other grounds (list and letters to be confirmed)", _HOS_SCHEME, _U),
        ),
    ),
    Topic(
        id="missed_deadlines",
        title=N_("If your landlord misses a deadline"),
        summary=N_(
            "If your landlord does not reply on time, you can contact the Housing Ombudsman now. It can "
            "contact your landlord and tell it to respond, and it has powers to order it to respond. You "
            "do not have to wait for the end of the process to ask for help."
        ),
        more=N_(
            "When: once your landlord's timescales have passed, including any extension it was allowed.\n"
            "What the Ombudsman can do: its Dispute Support team can contact your landlord, tell it to "
            "respond, or issue an order.\n"
            "Complaint Handling Failure Orders: the Ombudsman issues these when it has taken reasonable "
            "steps to get a landlord to engage but you still cannot move your complaint forward, or when "
            "the landlord's failures are systemic (a pattern, not a one-off). They are shared with the "
            "Regulator of Social Housing and published in quarterly reports.\n"
            "A full investigation usually needs your landlord's final response first. The Ombudsman's "
            "rules have let it go ahead sooner where there is evidence of a complaint-handling failure "
            "(2020 Scheme 39(a)). We have not confirmed the paragraph in the current Scheme, so check "
            "with the Ombudsman.\n"
            "Keep a note of the dates: when you complained, when your landlord replied, and any new dates "
            "it gave you."
        ),
        sources=(
            _WAITING,
            Source("Housing Ombudsman: “we have powers to order it to respond”", _HOS_RESIDENTS, _V),
            Source("Housing Ombudsman: Complaint Handling Failure Orders", _HOS_CHFO, _V),
            Source("Scheme 39(a) (2020): Hyde 202000411", _HYDE, _V),
            Source("Scheme 42(a) (current Scheme; letter to be confirmed)", _HOS_SCHEME, _U),
        ),
    ),
    Topic(
        id="maladministration",
        title=N_("Maladministration and other findings"),
        summary=N_(
            "When the Housing Ombudsman investigates, it decides whether your landlord got things wrong. "
            "“Maladministration” means your landlord got something wrong: for example, it did not keep to "
            "the law, follow proper procedure or good practice, or behave in a reasonable and competent "
            "way. “Service failure” is usually a smaller failing. “Severe maladministration” is the most "
            "serious finding."
        ),
        more=N_(
            "The Ombudsman can make one of these findings:\n"
            "• No maladministration: it did not find that your landlord got things wrong.\n"
            "• Service failure: a failing by your landlord, for example one that caused you time and "
            "trouble over a short time.\n"
            "• Maladministration: your landlord got things wrong, as explained above.\n"
            "• Severe maladministration: the most serious finding.\n"
            "• Reasonable redress: your landlord has already offered a fair way to put things right.\n"
            "• Mediation: you and your landlord settle the complaint through mediation.\n"
            "• Outside jurisdiction: the complaint is something the Ombudsman cannot look at. "
            "“Jurisdiction” means what it can and cannot consider.\n"
            "• Withdrawn: the complaint was withdrawn.\n"
            "A complaint often has several parts, and each part can get its own finding."
        ),
        sources=(
            Source("Housing Ombudsman: what findings can the Housing Ombudsman make?", _HOS_FINDINGS, _V),
            Source("Sovereign Network Homes 202224092: the meaning of maladministration", _SOVEREIGN, _V),
            Source("Housing Ombudsman remedies guidance, as quoted in decisions", _HOS_REMEDIES, _V),
            _WESTLEA_DECISION,
        ),
    ),
    Topic(
        id="orders_and_remedies",
        title=N_("Putting things right: orders and compensation"),
        summary=N_(
            "If the Ombudsman finds your landlord got things wrong, it can order it to put things right. "
            "Orders can include an apology, compensation, repairs and a review of what went wrong. It can "
            "also make recommendations, but these are not binding."
        ),
        more=N_(
            "Orders seen in Ombudsman decisions include:\n"
            "• a written apology, often from a named senior officer;\n"
            "• compensation paid directly to you by a set date;\n"
            "• inspections and repairs, with timescales;\n"
            "• a review of your case, or of what your landlord can learn from it;\n"
            "• staff training on the Complaint Handling Code, and reviews of your landlord's policies.\n"
            "Recommendations are different: they are not binding, and your landlord may decide not to "
            "follow them.\n"
            "Compensation should be paid to you, not taken off rent you owe, unless you ask for that.\n"
            "How much: it depends on how serious the failing was and how it affected you. For poor "
            "complaint handling on its own, awards in the 2025 decisions we looked at were usually £50 to "
            "£200. In one case the Ombudsman ordered £200 for complaint handling failures.\n"
            "The Ombudsman's remedies guidance groups awards into bands. We believe they were about £50 "
            "to £100, £100 to £600, £600 to £1,000, and over £1,000 for the most serious cases. We have "
            "not been able to check this table, so check with the Ombudsman.\n"
            "New compensation guidance applies from 1 April 2026. A law firm's summary gives examples: "
            "£15 a day for a complete loss of heating (£8 a day if one service is lost), £10 a day for "
            "loss of power, and £15 for each missed appointment. These amounts are second-hand, so check "
            "them with the Ombudsman."
        ),
        sources=(
            Source("Housing Act 1996 Sch 2 para 7: order powers (Ombudsman guidance)", _HOS_ORDER_POWERS, _V),
            _PORTSMOUTH_DECISION,
            Source("Southern Housing 202331162: remedies guidance applied", _SOUTHERN, _V),
            Source("Housing Ombudsman remedies guidance: band table (to be confirmed)", _HOS_REMEDIES, _U),
            Source("Housing Ombudsman: compensation guidance from 1 April 2026", _HOS_COMPENSATION_2026, _V),
            Source("Anthony Collins: the 2026 compensation amounts", _COMPENSATION_2026_SUMMARY, _S),
        ),
    ),
    Topic(
        id="going_direct",
        title=N_("No MP or councillor needed"),
        summary=N_(
            "You can go straight to the Housing Ombudsman once your landlord has sent its final response. "
            "You do not need an MP, a councillor or a tenant panel to refer you, and you do not have to "
            "wait 8 weeks. This has been the rule since 1 October 2022."
        ),
        more=N_(
            "Before 1 October 2022 there was a “democratic filter”. Residents had to wait 8 weeks after "
            "the landlord's final response, or ask a “designated person” (an MP, a councillor or a tenant "
            "panel) to refer the complaint.\n"
            "The Building Safety Act 2022 (section 160) removed this from 1 October 2022.\n"
            "Some landlord and council web pages still describe the old rule. It no longer applies."
        ),
        sources=(
            Source("Building Safety Act 2022 s.160, commenced by SI 2022/561 reg 5", _SI_2022_561, _V),
            Source("Localism Act 2011 s.180 (the old rule)", _LOCALISM_ACT_S180, _V),
        ),
    ),
    Topic(
        id="acting_for_you",
        title=N_("Someone acting for you"),
        summary=N_(
            "You can ask someone to help you or act for you, such as a relative, a support worker or an "
            "advocate. Your landlord must deal with complaints from representatives under its complaints "
            "policy. Representatives can also use the Housing Ombudsman's online form."
        ),
        more=N_(
            "Your landlord (Code 1.3): complaints made by a third party or a representative are handled "
            "in line with the landlord's complaints policy. Some landlords ask for your written "
            "permission first, because of data protection.\n"
            "The Ombudsman: authorised representatives can bring a complaint for you. In past decisions "
            "these have included a support worker and a resident's sister. Residents and representatives "
            "can both use the online form.\n"
            "The Ombudsman itself cannot make the complaint on your behalf.\n"
            "Meetings: the Code is believed to let you use a representative and bring someone with you to "
            "meetings, but we have not confirmed the exact rule. Check with the Ombudsman."
        ),
        sources=(
            Source("Code 1.3 (2024)", _SLOUGH, _V),
            Source("LGSCO and Housing Ombudsman: memorandum of understanding", _LGSCO_MOU, _V),
            _ONLINE_FORM,
            _WAITING,
            Source("East Devon: written permission for a representative", _EAST_DEVON, _S),
            Source("Code section 5: representatives at meetings (to be confirmed)", _HOS_CODE_2024, _U),
        ),
    ),
)

_BY_ID = {topic.id: topic for topic in TOPICS}


def topic_ids() -> list[str]:
    return [topic.id for topic in TOPICS]


def find_topic(topic_id: str) -> Topic | None:
    """The topic with this id, ignoring case and surrounding spaces, and accepting '-' for '_'."""
    return _BY_ID.get(topic_id.strip().lower().replace("-", "_"))


def _standing_warning(standing: Standing, t: Translator) -> str | None:
    if standing is Standing.SECONDARY:
        return t.gettext(
            "⚠ Second-hand: this source reports the rule, but we have not read it in the official text. "
            "If it matters to your case, check with the Housing Ombudsman."
        )
    if standing is Standing.UNVERIFIED:
        return t.gettext(
            "⚠ Not confirmed: we have not been able to check this against the official text. Please "
            "check with the Housing Ombudsman before you rely on it."
        )
    return None


def _code_times(t: Translator) -> dict[str, str]:
    """The Code's times a topic may state ({stage1_acknowledge} ...), from the clocks that compute the
    deadlines (the Code in force now)."""
    times = {}
    for name, clock in (("stage1", CODE_2024.stage1), ("stage2", CODE_2024.stage2)):
        times[f"{name}_acknowledge"] = t.format_number(clock.acknowledgement_working_days)
        times[f"{name}_respond"] = t.format_number(clock.response_working_days)
        times[f"{name}_extension"] = t.format_number(clock.extension_cap_working_days)
    return times


def render_topic(topic: Topic, t: Translator, *, more: bool = False) -> str:
    """The topic as plain text: title, summary (and the "read more" text), then each source.

    Each source is a "Source:" line with its citation, its address on the next line, and, when the
    source is not VERIFIED, a warning line telling the resident to check with the Ombudsman.
    """
    times = _code_times(t)
    blocks = [t.gettext(topic.title), t.gettext(topic.summary).format(**times)]
    if more:
        blocks.append(t.gettext(topic.more).format(**times))
    source_lines: list[str] = []
    for source in topic.sources:
        # Translators: {citation} is a reference such as "Code 6.3 (2024)"; keep it as it is.
        source_lines.append(t.gettext("Source: {citation}").format(citation=source.citation))
        source_lines.append(source.url)
        warning = _standing_warning(source.standing, t)
        if warning is not None:
            source_lines.append(warning)
    blocks.append("\n".join(source_lines))
    return "\n\n".join(blocks)


def render_menu(t: Translator) -> str:
    """A numbered list of topic titles, each with the id to type to open it (for the terminal)."""
    lines = [t.gettext("Topics you can read about. Type the word in brackets to open one.")]
    for number, topic in enumerate(TOPICS, start=1):
        # Translators: {topic_id} is what the resident types to open the topic; keep it as it is.
        line = t.gettext("{number}. {title} ({topic_id})")
        title = t.gettext(topic.title)
        lines.append(line.format(number=t.format_number(number), title=title, topic_id=topic.id))
    return "\n".join(lines)
