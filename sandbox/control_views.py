"""What the control API shows and takes: message views for people and tests, and user messages to inject."""
from __future__ import annotations

import base64
import binascii
from typing import Any

from sandbox.audio import AudioError, to_voice_note
from sandbox.entities import detect_entities
from sandbox.files import media_json, photo_sizes
from sandbox.world import CallbackRecord, Chat, Record, World

MEDIA_KINDS = ("photo", "document", "voice", "video", "audio", "animation", "sticker")


class ControlError(Exception):
    """A request to the control API that cannot be carried out; answered with 400 and the reason."""


def message_view(chat: Chat, record: Record) -> dict[str, Any]:
    """A message as tests and the page see it: bot text exactly as sent (HTML kept) and Telegram's plain text."""
    m = record.message
    source = record.source_text if record.from_bot else None
    view: dict[str, Any] = {
        "message_id": m["message_id"], "chat_id": chat.id, "date": m["date"], "from_bot": record.from_bot,
        "from_id": m["from"]["id"],
        "text": (source if source is not None else m["text"]) if "text" in m else None,
        "plain_text": m.get("text"),
        "caption": (source if source is not None else m.get("caption")) if "caption" in m else None,
        "plain_caption": m.get("caption"),
        "parse_mode": record.parse_mode, "reply_markup": record.reply_markup,
        "edited": record.edited, "edit_date": m.get("edit_date"), "deleted": record.deleted, "rev": record.rev,
        "at": record.at, "changed_at": record.changed_at,
        "reply_to_message_id": (m.get("reply_to_message") or {}).get("message_id"),
        "media_group_id": m.get("media_group_id"), "contact": m.get("contact"), "location": m.get("location"),
        "entities": m.get("entities") or m.get("caption_entities") or [],
        "invoice": m.get("invoice"), "successful_payment": m.get("successful_payment"),
    }
    for kind in MEDIA_KINDS:
        view[kind] = m.get(kind)
    media = m.get("photo", [{}])[-1] if m.get("photo") else next((m[k] for k in MEDIA_KINDS if k in m), None)
    view["file_url"] = f"/sandbox/files/{media['file_id']}" if media else None
    return view


def callback_view(callback: CallbackRecord) -> dict[str, Any]:
    return {"id": callback.id, "user_id": callback.user_id, "chat_id": callback.chat_id,
            "message_id": callback.message_id, "data": callback.data, "date": callback.date,
            "answer": callback.answer, "answered": callback.answer is not None, "rev": callback.rev,
            "at": callback.at, "answered_at": callback.answered_at}


def _decode(body: dict[str, Any], key: str) -> bytes:
    try:
        return base64.b64decode(body[key], validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise ControlError(f"{key} is not valid base64") from None


def _with_caption(content: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    caption = body.get("caption")
    if caption:
        content["caption"] = caption
        entities = detect_entities(caption)
        if entities:
            content["caption_entities"] = entities
    return content


def user_content(world: World, body: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    """The Telegram message fields for what a user sends: text, photo, voice, video, document, contact or location."""
    files = world.files
    if isinstance(body.get("text"), str):
        text = body["text"]
        if not text or len(text) > 4096:
            raise ControlError("text must be 1 to 4096 characters (Telegram clients split longer text)")
        entities = detect_entities(text)
        return {"text": text, **({"entities": entities} if entities else {})}
    if "photo_b64" in body:
        return _with_caption({"photo": photo_sizes(files, _decode(body, "photo_b64"))}, body)
    if "voice_b64" in body:
        stored = files.add("voice", _decode(body, "voice_b64"), "audio/ogg")
        return _with_caption({"voice": media_json("voice", stored, body.get("duration"))}, body)
    if "video_b64" in body:
        stored = files.add("video", _decode(body, "video_b64"), body.get("mime_type") or "video/mp4", body.get("file_name"))
        return _with_caption({"video": media_json("video", stored, body.get("duration"))}, body)
    if "document_b64" in body:
        name = body.get("file_name") or "document.bin"
        stored = files.add("document", _decode(body, "document_b64"), body.get("mime_type"), name)
        return _with_caption({"document": media_json("document", stored)}, body)
    if isinstance(body.get("contact"), dict) and body["contact"].get("phone_number"):
        contact = body["contact"]
        shared: dict[str, Any] = {"phone_number": str(contact["phone_number"]),
                                  "first_name": contact.get("first_name") or sender["first_name"]}
        owner = contact.get("user_id", sender["id"])  # absent: the sender's own card
        if owner is not None:  # None: a phone-book entry of someone without Telegram, which has no user_id
            shared["user_id"] = int(owner)
        if contact.get("last_name") or (not contact.get("first_name") and sender.get("last_name")):
            shared["last_name"] = contact.get("last_name") or sender["last_name"]
        return {"contact": shared}
    if "sticker" in body:
        emoji = body["sticker"].get("emoji", "👍") if isinstance(body["sticker"], dict) else "👍"
        stored = files.add("sticker", b"RIFF\x00\x00\x00\x00WEBP", "image/webp", "sticker.webp")
        return {"sticker": {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "type": "regular",
                            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
                            "file_size": len(stored.data)}}
    if isinstance(body.get("location"), dict):
        return {"location": {"latitude": float(body["location"]["latitude"]),
                             "longitude": float(body["location"]["longitude"])}}
    raise ControlError("send needs one of: text, photo_b64, voice_b64, audio_b64, video_b64, document_b64, contact, "
                       "location, sticker")


async def audio_as_voice(body: dict[str, Any]) -> dict[str, Any]:
    """`audio_b64` (wav, mp3, m4a, webm, ogg...: anything ffmpeg reads, as a tester uploads or the page records)
    becomes `voice_b64` in OGG/Opus with its `duration`: the bot sees the voice note Telegram would send."""
    try:
        voice, seconds = await to_voice_note(_decode(body, "audio_b64"), body.get("file_name"))
    except AudioError as error:
        raise ControlError(str(error)) from None
    rest = {k: v for k, v in body.items() if k not in ("audio_b64", "file_name", "mime_type")}
    return {**rest, "voice_b64": base64.b64encode(voice).decode(), "duration": seconds}


def find_button(record: Record, label: str) -> dict[str, Any]:
    """The inline button whose text is `label` (exactly, else the only one containing it)."""
    buttons = [b for row in (record.reply_markup or {}).get("inline_keyboard", []) for b in row]
    exact = [b for b in buttons if b.get("text") == label]
    partial = [b for b in buttons if label in str(b.get("text"))]
    chosen = exact or (partial if len(partial) == 1 else [])
    if not chosen:
        raise ControlError(f"no single button {label!r} on message {record.message['message_id']}; "
                           f"buttons: {[b.get('text') for b in buttons]}")
    return chosen[0]
