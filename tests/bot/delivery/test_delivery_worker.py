"""Several delivery workers at once: a claim is a lease, so no submission is sent twice at once, and
one whose sender died is sent again once the lease runs out. The bot runs a delivery round on its
job queue."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

from support.databases import make_settings
from support.delivery_servers import NOW, SECRET, Receiver
from support.landlords import add_landlord, deliver_complaint

from bot.clock import ManualClock
from bot.delivery.worker import CHANNELS, LEASE, SubmissionDelivery
from bot.settings import Settings
from bot.storage.repository import Repository
from bot.telegram.app import build_application

COMPLAINTS = 12


async def rounds(worker: SubmissionDelivery, start_after: float, count: int = 6) -> int:
    """One instance's job: a round, then another, while the other instance does the same."""
    await asyncio.sleep(start_after)  # out of step, so one claims while the other is sending
    delivered = 0
    for _ in range(count):
        delivered += await worker.run_once(limit=3)
    return delivered


async def test_two_workers_on_postgresql_never_deliver_one_submission_twice(
    postgres_url: str, postgres_repo: Repository, tmp_path: Path, receiver: Receiver, clock: ManualClock
) -> None:
    settings = make_settings(postgres_url, tmp_path, webhook_allow_loopback=True)
    landlord_id = add_landlord(postgres_repo, webhook_url=receiver.url, webhook_secret=SECRET)
    for number in range(COMPLAINTS):
        deliver_complaint(postgres_repo, landlord_id, NOW, owner_telegram_id=5000 + number)
    second_instance = Repository.open(settings)  # its own engine and connections, as another machine
    receiver.delay = 0.05  # sends overlap with the other worker's claims
    try:
        workers = [
            SubmissionDelivery(postgres_repo, settings, clock),
            SubmissionDelivery(second_instance, settings, clock),
        ]
        delivered = await asyncio.gather(rounds(workers[0], 0), rounds(workers[1], 0.02))
    finally:
        second_instance.close()

    assert sum(delivered) == COMPLAINTS
    sent = Counter(key for key, _ in receiver.accepted)
    assert len(sent) == COMPLAINTS and set(sent.values()) == {1}
    with postgres_repo.unit_of_work() as uow:
        assert uow.access.due_submissions(clock.now() + timedelta(days=1), channels=CHANNELS) == []


async def test_a_claim_is_a_lease(
    repo: Repository, settings: Settings, receiver: Receiver, clock: ManualClock
) -> None:
    delivered = deliver_complaint(
        repo, add_landlord(repo, webhook_url=receiver.url, webhook_secret=SECRET), NOW
    )
    with repo.unit_of_work() as uow:  # a sender claims it, then dies before sending
        [claimed] = uow.access.claim_submissions(clock.now(), LEASE, CHANNELS)
    worker = SubmissionDelivery(repo, settings, clock)
    assert await worker.run_once() == 0  # leased: another sender leaves it alone
    clock.advance(LEASE - timedelta(seconds=1))
    assert await worker.run_once() == 0
    clock.advance(timedelta(seconds=2))
    assert await worker.run_once() == 1  # the lease ran out: sent again, with the same key
    assert [key for key, _ in receiver.accepted] == [claimed.idempotency_key]
    with repo.unit_of_work() as uow:
        [telegram, webhook] = uow.access.submissions_of_case(delivered.case_id)
    assert (telegram.status, webhook.status) == ("delivered", "delivered")


def test_the_bot_runs_a_delivery_round_with_the_reminders(sqlite_url: str, tmp_path: Path) -> None:
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token="123:TEST")
    repository = Repository.open(settings)
    try:
        application = build_application(settings, repository, reminder_interval=45)
        assert application.job_queue is not None
        jobs = {job.name: job for job in application.job_queue.jobs()}
    finally:
        repository.close()
    assert "_deliver_submissions" in jobs and "_send_due_reminders" in jobs
