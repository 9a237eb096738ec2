"""The response checker (flows/response_check.py) on the corpus in tests/fixtures/responses/ and on
the cases it must not get wrong.

The corpus's expectations were written before the rules (see its README). The rules were tuned on
the letters not held out, so those must all agree; on the held-out third the agreement per element
is measured and printed, with false "found" (the checker says the letter has it and it has not: the
worse mistake) and false "missing" counted apart, and asserted at the levels reached."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from flows.code_rules import CodeVersion, Standing
from flows.i18n import translator
from flows.response_check import (
    ElementId,
    ResponseCheck,
    check_out,
    check_response,
    letter_date,
    missing_message,
)

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "responses"
EXPECTED: dict[str, dict[str, object]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))[
    "letters"
]
TODAY = date(2026, 12, 7)


def _check(name: str) -> ResponseCheck:
    return check_response((CORPUS / name).read_text(encoding="utf-8"), today=TODAY)


@dataclass
class Tally:
    letters: int = 0
    agree: int = 0
    false_found: list[str] = field(default_factory=list)
    false_missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.agree / self.letters if self.letters else 1.0


def agreement(held_out: bool) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Per element, and for the stage and the date: how often the checker agrees with the corpus."""
    elements: dict[str, Tally] = {e.value: Tally() for e in ElementId}
    facts = {"stage": Tally(), "letter_date": Tally()}
    for name, expected in EXPECTED.items():
        if expected["held_out"] is not held_out:
            continue
        check = _check(name)
        for fact, got in (("stage", check.stage), ("letter_date", check.letter_date)):
            want = expected[fact]
            tally = facts[fact]
            tally.letters += 1
            if (got.isoformat() if isinstance(got, date) else got) == want:
                tally.agree += 1
            elif want is None:
                tally.false_found.append(name)
            else:
                tally.false_missing.append(name)
        for element in check.elements:
            tally = elements[element.id.value]
            tally.letters += 1
            want_found = element.id.value in expected["found"]  # type: ignore[operator]
            if element.found == want_found:
                tally.agree += 1
            elif element.found:
                tally.false_found.append(name)
            else:
                tally.false_missing.append(name)
    return elements, facts


def _report(title: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{title}")
    for name, t in tallies.items():
        print(
            f"  {name:22} {t.agree:2}/{t.letters:2} agree ({t.share:.0%}); false found {len(t.false_found)}"
            f" {t.false_found or ''}; false missing {len(t.false_missing)} {t.false_missing or ''}"
        )


def test_the_corpus_has_a_held_out_third_and_expectations_for_every_letter() -> None:
    letters = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert letters == sorted(EXPECTED)
    assert len(letters) >= 30
    # Held out: the letters whose number is a multiple of 3 (the third set aside at the start). Letters
    # added later to tune the rules take numbers that are not, so the held-out part stays unseen.
    for name, expected in EXPECTED.items():
        assert expected["held_out"] is (int(name[:2]) % 3 == 0), name
    assert sum(1 for e in EXPECTED.values() if e["held_out"]) >= 10


def test_the_letters_the_rules_were_tuned_on_all_agree() -> None:
    elements, facts = agreement(held_out=False)
    _report(
        f"Tuning letters ({sum(1 for e in EXPECTED.values() if not e['held_out'])})", {**facts, **elements}
    )
    for name, tally in {**facts, **elements}.items():
        assert tally.agree == tally.letters, (name, tally)


def test_agreement_on_the_held_out_letters() -> None:
    elements, facts = agreement(held_out=True)
    _report("Held-out letters (10), never used to tune", {**facts, **elements})
    # The levels reached when the rules were frozen (README, "Checking a response"): every element
    # agreed on all ten but the reasons (6 of 10, all four misses false "missing").
    assert facts["letter_date"].share >= 1.0
    assert facts["stage"].share >= 1.0
    minimum = {"reasons": 0.6}
    for name, tally in elements.items():
        assert tally.share >= minimum.get(name, 1.0), (name, tally)
    total = sum(t.letters for t in elements.values())
    false_found = sum(len(t.false_found) for t in elements.values())
    false_missing = sum(len(t.false_missing) for t in elements.values())
    print(
        f"  overall: {total - false_found - false_missing}/{total}; false found {false_found}, false missing {false_missing}"
    )
    assert false_found == 0
    assert false_missing <= 4


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date: 05/06/2025", date(2025, 6, 5)),  # numeric dates are day first, as in England
        ("12th March 2026", date(2026, 3, 12)),
        ("March 4, 2026", date(2026, 3, 4)),
        ("2025-11-17", date(2025, 11, 17)),
        ("24.04.2026", date(2026, 4, 24)),
        ("Thursday 8 January 2026", date(2026, 1, 8)),
        ("Sent: 16 Jan 2026 14:02", date(2026, 1, 16)),
        ("Our ref: HC/2026/0412\n\n3 Feb 2026", date(2026, 2, 3)),
        ("Ref 12/05/2024 \nDate: 1 June 2026", date(2026, 6, 1)),  # the dated line wins
        ("31/02/2026", None),  # no such day
        ("", None),
    ],
)
def test_the_letters_own_date_comes_from_its_heading(header: str, expected: date | None) -> None:
    assert letter_date(f"Anytown Homes\n{header}\n\nDear Ms Smith\n\nOn 2 May 2020 you rang us.") == expected


def test_a_date_only_in_the_body_is_not_the_letters_date() -> None:
    assert letter_date("Dear Mr Szabo\n\nYou reported it on 3 March 2026.") is None


LETTER = """Date: 2 June 2026

Dear Ms Smith

Stage 1 response. You complained that the boiler was not fixed.
We do not uphold your complaint because the engineer attended on time.
We are sorry you feel that we let you down.
If you are still unhappy you may wish to contact the Housing Ombudsman.
"""


def test_sorry_you_feel_is_no_remedy_and_the_ombudsmans_name_is_no_route_to_it() -> None:
    check = check_response(LETTER, today=TODAY, stage=2)
    found = {e.id: e.found for e in check.elements}
    assert found[ElementId.REMEDY] is False
    assert found[ElementId.HOW_TO_ESCALATE] is False
    assert found[ElementId.DECISION] and found[ElementId.REASONS] and found[ElementId.COMPLAINT_DEFINITION]
    with_details = LETTER.replace("Ombudsman.", "Ombudsman on 0300 111 3000.")
    assert {e.id: e.found for e in check_response(with_details, today=TODAY, stage=2).elements}[
        ElementId.HOW_TO_ESCALATE
    ]


def test_a_stage_1_letter_offering_stage_2_is_stage_1() -> None:
    text = "1 May 2026\n\nDear Sir\n\nYou complained about the lift. If you are unhappy you can ask for stage 2 by email."
    check = check_response(text, today=TODAY)
    assert check.stage == 1
    assert ElementId.COMPLAINT_STAGE in check.missing  # it never says which stage it is
    assert ElementId.HOW_TO_ESCALATE not in check.missing


def test_the_stage_given_overrides_the_letter() -> None:
    check = check_response(LETTER, today=TODAY, stage=2)
    assert (check.stage, check.stage_from_letter, check.rule.citation) == (2, 1, "Code 6.19 (2024)")


def test_the_code_follows_the_letters_date_and_says_it_was_assumed() -> None:
    old = check_response((CORPUS / "07_ha_stage1_2022code.txt").read_text(encoding="utf-8"), today=TODAY)
    assert (old.code, old.code_assumed) == (CodeVersion.V2022, True)
    assert ElementId.COMPLAINT_DEFINITION not in {e.id for e in old.elements}  # not in the 2022 list
    assert (old.rule.citation, old.rule.standing) == ("Code 5.8 (2022)", Standing.VERIFIED)
    from_case = check_response(LETTER, today=TODAY, code=CodeVersion.V2022)
    assert (from_case.code, from_case.code_assumed) == (CodeVersion.V2022, False)
    undated = check_response("Dear Sir\n\nStage 1.", today=TODAY)
    assert (undated.letter_date, undated.code, undated.code_assumed) == (None, CodeVersion.V2024, True)


def test_what_is_missing_is_said_in_plain_words_with_its_paragraph() -> None:
    check = _check("20_council_stage2_no_escalation_details.txt")
    assert missing_message(check, translator("en")) == (
        "The letter does not say: what it will do to put things right; what is still to be done, and"
        " when; how to contact the Housing Ombudsman (Code 6.19 (2024))."
    )
    assert missing_message(_check("01_council_stage1_headings.txt"), translator("en")) is None


def test_the_output_names_each_element_with_its_rule_and_standing() -> None:
    out = check_out(_check("04_council_stage2_ombudsman_name_only.txt"), "text", translator("en"))
    assert out.stage == 2 and out.letter_date == date(2026, 1, 8)
    assert out.missing == [ElementId.REMEDY, ElementId.HOW_TO_ESCALATE]
    assert {(e.rule, e.standing) for e in out.elements} == {("Code 6.19 (2024)", Standing.UNVERIFIED)}
    decision = next(e for e in out.elements if e.id is ElementId.DECISION)
    assert decision.quote == "After looking again at your case I do not uphold your complaint."
    assert [s.id for s in out.next_steps] == [
        "ask_for_what_is_missing",
        "check_with_the_ombudsman",
        "go_to_ombudsman",
    ]


def test_a_one_line_paragraph_without_a_full_stop_is_read_as_well() -> None:
    """OCR often drops a full stop ("£50." read as "£DOF"): the line is a sentence, not only a heading."""
    text = "Date: 18 March 2026\n\nDear Ms Begum\n\nStage 1 response\n\nWe apologise and will pay you £DOF\n\nYours sincerely"
    assert ElementId.REMEDY not in check_response(text, today=TODAY).missing


@pytest.mark.parametrize(
    "text",
    [
        "Dear Ms Shah\n\n" + "records " * 12_500,  # no full stop: "records ... show" tried from every word
        "Dear Ms Shah\n\n" + "pay " * 25_000,  # "pay ... £1" likewise
        "Dear Ms Shah\n\n" + "£1 " * 33_000,
        "\n" * 100_000 + "Stage 1 response",  # "^\s*dear" ran over every blank line from every line
        "Stage 1 response\n\n" + "We uphold your complaint because " * 200_000,  # far beyond any letter
    ],
    ids=["records", "pay", "pounds", "blank-lines", "megabytes"],
)
def test_a_crafted_letter_is_checked_in_bounded_time(text: str) -> None:
    """A break-it review: 64 KB of "records " without a full stop took 30 s (the GIL held, the bot
    stopped), a 20 MiB text file for ever. Every pattern now costs a bounded amount per position, and
    no more than MAX_TEXT_CHARACTERS of a file is read.

    The bound is on this thread's CPU time, not the wall clock, so a loaded machine cannot fail it;
    it sits far between the cost now (at most about 1 s on 2 cores) and the failure (30 s, or never)."""
    import time

    started = time.thread_time()
    check_response(text, today=TODAY)
    assert time.thread_time() - started < 10.0


@pytest.mark.parametrize(
    ("sentence", "element"),
    [
        ("We apologise that you feel we did not keep you informed.", ElementId.REMEDY),
        ("We are sorry if you felt let down by our contractor.", ElementId.REMEDY),
        ("We do not think an apology is appropriate, and no compensation will be paid.", ElementId.REMEDY),
        ("We will not be offering a goodwill payment.", ElementId.REMEDY),
        ("Compensation is not due in this case.", ElementId.REMEDY),
        (
            "This complaint cannot be escalated to stage 2. Please contact us with any questions.",
            ElementId.HOW_TO_ESCALATE,
        ),
        (
            "A review of this decision is not available. Please call 0113 496 0000 with any questions.",
            ElementId.HOW_TO_ESCALATE,
        ),
        ("You have no right to a further review. Contact us on 0113 496 0000.", ElementId.HOW_TO_ESCALATE),
    ],
)
def test_a_remedy_or_route_refused_is_not_found(sentence: str, element: ElementId) -> None:
    """A break-it review (a housing lawyer): a refusal read as the thing refused is a false "found",
    the worse mistake: the resident would not ask for what they are owed (domain.md 1.8)."""
    text = f"Date: 2 November 2026\n\nDear Ms Patel\n\nStage 1 complaint response\n\n{sentence}\n"
    check = check_response(text, today=TODAY)
    assert element in check.missing, check
    assert check.stage == 1


def test_the_landlords_own_details_are_not_the_ombudsmans() -> None:
    """Naming the Ombudsman above the landlord's own footer (its telephone and postcode, as in the
    letterhead) gives no way to reach the Ombudsman; its own details do."""
    head = "Riverside Borough Council\nCivic Centre, Riverside RV1 2AA\nTelephone: 0300 555 0199\n\nDate: 2 November 2026\n\n"
    body = (
        "Dear Ms Patel\n\nStage 2 complaint response\n\nYou may be able to contact the Housing Ombudsman.\n\n"
    )
    footer = "Riverside Borough Council, Civic Centre, Riverside RV1 2AA. Telephone 0300 555 0199.\n"
    assert ElementId.HOW_TO_ESCALATE in check_response(head + body + footer, today=TODAY).missing
    details = "You can reach them on 0300 111 3000 or at www.housing-ombudsman.org.uk.\n"
    assert ElementId.HOW_TO_ESCALATE not in check_response(head + body + details, today=TODAY).missing


def test_the_corpus_reads_as_english_and_welsh_does_not() -> None:
    from flows.response_check import reads_as_english

    assert all(reads_as_english((CORPUS / name).read_text(encoding="utf-8")) for name in EXPECTED)
    welsh = "Fe wnaethoch gwyno bod y to yn gollwng ers mis Awst. Rydym yn cadarnhau eich cwyn. " * 4
    assert not reads_as_english(welsh)
    assert reads_as_english(welsh + (CORPUS / "01_council_stage1_headings.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "sentence",
    [
        "The replacement fan is due to be fitted on 19 October 2026.",
        "We will pay the £40 due to you for the delay.",
    ],
)
def test_due_to_be_and_due_to_you_are_no_reasons(sentence: str) -> None:
    """A break-it review: "due to" was read as a reason wherever it stood."""
    text = f"Date: 2 November 2026\n\nDear Ms Patel\n\nStage 1 complaint response\n\n{sentence}\n"
    assert ElementId.REASONS in check_response(text, today=TODAY).missing


@pytest.mark.parametrize(
    "sentence",
    [
        "This is our final response and your complaint will not be considered further by us.",
        "Your complaint cannot be escalated further as this is our stage two response.",
    ],
)
def test_a_stage_2_letter_naming_itself_is_stage_2_whatever_it_refuses(sentence: str) -> None:
    text = f"Date: 2 November 2026\n\nDear Ms Patel\n\n{sentence}\n"
    assert check_response(text, today=TODAY).stage == 2
