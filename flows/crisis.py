"""A crisis in the resident's own words, recognised before anything else, and who can help now.

`detect_all` reads one message for suicide or self-harm, domestic abuse, homelessness tonight or
danger at home (phrase lists per language in `flows.crisis_phrases`, every list read whatever the
resident's language, because people mix languages), or for an
everyday idiom ("the damp is killing me") that gets a gentle "are you safe?" instead of a takeover.
`help_text` gives the lines for what was said, for the nation the resident lives in.

The numbers: docs/sources.md says where each comes from and which are not yet verified.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import cache
from typing import Any

from flows.crisis_phrases import PHRASES
from flows.i18n import Translator
from flows.working_days import Nation


class CrisisKind(StrEnum):
    SUICIDE = "suicide"  # suicide or self-harm
    DOMESTIC_ABUSE = "domestic_abuse"
    HOMELESS_TONIGHT = "homeless_tonight"
    DANGER_AT_HOME = "danger_at_home"
    IDIOM = "idiom"  # an everyday figure of speech: a gentle "are you safe?", not a takeover


SERIOUS = (
    CrisisKind.SUICIDE,
    CrisisKind.DOMESTIC_ABUSE,
    CrisisKind.DANGER_AT_HOME,
    CrisisKind.HOMELESS_TONIGHT,
)  # the order the help is given in

# Arabic-script letters written several ways: one form each, so a phrase matches however it is typed.
_LETTERS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ۃ": "ه", "ـ": None, "ł": "l", "ß": "ss"}
)
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘ʼ`´", None))
# Arabic joins "and", "so" and "the" to the next word: "والانتحار" is still "انتحار".
_PREFIXES = {"ar": "(?:و|ف)?(?:ال|بال|لل)?"}


def normalise(text: str) -> str:
    """Lower case, no accents or diacritics, no apostrophes, punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    kept = []
    for char in decomposed.casefold().translate(_LETTERS):
        category = unicodedata.category(char)
        if category in ("Mn", "Cf"):
            continue  # accents, Arabic vowel marks, joiners; the same is stripped from the phrases
        kept.append(" " if category[0] in "PSZC" else char)
    return " ".join("".join(kept).split())


def _expand(phrase: str) -> Iterator[str]:
    """ "{a|b} c" -> "a c", "b c"."""
    match = re.search(r"\{([^{}]*)\}", phrase)
    if match is None:
        yield phrase
        return
    for option in match.group(1).split("|"):
        yield from _expand(phrase[: match.start()] + option + phrase[match.end() :])


def _word_pattern(word: str) -> str:
    if word.endswith("*"):
        return re.escape(normalise(word[:-1])) + r"\S*"
    return re.escape(normalise(word))


def _atoms(variant: str) -> tuple[str, ...]:
    """A phrase as regex pieces, one per letter, to share in a trie; "!word" must not come next."""
    atoms: list[str] = []
    for word in variant.split():
        if word.startswith("!") and atoms:
            atoms.append(rf"(?!\s+{_word_pattern(word[1:])}(?:\s|$))")
            continue
        if atoms:
            atoms.append(r"\s+")
        atoms += [re.escape(letter) for letter in normalise(word.removesuffix("*"))]
        if word.endswith("*"):
            atoms.append(r"\S*")
    return tuple(atoms)


def _trie(sequences: Iterable[tuple[str, ...]]) -> str:
    """One regex for many phrases, sharing their beginnings: at each letter only the phrases that still
    fit are tried, not every phrase at every word (about 40 times faster on a long message)."""
    root: dict[str, Any] = {}
    for atoms in sequences:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[""] = {}  # a phrase ends here

    def regex(node: dict[str, Any]) -> str:
        branches = [atom + regex(child) for atom, child in sorted(node.items()) if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return regex(root)


@cache
def _pattern(kind: CrisisKind) -> re.Pattern[str]:
    """Every language's phrases of one kind, as one regex of whole words."""
    by_prefix: dict[str, set[tuple[str, ...]]] = {}
    for language, lists in PHRASES.items():
        atoms = by_prefix.setdefault(_PREFIXES.get(language, ""), set())
        atoms.update(_atoms(variant) for phrase in lists.get(kind.value, ()) for variant in _expand(phrase))
    tries = "|".join(f"{prefix}(?:{_trie(atoms)})" for prefix, atoms in sorted(by_prefix.items()))
    return re.compile(rf"(?<!\S)(?:{tries})(?=\s|$)")


def detect_all(text: str, language: str) -> tuple[CrisisKind, ...]:
    """Every crisis the message speaks of, most urgent first; else (IDIOM,) for a figure of speech; else ()."""
    folded = normalise(text)
    if not folded:
        return ()

    # Every language's lists, whatever `language`: people write in their own language whatever the bot
    # speaks, and mix them.
    def said(kind: CrisisKind) -> bool:
        return _pattern(kind).search(folded) is not None

    serious = tuple(kind for kind in SERIOUS if said(kind))
    if serious:
        return serious
    return (CrisisKind.IDIOM,) if said(CrisisKind.IDIOM) else ()


def detect(text: str, language: str) -> CrisisKind | None:
    """The most urgent crisis the message speaks of (IDIOM for a figure of speech), or None."""
    kinds = detect_all(text, language)
    return kinds[0] if kinds else None


# --- who can help -----------------------------------------------------------------------------------

SAMARITANS = "116 123"
DOMESTIC_ABUSE_LINES = {  # (name, number), per nation
    Nation.ENGLAND: ("National Domestic Abuse Helpline", "0808 2000 247"),
    Nation.WALES: ("Live Fear Free", "0808 80 10 800"),
    Nation.SCOTLAND: ("Domestic Abuse and Forced Marriage Helpline", "0800 027 1234"),
    Nation.NORTHERN_IRELAND: ("Domestic and Sexual Abuse Helpline", "0808 802 1414"),
}
GAS_EMERGENCY = {Nation.NORTHERN_IRELAND: "0800 002 001"}
GAS_EMERGENCY_GREAT_BRITAIN = "0800 111 999"
SHELTER = {  # homelessness helplines: (name, number); Northern Ireland is the Housing Executive's
    Nation.ENGLAND: ("Shelter", "0808 800 4444"),
    Nation.SCOTLAND: ("Shelter Scotland", "0808 800 4444"),
    Nation.WALES: ("Shelter Cymru", "08000 495 495"),
}


def nation_of(value: object) -> Nation:
    """The resident's nation from their answers, England unless known."""
    try:
        return Nation(str(value))
    except ValueError:
        return Nation.ENGLAND


def kind_lines(kind: CrisisKind, nation: Nation, t: Translator, landlord: str | None = None) -> str:
    """The help for one kind of crisis, in the resident's nation."""
    if kind is CrisisKind.SUICIDE:
        # 999 first: someone who has already taken something needs an ambulance before a talk.
        return t.gettext(
            "• If you have hurt yourself or taken an overdose, or you might act on these thoughts now, call 999.\n"
            "• Samaritans: call {number}, free, day or night, to talk to someone now."
        ).format(number=SAMARITANS)
    if kind is CrisisKind.DOMESTIC_ABUSE:
        name, number = DOMESTIC_ABUSE_LINES[nation]
        return t.gettext(
            "• If you are in danger now, call 999.\n• {helpline}: call {number}, free, for support and a safe place to stay."
        ).format(helpline=name, number=number)
    if kind is CrisisKind.HOMELESS_TONIGHT:
        if nation is Nation.NORTHERN_IRELAND:
            council = t.gettext(
                "• Call the Housing Executive today and say you have nowhere to stay tonight; out of hours, use its "
                "emergency number on its website."
            )
            return council
        name, number = SHELTER[nation]
        return (
            t.gettext(
                "• Call your council's housing options team today and say you have nowhere to stay tonight; out of "
                "hours, call the council's emergency number (on its website). The council must help you if you may "
                "be homeless."
            )
            + "\n"
            + t.gettext("• {name}: call {number}, free; see its website for the hours it is open.").format(
                name=name, number=number
            )
        )
    if kind is CrisisKind.DANGER_AT_HOME:
        gas = GAS_EMERGENCY.get(nation, GAS_EMERGENCY_GREAT_BRITAIN)
        repairs = (
            t.gettext(
                "• No heat, no power, a leak or a collapse: call {landlord}'s emergency repairs line, day or night."
            )
            if landlord
            else t.gettext(
                "• No heat, no power, a leak or a collapse: call your landlord's emergency repairs line, day or night "
                "(it is on their website, your tenancy papers or your rent statement)."
            )
        ).format(landlord=landlord)
        return (
            t.gettext(
                "• If anyone is in danger, get everyone out and call 999.\n"
                "• If you smell gas or your carbon monoxide alarm goes off: open the windows, don't use switches or "
                "flames, go outside and call the gas emergency line on {number}, free, day or night."
            ).format(number=gas)
            + "\n"
            + repairs
        )
    return t.gettext(
        "• If you are not safe, call 999.\n"
        "• If you ever feel you can't go on, Samaritans are there on {number}, free, day or night."
    ).format(number=SAMARITANS)


def help_text(kinds: Iterable[CrisisKind], nation: Nation, t: Translator, landlord: str | None = None) -> str:
    """What to say first: the lines for each kind said, then that we carry on when they are ready."""
    kinds = tuple(kinds)
    if kinds == (CrisisKind.IDIOM,):
        return "\n".join(
            (
                t.gettext("That sounds really hard. Are you safe right now?"),
                kind_lines(CrisisKind.IDIOM, nation, t),
            )
        )
    lines = [t.gettext("I'm so sorry. Your safety comes first. Here is who can help right now:")]
    lines += [kind_lines(kind, nation, t, landlord) for kind in kinds]
    lines.append(t.gettext("I'm still here when you're ready: we can carry on where we were."))
    return "\n".join(lines)
