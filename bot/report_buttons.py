"""Buttons of the report conversation (r:...), as answers to the owner's stored draft."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import report
from bot.chat import Chat
from bot.common import Who, reply
from bot.keyboards import MARK, card_mark
from bot.services import services
from domain import reporting
from domain.reporting import answers as a
from domain.values import Category, Priority

FIELDS = {f.value: f for f in a.Field}


def answer_for(parts: list[str]) -> a.Answer | None:
    """The answer a button's data stands for; None for data no button of ours carries (forged or garbled)."""
    match parts:
        case ["home", index] if index.isdecimal() and len(index) < 3:
            return a.ChoseHome(int(index))
        case ["other"]:
            return a.ChoseOther()
        case ["bld", building, unit] if building:
            return a.ChoseBuilding(building, unit or None)
        case ["unit", unit] if unit:
            return a.ChoseUnit(unit)
        case ["unsure"]:
            return a.NotSure()
        case ["cat", value] if value in Category._value2member_map_:
            return a.ChoseCategory(Category(value))
        case ["prio", value] if value in Priority._value2member_map_:
            return a.ChosePriority(Priority(value))
        case ["submit"]:
            return a.Submit()
        case ["edit"]:
            return a.Edit()
        case ["edit", field] if field in FIELDS:
            return a.Edit(FIELDS[field])
        case ["cancel"]:
            return a.Cancel()
        case ["kb", "fixed"]:
            return a.Solved()
    return None


async def on_report_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                           parts: list[str]) -> bool:
    """False when the button does not belong to an open draft (stale or forged): nothing changes."""
    if report.KIND not in chat:
        return False
    if parts == ["bld_other"]:
        await reply(update, services(context).t(me.language, "report.type_building"))
        return True
    # Data without a mark (a card sent before cards were marked) still answers the draft being written.
    if parts and parts[-1].startswith(MARK):
        mark, parts = parts[-1][len(MARK):], parts[:-1]
        if mark != card_mark(reporting.from_data(chat.get(report.KIND) or {})):
            await reply(update, services(context).t(me.language, "report.earlier_card"))
            await report.show_again(update, context, me, chat)
            return True
    given = answer_for(parts)
    if given is None:
        return False
    await report.answer(update, context, me, chat, given)
    return True
