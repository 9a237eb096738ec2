"""The web portal's sign-in links and sessions (used through `UnitOfWork.sign_ins`).

A link carries 256 random bits; only their SHA-256 is kept. It works once, for `LINK_LIFETIME`,
and using it opens a session that lasts `SESSION_LIFETIME` or until the person signs out (both in
flows.access_times, beside the messages that state them). The
session's id travels in a signed cookie (bot.web.portal.sessions) and is checked here on every request,
so signing out, or an operator deleting the person, ends it at once on every instance.

Making a link is never refused here: a limit per person is a limit anyone who knows the person's
address could use up. The portal's email form limits instead who asks (bot.web.portal.pages), and
sends no new link while the person already holds a fresh one (`holds_fresh_link`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.storage.models import PortalSignInRow
from flows.access_times import EMAIL_GAP, LINK_LIFETIME, SESSION_LIFETIME


@dataclass(frozen=True, slots=True)
class PortalSession:
    id: int
    user_id: int
    started_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SignIns:
    def __init__(self, session: Session, audit: Callable[..., None]) -> None:
        self.session = session
        self.audit = audit

    def holds_fresh_link(self, user_id: int, now: datetime) -> bool:
        """Whether a link made for this person less than `EMAIL_GAP` ago is still unused (so they
        hold one that works for at least 10 more minutes, whoever asked for it)."""
        query = (
            select(func.count())
            .select_from(PortalSignInRow)
            .where(
                col(PortalSignInRow.user_id) == user_id,
                col(PortalSignInRow.created_at) > now - EMAIL_GAP,
                col(PortalSignInRow.used_at).is_(None),
            )
        )
        return int(self.session.exec(query).one()) > 0

    def new_link(self, user_id: int, now: datetime) -> str:
        """A new one-time token for this person."""
        token = secrets.token_urlsafe(32)
        self.session.add(
            PortalSignInRow(
                token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=now + LINK_LIFETIME
            )
        )
        self.session.flush()
        self.audit("portal_link_issued", actor_user_id=user_id)
        return token

    def use_link(self, token: str, now: datetime) -> PortalSession | None:
        """The session a link opens; None for an unknown, used or expired link (the same answer)."""
        row = self.session.exec(
            select(PortalSignInRow)
            .where(col(PortalSignInRow.token_hash) == token_hash(token))
            .with_for_update()
        ).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            return None
        row.used_at = now
        assert row.id is not None
        self.audit("portal_signed_in", actor_user_id=row.user_id, sign_in_id=row.id)
        return PortalSession(row.id, row.user_id, now)

    def active(self, session_id: int, user_id: int, now: datetime) -> PortalSession | None:
        row = self.session.get(PortalSignInRow, session_id)
        if row is None or row.user_id != user_id or row.used_at is None or row.ended_at is not None:
            return None
        if row.used_at + SESSION_LIFETIME <= now:
            return None
        return PortalSession(session_id, user_id, row.used_at)

    def end(self, session_id: int, now: datetime) -> None:
        row = self.session.get(PortalSignInRow, session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = now
            self.audit("portal_signed_out", actor_user_id=row.user_id, sign_in_id=session_id)
