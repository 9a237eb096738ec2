"""Does a landlord's complaint response say what the Code requires? Pure rules over the letter's text.

The Code asks a response to confirm, in writing: the complaint stage, the complaint definition (2024
Code only), the decision, the reasons, any remedy, outstanding actions, and how to escalate: at stage
1 how to ask for stage 2, at stage 2 how to reach the Housing Ombudsman (`../shared/domain.md` 1.8:
2022 Code 5.8, VERIFIED for stage 1; 2024 Code 6.9 and 6.19, numbering and wording UNVERIFIED).

Landlords write these things in many ways, so each element is a handful of patterns read sentence by
sentence, plus headings ("Our decision", "Putting things right") that vouch for the paragraph after
them. A false "found" misleads a resident more than a false "missing" (they would not ask for what
is owed to them), so the patterns ask for the thing itself, not its neighbourhood: "sorry you feel"
is no apology, the Ombudsman's name without its contact details is no route to it. Tuned on part of
the corpus in tests/fixtures/responses/ only; the agreement on the rest is in the README.

Reading the file (PDF, Word, OCR) is the adapter's job (bot/services/response_reading.py): this module sees
text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from flows.case import Case, EventKind
from flows.code_rules import CodeVersion, Rule, Standing, code_for_stage, code_in_force
from flows.i18n import N_, Translator


class ElementId(StrEnum):
    COMPLAINT_STAGE = "complaint_stage"
    COMPLAINT_DEFINITION = "complaint_definition"
    DECISION = "decision"
    REASONS = "reasons"
    REMEDY = "remedy"
    OUTSTANDING_ACTIONS = "outstanding_actions"
    HOW_TO_ESCALATE = "how_to_escalate"


ELEMENTS_2024 = tuple(ElementId)
ELEMENTS_2022 = tuple(e for e in ElementId if e is not ElementId.COMPLAINT_DEFINITION)

_SLOUGH = "https://www.slough.gov.uk/complaints-feedback/housing-ombudsman-complaint-handling-code-self-assessment/5"
# domain.md 1.8. The 2022 list is verified for stage 1 only; its stage 2 counterpart was not seen.
_RULES: dict[tuple[CodeVersion, int], Rule] = {
    (CodeVersion.V2022, 1): Rule("Code 5.8 (2022)", Standing.VERIFIED, _SLOUGH),
    (CodeVersion.V2022, 2): Rule("Code 5.8 (2022)", Standing.UNVERIFIED, "domain.md 1.8 (stage 2 not seen)"),
    (CodeVersion.V2024, 1): Rule(
        "Code 6.9 (2024)", Standing.UNVERIFIED, "domain.md 1.8 (numbering unverified)"
    ),
    (CodeVersion.V2024, 2): Rule(
        "Code 6.19 (2024)", Standing.UNVERIFIED, "domain.md 1.8 (numbering unverified)"
    ),
}


def content_rule(code: CodeVersion, stage: int | None) -> Rule:
    """The paragraph listing what a response at this stage must confirm (stage 1's when unknown)."""
    return _RULES[(code, stage or 1)]


# What each element is, in plain words, for the resident ("The letter does not say {what}").
ELEMENT_LABELS: dict[ElementId, str] = {
    ElementId.COMPLAINT_STAGE: N_("which stage of the complaints process it answers"),
    ElementId.COMPLAINT_DEFINITION: N_("what your complaint is, as the landlord understood it"),
    ElementId.DECISION: N_("its decision on your complaint"),
    ElementId.REASONS: N_("the reasons for its decision"),
    ElementId.REMEDY: N_("what it will do to put things right"),
    ElementId.OUTSTANDING_ACTIONS: N_("what is still to be done, and when"),
}
ESCALATE_LABELS: dict[int, str] = {
    1: N_("how to ask for stage 2"),
    2: N_("how to contact the Housing Ombudsman"),
}
# The same as a resident writes them to the landlord or the Ombudsman (letters are in English; the
# resident previews them in their own language).
LETTER_LABELS: dict[ElementId, str] = {
    ElementId.COMPLAINT_STAGE: N_("the complaint stage"),
    ElementId.COMPLAINT_DEFINITION: N_("the complaint definition"),
    ElementId.DECISION: N_("the decision"),
    ElementId.REASONS: N_("the reasons for the decision"),
    ElementId.REMEDY: N_("the remedy"),
    ElementId.OUTSTANDING_ACTIONS: N_("the outstanding actions"),
}
LETTER_ESCALATE = {1: N_("how to escalate to stage 2"), 2: N_("the Housing Ombudsman's contact details")}


def element_label(element: ElementId, stage: int | None, t: Translator) -> str:
    if element is ElementId.HOW_TO_ESCALATE:
        return t.gettext(ESCALATE_LABELS[stage or 1])
    return t.gettext(ELEMENT_LABELS[element])


def letter_label(element: ElementId, stage: int | None, t: Translator) -> str:
    if element is ElementId.HOW_TO_ESCALATE:
        return t.gettext(LETTER_ESCALATE[stage or 1])
    return t.gettext(LETTER_LABELS[element])


@dataclass(frozen=True, slots=True)
class ElementResult:
    id: ElementId
    found: bool
    quote: str | None


@dataclass(frozen=True, slots=True)
class ResponseCheck:
    stage: int | None
    stage_from_letter: int | None
    code: CodeVersion
    code_assumed: bool  # no case said which Code: taken from the letter's date (or today)
    letter_date: date | None
    elements: tuple[ElementResult, ...]

    @property
    def rule(self) -> Rule:
        return content_rule(self.code, self.stage)

    @property
    def missing(self) -> tuple[ElementId, ...]:
        return tuple(e.id for e in self.elements if not e.found)


# ---------------------------------------------------------------------------------------------------
# Sentences

_BULLET = re.compile(r"^\s*(?:[-*•]|\(?[a-z0-9]{1,2}[.)])\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(£0-9])")


@dataclass(frozen=True, slots=True)
class _Block:
    heading: str | None  # a short line with no full stop that opened the paragraph
    sentences: tuple[str, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The heading too: a one-line paragraph without a full stop ("We apologise and will pay
        you £50", as OCR often reads it) says something as well as heading what follows."""
        return (self.heading, *self.sentences) if self.heading else self.sentences


def _is_heading(line: str) -> bool:
    stripped = line.strip().rstrip(":")
    return 0 < len(stripped) <= 60 and not stripped.endswith((".", ",", ";")) and "|" not in stripped


def _blocks(text: str) -> list[_Block]:
    """Paragraphs (blank-line separated) as sentences; a table row or list item is a sentence of its own,
    and a heading line names the paragraph it opens."""
    blocks: list[_Block] = []
    for raw in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        # Runs of spaces (justified text in a PDF, OCR) are one space: the patterns say "you complained".
        lines = [" ".join(ln.split()) for ln in raw.split("\n") if ln.strip()]
        if not lines:
            continue
        heading = None
        if len(lines) > 1 and _is_heading(lines[0]) and not lines[0].startswith("|"):
            heading, lines = lines[0].rstrip(":"), lines[1:]
        elif len(lines) == 1 and _is_heading(lines[0]):
            blocks.append(_Block(lines[0].rstrip(":"), ()))
            continue
        sentences: list[str] = []
        running: list[str] = []
        for line in lines:
            if line.startswith("|") or _BULLET.match(line):
                if running:
                    sentences.extend(_SENTENCE_END.split(" ".join(running)))
                    running = []
                sentences.append(line)
            else:
                running.append(line)
        if running:
            sentences.extend(_SENTENCE_END.split(" ".join(running)))
        blocks.append(_Block(heading, tuple(s.strip() for s in sentences if s.strip())))
    # A heading alone in its paragraph vouches for the next paragraph.
    merged: list[_Block] = []
    for block in blocks:
        if merged and not merged[-1].sentences and merged[-1].heading and block.heading is None:
            merged[-1] = _Block(merged[-1].heading, block.sentences)
        else:
            merged.append(block)
    return merged


# ---------------------------------------------------------------------------------------------------
# The letter's date

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATE_PATTERNS = (
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<nmonth>\d\d)-(?P<day>\d\d)\b"),
    # Numeric dates are read day first, as in England.
    re.compile(r"\b(?P<day>\d{1,2})[/.](?P<nmonth>\d{1,2})[/.](?P<year>(?:19|20)\d\d)\b"),
)
_SALUTATION = re.compile(
    r"^[ \t]*(dear|hi|hello|to whom)\b", re.IGNORECASE | re.MULTILINE
)  # [ \t]: \s ran over blank lines, quadratic
_DATE_LABEL = re.compile(r"^\s*(date|dated|date of (letter|response)|sent)\b", re.IGNORECASE)


def _date_in(text: str) -> date | None:
    found: list[tuple[int, date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            month = _MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["nmonth"])
            try:
                found.append((match.start(), date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


def _heading_part(text: str) -> str:
    """The letter's heading: what comes before "Dear ..." (the first 600 characters without one)."""
    salutation = _SALUTATION.search(text)
    return text[: salutation.start()] if salutation else text[:600]


def letter_date(text: str) -> date | None:
    """The letter's own date: a dated line ("Date: ...") in the heading part (before "Dear ..."),
    else the first date there. A date only in the body is some other event's, so: none."""
    lines = _heading_part(text).splitlines()
    for line in lines:
        if _DATE_LABEL.match(line) and (labelled := _date_in(line)):
            return labelled
    for line in lines:
        if re.search(r"\b(ref|reference|tel|telephone|phone)\b", line, re.IGNORECASE):
            continue
        if (first := _date_in(line)) is not None:
            return first
    return None


# ---------------------------------------------------------------------------------------------------
# The elements


# Between two words of one pattern: at most this many characters of the same sentence. Bounded, so a
# pattern costs a fixed amount per position: "[^.]*" made a long line without full stops (a crafted
# letter, or OCR of a table) quadratic, holding the interpreter for minutes.
_GAP = r"[^.]{0,200}?"
# Letters are a few pages; a file's text beyond this is not read (a 10-page letter is ~40,000).
MAX_TEXT_CHARACTERS = 100_000


# The rules read English. A letter in Welsh (a landlord near the border, or the Welsh half of a
# bilingual letter) or an OCR of a blurred photo matched none of them, and "the letter does not say:
# the decision; the reasons; ..." went into the stage 2 letter as a fact: false, and to the landlord.
_ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "you",
        "your",
        "we",
        "our",
        "is",
        "that",
        "for",
        "in",
        "this",
        "have",
        "it",
        "be",
        "not",
        "with",
        "on",
        "are",
        "us",
        "as",
        "by",
        "will",
        "has",
        "was",
        "if",
        "at",
        "from",
        "or",
        "an",
        "been",
    ]
)


def reads_as_english(text: str) -> bool:
    """Enough of English's commonest words (one word in ten; English prose has one in three or four)
    to check it; a short text (under 30 words) is given the benefit of the doubt."""
    words = re.findall(r"[A-Za-z]+", text[:MAX_TEXT_CHARACTERS].lower())
    if len(words) < 30:
        return True
    return sum(w in _ENGLISH_WORDS for w in words) / len(words) >= 0.1


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_STAGE_ONE = _rx(r"\bstage\s*(?:1|one)\b", r"\bfirst stage\b")
_STAGE_TWO = _rx(r"\bstage\s*(?:2|two)\b", r"\bsecond stage\b", r"\bfinal (?:stage|response)\b")
_OFFER = _rx(
    r"\bif\b", r"\bcan\b", r"\bmay\b", r"\bshould you\b", r"\bwould like\b", r"\bwish\b", r"\bplease\b"
)
_IMPLIED_STAGE_TWO = _rx(
    r"\byou asked (?:us )?(?:to review|for (?:a |your complaint to be )?(?:review|escalat))",
    r"\basked us to (?:review|escalate)\b",
    r"\b(?:my|our) review of your complaint\b",
    r"\bconcludes? (?:the|our) (?:council's )?complaints? (?:procedure|process)\b",
)
_DEFINITION = _rx(
    r"\byou (?:complained|told us|contacted us because|are unhappy|were unhappy|are not happy|said that)\b",
    r"\byour complaint (?:is|was|concerns|relates|about|regarding|that)\b",
    r"\b(?:we|i) understand (?:that )?(?:your complaint|you are unhappy)\b",
    r"\bcomplaint (?:about|regarding|concerning|that)\b",
    r"\b(?:getting|got|been) in touch (?:with us )?about\b",
    r"\bcontact(?:ed|ing)? us about\b",
    rf"\basked us to review\b{_GAP}\babout\b",
    r"\bthe issues? you raised\b",
)
_DEFINITION_HEADING = _rx(r"^(?:your|the|summary of (?:your |the )?)complaint$", r"^what you told us$")
_DECISION = _rx(
    r"\b(?:partly |partially |part )?upheld\b",
    r"\b(?:do not |not |partly |partially )?uphold\b",
    r"\bupheld in part\b",
    r"\b(?:is|was|are) (?:not )?justified\b",
    r"^outcome\b.*:",
    r"\bmy decision is\b",
    r"\bi have decided (?:that|to)\b",
    r"\bwill not be (?:replacing|repairing|refunding|paying|removing|changing)\b",
    r"^decision\s*:",
)
_DECISION_HEADING = _rx(r"^(?:our |my )?decision$", r"^outcome$", r"^our findings$")
_REASONS = _rx(
    r"\bbecause\b",
    r"\bdue to\b(?!\s+(?:be|you)\b)",  # "due to be fitted" is a date, "the £40 due to you" a remedy
    r"\bcaused by\b",
    r"\b(?:records?|investigation|inspection|survey|report|time ?sheets?|photographs?|call recordings?|evidence|notes)\b"
    rf"{_GAP}\b(?:show|shows|showed|found|confirm|confirms)\b",
    r"\b(?:i|we) (?:have )?found that\b",
    r"\bwe found\b",
    r"\bour policy is\b",
    rf"\b(?:visited|inspected|surveyed)\b{_GAP}\bfound\b",
    r"\bunder (?:your|the) tenancy agreement\b",
    r"\bcould not \w+ until\b",
    r"\bwe should have\b",
    r"\bthe tenancy agreement says\b",
    r"\bwas not (?:passed|reported|placed|logged|updated|issued|paid|ordered)\b",
)
_REASONS_HEADING = _rx(r"^(?:the )?reasons?\b", r"^why\b", r"^findings$", r"^what we found$")
_NOT_APOLOGY = _rx(
    r"\bsorry (?:you feel|that you feel|to hear|if you feel)\b",
    # "We apologise that you feel...", "we are sorry if you felt...": regret at a feeling, no apology
    r"\b(?:apologi[sz]e|sorry)\b(?: that| if)? you (?:feel|felt|think|thought|believe|consider)\b",
    # An apology, compensation or a payment refused is no remedy: "no compensation will be paid",
    # "we do not think an apology is appropriate", "we will not be offering a goodwill payment".
    r"\b(?:no|not|nor|without|decline to|unable to)\b[^.]{0,60}?\b(?:apolog|compensat|goodwill|payment|refund)",
    r"\b(?:apology|compensation|goodwill|payment|refund)\b[^.]{0,40}?\b(?:is|are|was|be|will)\s+not\b",
)
_REMEDY = _rx(
    r"\b(?:we|i) (?:would like to |must |sincerely )?(?:apologise|apologize)\b",
    r"\bapologi[sz]e(?:s)?\b",
    r"\bapology\b",
    r"\b(?:i|we) am sorry\b",
    r"\b(?:i|we)(?:'m| am| are)(?: very| truly)? sorry\b",
    r"\bcompensation\b",
    r"\bgoodwill\b",
    r"\bto put things right\b",
    rf"(?:pay|paid|payment|credit(?:ed)?|refund|offer(?:ing)?)\b{_GAP}£\s?\d",
    rf"£\s?\d{_GAP}\b(?:payment|compensation|credit(?:ed)?|paid|into your)\b",
)
_REMEDY_HEADING = _rx(
    r"^(?:the )?remedy\b", r"^putting things right$", r"^what we will do$", r"^remedy offered$"
)
_ACTIONS = _rx(
    r"\bwill (?:now )?(?:attend|visit|be fitted|be completed|be replaced|be signed|be repaired|call|phone|"
    r"contact|write|meet|inspect|carry out|fit|replace|cut|check|complete|provide|make a|install|repair|"
    r"seal|treat|arrange|add a)\b",
    r"\b(?:booked|scheduled|arranged|due to be \w+) (?:for|on)\b",
    r"\bare booked\b",
    r"\bno (?:further|outstanding) action",
    r"\bthere are no outstanding\b",
    r"\bhave asked the \w+ (?:team|officer) to\b",
    r"\bstarting \d",
    r"\bfrom \d{1,2}(?:st|nd|rd|th)? \w+ \d{4}\b",
)
_ACTIONS_HEADING = _rx(r"^(?:outstanding )?actions?$", r"^what happens next$", r"^outstanding actions\b")
_ESCALATION_WORDS = _rx(
    r"\bstage\s*(?:2|two)\b",
    r"\bescalat",
    r"\breview\b",
    r"\blook at (?:it|this|your complaint) again\b",
    r"\bconsider(?:ed)? (?:it|this|your complaint) (?:again|at stage)\b",
    r"\btake (?:it|this|your complaint) further\b",
)
_ESCALATION_HOW = _rx(
    r"\bcontact",
    r"\bcall",
    r"\bphon",
    r"\be-?mail",
    r"\bwrit",
    r"\breply",
    r"\blet us know\b",
    r"\bask\b",
    r"\brequest\b",
    r"\bform\b",
    r"@",
    r"\b0\d{3}\s?\d{3}\s?\d{3,4}\b",
)
# A step said not to be open: "this complaint cannot be escalated to stage 2", "a review is not
# available". A false "found" (the resident would not ask for what they are owed) is worse than a
# false "missing", so such a sentence neither offers the step nor says the letter is at it.
_NOT_OPEN = _rx(
    r"\b(?:cannot|can ?not|can't|unable to|will not|won't|not able to|not)\s+(?:be\s+)?(?:further\s+)?"
    r"(?:escalat|progress|review|reconsider|consider|taken|referred|moved|passed|available|possible|open)",
    r"\b(?:escalation|review|stage (?:2|two))\b[^.]{0,40}?\b(?:is|are|will be|would be)\s+not\b",
    r"\bno (?:right|option|further (?:stage|review|escalation))\b",
)
# "This is our final response", "our stage two response": the letter naming itself, whatever else
# the sentence refuses ("...and will not be considered further").
_OUR_STAGE_TWO = _rx(r"\b(?:our|this) (?:stage\s*(?:2|two)|final) (?:response|decision|reply)\b")
_OMBUDSMAN = _rx(r"\bombudsman\b")
_OMBUDSMAN_DETAILS = _rx(
    r"\b0\d{3}\s?\d{3}\s?\d{4}\b",
    r"housing-ombudsman\.org\.uk",
    r"\bwww\.",
    r"https?://",
    r"\bp\.?\s?o\.? box\b",
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b",
)
_FROM_THE_RESIDENT = _rx(r"^(?:you|thank you)\b")


def _sentences(blocks: Sequence[_Block]) -> Iterable[tuple[_Block, str]]:
    for block in blocks:
        for sentence in block.sentences:
            yield block, sentence


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= 300 else text[:297].rstrip() + "..."


def _first(
    blocks: Sequence[_Block],
    pattern: re.Pattern[str],
    heading: re.Pattern[str] | None = None,
    exclude: re.Pattern[str] | None = None,
) -> str | None:
    for block in blocks:
        if heading is not None and block.heading and heading.search(block.heading) and block.sentences:
            return _quote(block.sentences[0])
        for sentence in block.lines:
            if pattern.search(sentence) and not (exclude is not None and exclude.search(sentence)):
                return _quote(sentence)
    return None


def _is_offer_of_stage_two(sentence: str) -> bool:
    return bool(_STAGE_TWO.search(sentence) and _OFFER.search(sentence))


def detect_stage(blocks: Sequence[_Block]) -> tuple[int | None, str | None]:
    """The stage this letter answers, and the sentence that says so (None when only implied)."""
    stage_one: str | None = None
    implied_two = offers_two = False
    lines = [(b.heading or "") for b in blocks] + [s for _, s in _sentences(blocks)]
    for line in lines:
        refused = _NOT_OPEN.search(line) and not _OUR_STAGE_TWO.search(line)
        if _STAGE_TWO.search(line) and not _is_offer_of_stage_two(line) and not refused:
            return 2, _quote(line)
        if _IMPLIED_STAGE_TWO.search(line):
            implied_two = True
        offers_two = offers_two or _is_offer_of_stage_two(line)
        if stage_one is None and _STAGE_ONE.search(line) and not _is_offer_of_stage_two(line):
            stage_one = _quote(line)
    if implied_two:
        return 2, None
    if stage_one is not None:
        return 1, stage_one
    if offers_two:  # "you can ask for stage 2": this is stage 1, though the letter does not say so
        return 1, None
    return None, None


def _how_to_escalate(blocks: Sequence[_Block], stage: int | None, head: str = "") -> str | None:
    if stage in (1, None):
        for block in blocks:
            for index, sentence in enumerate(block.lines):
                if not _ESCALATION_WORDS.search(sentence) or _NOT_OPEN.search(sentence):
                    continue
                # "You can escalate to stage 2. Please contact the team on ...": the how may follow.
                if _ESCALATION_HOW.search(" ".join(block.lines[index : index + 2])):
                    return _quote(sentence)
        if stage == 1:
            return None
    # Stage 2: the Ombudsman named, and its contact details in the same paragraph (or the next two).
    # The landlord's own telephone, website or postcode (in its letterhead, and again in a footer)
    # are not the Ombudsman's: "contact the Housing Ombudsman" over the landlord's address is its name
    # only.
    own = {m.group(0).lower() for m in _OMBUDSMAN_DETAILS.finditer(head)} - {"housing-ombudsman.org.uk"}
    for block in blocks:
        for index, sentence in enumerate(block.lines):
            if not _OMBUDSMAN.search(sentence):
                continue
            window = " ".join(block.lines[index : index + 3])
            following = [b for b in blocks[blocks.index(block) + 1 : blocks.index(block) + 3]]
            window += " " + " ".join(s for b in following for s in b.sentences)
            if any(m.group(0).lower() not in own for m in _OMBUDSMAN_DETAILS.finditer(window)):
                return _quote(sentence)
    return None


def _outstanding_actions(blocks: Sequence[_Block]) -> str | None:
    """A future action the landlord commits to; paying the remedy is the remedy, unless it is dated."""
    for block in blocks:
        if block.heading and _ACTIONS_HEADING.search(block.heading) and block.sentences:
            return _quote(block.sentences[0])
        for sentence in block.lines:
            if not _ACTIONS.search(sentence) or re.search(r"\bif\b", sentence, re.IGNORECASE):
                continue
            if "£" in sentence and _date_in(sentence) is None:
                continue
            return _quote(sentence)
    return None


def stage_and_code(case: Case, today: date) -> tuple[int, CodeVersion]:
    """The stage a response to this case answers now, and the Code that governs it (the one in force
    when the stage began, unless the case names one)."""
    stage2 = any(
        e.kind in (EventKind.ESCALATION_REQUESTED, EventKind.STAGE2_ACKNOWLEDGED) for e in case.events
    )
    start = EventKind.ESCALATION_REQUESTED if stage2 else EventKind.COMPLAINT_MADE
    began = next((e.date for e in case.events if e.kind is start), None)
    return (2 if stage2 else 1), code_for_stage(case.code, began, today).version


def check_response(
    text: str, today: date, stage: int | None = None, code: CodeVersion | None = None
) -> ResponseCheck:
    """Check a response's text. `stage` and `code` come from the case when it is known; otherwise the
    stage is read from the letter and the Code is the one in force on the letter's date (or today)."""
    text = text[:MAX_TEXT_CHARACTERS]
    blocks = _blocks(text)
    dated = letter_date(text)
    stage_from_letter, stage_quote = detect_stage(blocks)
    chosen_stage = stage or stage_from_letter
    code_assumed = code is None
    chosen_code = code or code_in_force(dated or today).version
    definition = _first(blocks, _DEFINITION, _DEFINITION_HEADING)
    found: dict[ElementId, str | None] = {
        ElementId.COMPLAINT_STAGE: stage_quote,
        ElementId.COMPLAINT_DEFINITION: definition,
        ElementId.DECISION: _first(blocks, _DECISION, _DECISION_HEADING),
        ElementId.REASONS: _first(blocks, _REASONS, _REASONS_HEADING, exclude=_FROM_THE_RESIDENT),
        ElementId.REMEDY: _first(blocks, _REMEDY, _REMEDY_HEADING, exclude=_NOT_APOLOGY),
        ElementId.OUTSTANDING_ACTIONS: _outstanding_actions(blocks),
        ElementId.HOW_TO_ESCALATE: _how_to_escalate(blocks, chosen_stage, _heading_part(text)),
    }
    ids = ELEMENTS_2024 if chosen_code is CodeVersion.V2024 else ELEMENTS_2022
    return ResponseCheck(
        stage=chosen_stage,
        stage_from_letter=stage_from_letter,
        code=chosen_code,
        code_assumed=code_assumed,
        letter_date=dated,
        elements=tuple(ElementResult(i, found[i] is not None, found[i]) for i in ids),
    )


# ---------------------------------------------------------------------------------------------------
# Messages and the published output


def missing_message(check: ResponseCheck, t: Translator) -> str | None:
    """One plain sentence naming what the letter does not say, with its paragraph; None if nothing."""
    if not check.missing:
        return None
    what = "; ".join(element_label(e, check.stage, t) for e in check.missing)
    return t.gettext("The letter does not say: {what} ({rule}).").format(what=what, rule=check.rule.citation)


def noted_gaps_message(gap: dict[str, Any], stage: int, t: Translator) -> str | None:
    """What a response left out, as noted on the case (`response_gaps`), for the resident."""
    missing = [ElementId(m) for m in gap.get("missing") or ()]
    if not missing:
        return None
    what = "; ".join(element_label(e, stage, t) for e in missing)
    return t.gettext("The letter does not say: {what} ({rule}).").format(what=what, rule=gap.get("rule", ""))


def next_steps(check: ResponseCheck, t: Translator) -> list[tuple[str, str]]:
    steps: list[tuple[str, str]] = []
    if check.stage is None:
        steps.append(
            (
                "say_which_stage",
                t.gettext(
                    "We could not tell whether this answers stage 1 or stage 2. If you know, say so and we "
                    "will check it again."
                ),
            )
        )
    if (message := missing_message(check, t)) is not None:
        steps.append(
            (
                "ask_for_what_is_missing",
                message
                + " "
                + t.gettext(
                    "You can ask your landlord to confirm it in writing. If you take the complaint further, "
                    "say that the response left it out."
                ),
            )
        )
    if check.rule.standing is not Standing.VERIFIED:
        steps.append(
            (
                "check_with_the_ombudsman",
                t.gettext(
                    "We have not seen the exact wording of {rule}: check with the Housing Ombudsman before "
                    "relying on it."
                ).format(rule=check.rule.citation),
            )
        )
    if check.stage == 2:
        steps.append(
            (
                "go_to_ombudsman",
                t.gettext(
                    "This is the landlord's final response. If you are still unhappy you can go to the "
                    "Housing Ombudsman, normally within 12 months of it."
                ),
            )
        )
    elif check.stage == 1:
        steps.append(
            (
                "ask_for_stage2",
                t.gettext(
                    "If you are not happy with the answer you can ask for stage 2. You do not have to give "
                    "your reasons (Code 6.12 (2024))."
                )
                if check.code is CodeVersion.V2024
                else t.gettext("If you are not happy with the answer you can ask for stage 2."),
            )
        )
    return steps


def landlord_check_lines(check: ResponseCheck, stage: int, t: Translator) -> list[str]:
    """The check as a landlord's complaints team reads it before sending the response (the portal)."""
    lines = []
    if check.letter_date is not None:
        lines.append(t.gettext("The letter is dated {date}.").format(date=t.format_date(check.letter_date)))
    if check.stage_from_letter is not None and check.stage_from_letter != stage:
        lines.append(
            t.gettext(
                "It says it answers stage {letter_stage}, but the complaint is at stage {stage}."
            ).format(letter_stage=check.stage_from_letter, stage=stage)
        )
    if check.missing:
        what = "; ".join(letter_label(e, stage, t) for e in check.missing)
        lines.append(
            t.gettext("This letter does not say: {what} ({rule}).").format(
                what=what, rule=check.rule.citation
            )
        )
    else:
        lines.append(
            t.gettext("This letter says everything the Code asks a response to say ({rule}).").format(
                rule=check.rule.citation
            )
        )
    return lines


class ElementOut(BaseModel):
    id: ElementId
    found: bool
    quote: str | None
    rule: str
    standing: Standing


class NextStepOut(BaseModel):
    id: str
    message: str


class ResponseCheckOut(BaseModel):
    """What `fairsay check-response` prints."""

    stage: int | None
    code: CodeVersion
    code_assumed: bool
    letter_date: date | None
    text_source: str
    elements: list[ElementOut]
    missing: list[ElementId]
    next_steps: list[NextStepOut]


def check_out(check: ResponseCheck, text_source: str, t: Translator) -> ResponseCheckOut:
    rule = check.rule
    return ResponseCheckOut(
        stage=check.stage,
        code=check.code,
        code_assumed=check.code_assumed,
        letter_date=check.letter_date,
        text_source=text_source,
        elements=[
            ElementOut(id=e.id, found=e.found, quote=e.quote, rule=rule.citation, standing=rule.standing)
            for e in check.elements
        ],
        missing=list(check.missing),
        next_steps=[NextStepOut(id=i, message=m) for i, m in next_steps(check, t)],
    )


def json_schemas() -> dict[str, dict[str, Any]]:
    schema = ResponseCheckOut.model_json_schema(mode="serialization")
    props = schema["properties"]
    props["stage"]["description"] = "1, 2, or null when the letter does not say (--stage overrides)"
    props["text_source"] = {
        "enum": ["text", "pdf_text", "docx", "ocr"],
        "title": "Text Source",
        "type": "string",
    }
    return {"response-check-output.schema.json": schema}
