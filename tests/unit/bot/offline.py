"""The bot, offline: a fake BaseRequest answers the Bot API (as PTB's own tests do) and records what was sent."""
from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.keyboards import MARK

BOT_ID, BOT_USERNAME = 777000, "baoxiu_test_bot"


@dataclass
class Sent:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[str]:
        """The buttons' data, a draft card's mark left off ("r:submit:~1a2b3c4d" is "r:submit"): the tests tap
        the bare data, which means the draft being written (bot/report_buttons.py)."""
        return [re.sub(f":{re.escape(MARK)}[0-9a-f]+$", "", data) for data in self.marked_buttons]

    @property
    def marked_buttons(self) -> list[str]:
        """The buttons' data exactly as sent."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


class OfflineRequest(BaseRequest):
    """Answers every Bot API method the bot uses with a plausible result, and keeps the calls."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._ids = itertools.count(1)
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and the download after it

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if "/file/bot" in url:  # the download of a file getFile pointed at
            return 200, self.files[name]
        params = dict(request_data.parameters) if request_data else {}
        self.sent.append(Sent(name, params))
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getFile":
            file_id = str(params.get("file_id"))
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files.get(file_id, b"")),
                    "file_path": file_id}
        if name == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Baoxiu", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        if name in ("sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup", "sendDocument", "sendVoice",
                    "sendVideo"):
            chat_id = int(params.get("chat_id") or 0)
            return {"message_id": next(self._ids), "date": int(time.time()), "text": params.get("text", ""),
                    "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Baoxiu"}}
        return True  # answerCallbackQuery, setMyCommands, deleteMessage ...


class UpdateFactory:
    """Telegram updates as a phone would send them."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)

    def _user(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"user{user_id}", "language_code": language_code}

    def text(self, user_id: int, text: str, language_code: str | None = "zh", *, chat_id: int | None = None,
             edited: bool = False) -> dict[str, Any]:
        """A text in the user's private chat, or in group `chat_id`; `edited` sends it as an edit."""
        chat = {"id": user_id, "type": "private"} if chat_id is None else {"id": chat_id, "type": "supergroup",
                                                                             "title": f"group {chat_id}"}
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": chat, "from": self._user(user_id, language_code), "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if edited:
            message["edit_date"] = int(time.time())
        return {"update_id": next(self._update_ids), ("edited_message" if edited else "message"): message}

    def photo(self, user_id: int, file_id: str, caption: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": next(self._message_ids), "date": int(time.time()),
                                   "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, "zh"),
                                   "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 90, "height": 90}]}
        if caption:
            message["caption"] = caption
        return {"update_id": next(self._update_ids), "message": message}

    def document(self, user_id: int, file_id: str, file_name: str, size: int) -> dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, "zh"),
                   "document": {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name,
                                "mime_type": "text/csv", "file_size": size}}
        return {"update_id": next(self._update_ids), "message": message}

    def voice(self, user_id: int, duration: int, file_size: int) -> dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, "zh"),
                   "voice": {"file_id": "voice-1", "file_unique_id": "v1", "duration": duration,
                             "mime_type": "audio/ogg", "file_size": file_size}}
        return {"update_id": next(self._update_ids), "message": message}

    def contact(self, user_id: int, phone: str, card_of: int | None | str = "sender") -> dict[str, Any]:
        """A shared contact card: the sender's own, another user's (their id) or a phone-book entry (None)."""
        card: dict[str, Any] = {"phone_number": phone, "first_name": "Card"}
        if card_of == "sender":
            card["user_id"] = user_id
        elif card_of is not None:
            card["user_id"] = card_of
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, "zh"), "contact": card}
        return {"update_id": next(self._update_ids), "message": message}

    def location(self, user_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, "zh"),
                   "location": {"latitude": latitude, "longitude": longitude}}
        return {"update_id": next(self._update_ids), "message": message}

    def tap(self, user_id: int, data: str, chat_id: int | None = None) -> dict[str, Any]:
        chat = {"id": user_id, "type": "private"} if chat_id is None else {"id": chat_id, "type": "supergroup"}
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "text": "…",
                   "chat": chat, "from": {"id": BOT_ID, "is_bot": True, "first_name": "B"}}
        return {"update_id": next(self._update_ids),
                "callback_query": {"id": str(next(self._update_ids)), "from": self._user(user_id, "zh"),
                                   "chat_instance": "ci", "data": data, "message": message}}


def as_update(data: dict[str, Any], bot: Any) -> Update:
    return Update.de_json(data, bot)
