"""The webhook route against a real endpoint on 127.0.0.1 that checks signatures with
`verify_signature`, as a landlord would: signed deliveries are accepted, tampered or stale ones are
refused, and a failed delivery is retried with the same idempotency key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from support.delivery_servers import NOW, SECRET, Receiver, free_port
from support.landlords import add_landlord, deliver_complaint

from bot.clock import ManualClock
from bot.delivery.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers, verify_signature
from bot.delivery.worker import SubmissionDelivery
from bot.settings import Settings
from bot.storage.access import Submission
from bot.storage.models import SubmissionRow
from bot.storage.repository import Repository


def webhook_submission(repo: Repository, case_id: int) -> Submission:
    with repo.unit_of_work() as uow:
        return next(s for s in uow.access.submissions_of_case(case_id) if s.channel == "webhook")


def last_error(repo: Repository, submission_id: int) -> str | None:
    with repo.unit_of_work() as uow:
        row = uow.session.get(SubmissionRow, submission_id)
        assert row is not None
        return row.last_error


async def test_a_signed_delivery_is_accepted(
    repo: Repository, settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    delivered = deliver_complaint(
        repo, add_landlord(repo, webhook_url=receiver.url, webhook_secret=SECRET), NOW
    )
    assert await SubmissionDelivery(repo, settings, clock).run_once() == 1
    [(key, body)] = receiver.accepted
    submission = webhook_submission(repo, delivered.case_id)
    assert key == submission.idempotency_key and submission.status == "delivered"
    document = json.loads(body)
    assert document["case_ref"] == delivered.ref and document["idempotency_key"] == key
    assert document["letter"]["text"].startswith("Amina Okafor")


async def test_a_tampered_body_a_stale_timestamp_and_a_wrong_secret_are_refused(
    receiver: Receiver, clock: ManualClock
) -> None:
    body = json.dumps({"case_ref": "7K2M9XQD", "stage": 1}).encode()
    good = signed_headers(SECRET, "key-1", body, clock.now())
    attempts = [
        (body, good, 200),
        (body.replace(b"7K2M9XQD", b"7K2M9XQE"), good, 401),  # tampered in transit
        (body, signed_headers(SECRET, "key-1", body, clock.now() - timedelta(minutes=6)), 401),  # replayed
        (
            body,
            signed_headers(SECRET, "key-1", body, clock.now() + timedelta(minutes=6)),
            401,
        ),  # from the future
        (body, signed_headers("another-secret", "key-1", body, clock.now()), 401),
        (body, {**good, SIGNATURE_HEADER: "v1=" + "0" * 64}, 401),
        (body, {k: v for k, v in good.items() if k != TIMESTAMP_HEADER}, 401),
    ]
    async with aiohttp.ClientSession() as http:
        for data, headers, expected in attempts:
            async with http.post(receiver.url, data=data, headers=headers) as answer:
                assert answer.status == expected
    assert len(receiver.accepted) == 1 and receiver.refused == 6


def test_verify_signature_takes_a_datetime_or_unix_seconds_and_several_signatures() -> None:
    body = b'{"a": 1}'
    headers = signed_headers(SECRET, "k", body, NOW)
    timestamp, signature = headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER]
    assert verify_signature(SECRET, body, timestamp, signature, NOW)
    assert verify_signature(SECRET, body, timestamp, signature, NOW.timestamp() + 299)
    assert not verify_signature(SECRET, body, timestamp, signature, NOW.timestamp() + 301)
    assert verify_signature(SECRET, body, timestamp, f"v1={'ab' * 32}, {signature}", NOW)  # rotating secrets
    assert not verify_signature(SECRET, body, "not-a-number", signature, NOW)
    assert not verify_signature(SECRET, body, None, None, NOW)
    for malformed in ("²", "١٢٣", "1e9", " 1", "-1", "9" * 5_000):  # never an exception
        assert not verify_signature(SECRET, body, malformed, signature, NOW)
    assert not verify_signature(SECRET, body, timestamp, "v1=é", NOW)


async def test_a_500_is_retried_after_the_backoff_with_the_same_key(
    repo: Repository, settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    delivered = deliver_complaint(
        repo, add_landlord(repo, webhook_url=receiver.url, webhook_secret=SECRET), NOW
    )
    submission = webhook_submission(repo, delivered.case_id)
    worker = SubmissionDelivery(repo, settings, clock)
    receiver.planned = [500]

    assert await worker.run_once() == 0
    assert (webhook_submission(repo, delivered.case_id).status, last_error(repo, submission.id)) == (
        "pending",
        "WebhookRefused:500",
    )
    clock.advance(timedelta(seconds=30))
    assert await worker.run_once() == 0  # backing off: one minute after the first failure
    clock.advance(timedelta(seconds=31))
    assert await worker.run_once() == 1

    [(key, body)] = receiver.accepted
    assert key == submission.idempotency_key
    assert json.loads(body)["idempotency_key"] == submission.idempotency_key
    after = webhook_submission(repo, delivered.case_id)
    assert (after.status, after.attempts) == ("delivered", 2)


async def test_an_unreachable_endpoint_is_given_up_after_eight_attempts(
    repo: Repository, settings: Settings, clock: ManualClock
) -> None:
    url = f"http://127.0.0.1:{free_port()}/nobody-listens"
    delivered = deliver_complaint(repo, add_landlord(repo, webhook_url=url, webhook_secret=SECRET), NOW)
    worker = SubmissionDelivery(repo, settings, clock)
    for attempt in range(1, 9):
        assert await worker.run_once() == 0
        submission = webhook_submission(repo, delivered.case_id)
        assert submission.attempts == attempt
        clock.advance(timedelta(hours=7))
    assert submission.status == "failed"
    assert last_error(repo, submission.id) == "ClientConnectorError"
    assert await worker.run_once() == 0


@pytest.mark.parametrize("route", ["webhook_url", "webhook_secret"])
async def test_nothing_is_sent_unsigned_or_nowhere(
    route: str, repo: Repository, settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    landlord_id = add_landlord(repo, webhook_url=receiver.url, webhook_secret=SECRET)
    delivered = deliver_complaint(repo, landlord_id, NOW)
    with repo.unit_of_work() as uow:
        uow.access.update_landlord(landlord_id, **{route: None})
    assert await SubmissionDelivery(repo, settings, clock).run_once() == 0
    assert receiver.accepted == [] and receiver.refused == 0
    assert last_error(repo, webhook_submission(repo, delivered.case_id).id) == "RouteGone"


def test_the_example_in_the_landlords_guide_agrees_with_the_reference() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "landlords.md").read_text()
    example = guide.split("### Checking the signature", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(example, "docs/landlords.md", "exec"), namespace)
    verify = namespace["verify"]
    body = b'{"case_ref": "9YRTB5TH"}'
    for moment, secret, sent, expected in [
        (datetime.now(UTC), SECRET, body, True),
        (datetime.now(UTC), "another-secret", body, False),
        (datetime.now(UTC), SECRET, body + b" ", False),
        (datetime.now(UTC) - timedelta(minutes=6), SECRET, body, False),
    ]:
        headers = signed_headers(secret, "k", sent, moment)
        given = (body, headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER])
        assert verify(SECRET, *given) is expected
        assert verify_signature(SECRET, *given, datetime.now(UTC)) is expected
    signature = signed_headers(SECRET, "k", body, datetime.now(UTC))[SIGNATURE_HEADER]
    for malformed in ("²", "١٢٣", "9" * 5_000, "-5"):  # False, never ValueError, in both
        assert verify(SECRET, body, malformed, signature) is False
        assert verify_signature(SECRET, body, malformed, signature, datetime.now(UTC)) is False


async def test_a_webhook_into_this_machine_is_refused_at_send_time(
    repo: Repository, settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    """A URL accepted once (or a name that now resolves elsewhere) is checked again as it connects."""
    strict = settings.model_copy(update={"webhook_allow_loopback": False})
    by_name = receiver.url.replace("127.0.0.1", "localhost")  # resolved at send time, then refused
    for url in (receiver.url, by_name):
        delivered = deliver_complaint(repo, add_landlord(repo, webhook_url=url, webhook_secret=SECRET), NOW)
        assert await SubmissionDelivery(repo, strict, clock).run_once() == 0
        assert last_error(repo, webhook_submission(repo, delivered.case_id).id) == "PrivateAddress"
    assert receiver.accepted == [] and receiver.refused == 0
