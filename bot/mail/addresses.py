"""Each case's reply address, `case-<token>@<MAIL_REPLY_DOMAIN>`: the Reply-To and the envelope sender
of what Fair Say sends for the case, so replies and bounces come back to the inbound mail server and
are matched to the case by the token alone.

The token is 26 characters of lowercase base32 (130 bits from `secrets`): unguessable, and the same
whatever case a mail system gives the local part (many fold it, RFC 5321 notwithstanding).
"""

from __future__ import annotations

import base64
import re
import secrets

from sqlmodel import col, select

from bot.settings import Settings
from bot.storage.models import CaseReplyAddressRow
from bot.storage.unit_of_work import UnitOfWork

PREFIX = "case-"
TOKEN_LENGTH = 26
_TOKEN = re.compile(rf"[a-z2-7]{{{TOKEN_LENGTH}}}")


class NoReplyDomain(Exception):
    """MAIL_REPLY_DOMAIN is not set: cases have no reply addresses."""


def new_token() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()[:TOKEN_LENGTH]


def reply_address(uow: UnitOfWork, case_id: int, settings: Settings) -> str:
    """The case's reply address, its token made on first use (in the unit's transaction)."""
    if settings.mail_reply_domain is None:
        raise NoReplyDomain("MAIL_REPLY_DOMAIN is not set")
    return f"{PREFIX}{case_token(uow, case_id)}@{settings.mail_reply_domain}"


def case_token(uow: UnitOfWork, case_id: int) -> str:
    """The case's token, made on first use."""
    row = uow.session.exec(
        select(CaseReplyAddressRow).where(col(CaseReplyAddressRow.case_id) == case_id)
    ).first()
    if row is None:
        row = CaseReplyAddressRow(case_id=case_id, token=new_token())
        uow.session.add(row)
        uow.session.flush()
    return row.token


def token_of(address: str, domain: str | None) -> str | None:
    """The token in a reply address under `domain` (any case, optional <>), or None if it is not one."""
    if domain is None:
        return None
    local, at, address_domain = address.strip().strip("<>").rpartition("@")
    if not at or address_domain.lower().rstrip(".") != domain.lower():
        return None
    local = local.lower()
    if not local.startswith(PREFIX):
        return None
    token = local.removeprefix(PREFIX)
    return token if _TOKEN.fullmatch(token) else None


def case_for_token(uow: UnitOfWork, token: str) -> int | None:
    row = uow.session.exec(select(CaseReplyAddressRow).where(col(CaseReplyAddressRow.token) == token)).first()
    return row.case_id if row is not None else None


def case_for_address(uow: UnitOfWork, address: str, settings: Settings | None = None) -> int | None:
    """The case whose reply address this is, or None (another domain, not a token, nobody's token).
    Without settings, any domain is taken (the token alone decides)."""
    address = address.strip().strip("<>")
    domain = settings.mail_reply_domain if settings is not None else address.rpartition("@")[2]
    token = token_of(address, domain)
    return case_for_token(uow, token) if token is not None else None
