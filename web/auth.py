"""Who is asking: the signed session cookie, the person behind it (active?), CSRF and the rate limit on POSTs."""
from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from domain.people import Person
from domain.values import Language
from storage.web_store import WebSession
from web.channel import WebChannel
from web.errors import accepted_language, refusal
from web.signing import COOKIE

CHANNEL: web.AppKey[WebChannel] = web.AppKey("channel", WebChannel)
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class Caller:
    session: WebSession
    person: Person | None
    language: Language

    @property
    def chat_id(self) -> int:
        return self.session.chat_id

    @property
    def name(self) -> str:
        return self.person.name if self.person else "web"


async def caller(request: web.Request, post: bool = False) -> Caller:
    """The signed-in caller, or a refusal: 401 no/forged/expired session, 403 CSRF, 429 too many posts."""
    channel = request.app[CHANNEL]
    fallback = accepted_language(request.headers.get("Accept-Language"), channel.svc.default_language)
    cookie = request.cookies.get(COOKIE)
    session = await channel.session(cookie)
    if session is None:
        signed = channel.signer.session_id(cookie) is not None  # a real cookie whose session ended
        raise refusal(channel.svc.catalogs, fallback, 401, "session_expired" if signed else "no_session")
    person = await channel.person(session.chat_id)
    language = person.language if person else fallback
    if person is not None and not person.active:  # deactivated by staff: the web sessions end with it
        await channel.end_chat(session.chat_id)
        raise refusal(channel.svc.catalogs, language, 401, "deactivated")
    if post:
        if not channel.signer.csrf_ok(session.id, request.headers.get(CSRF_HEADER)):
            raise refusal(channel.svc.catalogs, language, 403, "csrf")
        if not channel.rate.allow(session.id, channel.svc.clock.now()):
            raise refusal(channel.svc.catalogs, language, 429, "rate")
    return Caller(session, person, language)
