"""~40-line fakes for the web channel's store and the request it wraps."""
from __future__ import annotations

import itertools
import json
from datetime import datetime
from typing import Any

from telegram.request import BaseRequest, RequestData

from storage.web_store import StoredMessage


class FakeWebStore:
    def __init__(self) -> None:
        self.rows: dict[int, StoredMessage] = {}
        self.files: dict[str, tuple[int, str, bytes]] = {}
        self._ids, self._seq = itertools.count(1), itertools.count(1)

    def add_message(self, chat_id: int, from_bot: bool, payload: dict[str, Any], now: datetime) -> StoredMessage:
        mid, seq = next(self._ids), next(self._seq)
        self.rows[mid] = StoredMessage(mid, chat_id, from_bot, {**payload, "message_id": mid}, seq, seq, False)
        return self.rows[mid]

    def edit_message(self, chat_id: int, message_id: int, changes: dict[str, Any], now: datetime) -> StoredMessage | None:
        old = self.rows.get(message_id)
        if old is None or old.chat_id != chat_id:
            return None
        self.rows[message_id] = StoredMessage(message_id, chat_id, old.from_bot, {**old.payload, **changes},
                                              next(self._seq), old.created_seq, True)
        return self.rows[message_id]

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        found = self.rows.get(message_id)
        return found if found and found.chat_id == chat_id else None

    def put_file(self, chat_id: int, mime_type: str, data: bytes, now: datetime) -> str:
        file_id = f"web-f{len(self.files) + 1}"
        self.files[file_id] = (chat_id, mime_type, data)
        return file_id

    def file(self, file_id: str) -> tuple[int, str, bytes] | None:
        return self.files.get(file_id)


class RecordingRequest(BaseRequest):
    """The request behind the router (Telegram): records what reached it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, RequestData | None]] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         **_: Any) -> tuple[int, bytes]:
        self.calls.append((url.rsplit("/", 1)[-1], request_data))
        result: Any = {"message_id": 99, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "t"}
        return 200, json.dumps({"ok": True, "result": result}).encode()
