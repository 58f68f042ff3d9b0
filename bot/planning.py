"""Recurring problems and preventive maintenance in the chat: the card's line and button, /plan, the /stats
section, and the sweep that opens each plan on its day."""
from __future__ import annotations

import logging
from datetime import timedelta
from html import escape

from telegram import InlineKeyboardButton as B, InlineKeyboardMarkup as Markup, Update
from telegram.ext import ContextTypes

from bot import render
from bot.common import Who, parse_ticket_id, reply
from bot.services import BotServices, services
from bot.staff import staff_only
from domain.planning import PlannedTicket
from domain.recurrence import Recurrence
from domain.usecases import planning as uc
from domain.values import Language

logger = logging.getLogger(__name__)
CHIPS = (7, 30, 90)  # pm:<ticket>:<days>, one tap from the card
SUGGEST_DAYS = 7  # the card's example date
STATS_TOP = 5


def card_line(svc: BotServices, lang: Language, r: Recurrence, ticket_id: int) -> str:
    """🔁 此住户 90 天内第 3 次报修「给排水」问题，建议安排预防性维护：/plan 12 2026-12-20."""
    day = uc.today_in(svc.clock, svc.tz) + timedelta(days=SUGGEST_DAYS)
    key = "card.recurrence_area" if r.location.common_area else "card.recurrence_home"
    return svc.t(lang, key, days=svc.policies.recurrence.window.days, count=r.count, place=render.place(r.location),
                 category=escape(render.category_label(svc, lang, r.category)), id=ticket_id, day=day.isoformat())


def plan_button(svc: BotServices, lang: Language, ticket_id: int) -> list[B]:
    return [B(svc.t(lang, "btn.plan"), callback_data=f"pm:{ticket_id}")]


def stats_section(svc: BotServices, lang: Language, found: list[Recurrence]) -> str:
    """反复发生的问题: the top few (place, category, count, latest ticket), plain text as the summary is."""
    if not found:
        return ""
    lines = "\n".join(svc.t(lang, "stats.recurring_line", place=r.location.short() or "—", count=r.count,
                            category=render.category_label(svc, lang, r.category), last=r.last_id)
                      for r in found[:STATS_TOP])
    policy = svc.policies.recurrence
    return svc.t(lang, "stats.recurring", days=policy.window.days, threshold=policy.threshold, lines=lines,
                 example=found[0].last_id)


async def plan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/plan: upcoming plans; /plan <ticket> <YYYY-MM-DD|+days> [note]: schedule one; /plan cancel <n>."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, args = services(context), list(context.args or [])
    try:
        if not args or args == ["list"]:
            await _list(update, svc, me)
        elif args[0].lower() == "cancel":
            number = parse_ticket_id(args[1]) if len(args) == 2 else None
            if number is None:
                await reply(update, svc.t(me.language, "usage.plan"))
                return
            done = await svc.run(uc.cancel_plan, svc.clock, me.person.id, number)  # type: ignore[union-attr]
            await reply(update, svc.t(me.language, "plan.cancelled", n=done.id))
        else:
            ticket_id = parse_ticket_id(args[0])
            if ticket_id is None or len(args) < 2:
                await reply(update, svc.t(me.language, "usage.plan"))
                return
            await schedule(update, svc, me, ticket_id, args[1], " ".join(args[2:]))
    except uc.PlanRefused as refused:
        await reply(update, refusal(svc, me.language, refused))


async def schedule(update: Update, svc: BotServices, me: Who, ticket_id: int, day: str, note: str) -> None:
    made = await svc.run(uc.plan_maintenance, svc.clock, me.person.id, ticket_id, day, note,  # type: ignore[union-attr]
                         svc.tz)
    await reply(update, svc.t(me.language, "plan.scheduled", n=made.id, place=render.place(made.location),
                              category=escape(render.category_label(svc, me.language, made.category)),
                              day=made.due_on.isoformat()), parse_mode="HTML")


def refusal(svc: BotServices, lang: Language, refused: uc.PlanRefused) -> str:
    facts = {"day": "—", "plan": "—", "ticket": "—", "limit": "—", **refused.facts}
    return svc.t(lang, f"plan.refused_{refused.reason}", **facts)  # plain text: what they typed, as typed


async def _list(update: Update, svc: BotServices, me: Who) -> None:
    found = await svc.run(uc.upcoming_plans, me.person.id)  # type: ignore[union-attr]
    lines = "\n".join(f"<b>{p.id}</b> · {p.due_on.isoformat()} · {render.place(p.location)} · "
                      f"{escape(render.category_label(svc, me.language, p.category))}"
                      + (f" · {escape(render.short(p.note, 60))}" if p.note else "") for p in found)
    await reply(update, svc.t(me.language, "plan.list", lines=lines) if found else svc.t(me.language, "plan.none"),
                parse_mode="HTML")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, parts: list[str]) -> bool:
    """pm:<ticket> offers the day chips; pm:<ticket>:<days> plans it for that many days from today."""
    if not (len(parts) in (1, 2) and all(p.isdecimal() and len(p) < 10 for p in parts)):
        return False
    if len(parts) == 2 and int(parts[1]) not in CHIPS:
        return False
    svc = services(context)
    if not (me.person and me.person.is_staff):
        await reply(update, svc.t(me.language, "err.staff_only"))
        return True
    ticket_id = int(parts[0])
    if len(parts) == 1:
        chips = [B(svc.t(me.language, "btn.plan_in", days=d), callback_data=f"pm:{ticket_id}:{d}") for d in CHIPS]
        await reply(update, svc.t(me.language, "plan.pick_day", id=ticket_id), reply_markup=Markup([chips]))
        return True
    try:
        await schedule(update, svc, me, ticket_id, f"+{parts[1]}", "")
    except uc.PlanRefused as refused:
        await reply(update, refusal(svc, me.language, refused))
    return True


def describe(svc: BotServices):  # type: ignore[no-untyped-def]
    """The planned ticket's description, in the estate's default language: what it is, and the planner's note."""
    lang = svc.default_language

    def text(p: PlannedTicket) -> str:
        what = svc.t(lang, "plan.description", n=p.id, source=p.source_ticket_id or "—",
                     category=render.category_label(svc, lang, p.category))
        return what + (svc.t(lang, "plan.description_note", note=p.note) if p.note else "")
    return text


async def plan_sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open every plan whose day has come, each in its own transaction; one plan's failure never stops the rest."""
    svc = services(context)
    opened = 0
    for plan_id in await svc.run(uc.due_plans, svc.clock, svc.tz):
        try:
            opened += await svc.run(uc.open_plan, svc.clock, svc.policies, plan_id, describe(svc)) is not None
        except Exception:
            logger.exception("planned ticket %s could not be opened", plan_id)
    if opened:  # the staff's news went into the outbox with each ticket; dispatch takes them as any new ticket
        context.application.bot_data["sender"].kick()
        context.application.bot_data["dispatcher"].kick()
        logger.info("plan sweep: %d planned tickets opened", opened)
