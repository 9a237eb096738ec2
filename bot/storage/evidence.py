"""Evidence files on disk, content-addressed: EVIDENCE_DIR/<sha256[:2]>/<sha256>.

The same bytes are stored once however many times (and for however many cases) they are uploaded.
A file is written to a temporary name beside its final one and renamed into place, so a reader never
sees half a file and two writers of the same content cannot spoil it. What a file is comes from its
first bytes (magic numbers), never from its name or the type the sender claims.

Folders (EVIDENCE_DIR itself too) are 0700 and files 0600: evidence is personal data. With several machines, EVIDENCE_DIR must
be storage they all share.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import filetype

from bot.storage.errors import EvidenceRejected
from bot.storage.private_files import private_folder

# MIME type (as `filetype` names it) -> file extension, for what residents send as evidence: photos,
# letters as PDF or Word, Telegram voice notes (OGG/Opus) and other recordings.
ACCEPTED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True, slots=True)
class CheckedFile:
    sha256: str
    mime_type: str
    size: int

    @property
    def stored_path(self) -> str:
        """Where it lives, relative to the evidence folder (so the folder can move)."""
        return f"{self.sha256[:2]}/{self.sha256}"

    @property
    def extension(self) -> str:
        return ACCEPTED_TYPES[self.mime_type]


class EvidenceStore:
    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def check(self, data: bytes) -> CheckedFile:
        """What the bytes are, or EvidenceRejected ("too_large", "unsupported_type")."""
        if len(data) > self.max_bytes:
            raise EvidenceRejected("too_large", f"{len(data)} bytes; the limit is {self.max_bytes}")
        kind = filetype.guess(data)
        mime_type = kind.mime if kind is not None else None
        if mime_type not in ACCEPTED_TYPES:
            raise EvidenceRejected(
                "unsupported_type", f"{mime_type or 'unknown content'}; accepted: photos, PDF, DOCX, audio"
            )
        return CheckedFile(hashlib.sha256(data).hexdigest(), mime_type, len(data))

    def keep_private(self) -> None:
        """Make the folder if need be; take away the others' access an older version left on it."""
        private_folder(self.root)

    def path_of(self, stored_path: str) -> Path:
        return self.root / stored_path

    def write(self, checked: CheckedFile, data: bytes) -> bool:
        """Put the bytes in place unless they already are; True when this call created the file."""
        target = self.path_of(checked.stored_path)
        if target.is_file():
            return False
        private_folder(self.root)  # first: mkdir gives missing parents the umask's mode
        private_folder(target.parent)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")  # mode 0600
        try:
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    def read(self, stored_path: str) -> bytes:
        return self.path_of(stored_path).read_bytes()

    def remove(self, sha256: str) -> bool:
        """Delete the bytes with this hash; True when there was a file. Callers check nobody needs it."""
        try:
            self.path_of(f"{sha256[:2]}/{sha256}").unlink()
        except FileNotFoundError:
            return False
        return True


def clean_file_name(name: str | None) -> str | None:
    """The name as sent, minus folders and control characters, at most 255 characters."""
    if not name:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(char for char in base if unicodedata.category(char)[0] != "C").strip()
    return printable[:255] or None
