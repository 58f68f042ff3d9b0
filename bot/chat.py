"""One chat's half-finished conversations, read in one call and written back with a version check."""
from __future__ import annotations

from typing import Any

from bot.services import BotServices


class Chat:
    """The conversations of one chat as this update found them; put/drop write through to the store."""

    def __init__(self, svc: BotServices, chat_id: int, entries: dict[str, tuple[dict[str, Any], int]]) -> None:
        self.svc, self.chat_id = svc, chat_id
        self._entries = dict(entries)

    @classmethod
    async def open(cls, svc: BotServices, chat_id: int) -> "Chat":
        return cls(svc, chat_id, await svc.call(svc.states.read, chat_id))

    def get(self, kind: str) -> dict[str, Any] | None:
        entry = self._entries.get(kind)
        return entry[0] if entry else None

    def __contains__(self, kind: str) -> bool:
        return kind in self._entries

    async def put(self, kind: str, data: dict[str, Any]) -> None:
        """Save; StaleChatState if another update of this chat saved it since we read it."""
        known = self._entries.get(kind)
        version = await self.svc.call(self.svc.states.put, self.chat_id, kind, data, known[1] if known else None)
        self._entries[kind] = (data, version)

    async def start(self, kind: str, data: dict[str, Any]) -> None:
        """Begin a conversation afresh, replacing any left over of the same kind."""
        version = await self.svc.call(self.svc.states.put, self.chat_id, kind, data, force=True)
        self._entries[kind] = (data, version)

    async def drop(self, kind: str) -> None:
        if kind in self._entries:
            await self.svc.call(self.svc.states.drop, self.chat_id, kind)
            del self._entries[kind]
