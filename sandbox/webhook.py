"""Webhook delivery as Telegram does it: setWebhook(url, secret_token, max_connections) makes the sandbox POST each
update to the URL instead of holding it for getUpdates, retrying on anything but a 2xx; deleteWebhook goes back.

Like Telegram, at most `max_connections` requests are in flight, and never two updates of one chat at once (the
next update of a chat waits for the answer to the previous one), so a bot behind a webhook sees a chat in order.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from sandbox.errors import bad_request
from sandbox.params import Params
from sandbox.world import World

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TIMEOUT_SECONDS = 10.0  # Telegram gives up on an answer after a while and sends the update again
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)  # Telegram backs off too; short here, so tests see a retry soon


@dataclass
class Webhook:
    url: str
    secret: str | None = None
    max_connections: int = 40
    delivered: int = 0
    retried: int = 0
    last_error: str | None = None
    last_error_date: int | None = None
    _retry_at: dict[int, float] = field(default_factory=dict)  # update_id -> when to try it again
    _attempts: dict[int, int] = field(default_factory=dict)


async def set_webhook(world: World, p: Params) -> bool:
    url = p.str("url") or ""
    if not url:
        world.webhook = None
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.str("secret_token")
    if secret is not None and not (1 <= len(secret) <= 256):
        raise bad_request("bad webhook: secret token is invalid")
    if p.bool("drop_pending_updates"):
        world.updates.clear()
    world.webhook = Webhook(url, secret, min(max(p.int("max_connections") or 40, 1), 100))
    world.notify()
    return True


def webhook_info(world: World) -> dict[str, Any]:
    hook = world.webhook
    info: dict[str, Any] = {"url": hook.url if hook else "", "has_custom_certificate": False,
                            "pending_update_count": len(world.updates)}
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if hook.last_error:
            info.update(last_error_message=hook.last_error, last_error_date=hook.last_error_date)
    return info


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to: its message's, its callback's message's, or its sender's."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member", "pre_checkout_query"):
        body = update.get(kind)
        if body is None:
            continue
        message = body.get("message") if kind == "callback_query" else body
        if message and "chat" in message:
            return int(message["chat"]["id"])
        if "from" in body:
            return int(body["from"]["id"])
    return None


class WebhookPusher:
    """Runs in the sandbox's loop for its life; idle while no webhook is set."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._flying: dict[int, asyncio.Task[None]] = {}  # update_id -> its POST

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            try:
                while not self.world.closing:
                    hook = self.world.webhook
                    if hook is not None:
                        self._start_due(http, hook)
                    await self.world.wait_change(0.1 if self._waiting_retry(hook) else 1.0)
            finally:
                for task in self._flying.values():
                    task.cancel()

    def _waiting_retry(self, hook: Webhook | None) -> bool:
        return hook is not None and bool(hook._retry_at)

    def _start_due(self, http: aiohttp.ClientSession, hook: Webhook) -> None:
        now = time.monotonic()
        busy = {chat_of(u) for u in self.world.updates if u["update_id"] in self._flying}
        for update in list(self.world.updates):
            if len(self._flying) >= hook.max_connections:
                return
            uid, chat = update["update_id"], chat_of(update)
            if uid in self._flying or (chat is not None and chat in busy):
                continue
            if chat is not None:
                busy.add(chat)  # the chat's later updates wait, even when this one waits for its retry
            if hook._retry_at.get(uid, 0.0) > now:
                continue
            self._flying[uid] = asyncio.create_task(self._post(http, hook, update))

    async def _post(self, http: aiohttp.ClientSession, hook: Webhook, update: dict[str, Any]) -> None:
        uid = update["update_id"]
        headers = {SECRET_HEADER: hook.secret} if hook.secret else {}
        error: str | None = None
        try:
            async with http.post(hook.url, json=update, headers=headers) as answer:
                if not 200 <= answer.status < 300:
                    error = f"Wrong response from the webhook: {answer.status} {answer.reason}"
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            error = f"Connection failed: {type(exc).__name__} {exc}"
        finally:
            self._flying.pop(uid, None)
        if error is None:
            hook.delivered += 1
            hook._retry_at.pop(uid, None)
            self.world.updates = [u for u in self.world.updates if u["update_id"] != uid]
        else:
            attempts = hook._attempts[uid] = hook._attempts.get(uid, 0) + 1
            hook.retried += 1
            hook.last_error, hook.last_error_date = error, int(time.time())
            hook._retry_at[uid] = time.monotonic() + RETRY_SECONDS[min(attempts, len(RETRY_SECONDS)) - 1]
            logger.info("sandbox webhook: update %s to %s failed (%s); again soon", uid, hook.url, error)
        self.world.notify()
