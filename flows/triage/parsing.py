"""Triage's reading of the resident's own words: a subject, a landlord type, a nation (keywords, never
a guess beyond them)."""

from __future__ import annotations

import re

from flows.case import LandlordType
from flows.triage.grounds import Subject
from flows.working_days import Nation

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
