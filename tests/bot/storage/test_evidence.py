"""Evidence files: accepted by their magic bytes, size-limited, stored once by content under
EVIDENCE_DIR/<sha256[:2]>/<sha256>, and taken back when the unit of work fails."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from storage_builders import sample_file, seed_user_with_case

from bot.storage.errors import EvidenceRejected
from bot.storage.evidence import ACCEPTED_TYPES, EvidenceStore
from bot.storage.models import EvidenceFileRow
from bot.storage.repository import Repository


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize("extension", sorted(ACCEPTED_TYPES.values()))
def test_each_accepted_type_is_recognised_by_its_bytes(extension: str, tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path, 1024 * 1024)
    assert store.check(sample_file(extension)).extension == extension


@pytest.mark.parametrize(
    "data",
    [
        b"Dear landlord, the damp is back.\n",  # plain text
        b"GIF89a\x01\x00\x01\x00" + b"\x00" * 40,  # an image, but not one we take
        b"\x7fELF\x02\x01\x01" + b"\x00" * 40,  # a program
        b"MZ\x90\x00" + b"\x00" * 60,  # a Windows program
        b"PK\x03\x04" + b"\x00" * 60,  # a zip that is not a Word document
        b"",
    ],
)
def test_other_content_is_refused_whatever_it_is_called(data: bytes, tmp_path: Path) -> None:
    with pytest.raises(EvidenceRejected) as raised:
        EvidenceStore(tmp_path, 1024).check(data)
    assert raised.value.reason == "unsupported_type"


def test_too_large_is_refused_before_anything_is_written(repo: Repository, tmp_path: Path) -> None:
    _, case_id = seed_user_with_case(repo, 1)
    small = Repository(repo.engine, EvidenceStore(tmp_path / "small", max_bytes=100))
    with pytest.raises(EvidenceRejected) as raised, small.unit_of_work() as uow:
        uow.store_evidence(case_id, sample_file("pdf", b"x" * 100), "letter.pdf")
    assert raised.value.reason == "too_large"
    assert str(raised.value) == "too_large: 173 bytes; the limit is 100"
    assert stored_files(tmp_path / "small") == []


def test_a_file_is_stored_by_its_hash_privately(repo: Repository) -> None:
    _, case_id = seed_user_with_case(repo, 1)
    data = sample_file("jpg", b"kitchen ceiling")
    with repo.unit_of_work() as uow:
        stored = uow.store_evidence(case_id, data, "C:\\Users\\ann\\Pictures\\mould\x07.jpg", "tg-file-1")
    sha256 = hashlib.sha256(data).hexdigest()
    path = repo.evidence.root / sha256[:2] / sha256
    assert stored_files(repo.evidence.root) == [path]
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert (stored.sha256, stored.size, stored.mime_type) == (sha256, len(data), "image/jpeg")
    assert stored.original_name == "mould.jpg"  # no folders, no control characters
    assert stored.stored_path == f"{sha256[:2]}/{sha256}"


def test_the_same_file_is_stored_once(repo: Repository) -> None:
    """Same case: one record. Another case: a record of its own, sharing the one file on disk."""
    _, case_id = seed_user_with_case(repo, 1)
    _, other_case = seed_user_with_case(repo, 2)
    data = sample_file("pdf", b"stage 1 response")
    with repo.unit_of_work() as uow:
        first = uow.store_evidence(case_id, data, "response.pdf")
        again = uow.store_evidence(case_id, data, "response (1).pdf")
    with repo.unit_of_work() as uow:
        elsewhere = uow.store_evidence(other_case, data, "their copy.pdf")
        assert [e.id for e in uow.evidence_of(case_id)] == [first.id]
    assert again == first
    assert elsewhere.id != first.id and elsewhere.sha256 == first.sha256
    assert len(stored_files(repo.evidence.root)) == 1
    with Session(repo.engine) as session:
        assert len(session.exec(select(EvidenceFileRow)).all()) == 2


def test_a_failed_unit_of_work_takes_back_only_the_files_it_wrote(repo: Repository) -> None:
    _, case_id = seed_user_with_case(repo, 1)
    kept = sample_file("png", b"kept")
    with repo.unit_of_work() as uow:
        uow.store_evidence(case_id, kept, "kept.png")
    _, other_case = seed_user_with_case(repo, 2)
    with pytest.raises(RuntimeError), repo.unit_of_work() as uow:
        uow.store_evidence(other_case, kept, "shared.png")  # already on disk: must survive
        uow.store_evidence(other_case, sample_file("ogg", b"voice note"), "voice.ogg")
        raise RuntimeError("the upload handler failed")
    assert [path.read_bytes() for path in stored_files(repo.evidence.root)] == [kept]
    with repo.unit_of_work() as uow:
        assert uow.evidence_of(other_case) == []
    assert not list(repo.evidence.root.rglob(".incoming-*"))


def test_storing_for_a_missing_case_keeps_no_file(repo: Repository) -> None:
    with pytest.raises(IntegrityError), repo.unit_of_work() as uow:
        uow.store_evidence(12345, sample_file("mp3"), "song.mp3")
    assert stored_files(repo.evidence.root) == []
