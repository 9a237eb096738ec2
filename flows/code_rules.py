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
    ),
    stage2=StageClock(
        acknowledgement_working_days=5,
        acknowledgement_rule=Rule("Code 6.11 (2024)", Standing.VERIFIED, _OXFORD),
        response_working_days=20,
        # The 20 working days are on the Ombudsman's own page; the clause text was not seen.
        response_rule=Rule("Code 6.14 (2024)", Standing.VERIFIED, _HOS_WAITING),
        response_counts_from_acknowledgement=True,
        extension_cap_working_days=20,
        extension_rule=Rule("Code 6.15 (2024)", Standing.SECONDARY, _WELHAT),
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


def code_in_force(on: date) -> CodeRules:
    """The Code version for a stage that began on `on` (before 1 April 2024: the 2022 Code)."""
    return CODE_2024 if on >= CODE_2024.in_force_from else CODE_2022


def code_for_stage(choice: CodeChoice, stage_began: date | None, as_of: date) -> CodeRules:
    """The rules for one stage: a fixed version if the case names one, else the one in force."""
    if choice is CodeChoice.V2022:
        return CODE_2022
    if choice is CodeChoice.V2024:
        return CODE_2024
    return code_in_force(stage_began or as_of)
