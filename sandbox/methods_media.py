"""Bot API methods for files: sending photos, documents, voice and video, media groups, and getFile."""
from __future__ import annotations

import secrets
from typing import Any

from sandbox.errors import bad_request
from sandbox.files import StoredFile, media_json, photo_sizes
from sandbox.methods_messages import send_from_bot, text_content
from sandbox.params import Params
from sandbox.world import World

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


def _stored(world: World, p: Params, name: str, kind: str) -> tuple[StoredFile | None, bytes | None]:
    """An existing file by file_id, or the bytes of an upload (also through attach://name)."""
    value = p.raw(name)
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.raw(value.removeprefix("attach://"))
    upload = value if value is not None and hasattr(value, "file") else None
    if upload is not None:
        data = upload.file.read()
        if kind == "photo":
            return None, data
        mime = upload.content_type if upload.content_type != "application/octet-stream" else None
        return world.files.add(kind, data, mime, upload.filename), None
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        raise bad_request("wrong file identifier/HTTP URL specified")  # the sandbox cannot fetch URLs
    return world.files.get(value), None


def media_content(world: World, p: Params, kind: str, name: str | None = None) -> dict[str, Any]:
    """The message fields for one photo, document, voice, video, audio or animation."""
    stored, photo_bytes = _stored(world, p, name or kind, kind)
    if kind == "photo":
        if photo_bytes is not None:
            body: Any = photo_sizes(world.files, photo_bytes)
        else:
            assert stored is not None
            body = world.files.photo_sets.get(stored.file_id) or photo_sizes(world.files, stored.data)
    else:
        assert stored is not None
        body = media_json(kind, stored, p.int("duration"))
    content: dict[str, Any] = {kind: body}
    caption = p.str("caption")
    if caption:
        content.update(text_content(caption, p.str("parse_mode"), p.json("caption_entities"), "caption"))
    return content


def _sender(kind: str):
    async def send(world: World, p: Params) -> dict[str, Any]:
        chat = world.chat_for_bot(p.chat_id())
        return send_from_bot(world, chat, media_content(world, p, kind), p, p.str("caption"))
    send.__name__ = f"send_{kind}"
    return send


send_photo = _sender("photo")
send_document = _sender("document")
send_video = _sender("video")
send_voice = _sender("voice")
send_audio = _sender("audio")
send_animation = _sender("animation")


async def send_media_group(world: World, p: Params) -> list[dict[str, Any]]:
    chat = world.chat_for_bot(p.chat_id())
    media = p.json("media") or []
    if not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album")
    group_id = str(secrets.randbits(60))
    sent = []
    for item in media:
        item_params = Params({**p.values, **{k: v for k, v in item.items() if k != "type"},
                              item["type"]: item["media"], "reply_markup": None})
        content = media_content(world, item_params, item["type"])
        message = send_from_bot(world, chat, {**content, "media_group_id": group_id}, item_params, item.get("caption"))
        sent.append(message)
    return sent


async def get_file(world: World, p: Params) -> dict[str, Any]:
    stored = world.files.get(p.str("file_id", required=True) or "")
    if len(stored.data) > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.to_file_json()
