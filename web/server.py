"""The web channel's aiohttp app: the page, the invite links, the JSON API and the live event stream."""
from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from domain.errors import InviteError
from web import api, events, uploads
from web.auth import CHANNEL
from web.channel import WebChannel
from web.errors import accepted_language
from web.pages import help_page, invalid_page, start_page
from web.settings import MB
from web.signing import COOKIE
from storage.web_store import WebSession

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
                                      "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"}


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers=HEADERS)


async def index(request: web.Request) -> web.StreamResponse:
    """The chat page for a signed-in browser; anyone else is shown how to sign in (scan the QR code)."""
    channel = request.app[CHANNEL]
    if await channel.session(request.cookies.get(COOKIE)) is None:
        raise web.HTTPFound("/web/help")
    return web.FileResponse(STATIC / "index.html", headers={**HEADERS, "Cache-Control": "no-store"})


async def to_page(request: web.Request) -> web.Response:
    raise web.HTTPFound("/web/")


async def help_(request: web.Request) -> web.Response:
    return _html(help_page(request.app[CHANNEL].svc.catalogs))


async def invite_page(request: web.Request) -> web.Response:
    """GET /web/i/{code}: a start button only (link previews GET it; the code is used by the POST)."""
    channel, code = request.app[CHANNEL], request.match_info["code"]
    try:
        await channel.check_invite(code)
    except InviteError as error:
        return await _unusable(request, channel, error)
    return _html(start_page(channel.svc.catalogs, code))


async def _unusable(request: web.Request, channel: WebChannel, error: InviteError) -> web.Response:
    """A used link scanned again by the browser it signed in (the QR code on the fridge): back to the chat."""
    if error.reason == "used" and await channel.session(request.cookies.get(COOKIE)) is not None:
        raise web.HTTPFound("/web/")
    return _html(invalid_page(channel.svc.catalogs, error.reason), 404 if error.reason == "unknown" else 410)


async def redeem(request: web.Request) -> web.Response:
    """POST /web/i/{code}: a new web chat and session; "/start <code>" from it, so the bot registers them."""
    channel, code = request.app[CHANNEL], request.match_info["code"]
    _same_site(request, channel)
    try:
        invite = await channel.check_invite(code)
    except InviteError as error:
        return _html(invalid_page(channel.svc.catalogs, error.reason), 404 if error.reason == "unknown" else 410)
    form = await request.post()
    typed = str(form.get("name") or "").strip()[:60]
    name = typed or invite.name or (invite.home.short() if invite.home else "web")
    language = accepted_language(request.headers.get("Accept-Language"), channel.svc.default_language)
    session = await channel.open_session(None, code)
    await channel.say(session.chat_id, {"text": f"/start {code}"}, name, language, shown=False)
    raise _signed_in(channel, session)


async def link_page(request: web.Request) -> web.Response:
    """GET /web/l/{token}: a Telegram resident's own /web link (both channels): the start button only."""
    channel, token = request.app[CHANNEL], request.match_info["token"]
    try:
        await channel.check_link(token)
    except InviteError as error:
        return await _unusable(request, channel, error)
    return _html(start_page(channel.svc.catalogs, token, action="/web/l/"))


async def redeem_link(request: web.Request) -> web.Response:
    """POST /web/l/{token}: a web session on the resident's Telegram chat; the page then mirrors that chat."""
    channel = request.app[CHANNEL]
    _same_site(request, channel)
    try:
        session = await channel.redeem_link(request.match_info["token"])
    except InviteError as error:
        return _html(invalid_page(channel.svc.catalogs, error.reason), 404 if error.reason == "unknown" else 410)
    raise _signed_in(channel, session)


def _same_site(request: web.Request, channel: WebChannel) -> None:
    origin = request.headers.get("Origin")
    if origin and origin not in ("null", channel.config.public_url.rstrip("/"), f"{request.scheme}://{request.host}"):
        raise web.HTTPForbidden(text="cross-site sign-in refused")  # nobody signs a visitor into their link


def _signed_in(channel: WebChannel, session: WebSession) -> web.HTTPSeeOther:
    response = web.HTTPSeeOther("/web/")
    response.set_cookie(COOKIE, channel.signer.cookie(session.id), max_age=channel.config.session_days * 86400,
                        path="/web", httponly=True, samesite="Strict", secure=channel.config.secure)
    return response


def make_app(channel: WebChannel) -> web.Application:
    biggest = max(channel.config.max_photo_bytes, channel.config.max_voice_bytes)
    app = web.Application(client_max_size=biggest + MB)  # the upload handlers refuse clearly below this
    app[CHANNEL] = channel
    app.add_routes([
        web.get("/web", to_page), web.get("/web/", index), web.get("/web/help", help_),
        web.get("/web/i/{code}", invite_page), web.post("/web/i/{code}", redeem),
        web.get("/web/l/{token}", link_page), web.post("/web/l/{token}", redeem_link),
        web.get("/web/api/session", api.session), web.get("/web/api/messages", api.messages),
        web.get("/web/api/events", events.events), web.get("/web/api/file/{message_id}", uploads.file),
        web.post("/web/api/send", api.send), web.post("/web/api/tap", api.tap), web.post("/web/api/lang", api.lang),
        web.post("/web/api/logout", api.logout), web.post("/web/api/photo", uploads.photo),
        web.post("/web/api/voice", uploads.voice),
    ])
    app.router.add_static("/web/static", STATIC, show_index=False)
    return app
