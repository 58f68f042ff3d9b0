"""The page's JSON API under /web/api: what it shows (session, messages) and what the resident does."""
from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from web.auth import CHANNEL, Caller, caller
from web.errors import refusal
from web.present import button_allowed, hidden, present
from web.updates import chip_text

MAX_TEXT = 4096  # Telegram's own limit for one message
OK = {"ok": True}


async def _json_body(request: web.Request, who: Caller) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        body = None
    if not isinstance(body, dict):
        raise refusal(request.app[CHANNEL].svc.catalogs, who.language, 400, "bad_input")
    return body


async def session(request: web.Request) -> web.Response:
    who = await caller(request)
    channel = request.app[CHANNEL]
    return web.json_response({"ok": True, "name": who.person.name if who.person else None,
                              "language": who.language.value, "csrf": channel.signer.csrf(who.session.id),
                              "max_photo_bytes": channel.config.max_photo_bytes,
                              "max_voice_bytes": channel.config.max_voice_bytes})


async def messages(request: web.Request) -> web.Response:
    who = await caller(request)
    try:
        after = int(request.query.get("after", "0"))
    except ValueError:
        raise refusal(request.app[CHANNEL].svc.catalogs, who.language, 400, "bad_input") from None
    store = request.app[CHANNEL].store
    found = await request.app[CHANNEL].svc.call(store.messages_after, who.chat_id, after)
    return web.json_response({"ok": True, "messages": [present(m) for m in found if not hidden(m)]})


async def send(request: web.Request) -> web.Response:
    who = await caller(request, post=True)
    text = (await _json_body(request, who)).get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise refusal(request.app[CHANNEL].svc.catalogs, who.language, 400, "bad_input")
    await request.app[CHANNEL].say(who.chat_id, {"text": text}, who.name, who.language)
    return web.json_response(OK)


async def tap(request: web.Request) -> web.Response:
    """A chip: the button's callback data goes to the bot as a tap on that message, only if the message has it."""
    who = await caller(request, post=True)
    channel, body = request.app[CHANNEL], await _json_body(request, who)
    data, message_id = body.get("data"), body.get("message_id")
    message = await channel.inbox.message(who.chat_id, message_id) if isinstance(message_id, int) else None
    if not isinstance(data, str) or message is None or not message.from_bot or not button_allowed(message.payload, data):
        raise refusal(channel.svc.catalogs, who.language, 400, "bad_input")
    text = chip_text(data)
    if text is not None:
        await channel.say(who.chat_id, {"text": text}, who.name, who.language)
    else:
        await channel.tap(who.chat_id, message.payload, data, who.name, who.language)
    return web.json_response(OK)


async def lang(request: web.Request) -> web.Response:
    """The language switch: "/lang en" through the bot, which answers (and remembers it) as in Telegram."""
    who = await caller(request, post=True)
    language = (await _json_body(request, who)).get("language")
    if language not in ("zh", "en"):
        raise refusal(request.app[CHANNEL].svc.catalogs, who.language, 400, "bad_input")
    await request.app[CHANNEL].say(who.chat_id, {"text": f"/lang {language}"}, who.name, who.language,
                                   shown=False)
    return web.json_response(OK)


async def logout(request: web.Request) -> web.Response:
    who = await caller(request, post=True)
    await request.app[CHANNEL].end_session(who.session)
    response = web.json_response({"ok": True, "message": request.app[CHANNEL].svc.t(who.language, "web.logged_out")})
    response.del_cookie("bx_session", path="/web")
    return response
