"""Updates run concurrently across chats and strictly in order within one chat."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """One slow update (an NLU call, a search, a voice note) holds up only its own chat.

    PTB starts one task per update, in arrival order; each waits for its chat's lock (asyncio locks are
    FIFO), so a chat's updates run one at a time and in order. The base class's semaphore is kept large
    so that updates queued behind one chat never take the places other chats need; `workers` bounds how
    many run at once.
    """

    def __init__(self, workers: int = 32, queued: int = 4096) -> None:
        super().__init__(max_concurrent_updates=queued)
        self.after_each: Callable[[], None] | None = None  # e.g. wake the outbox sender
        self._workers = asyncio.BoundedSemaphore(workers) if workers else None
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    @staticmethod
    def chat_of(update: object) -> int | None:
        if isinstance(update, Update):
            if update.effective_chat is not None:
                return update.effective_chat.id
            if update.effective_user is not None:
                return update.effective_user.id
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = self.chat_of(update)
        if chat is None:
            await self._run(coroutine)
            return
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        try:
            async with lock:
                await self._run(coroutine)
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:  # nobody else queued for this chat: forget its lock
                del self._waiting[chat]
                del self._locks[chat]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        try:
            if self._workers is None:
                await coroutine
            else:
                async with self._workers:
                    await coroutine
        finally:
            if self.after_each is not None:
                self.after_each()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
