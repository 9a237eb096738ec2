"""The inbox and outbox tables: stored once, handled once, taken over when a lease runs out, sent in
order, pruned, and erased with the person."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select
from support.databases import make_settings

from bot.storage import repository as repository_module
from bot.storage.db import upgrade
from bot.storage.inbox import StoredUpdate
from bot.storage.models import OutboxRow
from bot.storage.repository import Repository
from flows.conversations.types import Button, Document, Reply

LEASE = timedelta(minutes=1)


def update(update_id: int, telegram_id: int = 501, words: str = "my boiler") -> StoredUpdate:
    return StoredUpdate(update_id, telegram_id, {"update_id": update_id, "message": {"text": words}})


def test_an_update_is_stored_once_and_handled_once(repo: Repository) -> None:
    assert repo.store_updates([update(1), update(2)], "a", LEASE) == [1, 2]
    assert repo.store_updates([update(1), update(3)], "a", LEASE) == [3]  # 1: in a's hands already
    assert repo.store_updates([update(1)], "a", LEASE, retry={1}) == [1]  # a's try failed: again
    assert repo.store_updates([update(2)], "b", LEASE) == []  # a's lease still runs
    with repo.unit_of_work() as uow:
        assert uow.mark_update_handled(1) is True
        assert uow.mark_update_handled(1) is False
    with repo.unit_of_work() as uow:
        assert uow.mark_update_handled(1) is False  # committed: another instance would see it too
        assert uow.mark_update_handled(9) is True  # one the inbox never had (tests, the terminal)


def test_a_crashed_claimer_s_updates_are_taken_over_when_its_lease_runs_out(repo: Repository) -> None:
    repo.store_updates([update(1), update(2)], "crashed", timedelta(0))
    with repo.unit_of_work() as uow:
        uow.mark_update_handled(1)
    [taken] = repo.claim_unhandled_updates("b", LEASE, set())
    assert (taken.update_id, taken.telegram_id, taken.attempts) == (2, 501, 2)
    assert taken.payload["message"]["text"] == "my boiler"
    assert repo.claim_unhandled_updates("c", LEASE, set()) == []  # b holds it now
    assert [u.update_id for u in repo.claim_unhandled_updates("c", LEASE, set(), everything=True)] == [2]
    assert repo.claim_unhandled_updates("c", LEASE, set()) == []  # c is working on it
    [again] = repo.claim_unhandled_updates("c", LEASE, {2})  # c's try failed: c takes it up again
    assert again.attempts == 4
    repo.give_up_update(2)
    assert repo.claim_unhandled_updates("c", LEASE, set(), everything=True) == []


def test_replies_wait_in_the_outbox_in_order_until_marked_sent(repo: Repository) -> None:
    document = Document("export.zip", b"PK\x03\x04", "application/zip")
    replies = [Reply("first", ((Button("/new", "New"),),), title="Hello"), Reply("second", document=document)]
    with repo.unit_of_work() as uow:
        ids = uow.queue_replies(501, replies, "crashed", timedelta(0))
        uow.queue_replies(502, [Reply("other chat")], "a", LEASE)
    queued = repo.claim_unsent_replies("b", LEASE, set())
    assert [q.id for q in queued] == ids
    assert [q.reply for q in queued] == replies  # text, title, buttons and the document, as written
    assert repo.claim_unsent_replies("c", LEASE, set()) == []
    repo.mark_replies_sent(ids)
    assert [q.reply.text for q in repo.claim_unsent_replies("c", LEASE, set(), everything=True)] == [
        "other chat"
    ]


def test_nothing_goes_out_unless_the_update_committed(repo: Repository) -> None:
    try:
        with repo.unit_of_work() as uow:
            uow.mark_update_handled(5)
            uow.queue_replies(501, [Reply("never")], "a", timedelta(0))
            raise RuntimeError("the flow failed")
    except RuntimeError:
        pass
    assert repo.claim_unsent_replies("b", LEASE, set(), everything=True) == []
    with repo.unit_of_work() as uow:
        assert uow.mark_update_handled(5) is True


def test_old_handled_updates_and_sent_replies_are_pruned(repo: Repository) -> None:
    repo.store_updates([update(1), update(2)], "a", LEASE)
    with repo.unit_of_work() as uow:
        uow.user_by_telegram_id(501, "en")  # replies go to users
        uow.mark_update_handled(1)
        sent, unsent = uow.queue_replies(501, [Reply("sent"), Reply("unsent")], "a", LEASE)
    repo.mark_replies_sent([sent])
    assert repo.prune_inbox_and_outbox(timedelta(days=1)) == (0, 0)  # not old enough yet
    assert repo.prune_inbox_and_outbox(timedelta(0)) == (1, 1)
    assert [u.update_id for u in repo.claim_unhandled_updates("b", LEASE, set(), everything=True)] == [2]
    assert [q.id for q in repo.claim_unsent_replies("b", LEASE, set(), everything=True)] == [unsent]


def test_deleting_a_person_erases_their_updates_and_replies(repo: Repository) -> None:
    with repo.unit_of_work() as uow:
        user = uow.user_by_telegram_id(501)
    repo.store_updates([update(1, 501, "my address"), update(2, 777, "someone else")], "a", LEASE)
    with repo.unit_of_work() as uow:
        uow.queue_replies(501, [Reply("to them")], "a", LEASE)
        uow.queue_replies(777, [Reply("to another")], "a", LEASE)
    repo.delete_user(user.id)
    with repo.engine.connect() as connection:
        payloads = connection.execute(text("SELECT telegram_id FROM inbox")).scalars().all()
        chats = connection.execute(text("SELECT chat_id FROM outbox")).scalars().all()
    assert (payloads, chats) == ([777], [777])


def test_the_migration_keeps_the_ids_already_handled(postgres_url: str, tmp_path: object) -> None:
    upgrade(postgres_url, "0005")
    from bot.storage.db import make_engine

    engine = make_engine(postgres_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO processed_updates VALUES (42, now())"))
        upgrade(engine)
        with engine.connect() as connection:
            row = connection.execute(text("SELECT update_id, handled_at IS NOT NULL FROM inbox")).one()
        assert tuple(row) == (42, True)
    finally:
        engine.dispose()


def test_leases_hold_whatever_the_instances_clocks_say(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two machines whose clocks differ by more than a lease: neither takes what the other holds
    (leases are the database's time on PostgreSQL, where several instances share the tables)."""
    upgrade(postgres_url)
    a, b = (Repository.open(make_settings(postgres_url, tmp_path)) for _ in range(2))
    real = repository_module.utcnow

    def clock(skew: timedelta) -> None:
        monkeypatch.setattr(repository_module, "utcnow", lambda: real() + skew)

    try:
        clock(-2 * LEASE)  # a runs two leases behind
        assert a.claim_unhandled_updates("a", LEASE, set()) == []  # its start (the recovery round)
        assert a.store_updates([update(1)], "a", LEASE) == [1]
        clock(2 * LEASE)  # b runs two leases ahead
        assert b.claim_unhandled_updates("b", LEASE, set()) == []  # a's lease still runs
        assert b.store_updates([update(1)], "b", LEASE) == []
    finally:
        a.close()
        b.close()


def test_a_claimer_still_at_work_keeps_its_leases(repo: Repository) -> None:
    repo.store_updates([update(1), update(2)], "a", timedelta(0))
    with repo.unit_of_work() as uow:
        [reply] = uow.queue_replies(501, [Reply("Hello")], "a", timedelta(0))
    repo.renew_leases("b", [1], [reply], LEASE)  # not b's to renew
    repo.renew_leases("a", [2], [reply], LEASE)
    assert [u.update_id for u in repo.claim_unhandled_updates("b", LEASE, set())] == [1]
    assert repo.claim_unsent_replies("b", LEASE, set()) == []


def test_a_reply_sent_to_someone_no_longer_a_user_is_not_kept(repo: Repository) -> None:
    """The "Done" after /delete goes to a person who is gone: once sent, not even their chat id stays."""
    with repo.unit_of_work() as uow:
        uow.user_by_telegram_id(601, "en")
        kept = uow.queue_replies(601, [Reply("to a user")], "a", LEASE)
        gone = uow.queue_replies(602, [Reply("Done. I have deleted everything")], "a", LEASE)
    repo.mark_replies_sent(kept + gone)
    with Session(repo.engine) as session:
        chats = session.exec(select(OutboxRow.chat_id)).all()
    assert chats == [601]
