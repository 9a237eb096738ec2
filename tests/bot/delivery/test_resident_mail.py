"""Handing a complaint emailed for the resident to a real relay on 127.0.0.1: DSN asked only where the
relay advertises it, the acceptance (its whole reply and queue id) kept, a 5xx refusal told apart."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from support.delivery_servers import NOW
from support.mail_relay import Relay

from bot.clock import ManualClock
from bot.delivery import resident_mail
from bot.settings import Settings
from flows.conversations.types import Document

REPLY = "case-abc123@replies.fairsay.example"


def _settings(port: int, tmp_path: Path, **values: object) -> Settings:
    return Settings.from_values(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from="Fair Say <complaints@fairsay.example>",
        **values,
    )


def _message(settings: Settings) -> resident_mail.EmailMessage:
    letter = Document("complaint.pdf", b"%PDF-1.4 letter", "application/pdf")
    return resident_mail.compose(
        to="complaints@westlea.example",
        reply_address=REPLY,
        message_id="<m1@fairsay.example>",
        subject_line=resident_mail.subject(1, "FS-1", "Alex Smith"),
        body="body\n",
        attachments=[letter],
        settings=settings,
        made_at=NOW,
    )


async def _send(relay: Relay, tmp_path: Path) -> resident_mail.Accepted:
    settings = _settings(relay.port, tmp_path)
    return await resident_mail.hand_over(
        _message(settings),
        envelope_from=REPLY,
        to="complaints@westlea.example",
        envid="m1",
        settings=settings,
        clock=ManualClock(NOW),
    )


async def test_no_dsn_asked_of_a_relay_that_does_not_offer_it(relay: Relay, tmp_path: Path) -> None:
    accepted = await _send(relay, tmp_path)
    assert not accepted.dsn_requested
    [got] = relay.handler.received
    assert got.mail_options == [] and got.rcpt_options == []
    assert got.mail_from == REPLY  # bounces come back to the case's reply address
    assert accepted.reply == "250 2.0.0 Ok: queued as 4QX00001" and accepted.queue_id == "4QX00001"
    assert accepted.at == NOW
    parsed = email.message_from_bytes(got.data, policy=email.policy.default)
    assert parsed["Reply-To"] == REPLY and parsed["Auto-Submitted"] == "no"
    assert "complaints@fairsay.example" in parsed["From"] and parsed["X-Abuse"]


async def test_dsn_asked_where_the_relay_offers_it(dsn_relay: Relay, tmp_path: Path) -> None:
    accepted = await _send(dsn_relay, tmp_path)
    assert accepted.dsn_requested
    [got] = dsn_relay.handler.received
    assert got.mail_options == ["RET=HDRS", "ENVID=m1"]
    assert got.rcpt_options == ["NOTIFY=SUCCESS,FAILURE,DELAY"]


async def test_a_5xx_is_a_refusal(relay: Relay, tmp_path: Path) -> None:
    relay.handler.planned.append("550 5.7.1 Recipient address rejected: policy")
    with pytest.raises(resident_mail.Refused) as refused:
        await _send(relay, tmp_path)
    assert refused.value.code == 550 and "policy" in refused.value.text


async def test_a_4xx_is_not_a_refusal(relay: Relay, tmp_path: Path) -> None:
    relay.handler.planned.append("451 4.3.0 Try again later")
    with pytest.raises(Exception) as failed:
        await _send(relay, tmp_path)
    assert not isinstance(failed.value, resident_mail.Refused)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("250 2.0.0 Ok: queued as 4BX1y2Zk3", "4BX1y2Zk3"),
        ("250 OK id=1r2AbC-000Abc-2x", "1r2AbC-000Abc-2x"),
        ("250 2.0.0 x8ABCDEF012345 Message accepted for delivery", "x8ABCDEF012345"),
        ("250 2.6.0 <m1@fairsay.example> [InternalId=123] Queued mail for delivery", None),
        ("250 Message accepted", None),
    ],
)
def test_queue_ids(reply: str, expected: str | None) -> None:
    assert resident_mail.queue_id(reply) == expected


def test_evidence_beyond_the_limit_is_listed_not_attached() -> None:
    letter = Document("letter.pdf", b"x" * 40, "application/pdf")
    small = Document("photo.jpg", b"y" * 50, "image/jpeg")
    big = Document("video.mp4", b"z" * 500, "video/mp4")
    kept, left_out = resident_mail.fit_attachments(letter, [big, small], 100)
    assert [d.filename for d in kept] == ["letter.pdf", "photo.jpg"]
    assert left_out == ["video.mp4"]
