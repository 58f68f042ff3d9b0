"""Webhook mode for several workers: the receiver stores each update and answers Telegram at once; the pump
claims stored updates (each chat's oldest open one, storage/inbound.py) and runs them through the application.

Why a table rather than hashing chats to workers at the front: nginx cannot route on a JSON body without extra
modules, a stored update survives a worker killed mid-update (its lease ends and another worker takes it), and
the claim's head-of-chat rule keeps a chat's updates in order and one at a time across all workers.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
from datetime import timedelta
from typing import Any, Callable, Protocol

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.concurrency import PerChatUpdateProcessor
from bot.services import BotServices

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LEASE = timedelta(seconds=30)  # renewed while the update runs; a dead worker's update comes back after it
IDLE_SECONDS = 0.5  # how often an idle pump looks for updates another worker stored or a dead one left
PURGE_AFTER = timedelta(days=2)  # handled updates are kept this long, so Telegram's re-sends are recognised


class InboundQueue(Protocol):  # storage/inbound.py's SqlInboundQueue
    def add(self, update_id: int, chat_id: int | None, payload: dict[str, Any], now: Any) -> bool: ...
    def claim(self, now: Any, lease: timedelta, limit: int, worker: str) -> list[Any]: ...
    def renew(self, ids: list[int], lease_until: Any) -> None: ...
    def done(self, row_id: int, now: Any) -> None: ...
    def purge(self, before: Any) -> int: ...


class InboundPump:
    """run() claims and handles updates, up to `concurrency` at once, until stop()."""

    def __init__(self, application: Application, queue: InboundQueue, worker: str, concurrency: int = 32,
                 lease: timedelta | None = None) -> None:
        self.application, self.queue, self.worker = application, queue, worker
        self.concurrency, self.lease = concurrency, lease or LEASE  # LEASE read now: the tests shorten it
        self.svc: BotServices = application.bot_data["services"]
        self._wake = asyncio.Event()
        self._stopping = False
        self._flying: dict[int, asyncio.Task[None]] = {}
        self.handled = 0

    def kick(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        renewing = asyncio.create_task(self._renew_leases(), name="inbound-leases")
        try:
            while not self._stopping:
                try:
                    await self._claim_some()
                except Exception:  # a database hiccup: the next turn tries again
                    logger.exception("inbound claim failed")
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=IDLE_SECONDS)
                except asyncio.TimeoutError:
                    pass
                self._wake.clear()
        finally:
            renewing.cancel()
            if self._flying:  # what is running ends and is marked; nothing new starts
                await asyncio.gather(*self._flying.values(), return_exceptions=True)

    async def _claim_some(self) -> None:
        room = self.concurrency - len(self._flying)
        if room <= 0:
            return
        for claimed in await self.svc.call(self.queue.claim, self.svc.clock.now(), self.lease, room, self.worker):
            self._flying[claimed.id] = asyncio.create_task(self._handle(claimed), name=f"update-{claimed.update_id}")

    async def _handle(self, claimed: Any) -> None:
        try:
            if claimed.attempts > 1 and claimed.chat_id is not None:
                await self.svc.call(self._forget_seen, claimed.chat_id, claimed.update_id)
            update = Update.de_json(claimed.payload, self.application.bot)
            await self.application.process_update(update)  # a handler's error goes to the error handler there
        except Exception:
            logger.exception("update %s failed outside its handlers", claimed.update_id)
        finally:
            try:
                await self.svc.call(self.queue.done, claimed.id, self.svc.clock.now())
                self.handled += 1
            except Exception:  # not marked: after the lease it runs again, and the replay guard skips it
                logger.exception("update %s could not be marked handled", claimed.update_id)
            self._flying.pop(claimed.id, None)
            self.application.bot_data["duties"].kick()  # as the leader, send what it wrote now
            self.kick()  # the chat's next update may be waiting for this one

    def _forget_seen(self, chat_id: int, update_id: int) -> None:
        """A worker died during this update: run it again rather than let the replay guard skip it (at least
        once; what it may have done already is guarded where it matters: a report by its key, a claim by CAS).
        Telegram's own re-sends never get here: the queue stores an update_id once."""
        self.svc.states.unsee(chat_id, update_id)

    async def _renew_leases(self) -> None:
        turns = 0
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                await self.svc.call(self.queue.renew, list(self._flying), self.svc.clock.now() + self.lease)
                turns += 1
                if turns % 360 == 0 and self.application.bot_data["duties"].leading:
                    await self.svc.call(self.queue.purge, self.svc.clock.now() - PURGE_AFTER)
            except Exception:
                logger.exception("inbound lease renewal failed")


def receiver(application: Application, queue: InboundQueue, secrets: list[str], path: str,
             on_stored: Callable[[], None]) -> web.Application:
    """POST /<path>: the update, with one of `secrets` in the secret header, stored before the 200."""
    svc: BotServices = application.bot_data["services"]
    keys = [s.encode() for s in secrets if s]

    async def take(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not keys or not any(hmac.compare_digest(given, key) for key in keys):
            return web.Response(status=403)
        try:
            payload = json.loads(await request.read())
            update = Update.de_json(payload, application.bot)
            update_id = int(payload["update_id"])
        except (ValueError, KeyError, TypeError):  # nothing to store; a 2xx so Telegram does not send it forever
            logger.warning("webhook: an update that is not one was ignored")
            return web.Response(text="ignored")
        # A failure here answers 500, and Telegram sends the update again: nothing is lost.
        await svc.call(queue.add, update_id, PerChatUpdateProcessor.chat_of(update), payload, svc.clock.now())
        on_stored()
        return web.Response(text="ok")

    async def health(request: web.Request) -> web.Response:
        duties = application.bot_data["duties"]
        return web.json_response({"ok": True, "leader": bool(duties.leading)})

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(f"/{path.strip('/')}", take)
    app.router.add_get("/healthz", health)
    return app
