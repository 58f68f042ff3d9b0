"""Bot API methods that send, edit, copy and delete text messages, and chat actions."""
from __future__ import annotations

import time
from typing import Any

from sandbox.entities import render, utf16_len
from sandbox.errors import bad_request
from sandbox.params import Params
from sandbox.world import Chat, Record, World

NOT_MODIFIED = ("message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message")
CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}


def reply_markup(p: Params) -> dict[str, Any] | None:
    """The markup as sent, with Telegram's check that callback data fits in 64 bytes."""
    markup = p.json("reply_markup")
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
    return markup or None


def reply_to(world: World, chat: Chat, p: Params) -> dict[str, Any]:
    """`reply_to_message` for reply_parameters or the older reply_to_message_id."""
    parameters = p.json("reply_parameters") or {}
    message_id = parameters.get("message_id") or p.int("reply_to_message_id")
    if not message_id:
        return {}
    record = chat.records.get(int(message_id))
    if record is None or record.deleted:
        if parameters.get("allow_sending_without_reply") or p.bool("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    return {"reply_to_message": {k: v for k, v in record.message.items() if k != "reply_to_message"}}


def text_content(text: str, parse_mode: str | None, entities: Any, field: str = "text") -> dict[str, Any]:
    plain, found = render(text, parse_mode, entities)
    limit = 4096 if field == "text" else 1024
    if not plain.strip() and field == "text":
        raise bad_request("message text is empty")
    if utf16_len(plain) > limit:
        raise bad_request("message is too long" if field == "text" else "message caption is too long")
    content: dict[str, Any] = {field: plain}
    if found:
        content[f"{'entities' if field == 'text' else 'caption_entities'}"] = found
    return content


def send_from_bot(world: World, chat: Chat, content: dict[str, Any], p: Params, source: str | None = None) -> dict[str, Any]:
    """Store a bot message in the chat and answer with its Telegram JSON."""
    content = {**reply_to(world, chat, p), **content}
    record = world.add_message(chat, world.bot, content, from_bot=True, source_text=source,
                               parse_mode=p.str("parse_mode"), reply_markup=reply_markup(p))
    return record.message


async def send_message(world: World, p: Params) -> dict[str, Any]:
    chat = world.chat_for_bot(p.chat_id())
    text = p.str("text", required=False)
    if text is None:
        raise bad_request("message text is empty")
    content = text_content(text, p.str("parse_mode"), p.json("entities"))
    return send_from_bot(world, chat, content, p, source=text)


def _editable(world: World, p: Params) -> Record:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = world.chat_for_bot(p.chat_id())
    record = world.record(chat, p.int("message_id", required=True) or 0)
    if not record.from_bot:
        raise bad_request("message can't be edited")
    return record


def _apply_edit(world: World, record: Record, content: dict[str, Any], p: Params, source: str | None) -> dict[str, Any]:
    markup = reply_markup(p)
    message = record.message
    inline = markup if markup and "inline_keyboard" in markup else None
    same_content = all(message.get(k) == v for k, v in content.items()) and all(
        message.get(k) == content.get(k) for k in ("entities", "caption_entities") if k in message or k in content)
    if same_content and message.get("reply_markup") == inline:
        raise bad_request(NOT_MODIFIED)
    for key in ("entities", "caption_entities", "reply_markup"):
        message.pop(key, None)
    message.update(content, edit_date=int(time.time()))
    if inline:
        message["reply_markup"] = inline
    if source is not None:
        record.source_text, record.parse_mode = source, p.str("parse_mode")
    record.reply_markup, record.edited = inline, True
    world.edits[message["chat"]["id"]] += 1
    world.touch(record)
    return message


async def edit_message_text(world: World, p: Params) -> dict[str, Any]:
    record = _editable(world, p)
    if "text" not in record.message:
        raise bad_request("there is no text in the message to edit")
    text = p.str("text") or ""
    return _apply_edit(world, record, text_content(text, p.str("parse_mode"), p.json("entities")), p, text)


async def edit_message_caption(world: World, p: Params) -> dict[str, Any]:
    record = _editable(world, p)
    if "text" in record.message:
        raise bad_request("there is no caption in the message to edit")
    caption = p.str("caption") or ""
    content = text_content(caption, p.str("parse_mode"), p.json("caption_entities"), "caption") if caption else {}
    if not caption and "caption" in record.message:
        content["caption"] = ""  # Telegram drops the caption; an empty one shows the same
    return _apply_edit(world, record, content, p, caption)


async def edit_message_reply_markup(world: World, p: Params) -> dict[str, Any]:
    record = _editable(world, p)
    keep = {k: record.message[k] for k in ("text", "caption", "entities", "caption_entities") if k in record.message}
    return _apply_edit(world, record, keep, p, None)


async def delete_message(world: World, p: Params) -> bool:
    chat = world.chat(p.chat_id())
    record = chat.records.get(p.int("message_id", required=True) or 0)
    if record is None or record.deleted:
        raise bad_request("message to delete not found")
    record.deleted = True
    world.touch(record)
    return True


def _source_record(world: World, p: Params) -> Record:
    source_chat = world.chat(p.int("from_chat_id", required=True) or 0)
    record = source_chat.records.get(p.int("message_id", required=True) or 0)
    if record is None or record.deleted:
        raise bad_request("message to forward not found")
    return record


_COPIED = ("text", "entities", "caption", "caption_entities", "photo", "document", "voice", "video", "audio",
           "animation", "contact", "location")


async def forward_message(world: World, p: Params) -> dict[str, Any]:
    record = _source_record(world, p)
    chat = world.chat_for_bot(p.chat_id())
    original = record.message
    origin = {"type": "user", "sender_user": original["from"], "date": original["date"]}
    content = {k: original[k] for k in _COPIED if k in original}
    return send_from_bot(world, chat, {**content, "forward_origin": origin}, Params({}), original.get("text"))


async def copy_message(world: World, p: Params) -> dict[str, Any]:
    record = _source_record(world, p)
    chat = world.chat_for_bot(p.chat_id())
    content = {k: record.message[k] for k in _COPIED if k in record.message}
    if p.has("caption") and "text" not in content:
        content.update(text_content(p.str("caption") or "", p.str("parse_mode"), None, "caption"))
    return {"message_id": send_from_bot(world, chat, content, p, content.get("text"))["message_id"]}


async def send_chat_action(world: World, p: Params) -> bool:
    chat = world.chat_for_bot(p.chat_id())
    action = p.str("action", required=True)
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.action = action
    world.notify()
    return True
