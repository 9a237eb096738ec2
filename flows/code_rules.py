"""The Complaint Handling Code's clocks, per version, each with the paragraph that sets it.

Sources and their standing are in ../shared/domain.md (sections 1.5, 1.6, 1.9, 1.11). A rule whose
wording was only reported second-hand, or not seen at all, says so in `standing`, and messages that
cite it tell the resident to check with the Ombudsman.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from flows.case import CodeChoice


class CodeVersion(StrEnum):
    V2022 = "2022"
    V2024 = "2024"


class Standing(StrEnum):
    VERIFIED = "verified"  # wording read in a primary or word-for-word source
    SECONDARY = "secondary"  # reported by a landlord or adviser page
    UNVERIFIED = "unverified"  # recalled or inferred; check before relying on it


@dataclass(frozen=True, slots=True)
class Rule:
    citation: str  # how messages cite it, e.g. "Code 6.3 (2024)"
    standing: Standing
    source: str


@dataclass(frozen=True, slots=True)
class StageClock:
    acknowledgement_working_days: int
    acknowledgement_rule: Rule
    response_working_days: int
    response_rule: Rule
    # True: the response clock starts at the acknowledgement (or its due date if none came);
    # False: at the request itself (2022 Code stage 2 counts from the escalation request).
    response_counts_from_acknowledgement: bool
    extension_cap_working_days: int
    extension_rule: Rule
    # The Code's latest date for the response counted from the request itself (acknowledgement and
    # response times added), so a late acknowledgement cannot stretch the response clock. None where
    # the response clock already counts from the request (2022 Code stage 2), or where the Code sets
    # no such chain (2022 Code stage 1 counts from logging; its acknowledgement time is secondary).
    max_from_request_working_days: int | None = None
    max_from_request_rule: Rule | None = None


@dataclass(frozen=True, slots=True)
class CodeRules:
    version: CodeVersion
    in_force_from: date
    stage1: StageClock
    stage2: StageClock


_SOUTH_NORFOLK = (
    "https://www.southnorfolkandbroadland.gov.uk/housing/housing-performance/"
    "south-norfolk-housing-complaint-handling-code-self-assessment-2025/complaints-stages"
)
_OXFORD = (
    "https://www.oxford.gov.uk/complaints-council-housing/"
    "council-housing-complaint-handling-code-self-assessment-2024-25/8"
)
_HOS_WAITING = "https://housing-ombudsman.org.uk/residents/make-a-complaint/waiting-for-a-final-response"
_WELHAT = "https://welhat.gov.uk/policies/complaints-policy-procedure/11"
_SLOUGH_2022 = (
    "https://www.slough.gov.uk/complaints-feedback/housing-ombudsman-complaint-handling-code-self-assessment"
)
_UTTLESFORD_2022 = "https://www.uttlesford.gov.uk/article/8007/"

CODE_2024 = CodeRules(
    version=CodeVersion.V2024,
    in_force_from=date(2024, 4, 1),
    stage1=StageClock(
        acknowledgement_working_days=5,
        acknowledgement_rule=Rule("Code 6.2 (2024)", Standing.VERIFIED, _SOUTH_NORFOLK),
        response_working_days=10,
        response_rule=Rule("Code 6.3 (2024)", Standing.VERIFIED, _SOUTH_NORFOLK),
        response_counts_from_acknowledgement=True,
        extension_cap_working_days=10,
        extension_rule=Rule("Code 6.4 (2024)", Standing.VERIFIED, _SOUTH_NORFOLK),
        # 5 (6.2) + 10 (6.3) working days from receipt (domain.md 1.5, arithmetic).
        max_from_request_working_days=15,
        max_from_request_rule=Rule("Code 6.2 and 6.3 (2024)", Standing.VERIFIED, _SOUTH_NORFOLK),
    ),
    stage2=StageClock(
        acknowledgement_working_days=5,
        acknowledgement_rule=Rule("Code 6.11 (2024)", Standing.VERIFIED, _OXFORD),
        response_working_days=20,
        # The 20 working days are on the Ombudsman's own page (VERIFIED), but the clause text and its
        # number were not seen (domain.md 1.6), so the paragraph is cited as unverified.
        response_rule=Rule("Code 6.14 (2024)", Standing.UNVERIFIED, _HOS_WAITING),
        response_counts_from_acknowledgement=True,
        extension_cap_working_days=20,
        extension_rule=Rule("Code 6.15 (2024)", Standing.SECONDARY, _WELHAT),
        # 5 (6.11) + 20 (6.14) working days from the escalation request (domain.md 1.6, arithmetic).
        max_from_request_working_days=25,
        max_from_request_rule=Rule("Code 6.11 and 6.14 (2024)", Standing.UNVERIFIED, _HOS_WAITING),
    ),
)

# The 2022 Code (voluntary, from 1 April 2022). Only 5.1 is cited by number in our sources; the other
# clocks are as the Ombudsman described the 2022 Code in a decision (domain.md 1.11).
CODE_2022 = CodeRules(
    version=CodeVersion.V2022,
    in_force_from=date(2022, 4, 1),
    stage1=StageClock(
        acknowledgement_working_days=5,
        acknowledgement_rule=Rule("Code 2022, stage one", Standing.SECONDARY, _UTTLESFORD_2022),
        response_working_days=10,
        response_rule=Rule("Code 5.1 (2022)", Standing.VERIFIED, _SLOUGH_2022),
        response_counts_from_acknowledgement=True,  # "of the complaint being logged"
        extension_cap_working_days=10,
        extension_rule=Rule("Code 5.1 (2022)", Standing.VERIFIED, _SLOUGH_2022),
    ),
    stage2=StageClock(
        acknowledgement_working_days=5,
        acknowledgement_rule=Rule("Code 2022, stage two", Standing.SECONDARY, _UTTLESFORD_2022),
        response_working_days=20,
        response_rule=Rule("Code 2022, stage two", Standing.SECONDARY, _UTTLESFORD_2022),
        response_counts_from_acknowledgement=False,  # 20 working days from the escalation request
        extension_cap_working_days=10,
        extension_rule=Rule("Code 2022, stage two", Standing.SECONDARY, _UTTLESFORD_2022),
    ),
)

CODES = {CodeVersion.V2022: CODE_2022, CodeVersion.V2024: CODE_2024}

# Complaints that began before the first Code we model: computed against the 2022 Code, flagged.
EARLIEST_MODELLED = CODE_2022.in_force_from

# The Ombudsman's first Complaint Handling Code was published in July 2020 (SECONDARY: HQN and Local
# Government Lawyer news of its launch, Penningtons 17 July 2020 "last week"; the Ombudsman's own 2022
# Code page says the Code came with the revised Scheme; docs/sources.md). Complaints that began before
# then had no Code at all: the landlord's own policy applied.
FIRST_CODE_PUBLISHED = date(2020, 7, 1)


# Asking for stage 2 before the stage 1 answer: the 2024 Code says a complaint not resolved at stage 1
# must be progressed to stage 2 (6.10, VERIFIED); the 2022 Code says escalate only once stage one is
# complete (5.11, VERIFIED; domain.md 1.7).
@dataclass(frozen=True, slots=True)
class EarlyStage2:
    """Whether a Code lets the resident ask for stage 2 while stage 1 is unanswered, and why."""

    allowed: bool
    rule: Rule


EARLY_STAGE2 = {
    CodeVersion.V2024: EarlyStage2(True, Rule("Code 6.10 (2024)", Standing.VERIFIED, _OXFORD)),
    CodeVersion.V2022: EarlyStage2(False, Rule("Code 5.11 (2022)", Standing.VERIFIED, _SLOUGH_2022 + "/6")),
}


# Bound once: every timeline asks for each stage's Code, and on Python 3.11 `Enum.MEMBER` goes through
# EnumType's `__getattr__` hook, about ten times the cost of reading a global.
_CODE_2024_FROM = CODE_2024.in_force_from
_CHOSE_2022 = CodeChoice.V2022
_CHOSE_2024 = CodeChoice.V2024


def code_in_force(on: date) -> CodeRules:
    """The Code version for a stage that began on `on` (before 1 April 2024: the 2022 Code)."""
    return CODE_2024 if on >= _CODE_2024_FROM else CODE_2022


def code_for_stage(choice: CodeChoice, stage_began: date | None, as_of: date) -> CodeRules:
    """The rules for one stage: a fixed version if the case names one, else the one in force."""
    if choice is _CHOSE_2022:
        return CODE_2022
    if choice is _CHOSE_2024:
        return CODE_2024
    return CODE_2024 if (stage_began or as_of) >= _CODE_2024_FROM else CODE_2022  # code_in_force, inline
