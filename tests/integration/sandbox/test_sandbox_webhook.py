"""The sandbox honours setWebhook as Telegram does: updates are POSTed with the secret, retried until a 2xx,
in order and one at a time per chat, and deleteWebhook goes back to getUpdates."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web

from sandbox import SandboxServer
from sandbox.client import SandboxClient
from sandbox.webhook import SECRET_HEADER, chat_of

SECRET = "s3cret-token_for-tests"
pytestmark = pytest.mark.asyncio(loop_scope="session")


class Receiver:
    """A webhook endpoint that fails the first `fail` requests and records what came, and how many at once."""

    def __init__(self, fail: int = 0, delay: float = 0.0) -> None:
        self.fail, self.delay = fail, delay
        self.got: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.flying: set[int | None] = set()
        self.overlaps = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = await request.json()
        self.secrets.append(request.headers.get(SECRET_HEADER))
        chat = chat_of(update)
        if chat in self.flying:
            self.overlaps += 1
        self.flying.add(chat)
        try:
            await asyncio.sleep(self.delay)
            if self.fail > 0:
                self.fail -= 1
                return web.Response(status=500)
            self.got.append(update)
            return web.Response(text="ok")
        finally:
            self.flying.discard(chat)


@pytest_asyncio.fixture(loop_scope="session")
async def receiver() -> AsyncIterator[Receiver]:
    rx = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rx.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    rx.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield rx
    await runner.cleanup()


async def bot_call(sandbox: SandboxServer, method: str, **params: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(f"{sandbox.bot_api_url}{sandbox.token}/{method}", json=params)


async def until(check: Any, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.05)


async def test_updates_are_posted_with_the_secret_in_order_per_chat_and_retried_after_a_failure(
        sandbox: SandboxServer, tg: SandboxClient, receiver: Receiver) -> None:
    receiver.fail, receiver.delay = 2, 0.05
    answer = (await bot_call(sandbox, "setWebhook", url=receiver.url, secret_token=SECRET, max_connections=8)).json()
    assert answer["ok"] is True
    for i in range(5):
        for user in (1001, 1002, 1003):
            await tg.send_text(user, f"m{user}-{i}")
    await until(lambda: len(receiver.got) == 15)
    assert set(receiver.secrets) == {SECRET}
    for user in (1001, 1002, 1003):
        texts = [u["message"]["text"] for u in receiver.got if u["message"]["chat"]["id"] == user]
        assert texts == [f"m{user}-{i}" for i in range(5)]  # the two failures were retried, nothing overtook them
    assert receiver.overlaps == 0
    info = (await bot_call(sandbox, "getWebhookInfo")).json()["result"]
    assert info["url"] == receiver.url and info["pending_update_count"] == 0 and "500" in info["last_error_message"]


async def test_get_updates_is_refused_while_a_webhook_is_set_and_works_again_after_delete_webhook(
        sandbox: SandboxServer, tg: SandboxClient, receiver: Receiver) -> None:
    await bot_call(sandbox, "setWebhook", url=receiver.url, secret_token=SECRET)
    refused = await bot_call(sandbox, "getUpdates", timeout=0)
    assert refused.status_code == 409 and "webhook is active" in refused.json()["description"]
    assert (await bot_call(sandbox, "deleteWebhook")).json()["result"] is True
    await tg.send_text(1001, "after the webhook")
    polled = (await bot_call(sandbox, "getUpdates", timeout=5)).json()["result"]
    assert [u["message"]["text"] for u in polled] == ["after the webhook"]
    assert all(u["message"]["text"] != "after the webhook" for u in receiver.got)


async def test_a_worker_sets_the_webhook_only_when_none_is_set_and_the_webhook_command_always(
        sandbox: SandboxServer, receiver: Receiver) -> None:
    from telegram import Bot

    from app.worker import ensure_webhook

    async with Bot(sandbox.token, base_url=sandbox.bot_api_url) as bot:
        await bot.delete_webhook()
        await ensure_webhook(bot, receiver.url, "first-secret-0123456789")
        await ensure_webhook(bot, receiver.url, "second-secret-0123456789")  # a worker restarted mid-rotation
        assert sandbox.world.webhook.secret == "first-secret-0123456789"
        state = await ensure_webhook(bot, receiver.url, "second-secret-0123456789", force=True)  # python -m app webhook
        assert sandbox.world.webhook.secret == "second-secret-0123456789" and receiver.url in state
        await bot.delete_webhook()
