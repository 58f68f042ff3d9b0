"""Photos and voice notes from the page, checked for size, converted, and sent on as Telegram would send them;
and the files a message shows (only that chat's own)."""
from __future__ import annotations

from aiohttp import BodyPartReader, web

from web.auth import CHANNEL, Caller, caller
from web.errors import refusal
from web.media import MediaError, photo_as_jpeg, recording_as_voice
from web.settings import MB, megabytes

CHUNK = 64 * 1024


async def _read_upload(request: web.Request, who: Caller, limit: int) -> tuple[bytes, str | None, str]:
    """The multipart `file` (refused over `limit` while reading, never held whole) and the `caption` field."""
    catalogs = request.app[CHANNEL].svc.catalogs
    too_large = refusal(catalogs, who.language, 413, "too_large", mb=megabytes(limit))
    if request.content_length is not None and request.content_length > limit + MB:
        raise too_large
    data, name, caption = b"", None, ""
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError):
        raise refusal(catalogs, who.language, 400, "bad_input") from None
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "caption":
            caption = (await part.text())[:1024]
        elif part.name == "file":
            name, chunks, size = part.filename, [], 0
            while chunk := await part.read_chunk(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise too_large
                chunks.append(chunk)
            data = b"".join(chunks)
    if not data:
        raise refusal(catalogs, who.language, 400, "bad_input")
    return data, name, caption


async def photo(request: web.Request) -> web.Response:
    who = await caller(request, post=True)
    channel = request.app[CHANNEL]
    data, _, caption = await _read_upload(request, who, channel.config.max_photo_bytes)
    try:
        jpeg, width, height = await photo_as_jpeg(data)
    except MediaError:
        raise refusal(channel.svc.catalogs, who.language, 400, "bad_photo") from None
    file_id = await channel.inbox.put_file(who.chat_id, "image/jpeg", jpeg)
    content: dict[str, object] = {"photo": [{"file_id": file_id, "file_unique_id": file_id, "width": width,
                                             "height": height, "file_size": len(jpeg)}]}
    if caption.strip():
        content["caption"] = caption
    await channel.say(who.chat_id, content, who.name, who.language)
    return web.json_response({"ok": True})


async def voice(request: web.Request) -> web.Response:
    who = await caller(request, post=True)
    channel = request.app[CHANNEL]
    data, name, _ = await _read_upload(request, who, channel.config.max_voice_bytes)
    try:
        ogg, seconds = await recording_as_voice(data, name or "voice.webm")
    except MediaError:
        raise refusal(channel.svc.catalogs, who.language, 400, "bad_voice") from None
    file_id = await channel.inbox.put_file(who.chat_id, "audio/ogg", ogg)
    content = {"voice": {"file_id": file_id, "file_unique_id": file_id, "duration": max(seconds, 1),
                         "mime_type": "audio/ogg", "file_size": len(ogg)}}
    await channel.say(who.chat_id, content, who.name, who.language)
    return web.json_response({"ok": True})


async def file(request: web.Request) -> web.Response:
    """GET /web/api/file/{message_id}: the photo or recording of one of the caller's own messages."""
    who = await caller(request)
    channel = request.app[CHANNEL]
    try:
        message = await channel.inbox.message(who.chat_id, int(request.match_info["message_id"]))
    except ValueError:
        message = None
    payload = message.payload if message else {}
    entry = (payload.get("photo") or [None])[-1] or payload.get("voice") or payload.get("audio") or \
        payload.get("document")
    if not entry:
        raise refusal(channel.svc.catalogs, who.language, 404, "not_found")
    file_id = str(entry["file_id"])
    found = await channel.inbox.file(file_id) if file_id.startswith("web-") else None
    if found is not None:
        mime, data = found[1], found[2]
    else:  # a file that came from Telegram (a technician's photo): fetched through the bot, as the bot would
        assert channel.application is not None
        try:
            data = bytes(await (await channel.application.bot.get_file(file_id)).download_as_bytearray())
        except Exception:
            raise refusal(channel.svc.catalogs, who.language, 404, "not_found") from None
        mime = "image/jpeg" if payload.get("photo") else "audio/ogg" if payload.get("voice") else \
            "application/octet-stream"
    return web.Response(body=data, content_type=mime, headers={"Cache-Control": "private, max-age=86400",
                                                               "X-Content-Type-Options": "nosniff"})
