"""The email route against a real SMTP server on 127.0.0.1: the summary, the letter as PDF, the case
as JSON, a Message-ID made from the idempotency key; failures back off and never log personal data."""

from __future__ import annotations

import email
import email.policy
import io
import json
import logging
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from support.databases import make_settings
from support.delivery_servers import NOW, SmtpServer, free_port
from support.landlords import DETAILS, PROFILE, add_landlord, deliver_complaint

from bot.clock import ManualClock
from bot.delivery.worker import SubmissionDelivery
from bot.settings import Settings
from bot.storage.models import SubmissionRow
from bot.storage.repository import Repository

ROOT = Path(__file__).resolve().parents[3]
LANDLORD_EMAIL = "complaints@westlea.example"


def mail_settings(settings: Settings, tmp_path: Path, port: int | None) -> Settings:
    values: dict[str, object] = {
        "mail_from": "Fair Say <complaints@fairsay.example>",
        "smtp_security": "none",
    }
    if port is not None:
        values |= {"smtp_host": "127.0.0.1", "smtp_port": port}
    return make_settings(settings.database_url, tmp_path, **values)


def submission_row(repo: Repository, case_id: int, channel: str):  # type: ignore[no-untyped-def]
    with repo.unit_of_work() as uow:
        return next(s for s in uow.access.submissions_of_case(case_id) if s.channel == channel)


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )


async def test_the_landlord_gets_the_summary_the_letter_and_the_case(
    repo: Repository, settings: Settings, tmp_path: Path, smtp_server: SmtpServer, clock: ManualClock
) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo, email=LANDLORD_EMAIL), NOW)
    worker = SubmissionDelivery(repo, mail_settings(settings, tmp_path, smtp_server.port), clock)

    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # delivered once, not again

    [(recipients, raw)] = smtp_server.inbox.messages
    assert recipients == [LANDLORD_EMAIL]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    submission = submission_row(repo, delivered.case_id, "email")
    assert submission.status == "delivered" and submission.attempts == 1
    assert message["Message-ID"] == f"<{submission.idempotency_key}@fairsay.example>"
    assert message["To"] == LANDLORD_EMAIL
    assert delivered.ref in message["Subject"]

    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert f"Complaint reference: {delivered.ref}" in text and "Stage: 1" in text
    assert "Acknowledge stage 1 by Monday 16 March 2026 (Code 6.2 (2024)): pending" in text
    assert f"/complaints/{delivered.ref}/actions" in text and "Telegram" in text

    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {
        f"complaint-{delivered.ref}-stage1.pdf",
        f"complaint-{delivered.ref}-stage1.json",
    }
    pdf = attachments[f"complaint-{delivered.ref}-stage1.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    letter = pdf_text(pdf.get_payload(decode=True))
    assert "Black mould has spread across the bedroom wall" in letter
    assert PROFILE["full_name"] in letter

    case = json.loads(attachments[f"complaint-{delivered.ref}-stage1.json"].get_payload(decode=True))
    schema = json.loads((ROOT / "docs" / "schema" / "submission.schema.json").read_text())
    jsonschema.validate(case, schema)
    assert case["case_ref"] == delivered.ref
    assert case["idempotency_key"] == submission.idempotency_key
    assert case["complaint"]["impact"] == DETAILS["impact"]


async def test_a_failed_send_backs_off_and_logs_no_personal_data(
    repo: Repository,
    settings: Settings,
    tmp_path: Path,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo, email=LANDLORD_EMAIL), NOW)
    worker = SubmissionDelivery(repo, mail_settings(settings, tmp_path, free_port()), clock)  # nobody listens

    with caplog.at_level(logging.DEBUG):
        assert await worker.run_once() == 0
    failed = submission_row(repo, delivered.case_id, "email")
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert "not delivered by email" in caplog.text
    personal_data = [value for key, value in PROFILE.items() if key != "contact"]  # "email" is a route name
    for personal in (*personal_data, *DETAILS.values(), LANDLORD_EMAIL, "Westlea"):
        assert personal not in caplog.text

    clock.advance(timedelta(seconds=50))
    assert await worker.run_once() == 0
    assert submission_row(repo, delivered.case_id, "email").attempts == 1  # not due again yet
    clock.advance(timedelta(seconds=15))
    await worker.run_once()
    assert submission_row(repo, delivered.case_id, "email").attempts == 2


async def test_without_a_mail_server_configured_email_waits_and_says_why(
    repo: Repository, settings: Settings, tmp_path: Path, clock: ManualClock
) -> None:
    delivered = deliver_complaint(repo, add_landlord(repo, email=LANDLORD_EMAIL), NOW)
    worker = SubmissionDelivery(repo, mail_settings(settings, tmp_path, None), clock)
    assert await worker.run_once() == 0
    with repo.unit_of_work() as uow:
        row = uow.session.get(SubmissionRow, submission_row(repo, delivered.case_id, "email").id)
        assert row is not None and row.last_error == "EmailNotConfigured"
