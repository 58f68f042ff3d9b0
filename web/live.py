"""Live updates to open pages: each open event stream of a chat has a queue; the router publishes to them."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

QUEUE_LIMIT = 200  # a page that stopped reading is dropped rather than growing memory


CLOSE = "close"  # not an event a page sees: the stream ends on it


class LiveHub:
    def __init__(self) -> None:
        self._streams: dict[int, set[asyncio.Queue[tuple[str, int, dict[str, Any]]]]] = defaultdict(set)
        self.closing = False

    def close_all(self) -> None:
        """The server is stopping: every open stream ends now (the pages reconnect and resume), instead of holding
        the shutdown for aiohttp's minute. A stream whose queue is full sees `closing` at its next poll."""
        self.closing = True
        for queue in [q for queues in self._streams.values() for q in queues]:
            try:
                queue.put_nowait((CLOSE, 0, {}))
            except asyncio.QueueFull:
                pass

    def subscribe(self, chat_id: int) -> asyncio.Queue[tuple[str, int, dict[str, Any]]]:
        queue: asyncio.Queue[tuple[str, int, dict[str, Any]]] = asyncio.Queue(QUEUE_LIMIT)
        self._streams[chat_id].add(queue)
        return queue

    def unsubscribe(self, chat_id: int, queue: asyncio.Queue[tuple[str, int, dict[str, Any]]]) -> None:
        self._streams[chat_id].discard(queue)
        if not self._streams[chat_id]:
            del self._streams[chat_id]

    def publish(self, chat_id: int, event: str, seq: int, message: dict[str, Any]) -> None:
        for queue in list(self._streams.get(chat_id, ())):
            try:
                queue.put_nowait((event, seq, message))
            except asyncio.QueueFull:  # the page resumes from its Last-Event-ID when it reconnects
                self.unsubscribe(chat_id, queue)

    def listeners(self, chat_id: int) -> int:
        return len(self._streams.get(chat_id, ()))
