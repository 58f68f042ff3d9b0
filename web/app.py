"""Wiring the web channel into the running bot: its router in the Bot API path, its server beside the bot."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import Engine
from telegram.ext import Application

from bot.services import BotServices
from storage.db import make_session_factory
from storage.web_store import WebStore
from web.channel import WebChannel
from web.qr import qr_png
from web.server import make_app
from web.settings import WebSettings
from web.signing import Signer, load_secret

logger = logging.getLogger(__name__)


class WebLinks:
    """What the bot's /invite … web and /web need: the link for a code, its QR image, a session for a chat."""

    def __init__(self, channel: WebChannel) -> None:
        self.channel = channel

    def url(self, code: str) -> str:
        return self.channel.config.invite_url(code)

    def qr_png(self, url: str) -> bytes:
        return qr_png(url)

    async def telegram_link(self, chat_id: int) -> str:
        return await self.channel.telegram_link(chat_id)

    async def end_invite_sessions(self, code: str) -> int:
        return await self.channel.end_invite_sessions(code)

    @property
    def link_minutes(self) -> int:
        return self.channel.config.link_minutes


def build_channel(settings: WebSettings, svc: BotServices, engine: Engine, secret_file: Path) -> WebChannel:
    return WebChannel(settings, svc, WebStore(make_session_factory(engine)), Signer(load_secret(secret_file)))


def attach(application: Application, channel: WebChannel) -> None:
    """Start the web server after the bot's post_init and stop it before its post_stop (same event loop)."""
    channel.application = application
    application.bot_data["web_links"] = WebLinks(channel)
    first_init, last_stop = application.post_init, application.post_stop

    async def post_init(app: Application) -> None:
        if first_init is not None:
            await first_init(app)
        await channel.restore_mirrors()
        runner = web.AppRunner(make_app(channel), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, channel.config.host, channel.config.port)
        await site.start()
        app.bot_data["web_runner"] = runner
        channel.port = _bound_port(site)
        logger.info("web chat listening on %s:%s", channel.config.host, channel.port)

    async def post_stop(app: Application) -> None:
        runner = app.bot_data.pop("web_runner", None)
        if runner is not None:
            channel.hub.close_all()  # open pages' event streams would hold the cleanup for a minute
            await runner.cleanup()
        if last_stop is not None:
            await last_stop(app)

    application.post_init, application.post_stop = post_init, post_stop


def _bound_port(site: web.TCPSite) -> int:
    server: Any = site._server  # noqa: SLF001 (aiohttp keeps the listening sockets there; port 0 in tests)
    return int(server.sockets[0].getsockname()[1]) if server and server.sockets else 0
