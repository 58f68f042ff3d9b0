"""The web chat's links in Telegram: staff's `/invite owner 3-2-1801 web` answers with the link and its QR code."""
from __future__ import annotations

from typing import Protocol

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.common import reply, require_person
from bot.services import BotServices, services
from domain.values import Language

WEB_FLAG = "web"


class WebLinks(Protocol):
    """Filled by the web channel when it runs (web/app.py); absent when config turns the web chat off."""

    def url(self, code: str) -> str: ...

    def qr_png(self, url: str) -> bytes: ...

    async def telegram_link(self, chat_id: int) -> str: ...

    async def end_invite_sessions(self, code: str) -> int: ...

    @property
    def link_minutes(self) -> int: ...


def web_links(context: ContextTypes.DEFAULT_TYPE) -> WebLinks | None:
    return context.application.bot_data.get("web_links")


def take_web_flag(args: list[str]) -> tuple[list[str], bool]:
    """`/invite owner 3-2-1801 [name] web`: the word `web` right after the home (as the issue writes it, and staff
    then add a name) or last asks for a web link instead of a Telegram one; never part of the owner's name."""
    if len(args) > 2 and args[0].lower() == "owner":
        for at in (2, len(args) - 1):
            if args[at].lower() == WEB_FLAG:
                return args[:at] + args[at + 1:], True
    return args, False


async def answer_web_invite(update: Update, context: ContextTypes.DEFAULT_TYPE, svc: BotServices,
                            language: Language, code: str, place: str) -> bool:
    """The web link and a printable QR image of it; False when the web chat is not running here."""
    links = web_links(context)
    if links is None:
        return False
    url = links.url(code)
    hours = int(svc.policies.invite_ttl.total_seconds() // 3600)
    await reply(update, svc.t(language, "web.invite", link=url, hours=hours))
    png = await svc.call(links.qr_png, url)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat.id, InputFile(png, filename="invite-qr.png"),
                                 caption=svc.t(language, "web.qr_caption", place=place))
    return True


async def web(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/web: a one-time link that opens this same chat in a browser (both channels, the same tickets)."""
    me = await require_person(update, context)
    if me is None:
        return
    svc, links, chat = services(context), web_links(context), update.effective_chat
    if chat is None or chat.type != "private":
        await reply(update, svc.t(me.language, "web.private_only"))  # a link in a group is anyone's
        return
    if links is None:
        await reply(update, svc.t(me.language, "web.off"))
        return
    url = await links.telegram_link(me.chat_id)
    await reply(update, svc.t(me.language, "web.link", link=url, minutes=links.link_minutes))
