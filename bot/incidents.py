"""Incidents in the chat: a report filed under a known fault, the owner's one tap on whether it is the same, a
notice that answers a report, and staff's /link, /unlink and /notice."""
from __future__ import annotations

import re
from html import escape

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup, Update
from telegram.ext import ContextTypes

from bot import keyboards, render
from bot.chat import Chat
from bot.common import Who, parse_ticket_id, reply
from bot.services import BotServices, services
from bot.staff import staff_only
from domain.incidents import Notice
from domain.people import Person
from domain.ports import UnitOfWork
from domain.reporting.draft import Draft
from domain.ticket import Ticket
from domain.usecases import incidents as uc
from domain.usecases.queries import view_ticket
from domain.values import Priority

NOTICE = "notice"  # the chat's state while a notice answered its draft: {"key": draft key, "id": notice id}
HOURS = re.compile(r"^(\d{1,3})h$", re.IGNORECASE)


def grouped_text(svc: BotServices, me: Who, ticket: Ticket) -> tuple[str, Markup]:
    """物业已知悉3栋电梯故障（工单#12），正在处理 — and is it the same problem? (one tap)."""
    what = escape(render.category_label(svc, me.language, ticket.category))
    text = svc.t(me.language, "report.grouped", id=ticket.id, parent=ticket.parent_id,
                 building=escape(ticket.location.building or "—"), what=what)
    markup = Markup([[B(svc.t(me.language, "btn.same_problem"), callback_data=f"g:same:{ticket.id}")],
                     [B(svc.t(me.language, "btn.other_problem"), callback_data=f"g:diff:{ticket.id}")]])
    return text, markup


async def answered_by_notice(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                             draft: Draft) -> bool:
    """Before filing: an active notice about this (停水 in building 3) answers it, and the owner may still file.
    True when the notice was shown and the draft waits for their tap; urgent reports are never held."""
    svc = services(context)
    seen = chat.get(NOTICE) or {}
    if draft.priority is Priority.URGENT or seen.get("key") == draft.key or me.person is None:
        return False
    notice = await svc.look(uc.notice_answering, svc.clock, me.person.id, draft.location.building, draft.category,
                           draft.text)
    if notice is None:
        return False
    await chat.put(NOTICE, {"key": draft.key, "id": notice.id})
    markup = Markup([[B(svc.t(me.language, "btn.notice_file"), callback_data="n:file")],
                     [B(svc.t(me.language, "btn.notice_drop"), callback_data="n:drop")]])
    await reply(update, svc.t(me.language, "report.notice", text=escape(notice.text),
                              until=render.when(svc, notice.expires_at)), parse_mode="HTML", reply_markup=markup)
    return True


async def on_group_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                          parts: list[str]) -> bool:
    """g:same:<id> keeps the report with its incident; g:diff:<id> sends it to dispatch on its own."""
    if not (len(parts) == 2 and parts[0] in ("same", "diff") and parts[1].isdecimal() and len(parts[1]) < 10):
        return False
    svc, ticket_id = services(context), int(parts[1])
    ticket = (await svc.look(view_ticket, me.person.id, ticket_id)).ticket  # type: ignore[union-attr]
    if ticket.owner_id != me.person.id or ticket.parent_id is None:  # only its own reporter, only while linked
        await reply(update, svc.t(me.language, "err.stale_button"))
        await _drop_buttons(update)
        return True
    if parts[0] == "diff":
        change = await svc.run(uc.unlink, svc.clock, me.person.id, ticket_id)  # type: ignore[union-attr]
        await reply(update, svc.t(me.language, "report.separate", id=ticket_id),
                    reply_markup=keyboards.owner_actions(svc, me.language, change.ticket.id))
    else:
        await reply(update, svc.t(me.language, "report.same", id=ticket_id, parent=ticket.parent_id))
    await _drop_buttons(update)
    return True


async def on_notice_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                           parts: list[str]) -> bool:
    """n:file files the draft the notice answered after all; n:drop lets it go."""
    from bot import report

    if parts not in (["file"], ["drop"]) or NOTICE not in chat or report.KIND not in chat:
        return False
    svc = services(context)
    draft = report.reporting.from_data(chat.get(report.KIND) or {})
    if (chat.get(NOTICE) or {}).get("key") != draft.key:
        return False
    await _drop_buttons(update)
    if parts == ["drop"]:
        await chat.drop(report.KIND)
        await chat.drop(NOTICE)
        await reply(update, svc.t(me.language, "report.notice_dropped"))
        return True
    await report.submit(update, context, me, chat, draft)
    return True


async def link(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/link <id> <parent>: join a report to an incident."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    ids = [parse_ticket_id(a) for a in args]
    if len(ids) != 2 or None in ids:
        await reply(update, svc.t(me.language, "usage.link"))
        return
    try:
        change = await svc.run(uc.link, svc.clock, me.person.id, ids[0], ids[1])  # type: ignore[union-attr]
    except uc.LinkRefused as refused:
        await reply(update, svc.t(me.language, f"incident.refused_{refused.reason}", id=ids[0], parent=ids[1],
                                  other=refused.facts.get("other") or "—"))
        return
    await reply(update, svc.t(me.language, "incident.linked", id=change.ticket.id, parent=change.ticket.parent_id))


async def unlink(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unlink <id>: the report goes on alone."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc = services(context)
    ticket_id = parse_ticket_id(context.args[0]) if len(context.args or []) == 1 else None
    if ticket_id is None:
        await reply(update, svc.t(me.language, "usage.unlink"))
        return
    change = await svc.run(uc.unlink, svc.clock, me.person.id, ticket_id)  # type: ignore[union-attr]
    key = "incident.not_linked" if change.repeated else "incident.unlinked"
    await reply(update, svc.t(me.language, key, id=ticket_id))


async def notice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/notice: the active ones; /notice <building> [6h] <text>: tell its residents; /notice end <n>."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    if not args:
        found = await svc.run(uc.active_notices, svc.clock, me.person.id)  # type: ignore[union-attr]
        lines = "\n".join(_notice_line(svc, n) for n in found)
        await reply(update, svc.t(me.language, "notice.list", lines=lines) if found
                    else svc.t(me.language, "notice.none"), parse_mode="HTML")
        return
    if args[0].lower() == "end":
        number = parse_ticket_id(args[1]) if len(args) == 2 else None
        if number is None:
            await reply(update, svc.t(me.language, "usage.notice"))
            return
        ended = await svc.run(uc.end_notice, svc.clock, me.person.id, number)  # type: ignore[union-attr]
        await reply(update, svc.t(me.language, "notice.ended", n=ended.id))
        return
    hours = HOURS.match(args[1]) if len(args) > 2 else None
    text = " ".join(args[2:] if hours else args[1:]).strip()
    if not text:
        await reply(update, svc.t(me.language, "usage.notice"))
        return
    category = (await svc.nlu.aparse(text)).category
    done = await svc.run(uc.announce, svc.clock, me.person.id, args[0], text, category,  # type: ignore[union-attr]
                         int(hours.group(1)) if hours else svc.policies.notice_hours, tell=_teller(svc))
    await reply(update, svc.t(me.language, "notice.sent", n=done.notice.id, building=escape(done.notice.building),
                              count=done.residents, until=render.when(svc, done.notice.expires_at)))


def _notice_line(svc: BotServices, n: Notice) -> str:
    return f"<b>{n.id}</b> · {escape(n.building)} · {render.when(svc, n.expires_at)} · {escape(n.text[:80])}"


def _teller(svc: BotServices):  # type: ignore[no-untyped-def]
    """Writes the notice to each resident into the outbox, in the notice's transaction (the sender paces it)."""
    from domain.outbox import OutboxMessage

    def tell(uow: UnitOfWork, n: Notice, residents: list[Person]) -> None:
        for person in residents:
            text = render.fit(svc.t(person.language, "push.notice", building=escape(n.building), text=escape(n.text),
                                    until=render.when(svc, n.expires_at)))
            uow.outbox.add(OutboxMessage(chat_id=person.chat_id or 0, text=text, created_at=n.created_at,
                                         person_id=person.id))
    return tell


async def _drop_buttons(update: Update) -> None:
    from bot.callbacks import _drop_buttons as drop

    await drop(update)
