"""What storage raises at callers: each names what went wrong in words a person can act on."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be used as configured. One line, naming `DATABASE_URL`; no traceback wanted."""


class ConcurrentUpdate(Exception):
    """The row changed since it was read (another update for the same user won): rerun the unit of work."""


class NotFound(LookupError):
    """No row with that id."""


class EvidenceRejected(ValueError):
    """An uploaded file we do not keep; `reason` is "too_large" or "unsupported_type"."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
