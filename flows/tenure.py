"""The resident's tenure: what kind of tenancy or lease they hold. One shared question, asked once in a
new complaint when a feature needs it, with one set of ids under the answer key `tenure`:

* Awaab's Law (`flows.awaab`): who it covers (social rented homes) and what applies instead for the
  others (private renters, leaseholders, shared owners, temporary and supported accommodation);
* the First-tier Tribunal (Property Chamber) for rent and service charges (`flows.routing`).

The ids are stable (stored in conversations and case details); each feature reads them through the
small functions below, so a new tenure is decided here once. Which tenures give a right to the
tribunal is in `flows.routing`, and who Awaab's Law covers in `flows.awaab`, each with its sources.
"""

from __future__ import annotations

from enum import StrEnum

from flows.i18n import N_

__all__ = [
    "TENURE_CHOICES",
    "TENURE_KEY",
    "Tenure",
    "holds_assured_tenancy",
    "holds_long_lease",
    "in_other_housing",
    "parse_tenure",
    "rents_privately",
    "rents_social_home",
]

TENURE_KEY = "tenure"


class Tenure(StrEnum):
    SECURE = "secure"  # a council's secure (or introductory, flexible) tenant
    ASSURED = "assured"  # a housing association's assured (or starter, assured shorthold) tenant
    PRIVATE_RENTER = "private_renter"  # an assured (shorthold) tenant of a private landlord
    LEASEHOLDER = "leaseholder"  # a long lease
    SHARED_OWNER = "shared_owner"  # a long lease, part bought and part rented
    TEMPORARY = "temporary"  # accommodation from the council while homeless
    SUPPORTED = "supported"
    NOT_SURE = "not_sure"


TENURE_CHOICES: tuple[tuple[Tenure, str], ...] = (
    (Tenure.SECURE, N_("A council tenancy (secure or introductory)")),
    (Tenure.ASSURED, N_("A housing association tenancy (assured or starter)")),
    (Tenure.PRIVATE_RENTER, N_("I rent it from a private landlord")),
    (Tenure.LEASEHOLDER, N_("I own it on a lease (leaseholder)")),
    (Tenure.SHARED_OWNER, N_("Shared ownership")),
    (Tenure.TEMPORARY, N_("Temporary accommodation while I'm homeless")),
    (Tenure.SUPPORTED, N_("Supported housing")),
    (Tenure.NOT_SURE, N_("I'm not sure")),
)


def parse_tenure(value: object) -> Tenure:
    """A stored tenure id; anything else (none, or an id from before the question was shared) is "not sure"."""
    try:
        return Tenure(str(value))
    except ValueError:
        return Tenure.NOT_SURE


def rents_social_home(tenure: Tenure) -> bool:
    """A council's or a housing association's tenant."""
    return tenure in (Tenure.SECURE, Tenure.ASSURED)


def rents_privately(tenure: Tenure) -> bool:
    return tenure is Tenure.PRIVATE_RENTER


def holds_long_lease(tenure: Tenure) -> bool:
    """A leaseholder or a shared owner."""
    return tenure in (Tenure.LEASEHOLDER, Tenure.SHARED_OWNER)


def holds_assured_tenancy(tenure: Tenure) -> bool:
    """An assured (or assured shorthold) tenant: a housing association's, or a private landlord's."""
    return tenure in (Tenure.ASSURED, Tenure.PRIVATE_RENTER)


def in_other_housing(tenure: Tenure) -> bool:
    """Temporary accommodation for homelessness, or supported housing: the tenancy or licence varies."""
    return tenure in (Tenure.TEMPORARY, Tenure.SUPPORTED)
