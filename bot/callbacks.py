"""Button presses, one handler per callback-data prefix. Each is answered first, then checked against the database."""
from __future__ import annotations

from functools import wraps
from typing import Awaitable, Callable

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import attachments, done_parts, incidents, intake, keyboards, planning, voice
from bot.actions import ACTIONS, perform
from bot.prompts import ask_reason, ask_to_cancel, on_confirm_button
from bot.chat import Chat
from bot.common import Who, reply, who
from bot.messages import with_chat
from bot.report_buttons import on_report_button
from bot.services import services
from bot.staff import QUERY, _technicians, offer_technicians, show_page
from bot.technician import DONE, done_step

TICKET_BUTTONS = {"claim", "accept", "decline", "confirm", "reject", "rate", "urge", "cancel", "assign"}
ButtonHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Who, Chat, list[str]], Awaitable[bool]]
# prefix -> handler; bot/app.py registers each with CallbackQueryHandler(pattern="^prefix:").
PREFIXES: dict[str, ButtonHandler] = {}


def button(prefix: str) -> Callable[[ButtonHandler], ButtonHandler]:
    """Register a handler for `prefix:...` data; it returns False for data that is stale, forged or malformed."""
    def register(handler: ButtonHandler) -> ButtonHandler:
        PREFIXES[prefix] = handler
        return handler
    return register


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, handler: ButtonHandler | None) -> None:
    """Answer the press, check who pressed it, run the prefix's handler; anything it refuses changes nothing."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer()
    except BadRequest:  # answered already (a worker died during this update and another runs it again,
        pass            # bot/inbound.py), or too old after an outage: the press still counts
    svc, me = services(context), await who(update, context)
    if me.person is None:
        await reply(update, svc.t(me.language, "reg.how_to"))
        return
    parts = (query.data or "").split(":")[1:]
    handled = [False]

    async def handle(chat: Chat) -> None:
        handled[0] = handler is not None and await handler(update, context, me, chat, parts)

    await with_chat(update, context, me, handle)
    if not handled[0]:
        await reply(update, svc.t(me.language, "err.stale_button"))


def for_prefix(handler: ButtonHandler | None) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
    @wraps(on_button)
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await on_button(update, context, handler)
    return callback


@button("v")
async def voice_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, parts: list[str]) -> bool:
    """The transcript of a voice note: correct, or type it instead."""
    return await voice.on_button(update, context, me, chat, parts)


@button("r")
async def report_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                        parts: list[str]) -> bool:
    return await on_report_button(update, context, me, chat, parts)


@button("i")
async def intake_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                        parts: list[str]) -> bool:
    return await intake.on_button(update, context, me, chat, parts)


@button("d")
async def done_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                      parts: list[str]) -> bool:
    """The /done form: skip (d:skip:<step>, for the step it is on), a part (d:part:<code>), its quantity
    (d:qty:<n>), or take back the last part (d:undo)."""
    state = chat.get(DONE)
    if not state:
        return False
    step, kind, arg = state["step"], parts[0] if parts else "", parts[1] if len(parts) == 2 else None
    if kind == "skip" and arg is not None and (arg in (step, "photos_done") or (arg == "parts" and step == "qty")):
        await done_step(update, context, me, chat, None)
    elif kind == "part" and step in ("parts", "qty") and arg and len(arg) <= 32:
        return await done_parts.picked(update, context, me, chat, arg)
    elif kind == "qty" and step == "qty" and arg and arg.isdecimal() and len(arg) < 4:
        await done_parts.quantity(update, context, me, chat, arg)
    elif kind == "undo" and len(parts) == 1 and step in ("parts", "qty"):
        await done_parts.undo(update, context, me, chat)
    else:
        return False
    return True


@button("b")
async def bill_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                      parts: list[str]) -> bool:
    """b:ok:<ticket>:<version> approves that version of the bill; b:dispute:<ticket>:<version> asks why not."""
    if not (len(parts) == 3 and parts[0] in ("ok", "dispute") and all(p.isdecimal() and len(p) < 10 for p in parts[1:])):
        return False
    ticket_id, version = int(parts[1]), int(parts[2])
    if parts[0] == "dispute":
        await ask_reason(update, context, me, "dispute", ticket_id)
    elif await perform(update, context, me, "confirm", ticket_id, version) is not None:
        await _drop_buttons(update)
    return True


@button("g")
async def group_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                       parts: list[str]) -> bool:
    """A report filed under a known fault: the same problem (g:same:<id>) or another (g:diff:<id>)."""
    return await incidents.on_group_button(update, context, me, chat, parts)


@button("n")
async def notice_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                        parts: list[str]) -> bool:
    """A notice answered the draft: file it all the same (n:file) or let it go (n:drop)."""
    return await incidents.on_notice_button(update, context, me, chat, parts)


@button("pm")
async def plan_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                      parts: list[str]) -> bool:
    """A recurring problem's card: pm:<ticket> offers days, pm:<ticket>:<days> plans preventive maintenance."""
    return await planning.on_button(update, context, me, parts)


@button("f")
async def files_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                       parts: list[str]) -> bool:
    """f:<ticket>[:<start>]: the ticket's photos and voice notes, sent back for whoever may see its card."""
    return await attachments.on_button(update, context, me, parts)


@button("pg")
async def page_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                      parts: list[str]) -> bool:
    state = chat.get(QUERY)
    if not (state and me.person and me.person.is_staff and len(parts) == 1 and parts[0].isdecimal()):
        return False
    await show_page(update, context, me, state["words"], int(parts[0]))
    return True


@button("tl")
async def timeline_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                          parts: list[str]) -> bool:
    """tl:<ticket>:<page>: an older page of a ticket's timeline; the ticket is checked as /status checks it."""
    if not (len(parts) == 2 and all(p.isdecimal() and len(p) < 10 for p in parts)):
        return False
    from bot.owner import show_timeline

    await show_timeline(update, context, me, int(parts[0]), int(parts[1]))
    return True


@button("t")
async def ticket_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                        parts: list[str]) -> bool:
    """t:<action>:<id>[:<extra>]."""
    if not (len(parts) in (2, 3) and parts[0] in TICKET_BUTTONS and parts[1].isdecimal() and len(parts[1]) < 10):
        return False
    name, ticket_id, extra = parts[0], int(parts[1]), parts[2:]
    svc = services(context)
    if name in ("decline", "reject"):
        await ask_reason(update, context, me, name, ticket_id)
        return True
    if name == "assign" and not extra:
        if not (me.person and me.person.is_staff):
            await reply(update, svc.t(me.language, "err.staff_only"))  # the technician list is for staff to see
            return True
        await offer_technicians(update, svc, me.language, ticket_id, await svc.call(_technicians, svc))
        return True
    args: list[object] = []
    if name == "rate":
        if not (extra and extra[0] in ("1", "2", "3", "4", "5")):
            return False
        args = [int(extra[0]), ""]
    elif name == "assign":
        if not (extra[0].isdecimal() and len(extra[0]) < 10):
            return False
        args = [int(extra[0])]
    elif name == "cancel":
        if not extra:  # the Cancel button asks first: cancelled is final
            await ask_to_cancel(update, context, me, ticket_id, svc.t(me.language, "cancel.no_reason"))
            return True
        if extra[0] not in ("yes", "no"):
            return False
        if await on_confirm_button(update, context, me, chat, ticket_id, extra[0]):
            await _drop_buttons(update)
        return True
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
