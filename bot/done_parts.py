"""The parts step of the /done form: pick from the catalog by button or by a typed search, with quantities."""
from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.bill_view import part_name, unit
from bot.chat import Chat
from bot.common import Who, reply
from bot.services import services
from domain.billing.catalog import Part
from domain.usecases.parts import MAX_QUANTITY, parts_for_ticket

DONE = "done"


async def offer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, state: dict[str, Any],
                words: str = "") -> None:
    """The parts question: what is chosen so far, and buttons for the likely parts (or those a search found)."""
    svc, lang = services(context), me.language
    found: list[Part] = await svc.run(parts_for_ticket, me.person.id, state["ticket_id"], words)  # type: ignore[union-attr]
    chosen = "\n".join(f"• {c['name']} × {c['qty']} {c['unit']}" for c in state["parts"])
    if words and not found:
        head = svc.t(lang, "done.no_match", words=words[:40])
        found = await svc.run(parts_for_ticket, me.person.id, state["ticket_id"])  # type: ignore[union-attr]
    elif words:
        head = svc.t(lang, "done.found", n=len(found))
    else:
        head = svc.t(lang, "done.ask_parts_more" if chosen else "done.ask_parts")
    text = head if not chosen else svc.t(lang, "done.chosen", parts=chosen) + "\n\n" + head
    await reply(update, text, reply_markup=keyboards.part_picker(svc, lang, found, len(state["parts"])))


async def picked(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, code: str) -> bool:
    """d:part:<code>: ask how many."""
    svc = services(context)
    state = dict(chat.get(DONE) or {})
    found = await svc.run(parts_for_ticket, me.person.id, state["ticket_id"], code)  # type: ignore[union-attr]
    part = next((p for p in found if p.code == code), None)
    if part is None:
        return False
    state.update(step="qty", pending={"code": part.code, "name": part_name(me.language, part),
                                      "unit": unit(me.language, part)})
    await chat.put(DONE, state)
    await reply(update, svc.t(me.language, "done.ask_qty", name=part_name(me.language, part),
                              unit=unit(me.language, part)), reply_markup=keyboards.quantities(svc, me.language))
    return True


async def quantity(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> None:
    """The quantity of the part just picked, tapped or typed; then back to the parts question."""
    svc = services(context)
    state = dict(chat.get(DONE) or {})
    typed = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not (typed.isdecimal() and 1 <= int(typed) <= MAX_QUANTITY):
        await reply(update, svc.t(me.language, "done.bad_qty", most=MAX_QUANTITY),
                    reply_markup=keyboards.quantities(svc, me.language))
        return
    pending = state.pop("pending")
    state["parts"] = [*state["parts"], {**pending, "qty": int(typed)}]
    state["step"] = "parts"
    await chat.put(DONE, state)
    await offer(update, context, me, state)


async def undo(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat) -> None:
    """d:undo: drop the part being asked about, or else the last one chosen."""
    state = dict(chat.get(DONE) or {})
    if state.get("step") == "qty":
        state.pop("pending", None)
    elif state["parts"]:
        state["parts"] = state["parts"][:-1]
    state["step"] = "parts"
    await chat.put(DONE, state)
    await offer(update, context, me, state)
