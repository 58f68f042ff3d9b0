"""Buttons of the report conversation (r:...), checked against the owner's open draft."""
from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.common import Who, reply
from bot.report import KIND, advance, save, start_report, submit, summary
from bot.services import services
from domain.values import Category, Priority


async def on_report_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, parts: list[str]) -> bool:
    """False when the button does not fit the current draft (stale or forged)."""
    svc = services(context)
    if parts == ["start"]:
        pending = await svc.call(svc.states.get, me.chat_id, "pending")
        if not pending:
            return False
        await svc.call(svc.states.drop, me.chat_id, "pending")
        await start_report(update, context, me, pending["text"])
        return True
    draft = await svc.call(svc.states.get, me.chat_id, KIND)
    if draft is None:
        return False
    return await _apply(update, context, me, draft, parts)


async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any],
                 parts: list[str]) -> bool:
    svc, lang = services(context), me.language
    homes = me.person.homes if me.person else []
    match parts:
        case ["home", index] if index.isdigit() and int(index) < len(homes):
            home = homes[int(index)]
            draft.update(building=home.building, unit=home.unit, room=home.room, common_area=False)
        case ["other"]:
            draft["step"] = "place"
            await save(svc, me, draft)
            await reply(update, svc.t(lang, "report.type_place"))
            return True
        case ["cat", value] if value in Category._value2member_map_:
            draft["category"] = value
        case ["prio", value] if value in Priority._value2member_map_:
            draft["priority"] = value
        case ["submit"] if draft["step"] == "confirm":
            await submit(update, context, me, draft)
            return True
        case ["edit"]:
            await reply(update, summary(svc, me, draft), parse_mode="HTML",
                        reply_markup=keyboards.edit_fields(svc, lang))
            return True
        case ["edit", field] if field in ("place", "category", "priority", "text"):
            return await _edit(update, context, me, draft, field)
        case ["cancel"]:
            await svc.call(svc.states.drop, me.chat_id, KIND)
            await reply(update, svc.t(lang, "report.cancelled", text=draft["text"][:200]))
            return True
        case ["kb", outcome] if outcome in ("fixed", "repair") and draft["step"] == "kb":
            return await _kb_outcome(update, context, me, draft, outcome)
        case _:
            return False
    await advance(update, context, me, draft)
    return True


async def _edit(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any], field: str) -> bool:
    svc, lang = services(context), me.language
    if field == "place":
        draft.update(building=None, unit=None, room=None, common_area=False)
        await advance(update, context, me, draft)
    elif field == "category":
        draft["category"] = None
        await advance(update, context, me, draft)
    elif field == "priority":
        draft["step"] = "priority"
        await save(svc, me, draft)
        await reply(update, svc.t(lang, "report.ask_priority"), reply_markup=keyboards.priorities(svc, lang))
    else:
        draft["step"] = "edit_text"
        await save(svc, me, draft)
        await reply(update, svc.t(lang, "report.ask_new_text"))
    return True


async def _kb_outcome(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, draft: dict[str, Any],
                      outcome: str) -> bool:
    svc = services(context)
    recorded = "deflected" if outcome == "fixed" else "needed_repair"
    await svc.call(svc.kb_outcomes.record, draft.get("kb_article", ""), draft["category"], draft["building"], recorded,
                   me.person.id if me.person else None)
    if outcome == "fixed":
        await svc.call(svc.states.drop, me.chat_id, KIND)
        await reply(update, svc.t(me.language, "kb.glad"))
        return True
    await advance(update, context, me, draft)
    return True
