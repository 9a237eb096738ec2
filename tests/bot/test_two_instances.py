"""Two bot instances answering one person alternately (a webhook behind a load balancer, or a
restart): the conversation lives in the database, so each update carries on where the other left
it; /back, /cancel and an older message's button behave as with one instance."""

from __future__ import annotations

from datetime import UTC, datetime

from support.journey import complaint

from bot.clock import ManualClock
from bot.services.chat_service import ChatService
from bot.settings import Settings
from bot.storage.repository import Repository
from flows.conversations.types import Incoming, Reply


def test_two_instances_alternately_lose_nothing_and_back_works(repo: Repository, settings: Settings) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    repositories = [repo, Repository.open(settings)]  # the fixture's database, upgraded; and a second
    services = [ChatService(repository, settings, clock) for repository in repositories]
    sent = 0
    replies: list[Reply] = []

    def send(incoming: Incoming | str) -> str:
        nonlocal sent, replies
        incoming = Incoming(text=incoming) if isinstance(incoming, str) else incoming
        replies = services[sent % 2].handle_telegram(4242, "en", incoming)  # each update to the other
        sent += 1
        text = "\n".join(reply.text for reply in replies)
        assert "something went wrong" not in text
        return text

    def choose(choice_id: str) -> str:
        data = next(
            b.data for r in replies for row in r.buttons for b in row if b.data.endswith(f":{choice_id}")
        )
        return send(Incoming(button=data))

    try:
        send("/start")
        choose("en")
        choose("resident")
        choose("ok")
        choose("new")
        old_nation = next(b.data for r in replies for row in r.buttons for b in row)
        for answer in complaint(evidence=()):
            if answer.choice is not None:
                choose(answer.choice)
            else:
                send(answer.text or "")
            if (answer.flow, answer.step) == ("complaint", "what_happened"):
                break
        text = send("/back")  # from "important dates", on the other instance
        assert "What happened?" in text and "Your answer so far: The kitchen ceiling" in text
        text = send(Incoming(button=old_nation))  # a button of the first question, long gone
        assert "That button belongs to an earlier question" in text and "What happened?" in text
        send("/cancel")
        send("/new")
        assert "What happened?" in choose("continue")
        with repositories[0].unit_of_work() as uow:
            user = uow.user_by_telegram_id(4242, "en")
            answers = uow.conversation(user.id).answers
        assert answers["landlord_name"] == "Riverside Housing"
        assert answers["full_name"] == "Amina Begum"
    finally:
        repositories[1].close()
