"""Small builders for storage tests: settings, sample files of each accepted type, a seeded user."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from support.databases import make_settings  # noqa: F401

from bot.settings import Settings  # noqa: F401  (re-exported for older imports)
from bot.storage.records import EventSource
from bot.storage.repository import Repository
from flows.case import CaseEvent, EventKind


def docx_bytes() -> bytes:
    """A minimal Word document: a zip whose first entry is [Content_Types].xml, then word/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# The first bytes of each accepted kind of file, padded, with a marker so each call can differ.
def sample_file(kind: str, marker: bytes = b"") -> bytes:
    heads = {
        "jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
        "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
        "pdf": b"%PDF-1.7\n",
        "ogg": b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00OpusHead",
        "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
        "m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom",
    }
    if kind == "docx":
        return docx_bytes()
    return heads[kind] + b"\x00" * 64 + marker


def ev(day: str, kind: str) -> CaseEvent:
    return CaseEvent(date.fromisoformat(day), EventKind(kind))


def seed_user_with_case(
    repo: Repository, telegram_id: int, events: tuple[CaseEvent, ...] = ()
) -> tuple[int, int]:
    """A resident with one case holding `events`; (user id, case id)."""
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(telegram_id)
        ref = uow.create_case(user.id, subject="damp in the bedroom", details={"name": "Ann Example"})
        summary = uow.case_by_ref(ref)
        assert summary is not None
        for event in events:
            uow.append_event(summary.id, event, EventSource.RESIDENT, user.id)
    return user.id, summary.id
