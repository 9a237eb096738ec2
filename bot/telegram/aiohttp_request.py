"""PTB's network layer on aiohttp instead of httpx (`TELEGRAM_HTTP=aiohttp`).

PTB ships only an httpx request class. On this machine httpx spent most of a resident step's CPU in
its connection pool and request building; aiohttp does the same requests with less (the figures are
in the README). Both speak to the Bot API identically: form fields, JSON-encoded values, multipart for
files, and the same error mapping (timeouts raise `TimedOut`, other failures `NetworkError`).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


def _timeout(given: object, default: float | None) -> float | None:
    """A timeout PTB passed, or our default where it passed its "not given" marker.

    PTB marks "not given" with a `DefaultValue` from its private `telegram._utils`; anything that is
    neither a number nor None is that marker, so this module needs no private import.
    """
    if given is None or isinstance(given, int | float):
        return given
    return default


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = _timeout(read_timeout, self._read_timeout)
        connect = _timeout(connect_timeout, self._connect_timeout)
        body: Any = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime_type) in request_data.multipart_data.items():
                    form.add_field(name, content, filename=filename, content_type=mime_type)
                body = form
                # An explicit None, like "not given", falls back to the media default.
                write = _timeout(write_timeout, None)
                write = self._media_write_timeout if write is None else write
                if write is not None:
                    read = max(read or 0, write)
            else:
                body = request_data.json_parameters
        # Long polling asks for a read timeout longer than the poll: honour it as the whole request's.
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
