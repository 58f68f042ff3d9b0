"""The web chats' inbox: stores what the bot sends them (and what residents send), and tells open pages live."""
from __future__ import annotations

import asyncio
import time
from typing import Any

from domain.ports import Clock
from storage.web_store import StoredMessage, WebStore
from web.live import LiveHub
from web.present import present

BOT_FROM = {"id": 0, "is_bot": True, "first_name": "Baoxiu"}


class Inbox:
    def __init__(self, store: WebStore, hub: LiveHub, clock: Clock) -> None:
        self.store, self.hub, self.clock = store, hub, clock

    async def add(self, chat_id: int, payload: dict[str, Any], from_bot: bool = True) -> dict[str, Any]:
        """Store a message (a Telegram Message without its id) and push it to the chat's open pages."""
        payload = {"date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                   **({"from": BOT_FROM} if from_bot else {}), **payload}
        stored = await asyncio.to_thread(self.store.add_message, chat_id, from_bot, payload, self.clock.now())
        if not stored.payload.get("_web", {}).get("hidden"):
            self.hub.publish(chat_id, "message", stored.seq, present(stored))
        return stored.payload

    async def edit(self, chat_id: int, message_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        stored = await asyncio.to_thread(self.store.edit_message, chat_id, message_id, changes, self.clock.now())
        if stored is None:
            return None
        self.hub.publish(chat_id, "edit", stored.seq, present(stored))
        return stored.payload

    async def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return await asyncio.to_thread(self.store.message, chat_id, message_id)

    async def by_telegram_id(self, chat_id: int, telegram_message_id: int) -> StoredMessage | None:
        return await asyncio.to_thread(self.store.by_telegram_id, chat_id, telegram_message_id)

    async def put_file(self, chat_id: int, mime_type: str, data: bytes) -> str:
        return await asyncio.to_thread(self.store.put_file, chat_id, mime_type, data, self.clock.now())

    async def file(self, file_id: str) -> tuple[int, str, bytes] | None:
        return await asyncio.to_thread(self.store.file, file_id)
