"""A fake Telegram Bot API server on 127.0.0.1, so tests drive the real PTB `Application` end to end.

The server is an aiohttp app in a background thread with its own event loop: an async test runs the
bot in its own loop while the fake answers from the thread, and a sync test can point a bot in a
subprocess at `fake.base_url`. It speaks the Bot API's URL shape (`POST /bot<token>/<method>`, file
downloads at `GET /file/bot<token>/<path>`) and answers `{"ok": ..., "result": ...}` like Telegram.

Registered as a pytest plugin by tests/conftest.py: the fixtures are `fake_bot_api` and `fake_user`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import html
import itertools
import json
import re
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import pytest
from aiohttp import web

if TYPE_CHECKING:
    from telegram.ext import Application
    from telegram.ext._applicationbuilder import InitApplicationBuilder

JSONDict = dict[str, Any]
T = TypeVar("T")

MAX_TEXT_LENGTH = 4096  # characters after entity parsing
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

# PTB sends every non-string value JSON-encoded in a form field, strings as they are (see
# telegram/request/_requestparameter.py). These are free text, so "42" or "true" must stay strings.
_TEXT_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "callback_query_id", "file_id", "url", "action", "title",
        "description", "short_description", "query", "emoji", "language_code", "secret_token",
        "inline_message_id", "business_connection_id", "message_effect_id", "name", "question",
        "explanation", "first_name", "last_name", "address", "document", "photo", "video", "audio",
        "voice", "sticker", "animation", "thumbnail",
    }
)  # fmt: skip

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

# Where Telegram keeps each kind of file, for realistic `file_path`s.
_FILE_FOLDERS = {
    "document": "documents",
    "photo": "photos",
    "voice": "voice",
    "sticker": "stickers",
    "video": "videos",
}

# Any one of these makes an inline button do something; a button with none is rejected.
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
    }
)  # fmt: skip


# --- what the tests see --------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user who talks to the bot in a private chat (whose id is the user's id)."""

    id: int
    first_name: str
    language_code: str = "en"
    last_name: str | None = None
    username: str | None = None

    def to_dict(self) -> JSONDict:
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if (value := getattr(self, key)) is not None:
                user[key] = value
        return user

    def chat(self) -> JSONDict:
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name is not None:
            chat["last_name"] = self.last_name
        if self.username is not None:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Call:
    """One request the bot made: parameters decoded (JSON values parsed, uploads as UploadedFile)."""

    method: str
    params: JSONDict
    status: int
    response: JSONDict

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        return self.response.get("result")


@dataclass(frozen=True)
class SentMessage:
    """A text message the bot sent, as it sent it (markup included in `text`)."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    buttons: list[tuple[str, str | None]]  # the inline keyboard row by row: (text, callback_data)
    reply_markup: JSONDict | None


@dataclass(frozen=True)
class SentDocument:
    chat_id: int
    message_id: int
    filename: str
    mime_type: str
    data: bytes
    caption: str | None


class ApiError(Exception):
    """An error answer, shaped as Telegram's: `{"ok": false, "error_code", "description", ...}`."""

    def __init__(self, status: int, description: str | None = None, parameters: JSONDict | None = None):
        self.status = status
        self.description = description or _DEFAULT_DESCRIPTIONS.get(status, "Error")
        self.parameters = parameters
        super().__init__(f"{status} {self.description}")

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


# --- Telegram-style HTML ------------------------------------------------------------------------

_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote",
     "tg-spoiler", "span", "tg-emoji"}
)  # fmt: skip
_HTML_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_HTML_NAME_END = re.compile(r"[\s>]|$")


def html_to_text(markup: str) -> str:
    """The text a user sees for `parse_mode=HTML`, or ValueError with Telegram's reason.

    Follows Telegram's parser in outline: every `<` starts a tag (so a bare `<` is an error), only
    its tags, balanced and properly nested; an `&` that is no entity stays as it is.
    """
    out: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(markup):
        char = markup[i]
        if char == "&" and (entity := _HTML_ENTITY.match(markup, i)):
            out.append(html.unescape(entity.group()))
            i = entity.end()
            continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        offset = len(markup[:i].encode())
        closing = markup.startswith("/", i + 1)
        name_start = i + 2 if closing else i + 1
        name_end = _HTML_NAME_END.search(markup, name_start)  # always matches: `$` at the latest
        name = markup[name_start : name_end.start() if name_end else len(markup)].lower()
        if not closing and name_start + len(name) < len(markup) and name not in _HTML_TAGS:
            raise ValueError(f'Unsupported start tag "{name}" at byte offset {offset}')
        tag_end = markup.find(">", name_start)
        if tag_end == -1 or (closing and markup[name_start + len(name) : tag_end].strip()):
            raise ValueError(f"Unclosed {'end' if closing else 'start'} tag at byte offset {offset}")
        if closing:
            if not open_tags:
                raise ValueError(f"Unexpected end tag at byte offset {offset}")
            if open_tags[-1] != name:
                raise ValueError(
                    f'Unmatched end tag at byte offset {offset}, expected "</{open_tags[-1]}>", found "</{name}>"'
                )
            open_tags.pop()
        else:
            attributes = markup[name_start + len(name) : tag_end]
            if name == "span" and "tg-spoiler" not in attributes:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {offset}')
            open_tags.append(name)
        i = tag_end + 1
    if open_tags:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def _visible_text(text: str, parse_mode: Any) -> str:
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        try:
            return html_to_text(text)
        except ValueError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    return text  # Markdown is not checked


# --- the fake ------------------------------------------------------------------------------------


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    filename: str | None
    mime_type: str


@dataclass
class _Pending:
    update: JSONDict
    redelivery: bool  # handed out once regardless of `offset`, then dropped


@dataclass
class _Fault:
    status: int
    description: str | None
    parameters: JSONDict | None = field(default=None)


@dataclass
class _Flaky:
    too_many: float
    server_error: float
    answer_lost: float
    retry_after: float
    random: Any


class FakeBotApi:
    """The fake server and its state. `start()`/`stop()`, or use it as a context manager."""

    def __init__(
        self,
        token: str = "123:TEST",
        *,
        clock: Callable[[], float] = time.time,
        first_user_id: int = 10_001,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self._clock = clock
        bot_id = int(token.split(":", 1)[0])
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Fair Say Test",
            "username": "fairsay_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._lock = threading.RLock()
        self._listeners: set[Callable[[], object]] = set()
        self._calls: list[Call] = []
        self._call_counts: dict[str, int] = defaultdict(int)  # by lower-case method: cheap to poll
        self._pending: list[_Pending] = []
        self._handed_out: set[int] = set()
        self._update_ids = itertools.count(first_update_id)
        self._allowed_updates: list[str] | None = None
        self._webhook: JSONDict | None = None
        self._commands: dict[str, Any] = {}
        self._users: dict[int, FakeUser] = {}
        self._user_ids = itertools.count(first_user_id)  # distinct per fake when several share a database
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._message_ids: defaultdict[int, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._files: dict[str, _StoredFile] = {}
        self._file_numbers = itertools.count(1)
        self._callback_query_ids: set[str] = set()
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self._flaky: dict[str, _Flaky] = {}
        self._polls_held = 0
        self._closing = False
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self.port = 0
        self._methods: dict[str, Callable[[JSONDict], Any]] = {
            "getme": lambda _params: self.bot_user,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "sendchataction": lambda _params: True,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "sendmediagroup": self._send_media_group,
            "getfile": self._get_file,
        }

    # --- life cycle ---

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def application_builder(self) -> InitApplicationBuilder:
        """An `ApplicationBuilder` with the token and both URLs set: add handlers, `.build()`."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder().token(self.token).base_url(self.base_url).base_file_url(self.base_file_url)
        )

    def start(self) -> FakeBotApi:
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._serve(ready)), name="fake-bot-api", daemon=True
        )  # daemon: a fake someone forgot to stop cannot hold the interpreter open
        self._thread.start()
        ready.result(timeout=10)
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        with self._lock:
            self._closing = True  # long polls answer [] at once instead of holding the shutdown
        self._notify()
        if self._loop is not None and self._stop_event is not None:
            self._loop.call_soon_threadsafe(self._stop_event.set)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _serve(self, ready: concurrent.futures.Future[None]) -> None:
        try:
            self._loop = asyncio.get_running_loop()
            self._stop_event = asyncio.Event()
            app = web.Application(client_max_size=50 * 1024 * 1024)  # Telegram's upload limit for bots
            app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
            app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_download)
            # handler_cancellation: a long poll the bot gave up on (PTB cancels it when stopping) ends now.
            runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
            await runner.setup()
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))  # a free port, chosen by the OS
            self.port = sock.getsockname()[1]
            await web.SockSite(runner, sock).start()
        except BaseException as exc:
            ready.set_exception(exc)
            raise
        ready.set_result(None)
        try:
            await self._stop_event.wait()
        finally:
            await runner.cleanup()

    # --- HTTP ---

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401)  # PTB raises InvalidToken
            if fault := self._take_fault(method) or self._random_fault(method):
                raise ApiError(fault.status, fault.description, fault.parameters)
            if method.lower() == "getupdates":
                result = await self._get_updates(params)
            else:
                with self._lock:
                    result = self._dispatch(method, params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.status, error.body()
        self._record(Call(method, params, status, body))
        if status == 200 and self._drops_answer(method):
            assert request.transport is not None
            request.transport.close()  # done, but the bot never hears so (it will send again)
        return web.json_response(body, status=status)

    async def _handle_download(self, request: web.Request) -> web.Response:
        path = request.match_info["file_path"]
        with self._lock:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
        if request.match_info["token"] != self.token or stored is None:
            raise web.HTTPNotFound()
        return web.Response(body=stored.data, content_type=stored.mime_type)

    def _dispatch(self, method: str, params: JSONDict) -> Any:
        if isinstance(markup := params.get("reply_markup"), dict):
            _check_inline_keyboard(markup)
        handler = self._methods.get(method.lower())
        return handler(params) if handler else True  # unknown methods: recorded, answered `true`

    # --- recording and waiting ---

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            self._call_counts[call.method.lower()] += 1
        self._notify()

    def _notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    @contextlib.contextmanager
    def _listening(self, listener: Callable[[], object]) -> Iterator[None]:
        with self._lock:
            self._listeners.add(listener)
        try:
            yield
        finally:
            with self._lock:
                self._listeners.discard(listener)

    def count(self, method: str) -> int:
        """How many requests were made to `method` (O(1): for benchmarks and tight waits)."""
        with self._lock:
            return self._call_counts[method.lower()]

    def calls(self, method: str | None = None) -> list[Call]:
        """Every request in order (faulted and rejected ones too), or only those to `method`."""
        with self._lock:
            return [c for c in self._calls if method is None or c.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int) -> list[SentMessage]:
        """The texts the bot sent to `chat_id` with `sendMessage`, in order, as sent."""
        sent = []
        for call in self.calls("sendMessage"):
            if call.ok and call.result["chat"]["id"] == chat_id:
                markup = call.params.get("reply_markup")
                sent.append(
                    SentMessage(
                        chat_id=chat_id,
                        message_id=call.result["message_id"],
                        text=call.params["text"],
                        parse_mode=call.params.get("parse_mode"),
                        buttons=_buttons(markup),
                        reply_markup=markup if isinstance(markup, dict) else None,
                    )
                )
        return sent

    def sent_documents(self, chat_id: int) -> list[SentDocument]:
        """The documents the bot sent to `chat_id` with `sendDocument`, with their bytes."""
        sent = []
        for call in self.calls("sendDocument"):
            if call.ok and call.result["chat"]["id"] == chat_id:
                document = call.result["document"]
                with self._lock:
                    stored = self._files[document["file_id"]]
                sent.append(
                    SentDocument(
                        chat_id=chat_id,
                        message_id=call.result["message_id"],
                        filename=document.get("file_name", ""),
                        mime_type=document["mime_type"],
                        data=stored.data,
                        caption=call.params.get("caption"),
                    )
                )
        return sent

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A message as Telegram holds it now (after edits), or None if deleted or never sent."""
        with self._lock:
            return self._messages.get((chat_id, message_id))

    # The timeout is ours, not asyncio.timeout's, so a miss can list what the bot did call.
    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Await until `predicate()` is truthy and return its value; woken by each request, no polling."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the test's loop may already be closed
                loop.call_soon_threadsafe(changed.set)

        with self._listening(wake):
            try:
                async with asyncio.timeout(timeout):
                    while True:
                        changed.clear()
                        if result := predicate():
                            return result
                        await changed.wait()
            except TimeoutError:
                raise TimeoutError(self._not_met(timeout)) from None

    def wait_for_sync(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """`wait_for` for synchronous tests (e.g. a bot in a subprocess). Blocks this thread."""
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop()
            raise AssertionError("wait_for_sync would block the bot running in this loop: await wait_for")
        changed = threading.Event()
        deadline = time.monotonic() + timeout
        with self._listening(changed.set):
            while True:
                changed.clear()
                if result := predicate():
                    return result
                if not changed.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError(self._not_met(timeout))

    def _not_met(self, timeout: float) -> str:
        seen = [f"{c.method} {c.status} {_brief(c.params)}" for c in self.calls() if c.method != "getUpdates"]
        return f"condition not met within {timeout}s; the bot's calls so far:\n  " + "\n  ".join(seen)

    # --- fault injection ---

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: float = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with an error, after any faults already queued.

        429 carries `parameters.retry_after` as Telegram does (PTB raises RetryAfter). Telegram only
        sends whole seconds; a fraction here keeps retry tests fast.
        """
        parameters = None
        if status == 429:
            parameters = {"retry_after": retry_after}
            description = description or f"Too Many Requests: retry after {retry_after}"
        with self._lock:
            for _ in range(times):
                self._faults[method.lower()].append(_Fault(status, description, parameters))

    def fail_randomly(
        self,
        method: str,
        *,
        too_many: float = 0.0,
        server_error: float = 0.0,
        answer_lost: float = 0.0,
        retry_after: float = 0.2,
        seed: int = 16,
    ) -> None:
        """From now on, calls to `method` are answered 429 with probability `too_many`, 500 with
        `server_error`; of those that succeed, a share `answer_lost` is carried out but the connection
        drops before the answer (as a network fault after delivery). Seeded: the same run each time."""
        import random

        with self._lock:
            self._flaky[method.lower()] = _Flaky(
                too_many, server_error, answer_lost, retry_after, random.Random(seed)
            )

    def _random_fault(self, method: str) -> _Fault | None:
        with self._lock:
            flaky = self._flaky.get(method.lower())
            if flaky is None:
                return None
            draw = flaky.random.random()
        if draw < flaky.too_many:
            return _Fault(
                429, f"Too Many Requests: retry after {flaky.retry_after}", {"retry_after": flaky.retry_after}
            )
        if draw < flaky.too_many + flaky.server_error:
            return _Fault(500, "Internal Server Error")
        return None

    def _drops_answer(self, method: str) -> bool:
        with self._lock:
            flaky = self._flaky.get(method.lower())
            return flaky is not None and flaky.random.random() < flaky.answer_lost

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            faults = self._faults[method.lower()]
            return faults.popleft() if faults else None

    # --- the user's side ---

    def new_user(
        self, first_name: str = "Alice", *, language_code: str = "en", username: str | None = None
    ) -> FakeUser:
        with self._lock:
            user = FakeUser(next(self._user_ids), first_name, language_code, username=username)
            self._users[user.id] = user
        return user

    def user_sends_text(self, user: FakeUser, text: str, *, deliver: bool = True) -> JSONDict:
        """A message update; a leading /command gets its bot_command entity, so CommandHandler sees it."""
        content: JSONDict = {"text": text}
        if command := re.match(r"/[A-Za-z0-9_]+(@\w+)?", text):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return self._user_message(user, content, deliver)

    def user_presses_button(
        self,
        user: FakeUser,
        callback_data: str,
        *,
        message_id: int | None = None,
        strict: bool = True,
        deliver: bool = True,
    ) -> JSONDict:
        """A callback_query from a button on a message the bot sent to the user.

        Without `message_id`, the newest such message with that button. `strict=False` lets the user
        press a button the message does not show (a stale or forged client).
        """
        with self._lock:
            self._users.setdefault(user.id, user)
            if message_id is None:
                ids = [
                    mid for (chat, mid), m in self._messages.items() if chat == user.id and _is_from_bot(m)
                ]
                found = [
                    mid
                    for mid in sorted(ids)
                    if callback_data in _callback_datas(self._messages[(user.id, mid)])
                ]
                if not found:
                    raise LookupError(f"no message the bot sent to {user.id} has a button {callback_data!r}")
                message_id = found[-1]
            message = self._messages.get((user.id, message_id))
            if message is None or not _is_from_bot(message):
                raise LookupError(f"the bot sent no message {message_id} to {user.id} (or deleted it)")
            if strict and callback_data not in _callback_datas(message):
                raise LookupError(
                    f"message {message_id} has no button {callback_data!r}; it has {_buttons(message.get('reply_markup'))}"
                )
            query_id = f"{user.id}-{len(self._callback_query_ids) + 1}"
            self._callback_query_ids.add(query_id)
            query = {
                "id": query_id,
                "from": user.to_dict(),
                "message": message,
                "chat_instance": f"instance-{user.id}",
                "data": callback_data,
            }
            return self._new_update({"callback_query": query}, deliver)

    def user_sends_document(
        self,
        user: FakeUser,
        filename: str,
        data: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        deliver: bool = True,
    ) -> JSONDict:
        with self._lock:
            stored = self._store_file("document", data, filename, mime_type)
            content: JSONDict = {"document": _document(stored)}
            if caption is not None:
                content["caption"] = caption
            return self._user_message(user, content, deliver)

    def user_sends_photo(
        self,
        user: FakeUser,
        data: bytes,
        *,
        width: int = 1280,
        height: int = 960,
        caption: str | None = None,
        deliver: bool = True,
    ) -> JSONDict:
        """Two sizes as Telegram sends (a thumbnail, then the full photo); both serve `data`."""
        with self._lock:
            content: JSONDict = {"photo": self._photo_sizes(data, width, height)}
            if caption is not None:
                content["caption"] = caption
            return self._user_message(user, content, deliver)

    def user_sends_voice(
        self, user: FakeUser, data: bytes = b"OggS fake voice", *, duration: int = 3, deliver: bool = True
    ) -> JSONDict:
        with self._lock:
            stored = self._store_file("voice", data, None, "audio/ogg")
            voice = {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}
            return self._user_message(user, {"voice": voice}, deliver)

    def user_sends_sticker(self, user: FakeUser, *, emoji: str = "👍", deliver: bool = True) -> JSONDict:
        with self._lock:
            stored = self._store_file("sticker", b"RIFF fake WEBP", None, "image/webp")
            sticker = {
                **_file_fields(stored),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
            }
            return self._user_message(user, {"sticker": sticker}, deliver)

    def user_sends_location(
        self, user: FakeUser, latitude: float, longitude: float, *, deliver: bool = True
    ) -> JSONDict:
        return self._user_message(user, {"location": {"latitude": latitude, "longitude": longitude}}, deliver)

    def user_sends_video(
        self,
        user: FakeUser,
        data: bytes = b"fake mp4",
        *,
        duration: int = 5,
        caption: str | None = None,
        deliver: bool = True,
    ) -> JSONDict:
        with self._lock:
            stored = self._store_file("video", data, "video.mp4", "video/mp4")
            video = {**_document(stored), "width": 640, "height": 360, "duration": duration}
            content: JSONDict = {"video": video}
            if caption is not None:
                content["caption"] = caption
            return self._user_message(user, content, deliver)

    def deliver(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates. One queued before is handed out again with the same
        update_id, as Telegram does when a bot restarts before confirming it (PTB does not dedupe)."""
        with self._lock:
            redelivery = update["update_id"] in self._handed_out or any(
                p.update["update_id"] == update["update_id"] for p in self._pending
            )
            self._pending.append(_Pending(update, redelivery))
        self._notify()
        return update

    def _user_message(self, user: FakeUser, content: JSONDict, deliver: bool) -> JSONDict:
        with self._lock:
            self._users.setdefault(user.id, user)
            message = self._new_message(user.id, sender=user.to_dict(), **content)
            return self._new_update({"message": message}, deliver)

    def _new_update(self, payload: JSONDict, deliver: bool) -> JSONDict:
        update = {"update_id": next(self._update_ids), **payload}
        return self.deliver(update) if deliver else update

    # --- getUpdates (long polling) ---

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        with self._lock:
            if self._webhook is not None:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                )
            if "allowed_updates" in params:  # Telegram remembers it for later calls without one
                self._allowed_updates = params["allowed_updates"] or None
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()
        deadline = loop.time() + float(params.get("timeout", 0))
        held = False
        with self._listening(lambda: loop.call_soon_threadsafe(changed.set)):
            try:
                while True:
                    changed.clear()
                    batch = self._take_updates(params.get("offset"), int(params.get("limit", 100)))
                    if batch or self._closing or loop.time() >= deadline:
                        return batch
                    if not held:
                        held = True
                        self._count_held_poll(+1)
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout_at(deadline):
                            await changed.wait()
            finally:
                if held:
                    self._count_held_poll(-1)

    def _count_held_poll(self, change: int) -> None:
        with self._lock:
            self._polls_held += change
        self._notify()

    @property
    def polls_held(self) -> int:
        """How many getUpdates calls are being held open, waiting for an update."""
        with self._lock:
            return self._polls_held

    def _take_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        with self._lock:
            if offset is not None:  # confirms, and so forgets, every update below it
                self._pending = [p for p in self._pending if p.redelivery or p.update["update_id"] >= offset]
            allowed = self._allowed_updates
            ready = [p for p in self._pending if allowed is None or _update_type(p.update) in allowed]
            # Ascending update_ids, so the bot's next offset (last id + 1) passes all of them.
            batch = sorted(ready[:limit], key=lambda p: p.update["update_id"])
            handed = {id(p) for p in batch if p.redelivery}
            self._pending = [p for p in self._pending if id(p) not in handed]
            self._handed_out.update(p.update["update_id"] for p in batch)
            return [p.update for p in batch]

    # --- methods (called with the lock held) ---

    def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        url = params.get("url", "")
        self._webhook = dict(params) if url else None  # an empty url removes the webhook
        return True

    def _get_webhook_info(self, _params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": self._webhook["url"] if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook and "allowed_updates" in self._webhook:
            info["allowed_updates"] = self._webhook["allowed_updates"]
        return info

    @staticmethod
    def _commands_key(params: JSONDict) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: JSONDict) -> bool:
        self._commands[self._commands_key(params)] = params.get("commands", [])
        return True

    def _get_my_commands(self, params: JSONDict) -> Any:
        return self._commands.get(self._commands_key(params), [])

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat_id(params)
        text = _visible_text(params.get("text", ""), params.get("parse_mode"))
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return self._new_message(chat_id, sender=self.bot_user, text=text, **self._extras(chat_id, params))

    def _edited(self, params: JSONDict) -> tuple[tuple[int, int], JSONDict]:
        key = (self._chat_id(params), int(params.get("message_id", 0)))
        message = self._messages.get(key)
        if message is None:
            raise bad_request("message to edit not found")
        if not _is_from_bot(message):
            raise bad_request("message can't be edited")
        return key, message

    def _replace(self, key: tuple[int, int], message: JSONDict, params: JSONDict, **changes: Any) -> JSONDict:
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        edited.update(changes, edit_date=int(self._clock()))
        # Like Telegram, an edit without reply_markup removes the inline keyboard.
        if isinstance(markup := params.get("reply_markup"), dict) and "inline_keyboard" in markup:
            edited["reply_markup"] = markup
        if {k: v for k, v in edited.items() if k != "edit_date"} == {
            k: v for k, v in message.items() if k != "edit_date"
        }:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        self._messages[key] = edited
        return edited

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        if "inline_message_id" in params:
            return True
        key, message = self._edited(params)
        text = _visible_text(params.get("text", ""), params.get("parse_mode"))
        if not text.strip():
            raise bad_request("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        return self._replace(key, message, params, text=text)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        if "inline_message_id" in params:
            return True
        key, message = self._edited(params)
        return self._replace(key, message, params)

    def _delete_message(self, params: JSONDict) -> bool:
        if self._messages.pop((self._chat_id(params), int(params.get("message_id", 0))), None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        if params.get("callback_query_id") not in self._callback_query_ids:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text", "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        return True

    def _send_document(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat_id(params)
        stored = self._stored_or_uploaded(params.get("document"), "document")
        return self._new_message(
            chat_id, sender=self.bot_user, document=_document(stored), **self._extras(chat_id, params)
        )

    def _send_photo(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat_id(params)
        photo = params.get("photo")
        if isinstance(photo, UploadedFile):
            sizes = self._photo_sizes(photo.data, 1280, 960)
        else:
            stored = self._stored_or_uploaded(photo, "photo")
            sizes = [{**_file_fields(stored), "width": 1280, "height": 960}]
        return self._new_message(chat_id, sender=self.bot_user, photo=sizes, **self._extras(chat_id, params))

    def _send_media_group(self, params: JSONDict) -> list[JSONDict]:
        chat_id = self._chat_id(params)
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the group: from 2 to 10 are allowed")
        group_id = str(next(self._file_numbers))
        messages = []
        for item in media:
            kind = item.get("type")
            stored = self._stored_or_uploaded(item.get("media"), kind)
            content: JSONDict = (
                {"photo": [{**_file_fields(stored), "width": 1280, "height": 960}]}
                if kind == "photo"
                else {kind: _document(stored)}
            )
            if "caption" in item:
                content["caption"] = _visible_text(item["caption"], item.get("parse_mode"))
            messages.append(
                self._new_message(chat_id, sender=self.bot_user, media_group_id=group_id, **content)
            )
        return messages

    def _get_file(self, params: JSONDict) -> JSONDict:
        stored = self._files.get(params.get("file_id", ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {**_file_fields(stored), "file_path": stored.file_path}

    # --- helpers for the methods ---

    def _chat_id(self, params: JSONDict) -> int:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise bad_request("chat not found")  # @usernames name channels, which this fake has none of
        return chat_id

    def _chat(self, chat_id: int) -> JSONDict:
        if user := self._users.get(chat_id):
            return user.chat()
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}

    def _new_message(self, chat_id: int, *, sender: JSONDict, **content: Any) -> JSONDict:
        message = {
            "message_id": next(self._message_ids[chat_id]),
            "from": sender,
            "chat": self._chat(chat_id),
            "date": int(self._clock()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _extras(self, chat_id: int, params: JSONDict) -> JSONDict:
        """What a sent message echoes besides its content: caption, inline keyboard, the replied-to."""
        extras: JSONDict = {}
        if "caption" in params:
            caption = _visible_text(params["caption"], params.get("parse_mode"))
            if len(caption) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
            extras["caption"] = caption
        if isinstance(markup := params.get("reply_markup"), dict) and "inline_keyboard" in markup:
            extras["reply_markup"] = markup  # Telegram echoes only inline keyboards
        reply = params.get("reply_parameters") or {}
        if "reply_to_message_id" in params:
            reply = {"message_id": params["reply_to_message_id"]}
        if isinstance(reply, dict) and "message_id" in reply:
            replied = self._messages.get((chat_id, int(reply["message_id"])))
            if replied is not None:
                extras["reply_to_message"] = replied
            elif not (reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply")):
                raise bad_request("message to be replied not found")
        return extras

    def _store_file(self, kind: str, data: bytes, filename: str | None, mime_type: str) -> _StoredFile:
        number = next(self._file_numbers)
        suffix = f".{filename.rsplit('.', 1)[1]}" if filename and "." in filename else ""
        stored = _StoredFile(
            file_id=f"fake-{kind}-{number}",
            file_unique_id=f"unique-{number}",
            file_path=f"{_FILE_FOLDERS.get(kind, kind + 's')}/file_{number}{suffix}",
            data=data,
            filename=filename,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        return stored

    def _stored_or_uploaded(self, value: Any, kind: str) -> _StoredFile:
        if isinstance(value, UploadedFile):
            return self._store_file(kind, value.data, value.filename, value.content_type)
        if isinstance(value, str) and value in self._files:  # a file_id sent again
            return self._files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")  # no internet here to fetch a URL

    def _photo_sizes(self, data: bytes, width: int, height: int) -> list[JSONDict]:
        small = self._store_file("photo", data, None, "image/jpeg")
        large = self._store_file("photo", data, None, "image/jpeg")
        scale = 90 / max(width, height)
        return [
            {**_file_fields(small), "width": round(width * scale), "height": round(height * scale)},
            {**_file_fields(large), "width": width, "height": height},
        ]


# --- module helpers ------------------------------------------------------------------------------


async def _read_params(request: web.Request) -> JSONDict:
    """The method's parameters from the query, a JSON body, or a (multipart) form as PTB sends."""
    params: JSONDict = {key: _decode(key, value) for key, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        params.update(await request.json())
        return params
    files: dict[str, UploadedFile] = {}
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            files[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        else:
            params[key] = _decode(
                key, bytes(value).decode() if isinstance(value, bytes | bytearray) else value
            )
    attached: set[str] = set()

    def resolve(value: Any) -> Any:  # attach://<name> points at a file part (media groups, thumbnails)
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
            attached.add(value[9:])
            return files[value[9:]]
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    params = {key: resolve(value) for key, value in params.items()}
    params.update({key: file for key, file in files.items() if key not in attached})
    return params


def _decode(key: str, value: str) -> Any:
    if key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _check_inline_keyboard(markup: JSONDict) -> None:
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")
            if not _BUTTON_ACTIONS & button.keys():
                raise bad_request("text buttons are unallowed in the inline keyboard")


def _buttons(markup: Any) -> list[tuple[str, str | None]]:
    if not isinstance(markup, dict):
        return []
    return [
        (b.get("text", ""), b.get("callback_data")) for row in markup.get("inline_keyboard", []) for b in row
    ]


def _callback_datas(message: JSONDict) -> list[str | None]:
    return [data for _text, data in _buttons(message.get("reply_markup"))]


def _is_from_bot(message: JSONDict) -> bool:
    return bool(message.get("from", {}).get("is_bot"))


def _update_type(update: JSONDict) -> str:
    return next(key for key in update if key != "update_id")


def _file_fields(stored: _StoredFile) -> JSONDict:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_size": len(stored.data)}


def _document(stored: _StoredFile) -> JSONDict:
    document = {**_file_fields(stored), "mime_type": stored.mime_type}
    if stored.filename:
        document["file_name"] = stored.filename
    return document


def _brief(params: JSONDict) -> str:
    text = json.dumps({k: v for k, v in params.items() if not isinstance(v, UploadedFile)}, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


@contextlib.asynccontextmanager
async def polling(
    application: Application[Any, Any, Any, Any, Any, Any], poll_timeout: int = 10
) -> AsyncIterator[None]:
    """Run `application` with long polling for the `async with` body, then stop it cleanly.

    `poll_timeout` is the long poll's; stopping does not wait for it (PTB cancels the pending getUpdates).
    """
    assert application.updater is not None, "build the application with an updater"
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


# --- pytest fixtures -----------------------------------------------------------------------------


@pytest.fixture
def fake_bot_api() -> Iterator[FakeBotApi]:
    """A started fake, its own per test; stopped afterwards."""
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def fake_user(fake_bot_api: FakeBotApi) -> FakeUser:
    """Alice, who writes in English; `fake_bot_api.new_user(...)` makes more."""
    return fake_bot_api.new_user("Alice", language_code="en")
