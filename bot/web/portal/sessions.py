"""The portal's session cookie and its CSRF token.

The cookie holds the session's id, the person's id and a random CSRF token, signed with
PORTAL_SECRET (itsdangerous, HMAC-SHA1 over a key derived for this use only) and dated, so a
changed byte or an old cookie is simply no session. Whether the session is still open (not signed
out, not past its lifetime) is the database's answer (bot.storage.sign_ins), checked per request.

Every form carries the CSRF token and every POST compares it in constant time: another site can
make a browser send the cookie, but cannot read the token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from flows.access_times import SESSION_LIFETIME

COOKIE_NAME = "fairsay_portal"
CSRF_FIELD = "csrf_token"
_SALT = "fairsay.portal.session"


@dataclass(frozen=True, slots=True)
class SessionCookie:
    session_id: int
    user_id: int
    csrf: str


class CookieSigner:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=_SALT)

    def new(self, session_id: int, user_id: int) -> tuple[SessionCookie, str]:
        cookie = SessionCookie(session_id, user_id, secrets.token_urlsafe(32))
        return cookie, self._serializer.dumps([cookie.session_id, cookie.user_id, cookie.csrf])

    def read(self, value: str | None) -> SessionCookie | None:
        """The cookie's content if it is ours, unchanged and young enough; otherwise None."""
        if not value:
            return None
        try:
            loaded = self._serializer.loads(value, max_age=int(SESSION_LIFETIME.total_seconds()))
        except BadSignature:  # also SignatureExpired
            return None
        match loaded:
            case [int(session_id), int(user_id), str(csrf)] if csrf:
                return SessionCookie(session_id, user_id, csrf)
        return None


def csrf_matches(cookie: SessionCookie, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), cookie.csrf.encode())
