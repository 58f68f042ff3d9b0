"""The owner's report: free text or /report, ask only what is missing, confirm, submit."""
from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards, render
from bot.common import Who, reply
from bot.notify import announce
from bot.services import BotServices, services
from domain.ticket import AttachmentKind
from domain.usecases.tickets import NewTicket, open_ticket
from domain.values import Category, Location, Priority

KIND = "report"
YES = {"确认", "确定", "是", "是的", "对", "好", "好的", "提交", "yes", "y", "ok", "okay", "confirm", "submit", "sure"}
NO = {"取消", "不要了", "算了", "cancel", "no", "stop"}


def new_draft(text: str) -> dict[str, Any]:
    return {"text": text, "building": None, "unit": None, "room": None, "area": None, "common_area": False,
            "category": None, "priority": Priority.NORMAL.value, "photos": [], "step": "", "kb_done": False}


def location_of(d: dict[str, Any]) -> Location:
    return Location(d["building"], d["unit"], d["room"], d["area"], d["common_area"])


def apply_parse(draft: dict[str, Any], parse: Any, category_sure: float) -> None:
    """Take what the NLU found; an uncertain category is left for the owner to pick."""
    loc = parse.location
    if loc.building or loc.room or (loc.common_area and loc.area):
        draft.update(building=loc.building, unit=loc.unit, room=loc.room, common_area=loc.common_area)
    if loc.area:
        draft["area"] = loc.area
    if parse.category is not None and parse.category_confidence >= category_sure:
        draft["category"] = parse.category.value
    draft["priority"] = parse.urgency.value


def has_place(d: dict[str, Any]) -> bool:
    return bool(d["building"] or d["room"] or (d["common_area"] and d["area"]))


async def save(svc: BotServices, me: Who, draft: dict[str, Any]) -> None:
    await svc.call(svc.states.put, me.chat_id, KIND, draft)


async def start_report(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, text: str,
                       parse: Any | None = None, photos: list[list[str]] | None = None) -> None:
    """Begin a report from what the owner wrote; every word is kept in the draft first."""
    svc = services(context)
    draft = new_draft(text)
    draft["photos"] = photos or []
    await save(svc, me, draft)
    if text:
        from nlu.parse import CATEGORY_SURE

        parse = parse or await svc.nlu.aparse(text)
        apply_parse(draft, parse, CATEGORY_SURE)
    await advance(update, context, me, draft)


async def advance(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any]) -> None:
    """Ask for the next missing piece, offer self-help, or show the summary card."""
    svc, lang = services(context), me.language
    assert me.person is not None
    if not draft["text"]:
        draft["step"] = "text"
        await save(svc, me, draft)
        await reply(update, svc.t(lang, "report.ask_text"))
    elif draft["building"] and svc.core.estate.building(draft["building"]) is None:
        await reply(update, svc.t(lang, "report.unknown_building", building=draft["building"]))
        draft.update(building=None, unit=None, room=None, common_area=False)
        await advance(update, context, me, draft)
    elif not has_place(draft):
        draft["step"] = "place"
        await save(svc, me, draft)
        homes = me.person.homes
        key = "report.ask_place_home" if homes else "report.ask_place"
        await reply(update, svc.t(lang, key, place=homes[0].short() if homes else ""),
                    reply_markup=keyboards.homes(svc, lang, homes))
    elif not draft["category"]:
        draft["step"] = "category"
        await save(svc, me, draft)
        await reply(update, svc.t(lang, "report.ask_category"), reply_markup=keyboards.categories(svc, lang))
    elif await offer_self_help(update, context, me, draft):
        return
    else:
        draft["step"] = "confirm"
        await save(svc, me, draft)
        await reply(update, summary(svc, me, draft), parse_mode="HTML", reply_markup=keyboards.summary(svc, lang))


async def offer_self_help(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any]) -> bool:
    """Knowledge-base suggestion before a non-urgent report; wired in by the knowledge base."""
    from bot import selfhelp

    return await selfhelp.offer(update, context, me, draft)


def summary(svc: BotServices, me: Who, d: dict[str, Any]) -> str:
    lang = me.language
    return svc.t(lang, "report.summary", place=escape(location_of(d).short()),
                 category=render.category_label(svc, lang, d["category"]),
                 priority=render.priority_label(svc, lang, d["priority"]), text=escape(d["text"]),
                 photos=len(d["photos"]))


async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any]) -> None:
    """Open the ticket; the draft is dropped only once the ticket exists."""
    svc = services(context)
    assert me.person is not None
    new = NewTicket(location=location_of(draft), category=Category(draft["category"]),
                    priority=Priority(draft["priority"]), description=draft["text"],
                    photos=tuple((f, AttachmentKind(k)) for f, k in draft["photos"]))
    change = await svc.run(open_ticket, svc.core.clock, svc.core.policies, me.person.id, new)  # refusals: explaining()
    await svc.call(svc.states.drop, me.chat_id, KIND)
    minutes = svc.core.policies.sla.response_minutes[new.priority]
    await reply(update, svc.t(me.language, "report.submitted", id=change.ticket.id, eta=eta(svc, me, minutes)),
                reply_markup=keyboards.owner_actions(svc, me.language, change.ticket.id))
    await announce(context, change)


def eta(svc: BotServices, me: Who, minutes: int) -> str:
    if minutes % 60 == 0:
        return svc.t(me.language, "time.hours", n=minutes // 60)
    return svc.t(me.language, "time.minutes", n=minutes)
