"""Fees and parts from chat: /bill, /adjust, /paid for the money; /parts, /price, /stock, /requisition for parts."""
from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.actions import perform
from bot.bill_view import bill_text, money, part_line, rate_line
from bot.common import reply, require_person, ticket_arg
from bot.render import fit
from bot.services import BotServices, services
from domain.billing.adjust import Adjustment
from domain.billing.catalog import RateKind
from domain.billing.money import parse_yuan
from domain.errors import DomainError
from domain.usecases import billing, parts as uc
from domain.values import Category

RATE_WORDS = {"hour": RateKind.HOURLY, "hourly": RateKind.HOURLY, "工时": RateKind.HOURLY, "每小时": RateKind.HOURLY,
              "callout": RateKind.CALLOUT, "上门": RateKind.CALLOUT, "上门费": RateKind.CALLOUT}


async def bill(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bill N: the ticket's bill, and for staff every earlier version with its reason."""
    me = await require_person(update, context)
    ticket_id = await ticket_arg(update, context, me, "bill") if me else None
    if me is None or ticket_id is None:
        return
    svc, lang = services(context), me.language
    seen = await svc.run(billing.view, me.person.id, ticket_id)  # type: ignore[union-attr]
    if seen.current is None:
        await reply(update, svc.t(lang, "bill.none", id=ticket_id))
        return
    shown = seen.versions if me.person and me.person.is_staff else [seen.current]
    texts = [bill_text(svc, lang, b) for b in shown]
    texts.append(svc.t(lang, _state_key(svc, seen.state.value, owner=not (me.person and me.person.is_staff)),
                       id=ticket_id))
    await reply(update, fit("\n\n".join(texts)), parse_mode="HTML")


def _state_key(svc: BotServices, state: str, owner: bool) -> str:
    """An approved bill is paid with the invoice in the chat when a payment provider is set, else at the office."""
    if state == "approved" and svc.settings.payment_provider_token:
        return "bill.state.approved_invoice" if owner else "bill.state.approved_staff_invoice"
    return f"bill.state.{state}"


async def adjust(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/adjust N [CODE=qty] [labour=minutes] [callout=0] [total=yuan] reason: the next version of the bill."""
    me = await require_person(update, context)
    ticket_id = await ticket_arg(update, context, me, "adjust") if me else None
    if me is None or ticket_id is None:
        return
    svc = services(context)
    change = _adjustment(context.args[1:] if context.args else [])
    if change is None:
        await reply(update, svc.t(me.language, "usage.adjust"))
        return
    await perform(update, context, me, "adjust", ticket_id, change)


def _adjustment(words: list[str]) -> Adjustment | None:
    """CODE=2 sets a part's quantity, labour=30 the minutes, callout=0 waives the call-out, total=80 the total."""
    quantities: dict[str, int] = {}
    minutes, total, waive, reason = None, None, False, []
    try:
        for word in words:
            key, _, value = word.replace("＝", "=").partition("=")
            if not value:
                reason.append(word)
            elif key.lower() in ("labour", "labor", "工时"):
                minutes = int(value)
            elif key.lower() in ("total", "合计", "总价"):
                total = parse_yuan(value)
            elif key.lower() in ("callout", "上门费") and value == "0":
                waive = True
            else:
                quantities[key.upper()] = int(value)
    except (ValueError, DomainError):
        return None
    if not reason or not (quantities or minutes is not None or total is not None or waive):
        return None
    return Adjustment(" ".join(reason), quantities, minutes, total, waive)


async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/paid N: staff record that the owner paid at the property office."""
    me = await require_person(update, context)
    ticket_id = await ticket_arg(update, context, me, "paid") if me else None
    if me is None or ticket_id is None:
        return
    await perform(update, context, me, "paid", ticket_id)


async def parts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/parts [words]: the catalog, or the parts matching the words."""
    me = await require_person(update, context)
    if me is None:
        return
    svc, lang = services(context), me.language
    words = " ".join(context.args or [])
    found = await svc.run(uc.find_parts, me.person.id, words)  # type: ignore[union-attr]
    low = svc.policies.billing.low_stock
    lines = [part_line(svc, lang, p, low) for p in found] or [svc.t(lang, "parts.none", words=escape(words[:40]))]
    await reply(update, fit(svc.t(lang, "parts.head") + "\n" + "\n".join(lines)), parse_mode="HTML")


async def price(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/price: the labour rates; /price CODE 12.50 a part's price; /price plumbing hour|callout 80 a rate."""
    me = await require_person(update, context)
    if me is None:
        return
    svc, lang, args = services(context), me.language, list(context.args or [])
    if not args:
        rates = await svc.run(uc.rates, me.person.id)  # type: ignore[union-attr]
        lines = [rate_line(svc, lang, r) for r in rates]
        await reply(update, svc.t(lang, "price.rates") + "\n" + "\n".join(lines) + "\n\n" + svc.t(lang, "usage.price"),
                    parse_mode="HTML")
        return
    try:
        fen = parse_yuan(args[-1])
    except DomainError:
        await reply(update, svc.t(lang, "err.bad_amount", amount=args[-1][:20]))
        return
    if len(args) == 3 and args[0].lower() in {c.value for c in Category} and args[1].lower() in RATE_WORDS:
        rate = await svc.run(uc.set_rate, me.person.id, Category(args[0].lower()), RATE_WORDS[args[1].lower()], fen)  # type: ignore[union-attr]
        await reply(update, svc.t(lang, "ok.labour_rate") + "\n" + rate_line(svc, lang, rate), parse_mode="HTML")
    elif len(args) == 2:
        before, after = await svc.run(uc.set_price, me.person.id, args[0], fen)  # type: ignore[union-attr]
        await reply(update, svc.t(lang, "ok.price", code=after.code, before=money(lang, before.price_fen),
                                  after=money(lang, after.price_fen)))
    else:
        await reply(update, svc.t(lang, "usage.price"))
