"""The case's emails are the resident's data: in /export (metadata, text, the SHA-256 of each message
and attachment, the attachment files themselves) and gone with /delete (rows and files)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from email.message import EmailMessage

from mail_builders import DOMAIN, seed_case

from bot.mail.addresses import case_token
from bot.mail.inbound import receive
from bot.storage.models import CaseEmailRow, CaseReplyAddressRow
from bot.storage.repository import Repository

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + b"photo"


def reply_to(repo: Repository, case_id: int) -> bytes:
    with repo.unit_of_work() as uow:
        token = case_token(uow, case_id)
    message = EmailMessage()
    message["From"], message["To"] = "complaints@westlea.example", f"case-{token}@{DOMAIN}"
    message["Subject"] = "Your complaint"
    message.set_content("We have received your complaint about Larkspur Row.")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="mould.png")
    raw = message.as_bytes()
    receive(repo, case_id, raw)
    return raw


def test_export_holds_the_emails_with_their_hashes_and_files(repo: Repository) -> None:
    user_id, case_id = seed_case(repo)
    raw = reply_to(repo, case_id)
    with repo.unit_of_work() as uow:
        archive = zipfile.ZipFile(io.BytesIO(uow.export_everything(user_id)))
    data = json.loads(archive.read("data.json"))
    [case] = data["cases"]
    [mail] = case["emails"]
    assert mail["direction"] == "in" and mail["subject"] == "Your complaint"
    assert "Larkspur Row" in mail["body_text"]
    assert mail["raw_sha256"] == hashlib.sha256(raw).hexdigest()
    [attachment] = mail["attachments"]
    assert attachment["sha256"] == hashlib.sha256(PNG).hexdigest() and attachment["name"] == "mould.png"
    [evidence] = [e for e in case["evidence"] if e["sha256"] == attachment["sha256"]]
    assert archive.read(evidence["file_in_this_zip"]) == PNG
    assert case["reply_address"]["token"]


def test_delete_takes_the_emails_their_files_and_the_address(repo: Repository) -> None:
    user_id, case_id = seed_case(repo)
    reply_to(repo, case_id)
    repo.delete_user(user_id)
    with repo.unit_of_work() as uow:
        assert uow.session.get(CaseEmailRow, 1) is None
        assert uow.session.get(CaseReplyAddressRow, 1) is None
    assert not [path for path in repo.evidence.root.rglob("*") if path.is_file()]
