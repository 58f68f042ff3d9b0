"""Parts stock from chat (物料申领): /stock for levels and consumption, counts and deliveries; /requisition."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.actions import perform
from bot.bill_view import part_line, part_name, unit
from bot.common import parse_ticket_id, reply, require_person
from bot.render import fit
from bot.services import services
from domain.usecases import parts as uc

DEFAULT_DAYS = 30


async def stock(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stock [days]: levels and what was drawn; /stock CODE +N (delivered) or CODE =N (counted), for staff."""
    me = await require_person(update, context)
    if me is None:
        return
    svc, lang, args = services(context), me.language, list(context.args or [])
    if len(args) == 2 and args[1][:1] in "+=＋＝" and args[1][1:].isdecimal():
        counted = args[1][0] in "=＝"
        move = await svc.run(uc.restock, svc.clock, svc.policies.billing, me.person.id, args[0],  # type: ignore[union-attr]
                             int(args[1][1:]), counted)
        await reply(update, svc.t(lang, "ok.stock", code=move.part_code, before=move.before, after=move.after))
        return
    if len(args) > 1 or (args and not args[0].isdecimal()):
        await reply(update, svc.t(lang, "usage.stock"))
        return
    days = int(args[0]) if args else DEFAULT_DAYS
    report = await svc.run(uc.stock_report, svc.clock, svc.policies.billing, me.person.id, days)  # type: ignore[union-attr]
    lines = [part_line(svc, lang, p, report.low_default) for p in report.parts]
    used = [svc.t(lang, "stock.used_line", name=part_name(lang, p), qty=report.used[p.code], unit=unit(lang, p),
                  short=report.short.get(p.code, 0))
            for p in report.parts if report.used.get(p.code) or report.short.get(p.code)]
    text = "\n".join([svc.t(lang, "stock.head"), *lines, "", svc.t(lang, "stock.used_head", days=days),
                      *(used or [svc.t(lang, "stock.nothing_used")])])
    await reply(update, fit(text), parse_mode="HTML")


async def requisition(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/requisition <part> <qty> <ticket>: draw parts from stock for a job; a shortfall is told, never hidden."""
    me = await require_person(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    ticket_id = parse_ticket_id(args[2]) if len(args) == 3 else None
    if ticket_id is None or not args[1].isdecimal():
        await reply(update, svc.t(me.language, "usage.requisition"))
        return
    code, qty = args[0].upper(), int(args[1])
    await perform(update, context, me, "requisition", ticket_id, code, qty)
