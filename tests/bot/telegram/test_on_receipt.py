"""Updates answered on receipt (bot/telegram/on_receipt.py, `Repository.store_and_answer`): in the
transaction that stores their batch, one commit, an answer that fails left out; anything that cannot be
answered there takes the usual path, in order."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text
from support.databases import make_settings
from support.fake_bot_api import FakeBotApi, FakeUser, polling
from telegram import Update

from bot.settings import Settings
from bot.storage.inbox import StoredUpdate
from bot.storage.models import AuditEntryRow, InboxRow, OutboxRow
from bot.storage.repository import ANSWER_LANES, ANSWERS_PER_COMMIT, Repository
from bot.storage.unit_of_work import UnitOfWork
from bot.telegram.app import build_application
from bot.telegram.handlers import FloodGate
from bot.telegram.inbox import MAILROOM
from bot.telegram.outgoing import send_replies
from flows.conversations.types import Reply

LEASE = timedelta(minutes=5)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_bot_api: FakeBotApi) -> Settings:
    """On SQLite and PostgreSQL, talking to the fake Bot API."""
    return make_settings(
        database_url, tmp_path, telegram_bot_token="123:TEST", telegram_api_base_url=fake_bot_api.base_url
    )


def stored(update_id: int, telegram_id: int = 501) -> StoredUpdate:
    return StoredUpdate(update_id, telegram_id, {"update_id": update_id})


def commits(repo: Repository) -> list[int]:
    counted: list[int] = []
    event.listen(repo.engine, "commit", lambda connection: counted.append(1))
    return counted


def inbox_rows(repo: Repository) -> dict[int, InboxRow]:
    with repo.unit_of_work() as uow:
        return {row.update_id: row for row in uow.session.exec(select(InboxRow)).scalars()}  # type: ignore[call-overload]


def write_note(text: str) -> Callable[[UnitOfWork], str]:
    """An answer's work: a reply queued in the outbox (as the chat service's own does)."""

    def work(uow: UnitOfWork) -> str:
        uow.queue_replies(501, [Reply(text)], "me", LEASE)
        return text

    return work


def fails(uow: UnitOfWork) -> str:
    uow.queue_replies(501, [Reply("half")], "me", LEASE)
    raise RuntimeError("the flow broke")


def test_a_batch_and_its_answers_are_one_commit(repo: Repository) -> None:
    counted = commits(repo)
    ids, answered = repo.store_and_answer(
        [stored(1), stored(2), stored(3)],
        "me",
        LEASE,
        [(1, 501, write_note("one")), (3, 503, write_note("three"))],
    )
    assert ids == [1, 2, 3]
    assert answered == {1: "one", 3: "three"}
    assert len(counted) == 1
    rows = inbox_rows(repo)
    assert rows[1].handled_at is None  # the work given here does not mark it: the chat service's does
    with repo.unit_of_work() as uow:
        texts = sorted(row.reply["text"] for row in uow.session.exec(select(OutboxRow)).scalars())  # type: ignore[call-overload]
    assert texts == ["one", "three"]


def test_a_burst_is_answered_a_few_at_a_time(repo: Repository) -> None:
    """The first answers commit with the batch and go out at once; the rest follow a few to a commit."""
    counted = commits(repo)
    chunks: list[list[int]] = []
    batch = [stored(update_id) for update_id in range(1, 21)]
    answers = [(update_id, 1000 + update_id, write_note(str(update_id))) for update_id in range(1, 21)]
    ids, answered = repo.store_and_answer(
        batch, "me", LEASE, answers, committed=lambda done: chunks.append(list(done))
    )
    assert ids == list(range(1, 21)) and len(answered) == 20
    size = ANSWERS_PER_COMMIT
    assert chunks[0] == list(range(1, size + 1))  # committed with the batch
    assert sorted(n for chunk in chunks for n in chunk) == list(range(1, 21))
    if repo.engine.dialect.name == "sqlite":  # one transaction after another
        assert chunks == [list(range(start, min(start + size, 21))) for start in range(1, 21, size)]
    else:  # lanes side by side, each chat in one
        assert all(len({(1000 + n) % ANSWER_LANES for n in chunk}) == 1 for chunk in chunks[1:])
    assert len(counted) == len(chunks)


def test_a_burst_keeps_each_chat_in_order(repo: Repository) -> None:
    """Five people's updates interleaved in a burst: each person's answered in the order sent, in
    whichever transaction or lane."""
    done: list[tuple[int, int]] = []
    lock = threading.Lock()

    def answer_of(update_id: int, chat_id: int) -> Callable[[UnitOfWork], int]:
        def work(uow: UnitOfWork) -> int:
            uow.queue_replies(chat_id, [Reply(str(update_id))], "me", LEASE)
            with lock:
                done.append((chat_id, update_id))
            return update_id

        return work

    answers = [(n, 500 + n % 5, answer_of(n, 500 + n % 5)) for n in range(1, 61)]
    _, answered = repo.store_and_answer([stored(n) for n in range(1, 61)], "me", LEASE, answers)
    assert len(answered) == 60
    for chat_id in range(500, 505):
        mine = [update_id for chat, update_id in done if chat == chat_id]
        assert mine == sorted(mine) and len(mine) == 12


def test_a_later_transaction_that_fails_leaves_its_answers_for_the_usual_path(repo: Repository) -> None:
    """The batch is stored with the first answers; a later transaction's failure loses nothing:
    its updates stay stored and unhandled, and its chats' later answers wait for the usual path too."""
    size = ANSWERS_PER_COMMIT
    doomed = size + 1  # the first answer after those committed with the batch
    in_doomed_transaction = threading.local()

    def mark(uow: UnitOfWork) -> str:
        in_doomed_transaction.value = True
        return write_note("doomed")(uow)

    def refuse_the_doomed(connection: Any) -> None:
        if getattr(in_doomed_transaction, "value", False):
            in_doomed_transaction.value = False
            raise ConnectionError("the database went away for a moment")

    event.listen(repo.engine, "commit", refuse_the_doomed)
    total = 3 * size
    answers: list[tuple[int, int, Callable[[UnitOfWork], str]]] = [
        (n, n, write_note(str(n))) for n in range(1, total + 1)
    ]
    answers[doomed - 1] = (doomed, doomed, mark)
    answers[total - 1] = (total, doomed, write_note("after its chat failed"))  # the same person, later
    ids, answered = repo.store_and_answer([stored(n) for n in range(1, total + 1)], "me", LEASE, answers)
    event.remove(repo.engine, "commit", refuse_the_doomed)
    assert ids == list(range(1, total + 1))  # all stored
    assert set(range(1, size + 1)) <= set(answered)  # committed with the batch
    assert doomed not in answered and total not in answered  # the failed one, and its chat after it
    assert len(answered) >= total - size - 1  # only the failed transaction's, and that chat's later one
    rows = inbox_rows(repo)
    assert set(rows) == set(range(1, total + 1))
    with repo.unit_of_work() as uow:
        replies = {row.reply["text"] for row in uow.session.exec(select(OutboxRow)).scalars()}  # type: ignore[call-overload]
    assert replies == {str(n) for n in answered}  # nothing of the failed transaction


def test_a_failing_answer_is_rolled_back_alone_and_its_chat_waits(repo: Repository) -> None:
    ids, answered = repo.store_and_answer(
        [stored(1), stored(2), stored(3)],
        "me",
        LEASE,
        [(1, 501, fails), (2, 501, write_note("after the failure")), (3, 502, write_note("someone else"))],
    )
    assert ids == [1, 2, 3]  # all stored, and the usual path is to handle 1 and 2
    assert answered == {3: "someone else"}  # 2 waits behind 1: a chat's updates in order
    with repo.unit_of_work() as uow:
        texts = [row.reply["text"] for row in uow.session.exec(select(OutboxRow)).scalars()]  # type: ignore[call-overload]
    assert texts == ["someone else"]  # nothing of the failed answer
    assert set(inbox_rows(repo)) == {1, 2, 3}


def test_a_change_that_fails_when_written_is_its_own_answers_failure(repo: Repository) -> None:
    """A row an answer added that the database refuses, written out only at the commit: the batch
    must be stored all the same (else it comes again, fails again, and nobody is answered), and the
    answer left for the usual path, not the next one in the transaction blamed for it."""

    def adds_a_bad_row(uow: UnitOfWork) -> str:
        uow.session.add(AuditEntryRow(action=None))  # NOT NULL: refused when written
        return "bad"

    ids, answered = repo.store_and_answer(
        [stored(1), stored(2), stored(3)],
        "me",
        LEASE,
        [(1, 501, write_note("before")), (2, 502, adds_a_bad_row), (3, 503, write_note("after"))],
    )
    assert ids == [1, 2, 3]
    assert answered == {1: "before", 3: "after"}


def test_a_chat_s_updates_after_an_answer_that_ends_it_wait_for_the_usual_path(repo: Repository) -> None:
    """An erasure ends its chat's run in the batch: the chat's later updates, in its transaction and
    in later ones, are left for the usual path; other chats are answered."""
    size = ANSWERS_PER_COMMIT
    answers = [(1, 501, write_note("erased")), (2, 501, write_note("next")), (3, 502, write_note("other"))]
    answers += [(n, 600 + n, write_note(str(n))) for n in range(4, size + 2)]
    answers.append((size + 2, 501, write_note("later")))
    ids, answered = repo.store_and_answer(
        [stored(n) for n in range(1, size + 3)],
        "me",
        LEASE,
        answers,
        ends_chat=lambda result: result == "erased",
    )
    assert ids == list(range(1, size + 3))
    assert set(answered) == set(range(1, size + 2)) - {2}


def test_an_update_taken_by_another_instance_before_the_transaction_runs_again_is_not_answered(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first try stored updates 1 and 2 as ours and rolled back (an answer failed); before the
    second, another instance (by mistake) stored 2: only what the second try stores is ours to answer."""
    from bot.storage import repository as repository_module

    original = repository_module.inbox.store
    tries: list[int] = []

    def another_instance_takes_2(*args: Any, **kwargs: Any) -> list[int]:
        tries.append(1)
        ids = original(*args, **kwargs)
        return ids if len(tries) == 1 else [n for n in ids if n != 2]

    monkeypatch.setattr(repository_module.inbox, "store", another_instance_takes_2)
    ids, answered = repo.store_and_answer(
        [stored(1), stored(2)], "me", LEASE, [(1, 501, fails), (2, 502, write_note("not ours"))]
    )
    assert len(tries) == 2
    assert ids == [1] and answered == {}


def test_nothing_stays_when_the_commit_fails(repo: Repository, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answers ran, but their transaction did not commit: no row, no reply."""

    def refuse(connection: Any) -> None:
        raise ConnectionError("the database went away")

    event.listen(repo.engine, "commit", refuse)
    with pytest.raises(ConnectionError):
        repo.store_and_answer([stored(1)], "me", LEASE, [(1, 501, write_note("lost?"))])
    event.remove(repo.engine, "commit", refuse)
    assert inbox_rows(repo) == {}
    with repo.unit_of_work() as uow:
        assert list(uow.session.exec(select(OutboxRow)).scalars()) == []  # type: ignore[call-overload]


def test_an_update_already_handled_is_not_answered_again(repo: Repository) -> None:
    repo.store_updates([stored(1)], "me", LEASE)
    with repo.unit_of_work() as uow:
        uow.mark_update_handled(1)
    ids, answered = repo.store_and_answer([stored(1)], "me", LEASE, [(1, 501, write_note("again"))])
    assert ids == [] and answered == {}


# --- the bot, end to end ------------------------------------------------------------------------------


def app_for(settings: Settings, repository: Repository, limit: int | None = None) -> Any:
    return build_application(settings, repository, reminder_interval=60, flood_gate=FloodGate(limit=limit))


async def answer(fake: FakeBotApi, user: FakeUser, text: str) -> str:
    before = len(fake.sent_messages(user.id))
    fake.user_sends_text(user, text)
    await fake.wait_for(lambda: len(fake.sent_messages(user.id)) > before, timeout=10)
    return fake.sent_messages(user.id)[-1].text


async def test_typed_messages_are_answered_in_the_transaction_that_stores_them(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repo: Repository
) -> None:
    application = app_for(settings, repo)
    dispatched: list[int] = []
    original = application.update_queue.put

    async def counting_put(update: object) -> None:
        if isinstance(update, Update):  # not PTB's own sentinel, put there when stopping
            dispatched.append(update.update_id)
        await original(update)

    application.update_queue.put = counting_put  # type: ignore[method-assign]
    counted = commits(repo)
    async with polling(application):
        assert "Which language" in await answer(fake_bot_api, fake_user, "/start")
        await asyncio.sleep(0.2)  # the outbox's "sent" mark rides on the next batch, or comes 50 ms later
        counted.clear()
        assert "Which language" in await answer(fake_bot_api, fake_user, "/start")
    assert dispatched == []  # never through PTB's queue: answered on receipt
    # The batch and its answer in one commit; the reply marked sent in the next batch's, or in its own.
    assert len(counted) <= 2
    rows = inbox_rows(repo)
    assert all(row.handled_at is not None for row in rows.values())


async def test_a_photo_takes_the_usual_path_and_what_follows_waits_for_it(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repo: Repository
) -> None:
    application = app_for(settings, repo)
    async with polling(application):
        await answer(fake_bot_api, fake_user, "/start")
        mailroom = application.bot_data[MAILROOM]
        # A photo and a text in one batch: the photo is downloaded on the usual path, so the text
        # after it must not overtake it.
        fake_bot_api.user_sends_photo(fake_user, b"\xff\xd8\xff\xe0" + b"\x00" * 64)
        fake_bot_api.user_sends_text(fake_user, "/help")
        await fake_bot_api.wait_for(
            lambda: any("/delete" in m.text for m in fake_bot_api.sent_messages(fake_user.id)), timeout=10
        )
        texts = [m.text for m in fake_bot_api.sent_messages(fake_user.id)]
        help_at = max(i for i, text in enumerate(texts) if "/delete" in text)
        assert len(texts) >= 3 and help_at == len(texts) - 1  # the photo's answer came first
        for _ in range(100):  # done with once the replies are out (the fake is not called again)
            if not mailroom.updates_in_hand:
                break
            await asyncio.sleep(0.05)
        assert not mailroom.updates_in_hand


async def test_the_flood_gate_counts_answered_updates(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repo: Repository
) -> None:
    application = app_for(settings, repo, limit=3)
    async with polling(application):
        for _ in range(4):
            fake_bot_api.user_sends_text(fake_user, "/help")
        await fake_bot_api.wait_for(
            lambda: any("very quickly" in m.text for m in fake_bot_api.sent_messages(fake_user.id)),
            timeout=10,
        )
        await asyncio.sleep(0.5)  # whatever else was to come is out by now
    texts = [m.text for m in fake_bot_api.sent_messages(fake_user.id)]
    assert sum("very quickly" in text for text in texts) == 1
    rows = inbox_rows(repo)
    assert len(rows) == 4 and all(row.handled_at is not None for row in rows.values())  # one dropped
    with repo.unit_of_work() as uow:
        assert len(list(uow.session.exec(select(OutboxRow)).scalars())) == len(texts) - 1  # type: ignore[call-overload]


async def test_a_batch_stored_only_on_a_later_try_is_counted_once(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database away for the first tries: the same batch comes again; the flood gate must not
    count it once per try (the resident would be told to slow down, and their message dropped)."""
    tries: list[int] = []
    original = repo.store_and_answer

    def away_at_first(*args: Any, **kwargs: Any) -> Any:
        tries.append(1)
        if len(tries) <= 2:
            raise ConnectionError("the database is away")
        return original(*args, **kwargs)

    monkeypatch.setattr(repo, "store_and_answer", away_at_first)
    application = app_for(settings, repo, limit=1)
    async with polling(application):
        reply = await answer(fake_bot_api, fake_user, "/start")
    assert len(tries) >= 3
    assert "Which language" in reply


def button_ending(fake: FakeBotApi, user: FakeUser, end: str) -> str:
    """The data of the newest button sent to `user` whose data ends with `end`."""
    for message in reversed(fake.sent_messages(user.id)):
        for _, data in message.buttons:
            if data is not None and data.endswith(end):
                return data
    raise LookupError(end)


def button_labelled(fake: FakeBotApi, user: FakeUser, label: str) -> str:
    for message in reversed(fake.sent_messages(user.id)):
        for caption, data in message.buttons:
            if caption == label and data:
                return data
    raise LookupError(label)


def in_one_batch(fake: FakeBotApi, *updates: dict[str, Any]) -> None:
    """Hand the updates to the bot's next getUpdates together (made with `deliver=False`)."""
    with fake._lock:  # the long poll takes them only once all are queued
        for update in updates:
            fake.deliver(update)


async def test_a_batch_answers_each_update_after_what_the_one_before_it_changed(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repo: Repository
) -> None:
    """A language chosen and a command typed right after it, taken in one batch (one transaction):
    the command is answered in the language chosen, as when each had its own transaction."""
    application = app_for(settings, repo)
    async with polling(application):
        await answer(fake_bot_api, fake_user, "/start")
        before = len(fake_bot_api.sent_messages(fake_user.id))
        in_one_batch(
            fake_bot_api,
            fake_bot_api.user_presses_button(
                fake_user, button_ending(fake_bot_api, fake_user, ":cy"), deliver=False
            ),
            fake_bot_api.user_sends_text(fake_user, "/help", deliver=False),
        )
        await fake_bot_api.wait_for(
            lambda: len(fake_bot_api.sent_messages(fake_user.id)) >= before + 2, timeout=10
        )
        await asyncio.sleep(0.3)
    texts = [m.text for m in fake_bot_api.sent_messages(fake_user.id)][before:]
    assert not any("Here is what I can do" in text for text in texts)  # English: it read the old language
    assert any("Dyma beth alla i ei wneud" in text for text in texts)


async def test_a_send_that_raises_leaves_the_chat_s_later_replies_to_the_recovery_round(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    database_url: str,
    tmp_path: Path,
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fault of ours while sending (not Telegram's refusal): the chat's replies after it are not
    kept "in hand" for ever (their leases renewed, nobody sending them); the recovery round sends
    them once the lease runs out, as it does the usual path's."""
    settings = make_settings(
        database_url,
        tmp_path,
        telegram_bot_token="123:TEST",
        telegram_api_base_url=fake_bot_api.base_url,
        inbox_lease_seconds=1,
    )
    sends: list[int] = []

    async def breaks_once(bot: Any, chat_id: int, replies: list[Reply]) -> None:
        sends.append(1)
        if len(sends) == 1:
            raise RuntimeError("a bug of ours")
        await send_replies(bot, chat_id, replies)

    monkeypatch.setattr("bot.telegram.on_receipt.send_replies", breaks_once)
    application = app_for(settings, repo)
    async with polling(application):
        in_one_batch(
            fake_bot_api,
            fake_bot_api.user_sends_text(fake_user, "/start", deliver=False),
            fake_bot_api.user_sends_text(fake_user, "/help", deliver=False),
        )
        await fake_bot_api.wait_for(
            lambda: (
                any("Here is what I can do" in m.text for m in fake_bot_api.sent_messages(fake_user.id))
                and any("Which language" in m.text for m in fake_bot_api.sent_messages(fake_user.id))
            ),
            timeout=15,
        )
        mailroom = application.bot_data[MAILROOM]
        for _ in range(100):  # the recovery round's send lets go of them once it is done
            if not mailroom.replies_in_hand:
                break
            await asyncio.sleep(0.05)
        assert not mailroom.replies_in_hand


async def test_crisis_help_is_counted_once_when_its_transaction_runs_again(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Someone in crisis, and in the same batch an answer that breaks (its transaction runs again
    without it): the crisis help goes out once, is counted once, and its log holds no words of theirs;
    the other person is told something went wrong."""
    from bot import metrics
    from bot.services import chat_service

    original = chat_service.respond

    def breaks_on_boom(state: Any, incoming: Any, turn: Any) -> Any:
        if incoming.text == "boom":
            raise RuntimeError("a bug in a flow")
        return original(state, incoming, turn)

    monkeypatch.setattr(chat_service, "respond", breaks_on_boom)
    other = fake_bot_api.new_user("Bea")
    counted = metrics.CRISIS_HELP.labels("suicide")
    before = counted._value.get()
    application = app_for(settings, repo)
    caplog.set_level("INFO")
    async with polling(application):
        in_one_batch(
            fake_bot_api,
            fake_bot_api.user_sends_text(fake_user, "I want to kill myself", deliver=False),
            fake_bot_api.user_sends_text(other, "boom", deliver=False),
        )
        await fake_bot_api.wait_for(
            lambda: (
                any("116 123" in m.text for m in fake_bot_api.sent_messages(fake_user.id))
                and any("went wrong" in m.text for m in fake_bot_api.sent_messages(other.id))
            ),
            timeout=10,
        )
        await asyncio.sleep(0.3)
    assert sum("116 123" in m.text for m in fake_bot_api.sent_messages(fake_user.id)) == 1
    assert counted._value.get() == before + 1
    logged = [record.getMessage() for record in caplog.records]
    assert "crisis help given: suicide" in logged
    assert not any("kill" in message or "boom" in message for message in logged)


async def test_what_follows_an_erasure_in_its_batch_leaves_nothing_of_the_erased_person(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, settings: Settings, repo: Repository
) -> None:
    """/delete confirmed, and a message right after it in the same batch: the erasure is finished
    (its "Done" sent, marked, and forgotten) before the person's next message makes them someone new,
    as when each update had its own transaction; nothing they said before the erasure stays."""
    application = app_for(settings, repo)

    def said(text: str) -> bool:
        return any(text in m.text for m in fake_bot_api.sent_messages(fake_user.id))

    async with polling(application):
        await answer(fake_bot_api, fake_user, "I live at 1 Acacia Road")
        await answer(fake_bot_api, fake_user, "/delete")
        in_one_batch(
            fake_bot_api,
            fake_bot_api.user_presses_button(
                fake_user, button_labelled(fake_bot_api, fake_user, "Yes, delete everything"), deliver=False
            ),
            fake_bot_api.user_sends_text(fake_user, "hello again", deliver=False),
        )
        await fake_bot_api.wait_for(lambda: said("I have deleted everything"), timeout=10)
        await asyncio.sleep(0.5)
    texts = [m.text for m in fake_bot_api.sent_messages(fake_user.id)]
    done_at = max(i for i, text in enumerate(texts) if "I have deleted everything" in text)
    assert done_at < len(texts) - 1  # "hello again" answered after it
    with repo.engine.connect() as connection:
        inbox = connection.execute(text("SELECT telegram_id, payload FROM inbox")).all()
        outbox = connection.execute(text("SELECT chat_id, reply FROM outbox")).all()
    assert not any("Acacia" in str(value) for row in [*inbox, *outbox] for value in row)
    assert not any("deleted everything" in str(reply) for _, reply in outbox)


async def test_a_message_while_an_erasure_s_done_is_being_sent_waits_for_it(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    settings: Settings,
    repo: Repository,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The person writes again while their erasure's "Done" is still on its way (a later batch): the
    message waits for the Done to be sent and forgotten, as on the usual path, instead of making
    them someone new first (the Done would then stay in the outbox, with their chat id)."""
    next_batch_in = asyncio.Event()

    async def slow_done(bot: Any, chat_id: int, replies: list[Reply]) -> None:
        if any("deleted everything" in reply.text for reply in replies):
            next_batch_in.set()
            await asyncio.sleep(0.5)  # Telegram slow to take it
        await send_replies(bot, chat_id, replies)

    monkeypatch.setattr("bot.telegram.on_receipt.send_replies", slow_done)
    application = app_for(settings, repo)

    def said(text: str) -> bool:
        return any(text in m.text for m in fake_bot_api.sent_messages(fake_user.id))

    async with polling(application):
        await answer(fake_bot_api, fake_user, "/start")
        await answer(fake_bot_api, fake_user, "/delete")
        fake_bot_api.user_presses_button(
            fake_user, button_labelled(fake_bot_api, fake_user, "Yes, delete everything")
        )
        await asyncio.wait_for(next_batch_in.wait(), 10)
        fake_bot_api.user_sends_text(fake_user, "hello again")
        await fake_bot_api.wait_for(lambda: said("I have deleted everything"), timeout=10)
        await fake_bot_api.wait_for(lambda: said("Which language"), timeout=10)
        await asyncio.sleep(0.3)
    with repo.engine.connect() as connection:
        outbox = connection.execute(text("SELECT chat_id, reply FROM outbox")).all()
    assert not any("deleted everything" in str(reply) for _, reply in outbox)
