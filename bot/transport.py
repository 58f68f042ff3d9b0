"""The bot's HTTP client for Bot API calls, on aiohttp: PTB's HTTPXRequest in all but the library underneath.

Under load (40 updates/s, load-bench) the answers' HTTP was the largest share of the bot's interpreter time: 37 %
with httpx, much of it httpcore's pool bookkeeping (a scan of every pooled connection for each request) and
anyio's checks of which event loop runs. aiohttp, which the app already serves with, parses HTTP in C and
keeps a plain keep-alive pool. PTB stays the framework: BaseRequest is its documented way to bring a client.

Errors become what PTB's own client raises, so retries and the outbox treat them alike: a timeout TimedOut, any
other failure to get an answer NetworkError; Telegram's answers (4xx, 5xx) are PTB's to read, as ever.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any, Iterator

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram._utils.defaultvalue import DefaultValue

DEFAULT_SECONDS = 5.0  # as HTTPXRequest's read, write and connect defaults
MEDIA_WRITE_SECONDS = 20.0  # as HTTPXRequest's media_write_timeout


class Written:
    """When the request of a Bot API call made under watch_write() was written out (time.monotonic())."""

    at: float | None = None


_WATCH: ContextVar[Written | None] = ContextVar("bot_api_write_watch", default=None)


@contextmanager
def watch_write() -> Iterator[Written]:
    """The Bot API call made inside notes when its request went out: the outbox's pacing frees a hanging
    call's place in Telegram's window by it (domain/pacing.py, settle)."""
    written = Written()
    token = _WATCH.set(written)
    try:
        yield written
    finally:
        _WATCH.reset(token)


async def _note_write(_session: Any, context: SimpleNamespace, _params: Any) -> None:
    # aiohttp calls this just before it writes the headers, then each piece of the body: the last is the time.
    if isinstance(context.trace_request_ctx, Written):
        context.trace_request_ctx.at = time.monotonic()


def _write_tracing() -> aiohttp.TraceConfig:
    config = aiohttp.TraceConfig()
    config.on_request_headers_sent.append(_note_write)
    config.on_request_chunk_sent.append(_note_write)
    return config


class AiohttpRequest(BaseRequest):
    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = DEFAULT_SECONDS,
                 connect_timeout: float | None = DEFAULT_SECONDS,
                 media_write_timeout: float | None = MEDIA_WRITE_SECONDS) -> None:
        self._pool_size = connection_pool_size
        self._read, self._connect, self._media_write = read_timeout, connect_timeout, media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size),
                headers={"User-Agent": self.USER_AGENT}, trace_configs=[_write_tracing()])

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
                         write_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
                         connect_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
                         pool_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
                         ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        write = (self._media_write if files else self._read) if isinstance(write_timeout, DefaultValue) \
            else write_timeout
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        # aiohttp has no write timeout of its own: sending is bounded by the sum, reading by `read`.
        total = None if read is None or write is None or connect is None else read + write + connect
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=_body(fields, files), timeout=timeout,
                                             trace_request_ctx=_WATCH.get()) as response:
                return response.status, await response.read()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _body(fields: dict[str, str] | None, files: dict | None) -> aiohttp.FormData | dict[str, str] | None:  # type: ignore[type-arg]
    """A form: urlencoded, or multipart when there are files (as HTTPXRequest sends them)."""
    if not files:
        return fields or None
    form = aiohttp.FormData()
    for name, value in (fields or {}).items():
        form.add_field(name, value)
    for name, part in files.items():
        filename, content, mimetype = part if isinstance(part, tuple) else (name, part, None)
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
