"""ChannelRouter: the Bot API boundary. Calls for web chats are answered here (into the inbox); the rest go on.

Every handler, use case and outbox delivery stays as it is: they call the Bot API, and this request object
decides by chat_id whether that chat is on Telegram (pass through) or in a browser (store and push live)."""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable

from telegram import InputFile
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter  # noqa: PLC2701 (how PTB builds uploads)

from web.ids import is_web_chat
from web.inbox import Inbox
from web.outgoing import FILE_FIELDS, LocalBotApi

logger = logging.getLogger(__name__)
Mirror = Callable[[int], Awaitable[bool]]


class ChannelRouter(BaseRequest):
    def __init__(self, inner: BaseRequest, inbox: Inbox, notes: Callable[[int, str], Awaitable[str]],
                 mirror: Mirror | None = None) -> None:
        """`notes(chat_id, key)`: a catalog text in that resident's language (Telegram-only features);
        `mirror(chat_id)`: True for a Telegram chat whose person also reads the web page (a copy is kept)."""
        self.inner, self.inbox, self.mirror = inner, inbox, mirror
        self.local = LocalBotApi(inbox, notes)

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE, write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        timeouts = dict(read_timeout=read_timeout, write_timeout=write_timeout, connect_timeout=connect_timeout,
                        pool_timeout=pool_timeout)
        if "/file/bot" in url and name.startswith("web-"):  # the download after a getFile of a web file
            found = await self.inbox.file(name)
            return (200, found[2]) if found else (404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
        params = dict(request_data.parameters) if request_data else {}
        if self._is_local(name, params):
            return _answer(await self.local.call(name, params, request_data))
        if request_data is not None and any(str(params.get(f, "")).startswith("web-") for f in FILE_FIELDS):
            request_data = await self._upload_web_files(request_data)  # Telegram never saw a web photo
        code, body = await self.inner.do_request(url, method, request_data, **timeouts)
        if code == 200 and self.mirror is not None and params.get("chat_id") is not None:
            await self._maybe_mirror(name, params, request_data, body)
        return code, body

    def _is_local(self, name: str, params: dict[str, Any]) -> bool:
        if is_web_chat(params.get("chat_id")):
            return True
        if name == "getFile":
            return str(params.get("file_id", "")).startswith("web-")
        return name == "answerCallbackQuery" and str(params.get("callback_query_id", "")).startswith("web-")

    async def _upload_web_files(self, request_data: RequestData) -> RequestData:
        rebuilt = []
        for param in request_data._parameters:  # noqa: SLF001 (RequestData has no public way to swap one)
            value = param.value
            found = await self.inbox.file(value) if param.name in FILE_FIELDS and isinstance(value, str) \
                and value.startswith("web-") else None
            if found is not None:
                param = RequestParameter.from_input(param.name, InputFile(found[2], filename=f"{value}.bin"))
            rebuilt.append(param)
        return RequestData(rebuilt)

    async def _maybe_mirror(self, name: str, params: dict[str, Any], request_data: RequestData | None,
                            body: bytes) -> None:
        """Priority 2: a Telegram resident who also opened the web page sees the same messages there."""
        try:
            chat_id = int(params["chat_id"])
            if await self.mirror(chat_id):  # type: ignore[misc]
                await self.local.mirror(name, chat_id, params, request_data, json.loads(body).get("result"))
        except Exception:  # a copy for the page must never break the delivery to Telegram
            logger.exception("could not mirror %s to the web inbox", name)


def _answer(result: Any) -> tuple[int, bytes]:
    if isinstance(result, tuple):  # (status, description): an error as Telegram words it
        status, description = result
        return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
    return 200, json.dumps({"ok": True, "result": result}).encode()
