"""Button presses. Each is answered first, then its data is checked against the database."""
from __future__ import annotations

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import keyboards
from bot.actions import ACTIONS, ask_reason, perform
from bot.common import Who, reply, who
from bot.report_buttons import on_report_button
from bot.services import services
from bot.staff import _technicians, show_page
from bot.technician import DONE, done_step

TICKET_BUTTONS = {"claim", "accept", "decline", "confirm", "reject", "rate", "urge", "cancel", "assign"}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Route by prefix; anything malformed, forged or stale gets a clear refusal and changes nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    me = await who(update, context)
    svc = services(context)
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    parts = (query.data or "").split(":")
    handled = False
    if parts[0] == "t" and len(parts) in (3, 4) and parts[1] in TICKET_BUTTONS and parts[2].isdigit():
        handled = await _ticket_button(update, context, me, parts[1], int(parts[2]), parts[3:])
    elif parts[0] == "r":
        handled = await on_report_button(update, context, me, parts[1:])
    elif parts[0] == "d" and len(parts) == 3:
        state = await svc.call(svc.states.get, me.chat_id, DONE)
        if state and parts[2] in (state["step"], "photos_done"):
            await done_step(update, context, me, state, None)
            handled = True
    elif parts[0] == "pg" and len(parts) == 2 and parts[1].isdigit():
        state = await svc.call(svc.states.get, me.chat_id, "tickets_query")
        if state and me.person.is_staff:
            await show_page(update, context, me, state["words"], int(parts[1]))
            handled = True
    if not handled:
        await reply(update, svc.t(me.language, "err.stale_button"))


async def _ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, name: str, ticket_id: int,
                         extra: list[str]) -> bool:
    svc = services(context)
    if name in ("decline", "reject"):
        await ask_reason(update, context, me, name, ticket_id)
        return True
    if name == "assign" and not extra:
        await reply(update, svc.t(me.language, "staff.pick_tech", id=ticket_id),
                    reply_markup=keyboards.technicians(ticket_id, await svc.call(_technicians, svc)))
        return True
    args: list[object] = []
    if name == "rate":
        if not (extra and extra[0] in "12345" and len(extra[0]) == 1):
            return False
        args = [int(extra[0]), ""]
    elif name == "assign":
        if not extra[0].isdigit():
            return False
        args = [int(extra[0])]
    elif name == "cancel":
        args = [svc.t(me.language, "cancel.no_reason")]
    elif extra:
        return False
    assert name in ACTIONS
    if await perform(update, context, me, name, ticket_id, *args) is not None:
        await _drop_buttons(update)
    return True


async def _drop_buttons(update: Update) -> None:
    """A used button should not be pressed twice."""
    try:
        await update.callback_query.edit_message_reply_markup(None)  # type: ignore[union-attr]
    except TelegramError:
        pass  # already edited, or the message is gone: nothing to undo
