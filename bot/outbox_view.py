"""/outbox: the messages the bot could never deliver, for staff to reach those people another way."""
from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot import render
from bot.common import reply
from bot.services import BotServices, services
from bot.staff import staff_only
from domain.usecases.outbox import Undelivered, undelivered_messages
from domain.values import Language

PAGE = 10
ERROR_SHOWN = 120  # characters of Telegram's own words; the rest is in the database


async def outbox(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/outbox [page]: undeliverable and failed messages, newest first, ten a page."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    page = int(args[0]) if args and args[0].isascii() and args[0].isdecimal() and 0 < int(args[0]) <= 10_000 else \
        None if args else 1
    if page is None:
        await reply(update, svc.t(me.language, "usage.outbox"))
        return
    found = await svc.run(undelivered_messages, me.person.id, PAGE, (page - 1) * PAGE)  # type: ignore[union-attr]
    if not found.items:
        key = "outbox.none" if found.total == 0 else "outbox.no_such_page"
        await reply(update, svc.t(me.language, key, total=found.total))
        return
    first = (page - 1) * PAGE + 1
    lines = "\n".join(_line(svc, me.language, item) for item in found.items)
    more = svc.t(me.language, "outbox.more", page=page + 1) if first + len(found.items) - 1 < found.total else ""
    await reply(update, svc.t(me.language, "outbox.list", first=first, last=first + len(found.items) - 1,
                              total=found.total, lines=lines) + more, parse_mode="HTML")


def _line(svc: BotServices, lang: Language, item: Undelivered) -> str:
    message, person = item.message, item.recipient
    if person is not None:
        to = f"{render.person_name(person)} ({svc.t(lang, f'role.{person.role.value}')})"
    elif message.chat_id == svc.staff_chat_id:
        to = svc.t(lang, "outbox.staff_group")
    else:
        to = svc.t(lang, "outbox.chat", chat=message.chat_id)
    ticket = f"#{message.ticket_id}" if message.ticket_id else "—"
    error = escape((message.error or "")[:ERROR_SHOWN])
    return svc.t(lang, "outbox.line", when=render.when(svc, message.created_at), to=to, ticket=ticket,
                 why=svc.t(lang, f"outbox.why_{message.status.value}"), error=error)
