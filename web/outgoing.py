"""The Bot API methods a web chat needs, answered locally: what Telegram would store and return, we store."""
from __future__ import annotations

import json
from html import escape
from typing import Any, Awaitable, Callable

from telegram.request import RequestData

from web.inbox import Inbox

FILE_FIELDS = ("photo", "voice", "audio", "document", "video", "animation", "video_note")
SENDS = {"sendMessage", "sendPhoto", "sendVoice", "sendAudio", "sendDocument", "sendVideo", "sendAnimation",
         "sendVideoNote"}
ACCEPTED = {"sendChatAction", "setMyCommands", "deleteMyCommands", "setChatMenuButton", "pinChatMessage",
            "unpinChatMessage", "leaveChat", "setMessageReaction"}
NOT_FOUND = (400, "Bad Request: message to edit not found")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


class LocalBotApi:
    def __init__(self, inbox: Inbox, notes: Callable[[int, str], Awaitable[str]]) -> None:
        self.inbox, self.notes = inbox, notes

    async def call(self, name: str, params: dict[str, Any], request_data: RequestData | None) -> Any:
        if name == "getFile":
            found = await self.inbox.file(str(params["file_id"]))
            if found is None:
                return 400, "Bad Request: invalid file_id"
            return {"file_id": params["file_id"], "file_unique_id": params["file_id"], "file_size": len(found[2]),
                    "file_path": params["file_id"]}
        chat_id = int(params.get("chat_id") or 0)
        if name == "answerCallbackQuery":
            return await self._toast(params)
        if name in SENDS:
            return _public(await self.inbox.add(chat_id, await self._message(name, chat_id, params, request_data)))
        if name == "sendMediaGroup":
            return [_public(await self.inbox.add(chat_id, await self._media(chat_id, m, request_data)))
                    for m in _json(params.get("media")) or []]
        if name == "sendInvoice":  # Telegram Payments cannot reach a browser: the bill is paid at the office
            note = await self.notes(chat_id, "web.pay_at_office")
            text = f"<b>{escape(str(params.get('title', '')))}</b>\n{escape(str(params.get('description', '')))}\n\n"
            return _public(await self.inbox.add(chat_id, {"text": text + escape(note), "_web": {"parse_mode": "HTML"}}))
        if name.startswith("editMessage") or name == "deleteMessage":
            return await self._edit(name, chat_id, params)
        return True  # sendChatAction, setMyCommands and the like: nothing to show in a page (ACCEPTED)

    async def _message(self, name: str, chat_id: int, params: dict[str, Any],
                       request_data: RequestData | None) -> dict[str, Any]:
        payload: dict[str, Any] = {"_web": {"parse_mode": params.get("parse_mode")}}
        await self._markup(chat_id, payload, _json(params.get("reply_markup")))
        if name == "sendMessage":
            payload["text"] = str(params.get("text", "")) + payload["_web"].pop("note", "")
            return payload
        field = name[4].lower() + name[5:]  # sendVideoNote -> videoNote
        field = {"videoNote": "video_note"}.get(field, field)
        file_id = await self._file(chat_id, params.get(field), request_data)
        payload["caption"] = str(params.get("caption", "")) + payload["_web"].pop("note", "")
        payload.update(_file_entry(field, file_id, params))
        return payload

    async def _media(self, chat_id: int, media: dict[str, Any], request_data: RequestData | None) -> dict[str, Any]:
        field = str(media.get("type", "photo"))
        file_id = await self._file(chat_id, media.get("media"), request_data)
        return {"caption": str(media.get("caption") or ""), "_web": {"parse_mode": media.get("parse_mode")},
                **_file_entry(field, file_id, media)}

    async def _file(self, chat_id: int, value: Any, request_data: RequestData | None) -> str:
        """A file id as it is (web- or Telegram's), or an upload stored as a web file."""
        if isinstance(value, str) and value.startswith("attach://") and request_data is not None:
            name, content, mime = request_data.multipart_data[value[len("attach://"):]][:3]  # type: ignore[misc]
            return await self.inbox.put_file(chat_id, mime or "application/octet-stream", bytes(content))
        return str(value or "")

    async def _markup(self, chat_id: int, payload: dict[str, Any], markup: Any) -> None:
        """Inline keyboards stay as they are; a reply keyboard becomes chips; contact and location requests,
        which a browser cannot answer, get a line saying what to do instead."""
        if not isinstance(markup, dict):
            return
        if "inline_keyboard" in markup:
            payload["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        rows = markup.get("keyboard") or []
        payload["_web"]["keyboard"] = [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]
        buttons = [b for row in payload["_web"]["keyboard"] for b in row]
        for kind, key in (("request_location", "web.type_location"), ("request_contact", "web.no_contact")):
            if any(b.get(kind) for b in buttons):
                note = escape(await self.notes(chat_id, key))
                payload["_web"]["note"] = payload["_web"].get("note", "") + "\n\n" + note

    async def _edit(self, name: str, chat_id: int, params: dict[str, Any]) -> Any:
        message_id = int(params.get("message_id") or 0)
        markup = _json(params.get("reply_markup"))
        inline = {"inline_keyboard": markup["inline_keyboard"]} if isinstance(markup, dict) and \
            "inline_keyboard" in markup else None
        old = await self.inbox.message(chat_id, message_id)
        if old is None:
            return NOT_FOUND
        web = dict(old.payload.get("_web", {}))
        changes: dict[str, Any] = {"reply_markup": inline}
        if name == "editMessageText":
            changes["text"] = str(params.get("text", ""))
            web["parse_mode"] = params.get("parse_mode")
        elif name == "editMessageCaption":
            changes["caption"] = str(params.get("caption", ""))
            web["parse_mode"] = params.get("parse_mode")
        elif name == "deleteMessage":
            changes, web = {"text": "", "caption": "", "reply_markup": None}, {**web, "deleted": True}
        changes["_web"] = web
        edited = await self.inbox.edit(chat_id, message_id, changes)
        return True if name == "deleteMessage" else _public(edited or {})

    async def _toast(self, params: dict[str, Any]) -> bool:
        """A tap's short answer (a refusal, 'done'), which Telegram shows as a pop-up: here, a line in the chat."""
        text, chat_id = params.get("text"), int(str(params["callback_query_id"]).split("-")[1])
        if text:
            await self.inbox.add(chat_id, {"text": str(text), "_web": {"toast": True}})
        return True

    async def mirror(self, name: str, chat_id: int, params: dict[str, Any], request_data: RequestData | None,
                     result: Any) -> None:
        """A copy of a message sent to a Telegram chat, for that person's web page (new messages only)."""
        if name in SENDS and isinstance(result, dict):
            payload = await self._message(name, chat_id, params, request_data)
            payload["_web"]["telegram_message_id"] = result.get("message_id")
            await self.inbox.add(chat_id, payload)
        elif (name.startswith("editMessage") or name == "deleteMessage") and params.get("message_id") is not None:
            copy = await self.inbox.by_telegram_id(chat_id, int(params["message_id"]))
            if copy is not None:
                await self._edit(name, chat_id, {**params, "message_id": copy.id})


def _file_entry(field: str, file_id: str, params: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"file_id": file_id, "file_unique_id": file_id}
    if field == "photo":
        return {"photo": [{**entry, "width": 0, "height": 0}]}
    if field in ("voice", "audio", "video", "video_note"):
        entry["duration"] = int(params.get("duration") or 0)
        return {"voice" if field == "voice" else "audio" if field == "audio" else "document":
                entry if field in ("voice", "audio") else {**entry, "file_name": f"{field}.mp4"}}
    return {"document": {**entry, "file_name": str(params.get("filename") or "file")}}


def _public(payload: dict[str, Any]) -> dict[str, Any]:
    """What Telegram would return: the message without our page-only extras."""
    return {k: v for k, v in payload.items() if k != "_web"}
