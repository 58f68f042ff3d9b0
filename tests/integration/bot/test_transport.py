"""The bot's aiohttp client for the Bot API (bot/transport.py) sends what PTB's httpx client sends (a form, or
multipart with files) and fails as it fails: a call that outlasts its read timeout is TimedOut, a dropped
connection NetworkError, and Telegram's own error answers come back to PTB to read."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.transport import AiohttpRequest


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[dict[str, object]]]]:
    seen: list[dict[str, object]] = []

    async def echo(request: web.Request) -> web.Response:
        form = await request.post()
        seen.append({k: (v.file.read() if hasattr(v, "file") else v) for k, v in form.items()})
        return web.json_response({"ok": True, "result": True})

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.close()  # the connection ends with no answer
        return web.Response()

    async def refuse(request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"},
                                 status=400)

    app = web.Application()
    app.router.add_post("/echo", echo)
    app.router.add_post("/slow", slow)
    app.router.add_post("/drop", drop)
    app.router.add_post("/refuse", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


@pytest.fixture
async def client() -> AsyncIterator[AiohttpRequest]:
    request = AiohttpRequest(connection_pool_size=4, read_timeout=0.5)
    await request.initialize()
    yield request
    await request.shutdown()


async def test_a_call_sends_its_parameters_as_a_form(server, client) -> None:  # type: ignore[no-untyped-def]
    url, seen = server
    data = RequestData([RequestParameter.from_input("chat_id", 1001), RequestParameter.from_input("text", "厨房水管漏水")])
    status, body = await client.do_request(f"{url}/echo", "POST", data)
    assert status == 200 and b'"ok": true' in body
    assert seen == [{"chat_id": "1001", "text": "厨房水管漏水"}]


async def test_a_photo_goes_as_multipart_with_the_other_parameters(server, client) -> None:  # type: ignore[no-untyped-def]
    url, seen = server
    photo = InputFile(b"\x89PNG fake", filename="chart.png", attach=True)
    data = RequestData([RequestParameter.from_input("chat_id", -1001), RequestParameter.from_input("photo", photo)])
    status, _ = await client.do_request(f"{url}/echo", "POST", data)
    assert status == 200
    assert seen[0]["chat_id"] == "-1001" and b"\x89PNG fake" in seen[0].values()


async def test_a_call_that_outlasts_its_read_timeout_is_timed_out(server, client) -> None:  # type: ignore[no-untyped-def]
    url, _ = server
    with pytest.raises(TimedOut):
        await client.do_request(f"{url}/slow", "POST", RequestData([]))


async def test_a_dropped_connection_is_a_network_error(server, client) -> None:  # type: ignore[no-untyped-def]
    url, _ = server
    with pytest.raises(NetworkError) as raised:
        await client.do_request(f"{url}/drop", "POST", RequestData([]))
    assert not isinstance(raised.value, TimedOut)


async def test_telegrams_error_answers_come_back_for_ptb_to_read(server, client) -> None:  # type: ignore[no-untyped-def]
    url, _ = server
    status, body = await client.do_request(f"{url}/refuse", "POST", RequestData([]))
    assert status == 400 and b"chat not found" in body


async def test_a_request_not_initialized_says_so() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/", "POST")


async def test_a_call_made_under_watch_write_notes_when_its_request_went_out(server, client) -> None:  # type: ignore[no-untyped-def]
    """What the outbox's pacing frees a hanging call's place by: the request was written before the timeout."""
    import time

    from bot.transport import watch_write

    url, _ = server
    before = time.monotonic()
    with watch_write() as written:
        with pytest.raises(TimedOut):
            await client.do_request(f"{url}/slow", "POST", RequestData([RequestParameter("chat_id", 5, None)]))
    assert written.at is not None and before <= written.at < before + 0.4  # long before the 0.5 s timeout
    with watch_write() as elsewhere:
        pass
    await client.do_request(f"{url}/echo", "POST", RequestData([]))
    assert elsewhere.at is None  # a call made outside the watch notes nothing in it
