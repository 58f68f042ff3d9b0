"""What a resident does on the page, as the Telegram updates a phone would have sent (the bot cannot tell)."""
from __future__ import annotations

import itertools
import time
from typing import Any

from web.present import TEXT_CHIP


class UpdateMaker:
    def __init__(self) -> None:
        # Above any update id an earlier run gave this chat: the bot's replay guard remembers recent ids.
        self._update_ids = itertools.count(time.time_ns() // 1000)
        self._taps = itertools.count(1)

    @staticmethod
    def user(chat_id: int, name: str, language: str) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": name[:64] or "web", "language_code": language}

    def message(self, sent: dict[str, Any], name: str, language: str) -> dict[str, Any]:
        """`sent`: the resident's message as stored in the inbox (message_id, chat, date, text or photo...)."""
        message = {**{k: v for k, v in sent.items() if k != "_web"},
                   "from": self.user(sent["chat"]["id"], name, language)}
        text = message.get("text")
        if isinstance(text, str) and text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": next(self._update_ids), "message": message}

    def tap(self, chat_id: int, bot_message: dict[str, Any], data: str, name: str, language: str) -> dict[str, Any]:
        query = {"id": f"web-{chat_id}-{next(self._taps)}", "from": self.user(chat_id, name, language),
                 "chat_instance": f"web-{chat_id}", "data": data,
                 "message": {k: v for k, v in bot_message.items() if k != "_web"}}
        return {"update_id": next(self._update_ids), "callback_query": query}


def chip_text(data: str) -> str | None:
    """A reply-keyboard chip sends its label as a message; any other chip is a button tap."""
    return data[len(TEXT_CHIP):] if data.startswith(TEXT_CHIP) else None
