"""Replies go out with exactly the fields `Bot.send_message` sends, without Telegram's answer being
parsed into a `Message` that nobody reads (with a keyboard, a tenth of a resident step's CPU)."""

from __future__ import annotations

import pytest
from support.fake_bot_api import FakeBotApi, FakeUser
from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import Forbidden, InvalidToken

from bot.telegram.outgoing import refused_for_good, send_replies
from flows.conversations.types import Button, Reply


async def test_a_reply_is_sent_as_send_message_would_send_it_and_the_answer_is_not_parsed(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = Reply("Who is your landlord? <yours>", ((Button("l:1", "Westlea"), Button("l:2", "Other")),))
    plain = Reply("Thanks.")
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as bot:
        await bot.send_message(fake_user.id, "via PTB", parse_mode="HTML", reply_markup=None)
        from bot.telegram.render import messages_for

        await bot.send_message(
            fake_user.id,
            messages_for(reply)[0].text,
            parse_mode="HTML",
            reply_markup=messages_for(reply)[0].keyboard,
        )

        def parsed(*_: object, **__: object) -> None:
            raise AssertionError("Telegram's answer was parsed into a Message")

        monkeypatch.setattr(Message, "de_json", parsed)

        def serialised_again(*_: object, **__: object) -> None:
            raise AssertionError("the keyboard was serialised again for this message")

        monkeypatch.setattr(InlineKeyboardMarkup, "to_dict", serialised_again)  # once per set of buttons
        await send_replies(bot, fake_user.id, [reply, plain])
    via_ptb, keyboard_via_ptb, ours, ours_plain = fake_bot_api.sent_messages(fake_user.id)
    assert (ours.text, ours.parse_mode, ours.buttons, ours.reply_markup) == (
        keyboard_via_ptb.text,
        keyboard_via_ptb.parse_mode,
        keyboard_via_ptb.buttons,
        keyboard_via_ptb.reply_markup,
    )
    assert ours.buttons == [("Westlea", "l:1"), ("Other", "l:2")]
    assert (ours_plain.text, ours_plain.parse_mode, ours_plain.reply_markup) == ("Thanks.", "HTML", None)
    assert via_ptb.reply_markup is None


async def test_a_blocked_chat_and_a_refused_token_are_still_refused_for_good(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    async with Bot(fake_bot_api.token, base_url=fake_bot_api.base_url) as bot:
        fake_bot_api.fail_next("sendMessage", 403)
        with pytest.raises(Forbidden) as blocked:
            await send_replies(bot, fake_user.id, [Reply("hello")])
        assert refused_for_good(blocked.value)
        fake_bot_api.fail_next("sendMessage", 401)
        with pytest.raises(InvalidToken) as refused:
            await send_replies(bot, fake_user.id, [Reply("hello")])
        assert refused_for_good(refused.value)
