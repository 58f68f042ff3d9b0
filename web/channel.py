"""The web channel: its inbox and live hub, its sessions, and the way a page's actions reach the bot."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.services import BotServices
from domain.errors import InviteError
from domain.people import Person
from domain.registration import Invite
from domain.values import Language
from storage.web_store import PENDING, WebSession, WebStore
from web.gateway import ChannelRouter
from web.ids import WEB_CHAT_BASE, is_web_chat
from web.inbox import Inbox
from web.limits import RateLimit
from web.live import LiveHub
from web.settings import WebSettings
from web.signing import Signer
from web.updates import UpdateMaker

logger = logging.getLogger(__name__)


class WebChannel:
    def __init__(self, config: WebSettings, svc: BotServices, store: WebStore, signer: Signer) -> None:
        self.config, self.svc, self.store, self.signer = config, svc, store, signer
        self.hub = LiveHub()
        self.inbox = Inbox(store, self.hub, svc.clock)
        self.updates = UpdateMaker()
        self.rate = RateLimit(config.rate_per_minute)
        self.application: Application | None = None  # set by web.app.attach
        self._chat_lock = asyncio.Lock()
        self._mirrored: set[int] = set()  # Telegram chats with a web session (priority 2: both channels)
        self.port = config.port  # the bound one once the server runs (port 0 in tests)

    def router(self, inner: BaseRequest) -> ChannelRouter:
        return ChannelRouter(inner, self.inbox, self.note, mirror=self.mirrors)

    async def mirrors(self, chat_id: int) -> bool:
        return chat_id in self._mirrored

    async def restore_mirrors(self) -> None:
        """After a restart: the Telegram chats that still have a usable web session keep their copies."""
        chats = await asyncio.to_thread(self.store.open_chats_below, WEB_CHAT_BASE, self.svc.clock.now())
        self._mirrored = set(chats)

    # people, through the same repository the bot reads them with
    async def person(self, chat_id: int) -> Person | None:
        def read() -> Person | None:
            with self.svc.uow() as uow:
                return uow.people.by_chat_id(chat_id)
        return await asyncio.to_thread(read)

    async def language(self, chat_id: int | None, fallback: Language | None = None) -> Language:
        person = await self.person(chat_id) if chat_id is not None else None
        return person.language if person else (fallback or self.svc.default_language)

    async def note(self, chat_id: int, key: str) -> str:
        return self.svc.t(await self.language(chat_id), key)

    # invites and sessions
    async def check_invite(self, code: str) -> Invite:
        """The invite behind a link, read only (the bot redeems it): raises InviteError when it cannot be used."""
        def read() -> Invite:
            with self.svc.uow() as uow:
                invite = uow.invites.get(code.strip()) if code.strip() else None
            if invite is None:
                raise InviteError("unknown")
            invite.check_redeemable(self.svc.clock.now())
            return invite
        return await asyncio.to_thread(read)

    async def open_session(self, chat_id: int | None, invite_code: str | None,
                           lifetime: timedelta | None = None) -> WebSession:
        """A session on `chat_id`, or on a new web chat (the next id above WEB_CHAT_BASE)."""
        now = self.svc.clock.now()
        expires = now + (lifetime or timedelta(days=self.config.session_days))
        async with self._chat_lock:  # two redeems at once must not take the same chat id
            if chat_id is None:
                chat_id = await asyncio.to_thread(self.store.highest_web_chat, WEB_CHAT_BASE) + 1
            session = await asyncio.to_thread(self.store.open_session, chat_id, now, expires, invite_code)
        if not is_web_chat(chat_id):
            self._mirrored.add(chat_id)
        return session

    async def telegram_link(self, chat_id: int) -> str:
        """Priority 2, both channels: a one-time link that opens a web session on this Telegram chat."""
        token = secrets.token_urlsafe(24)
        lifetime = timedelta(minutes=self.config.link_minutes)
        now = self.svc.clock.now()
        await asyncio.to_thread(self.store.open_session, chat_id, now, now + lifetime, "telegram", _pending(token))
        return f"{self.config.public_url.rstrip('/')}/web/l/{token}"

    async def check_link(self, token: str) -> WebSession:
        """The pending link behind a token, or InviteError(unknown | used | expired), read only."""
        found = await asyncio.to_thread(self.store.session, _pending(token))
        if found is None:
            raise InviteError("unknown")
        if found.revoked_at is not None:
            raise InviteError("used")
        if not found.usable(self.svc.clock.now()):
            raise InviteError("expired")
        return found

    async def redeem_link(self, token: str) -> WebSession:
        """Use the link up (only one browser wins a race: the update that ends it counts) and sign that one in."""
        pending = await self.check_link(token)
        ended = await asyncio.to_thread(self.store.end_sessions, self.svc.clock.now(), sid=pending.id)
        if not ended:
            raise InviteError("used")
        return await self.open_session(pending.chat_id, None)

    async def session(self, cookie: str | None) -> WebSession | None:
        """The usable session a cookie names, or None (missing, forged, expired, revoked)."""
        sid = self.signer.session_id(cookie)
        if sid is not None and sid.startswith(PENDING):
            return None  # a link's token is not a session, even if it were somehow signed
        found = await asyncio.to_thread(self.store.session, sid) if sid else None
        return found if found is not None and found.usable(self.svc.clock.now()) else None

    async def end_session(self, session: WebSession) -> None:
        await asyncio.to_thread(self.store.end_sessions, self.svc.clock.now(), sid=session.id)

    async def end_invite_sessions(self, code: str) -> int:
        """Staff /revoke of a used code: the browsers it signed in are signed out."""
        return await asyncio.to_thread(self.store.end_sessions, self.svc.clock.now(), invite_code=code)

    async def end_chat(self, chat_id: int) -> None:
        self._mirrored.discard(chat_id)
        await asyncio.to_thread(self.store.end_sessions, self.svc.clock.now(), chat_id=chat_id)

    # what the resident does
    async def say(self, chat_id: int, content: dict[str, Any], name: str, language: Language,
                  shown: bool = True) -> dict[str, Any]:
        """The resident's message: into their inbox (so the page shows it), then to the bot as an update.
        `shown=False` for what the page sends for them (/start <code>, /lang en): kept, not displayed."""
        if not shown:
            content = {**content, "_web": {"hidden": True}}
        sent = await self.inbox.add(chat_id, content, from_bot=False)
        await self.feed(self.updates.message(sent, name, language.value))
        return sent

    async def tap(self, chat_id: int, bot_message: dict[str, Any], data: str, name: str, language: Language) -> None:
        telegram_id = bot_message.get("_web", {}).get("telegram_message_id")
        if telegram_id is not None:  # a copy of a Telegram message: the bot edits the original, the copy follows
            bot_message = {**bot_message, "message_id": telegram_id}
        await self.feed(self.updates.tap(chat_id, bot_message, data, name, language.value))

    async def feed(self, data: dict[str, Any]) -> None:
        assert self.application is not None, "the web channel is attached to the running application"
        await self.application.update_queue.put(Update.de_json(data, self.application.bot))


def _pending(token: str) -> str:
    """The stored id of a link: a hash, so the table never holds a usable token."""
    return PENDING + hashlib.sha256(token.encode()).hexdigest()[:40]
