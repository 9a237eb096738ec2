"""The fake Telegram Bot API against the real PTB: the fake is only worth having if PTB takes it for Telegram.

What PTB retries by itself (python-telegram-bot 22):
- The polling loop (`Updater.start_polling`) retries getUpdates forever: after RetryAfter it waits
  retry_after + 0.5 s, after any other TelegramError (a 500 is a NetworkError) 1 s, growing to 30 s.
- `AIORateLimiter(max_retries=N)` retries a bot method N times after RetryAfter only (retry_after + 0.1 s).
- Nothing else: without a rate limiter a RetryAfter reaches the caller, and so does a 500 in any case.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from support.fake_bot_api import FakeBotApi, FakeUser, UploadedFile, html_to_text, polling

App = Application[Any, Any, Any, Any, Any, Any]

MENU = InlineKeyboardMarkup(
    [[InlineKeyboardButton("Yes", callback_data="yes"), InlineKeyboardButton("No", callback_data="no")]]
)


def echo_bot(
    fake: FakeBotApi, *, update_ids: list[int] | None = None, downloads: list[bytes] | None = None
) -> App:
    """/start shows a menu, a press is answered and edits the menu, text is echoed, documents fetched.

    The handlers append what they saw to `update_ids` (texts) and `downloads` (documents' bytes).
    """
    app = fake.application_builder().build()
    update_ids = [] if update_ids is None else update_ids
    downloads = [] if downloads is None else downloads

    async def start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Is your complaint about repairs?", reply_markup=MENU)

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        update_ids.append(update.update_id)
        await update.message.reply_text(update.message.text)

    async def pressed(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Noted")
        await query.edit_message_text(f"You chose {query.data}")  # no reply_markup: the keyboard goes

    async def document(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.document is not None
        file = await update.message.document.get_file()
        downloads.append(bytes(await file.download_as_bytearray()))
        await update.message.reply_text(f"Got {update.message.document.file_name}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    return app


def bare_bot(fake: FakeBotApi) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


# --- the bot in a conversation ------------------------------------------------------------------


async def test_a_text_is_echoed_through_long_polling(fake_bot_api: FakeBotApi, fake_user: FakeUser) -> None:
    fake = fake_bot_api
    async with polling(echo_bot(fake)):
        fake.user_sends_text(fake_user, "There is damp in my flat")
        replies = await fake.wait_for(lambda: fake.sent_messages(fake_user.id))

    assert [m.text for m in replies] == ["There is damp in my flat"]
    # PTB's start-up as against Telegram: getMe (initialize), deleteWebhook (polling's bootstrap), long polls.
    assert [c.method for c in fake.calls()][:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert fake.calls("getUpdates")[0].params["timeout"] == 10


async def test_a_button_press_reaches_the_callback_handler_and_is_answered(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    async with polling(echo_bot(fake)):
        fake.user_sends_text(fake_user, "/start")
        [menu] = await fake.wait_for(lambda: fake.sent_messages(fake_user.id))
        assert menu.buttons == [("Yes", "yes"), ("No", "no")]

        press = fake.user_presses_button(fake_user, "yes")
        await fake.wait_for(lambda: fake.calls("editMessageText"))

    [answer] = fake.calls("answerCallbackQuery")
    assert answer.ok
    assert answer.params == {"callback_query_id": press["callback_query"]["id"], "text": "Noted"}
    edited = fake.message(fake_user.id, menu.message_id)
    assert edited is not None and edited["text"] == "You chose yes"
    assert "reply_markup" not in edited  # an edit without reply_markup drops the keyboard, as on Telegram
    with pytest.raises(LookupError, match="has no button 'no'"):
        fake.user_presses_button(fake_user, "no", message_id=menu.message_id)  # no longer on screen


async def test_a_document_from_the_user_is_downloaded_with_the_same_bytes(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    letter = bytes(range(256)) * 64  # binary, not UTF-8: nothing on the way may decode it
    downloads: list[bytes] = []
    async with polling(echo_bot(fake, downloads=downloads)):
        fake.user_sends_document(fake_user, "landlord-letter.pdf", letter, "application/pdf")
        [reply] = await fake.wait_for(lambda: fake.sent_messages(fake_user.id))

    assert downloads == [letter]
    assert reply.text == "Got landlord-letter.pdf"


async def test_a_document_the_bot_uploads_arrives_with_its_bytes(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    timeline = b'{"state": "declined"}\n'
    async with bare_bot(fake) as bot:
        sent = await bot.send_document(
            fake_user.id,
            document=timeline,
            filename="timeline.json",
            caption="Your <b>timeline</b>",
            parse_mode=ParseMode.HTML,
        )
        assert sent.document is not None
        # Telegram's answer is what PTB hands back, so the bot can fetch its own upload again.
        again = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()

    [document] = fake.sent_documents(fake_user.id)
    assert (document.filename, document.mime_type, document.data) == (
        "timeline.json",
        "application/json",
        timeline,
    )
    assert document.caption == "Your <b>timeline</b>"
    assert sent.caption == "Your timeline"  # Telegram returns the text without markup
    assert bytes(again) == timeline


async def test_photos_and_media_groups_are_uploaded_as_multipart(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        photo = await bot.send_photo(fake_user.id, photo=b"\xff\xd8 jpeg bytes", caption="Mould")
        group = await bot.send_media_group(
            fake_user.id,
            [InputMediaDocument(b"first", filename="a.txt"), InputMediaDocument(b"second", filename="b.txt")],
        )

    assert photo.photo[-1].width == 1280
    assert photo.caption == "Mould"
    assert len({m.media_group_id for m in group}) == 1
    # PTB sends each file as its own part, named by an attach:// URI in the JSON `media`: both resolved.
    [call] = fake.calls("sendMediaGroup")
    assert [m["media"] for m in call.params["media"]] == [
        UploadedFile("a.txt", "text/plain", b"first"),
        UploadedFile("b.txt", "text/plain", b"second"),
    ]


async def test_every_kind_of_user_message_is_an_update_ptb_understands(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    built = {
        "text": fake.user_sends_text(fake_user, "/start", deliver=False),
        "photo": fake.user_sends_photo(fake_user, b"jpeg", deliver=False),
        "voice": fake.user_sends_voice(fake_user, b"ogg", duration=7, deliver=False),
        "sticker": fake.user_sends_sticker(fake_user, deliver=False),
        "location": fake.user_sends_location(fake_user, 51.5, -0.12, deliver=False),
        "video": fake.user_sends_video(fake_user, deliver=False),
    }
    async with bare_bot(fake) as bot:
        updates = {kind: Update.de_json(update, bot) for kind, update in built.items()}
        voice = updates["voice"].message
        assert voice is not None and voice.voice is not None
        voice_bytes = await (await voice.voice.get_file()).download_as_bytearray()
        assert await bot.get_updates(timeout=0) == ()  # deliver=False: built, not queued

    assert filters.COMMAND.check_update(updates["text"])
    assert filters.PHOTO.check_update(updates["photo"])
    assert filters.VOICE.check_update(updates["voice"])
    assert filters.Sticker.ALL.check_update(updates["sticker"])
    assert filters.LOCATION.check_update(updates["location"])
    assert filters.VIDEO.check_update(updates["video"])
    assert [u.update_id for u in updates.values()] == sorted({u.update_id for u in updates.values()})
    assert bytes(voice_bytes) == b"ogg"
    assert updates["text"].effective_user is not None and updates["text"].effective_user.language_code == "en"


async def test_a_redelivered_update_reaches_the_handler_twice(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    # PTB does not deduplicate update_ids: a bot that must not act twice has to remember them itself.
    fake = fake_bot_api
    update_ids: list[int] = []
    async with polling(echo_bot(fake, update_ids=update_ids)):
        update = fake.user_sends_text(fake_user, "Escalate to stage 2")
        await fake.wait_for(lambda: fake.sent_messages(fake_user.id))
        fake.deliver(update)
        await fake.wait_for(lambda: len(fake.sent_messages(fake_user.id)) == 2)

    assert update_ids == [update["update_id"]] * 2


# --- errors and retries --------------------------------------------------------------------------


async def test_the_polling_loop_retries_get_updates_after_429_and_500_by_itself(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PTB_TIMEDELTA", "1"
    )  # opt in to PTB's timedelta retry_after (else a deprecation warning)
    fake = fake_bot_api
    fake.fail_next("getUpdates", 429, retry_after=0.01)
    fake.fail_next("getUpdates", 500)
    fake.user_sends_text(fake_user, "Anyone there?")
    async with polling(echo_bot(fake)):
        await fake.wait_for(lambda: fake.sent_messages(fake_user.id))

    assert [c.status for c in fake.calls("getUpdates")][:3] == [429, 500, 200]


async def test_the_rate_limiter_retries_429_but_a_500_reaches_the_caller(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake = fake_bot_api
    fake.fail_next("sendMessage", 429, retry_after=0.01)
    fake.fail_next("sendMessage", 500)
    app = fake.application_builder().rate_limiter(AIORateLimiter(max_retries=3)).build()
    async with app:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await app.bot.send_message(fake_user.id, "Your deadline is in 5 working days")
        await app.bot.send_message(
            fake_user.id, "Your deadline is in 5 working days"
        )  # the caller's own retry

    assert [c.status for c in fake.calls("sendMessage")] == [429, 500, 200]
    assert fake.calls("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 0.01",
        "parameters": {"retry_after": 0.01},
    }


async def send_honouring_retry_after(bot: Bot, chat_id: int, text: str, attempts: int = 3) -> Message:
    """How a caller without AIORateLimiter honours RetryAfter (with PTB_TIMEDELTA, a timedelta)."""
    for _ in range(attempts - 1):
        try:
            return await bot.send_message(chat_id, text)
        except RetryAfter as exc:
            wait = exc.retry_after
            await asyncio.sleep(wait.total_seconds() if isinstance(wait, dtm.timedelta) else wait)
    return await bot.send_message(chat_id, text)


async def test_without_a_rate_limiter_retry_after_reaches_the_caller(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake = fake_bot_api
    fake.fail_next("sendMessage", 429, retry_after=0.01, times=2)
    async with bare_bot(fake) as bot:
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(fake_user.id, "hello")
        assert raised.value.retry_after == dtm.timedelta(seconds=0.01)
        sent = await send_honouring_retry_after(bot, fake_user.id, "hello")

    assert sent.text == "hello"
    assert [c.status for c in fake.calls("sendMessage")] == [429, 429, 200]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"text": "x" * 4097}, "message is too long"),
        ({"text": "   "}, "message text is empty"),
        (
            {
                "text": "Pick",
                "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x" * 65)]]),
            },
            "BUTTON_DATA_INVALID",
        ),
        (  # 33 characters but 66 bytes: the limit is in bytes
            {
                "text": "Pick",
                "reply_markup": InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="é" * 33)]]),
            },
            "BUTTON_DATA_INVALID",
        ),
        ({"text": "<b>bold</i>", "parse_mode": ParseMode.HTML}, "can't parse entities: Unmatched end tag"),
        (
            {"text": "rent < £100", "parse_mode": ParseMode.HTML},
            'can\'t parse entities: Unsupported start tag ""',
        ),
    ],
)
async def test_telegram_rejects_what_it_would_reject(
    fake_bot_api: FakeBotApi, fake_user: FakeUser, kwargs: dict[str, Any], error: str
) -> None:
    async with bare_bot(fake_bot_api) as bot:
        # PTB drops "Bad Request: " and capitalises the rest ("Button_data_invalid"), hence (?i).
        with pytest.raises(BadRequest, match=f"(?i){error}"):
            await bot.send_message(fake_user.id, **kwargs)


async def test_limits_are_inclusive_and_count_what_the_user_sees(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    longest_data = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="x" * 64)]])
    async with bare_bot(fake_bot_api) as bot:
        await bot.send_message(fake_user.id, "x" * 4096, reply_markup=longest_data)
        sent = await bot.send_message(fake_user.id, f"<b>{'x' * 4096}</b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("x" * 4096, chat_id=fake_user.id, message_id=sent.message_id)

    assert sent.text == "x" * 4096


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "bold & it"),
        ('<a href="https://www.housing-ombudsman.org.uk">Ombudsman</a>', "Ombudsman"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ('<pre><code class="language-json">{"a": 1}</code></pre>', '{"a": 1}'),
        ("fish & chips &nbsp; &#163;5 > &lt;4", "fish & chips &nbsp; £5 > <4"),
    ],
)
def test_html_that_telegram_accepts(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<h1>x</h1>", 'Unsupported start tag "h1" at byte offset 0'),
        ("£1 < 2 > 1", 'Unsupported start tag "" at byte offset 4'),  # byte offsets: £ is 2 bytes
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<span>x</span>", 'Unsupported start tag "span"'),
        ("1 <b", "Unclosed start tag at byte offset 2"),
        ("<b>1</b 2>", "Unclosed end tag at byte offset 4"),
    ],
)
def test_html_that_telegram_rejects(markup: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{reason}"):
        html_to_text(markup)


async def test_a_wrong_token_is_an_invalid_token(fake_bot_api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake_bot_api.base_url):
            pass


# --- getUpdates, webhooks, commands --------------------------------------------------------------


async def test_a_long_poll_answers_as_soon_as_an_update_exists(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        assert await bot.get_updates(timeout=dtm.timedelta(milliseconds=50)) == ()  # [] after the timeout
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await fake.wait_for(lambda: fake.polls_held)  # the fake holds the poll open ...
        fake.user_sends_text(fake_user, "hi")  # ... until an update exists
        updates = await asyncio.wait_for(poll, 10)  # a bound on a hang, not a timing assertion

    assert [u.message.text for u in updates if u.message] == ["hi"]


async def test_get_updates_honours_offset_and_allowed_updates(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    fake = fake_bot_api
    async with bare_bot(fake) as bot:
        await bot.send_message(fake_user.id, "Pick", reply_markup=MENU)
        fake.user_sends_text(fake_user, "one")
        fake.user_presses_button(fake_user, "no")

        first = await bot.get_updates(timeout=0)
        assert [u.update_id for u in await bot.get_updates(timeout=0)] == [
            u.update_id for u in first
        ]  # unconfirmed
        only_messages = await bot.get_updates(timeout=0, allowed_updates=["message"])
        fake.user_sends_text(fake_user, "two")
        after = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)  # confirms the first two

    assert [bool(u.callback_query) for u in first] == [False, True]
    assert [u.message.text for u in only_messages if u.message] == ["one"]
    assert [u.message.text for u in after if u.message] == ["two"]


async def test_get_updates_conflicts_with_a_webhook(fake_bot_api: FakeBotApi) -> None:
    async with bare_bot(fake_bot_api) as bot:
        await bot.set_webhook("https://fairsay.example/telegram", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://fairsay.example/telegram"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()

    [call] = fake_bot_api.calls("setWebhook")
    assert call.params == {"url": "https://fairsay.example/telegram", "secret_token": "s3cret"}


async def test_commands_are_kept_per_language(fake_bot_api: FakeBotApi) -> None:
    async with bare_bot(fake_bot_api) as bot:
        await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("deadlines", "My deadlines")])
        await bot.set_my_commands([BotCommand("start", "Dechrau")], language_code="cy")
        default = await bot.get_my_commands()
        welsh = await bot.get_my_commands(language_code="cy")

    assert [(c.command, c.description) for c in default] == [
        ("start", "Begin"),
        ("deadlines", "My deadlines"),
    ]
    assert [c.description for c in welsh] == ["Dechrau"]


async def test_unknown_methods_are_recorded_and_answered_true(
    fake_bot_api: FakeBotApi, fake_user: FakeUser
) -> None:
    async with bare_bot(fake_bot_api) as bot:
        assert await bot.set_my_description("Helps you complain to your landlord") is True
        assert await bot.send_chat_action(fake_user.id, "typing") is True

    [call] = fake_bot_api.calls("setMyDescription")
    assert call.params == {"description": "Helps you complain to your landlord"}


# --- life cycle ----------------------------------------------------------------------------------


async def test_stopping_is_clean(
    fake_bot_api: FakeBotApi,
    fake_user: FakeUser,
    recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    fake = fake_bot_api
    async with polling(echo_bot(fake)):
        fake.user_sends_text(fake_user, "hello")
        await fake.wait_for(lambda: fake.sent_messages(fake_user.id))

    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert [str(w.message) for w in recwarn] == []
    assert [r.getMessage() for r in caplog.records] == []
    # PTB's last call confirms what it processed, so a restarted bot would not see it again.
    last = fake.calls("getUpdates")[-1]
    assert (last.params["timeout"], last.result) == (0, [])


def test_a_bot_in_another_process_reaches_the_fake(fake_bot_api: FakeBotApi, fake_user: FakeUser) -> None:
    script = textwrap.dedent(
        """
        import asyncio, sys
        from telegram import Bot

        async def main(token, base_url, chat_id):
            async with Bot(token, base_url=base_url) as bot:
                await bot.send_message(int(chat_id), "Hello from another process")

        asyncio.run(main(*sys.argv[1:]))
        """
    )
    bot = subprocess.Popen(
        [sys.executable, "-c", script, fake_bot_api.token, fake_bot_api.base_url, str(fake_user.id)]
    )
    try:
        [message] = fake_bot_api.wait_for_sync(lambda: fake_bot_api.sent_messages(fake_user.id), timeout=30)
    finally:
        assert bot.wait(timeout=30) == 0
    assert message.text == "Hello from another process"


def test_wait_for_sync_refuses_to_block_a_running_loop(fake_bot_api: FakeBotApi) -> None:
    async def blocking() -> None:
        fake_bot_api.wait_for_sync(lambda: True)

    with pytest.raises(AssertionError, match="await wait_for"):
        asyncio.run(blocking())
