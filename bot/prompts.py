"""Questions the bot asks about a ticket action: "why?" (a reason) and "are you sure?" (before cancelling).

Each is asked only once the action is allowed, so a forged button leaves nothing behind; each expires, so an
old question never swallows a new message; and each takes a typed answer as well as a button.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.actions import ACTION_OF, perform
from bot.chat import Chat
from bot.common import Who, reply
from bot.services import BotServices, services
from domain.reporting.answers import Cue
from domain.usecases.tickets import check_allowed
from domain.values import Intent

REASON = "reason"    # the next text is the reason for `action` on `ticket_id`
CONFIRM = "confirm"  # a yes or a no to `action` (cancel) on `ticket_id`, with the reason already given


async def ask_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, name: str, ticket_id: int) -> None:
    """Buttons cannot carry a reason: check the action is allowed, then take the next text as its reason."""
    svc = services(context)
    await svc.look(check_allowed, me.person.id, ticket_id, ACTION_OF[name])  # type: ignore[union-attr]
    await _ask(svc, me, REASON, {"action": name, "ticket_id": ticket_id})
    await reply(update, svc.t(me.language, f"ask.reason.{name}", id=ticket_id))


async def ask_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, ticket_id: int,
                        reason: str) -> None:
    """Cancelled is final, so a button or a misread word never cancels: the owner says yes first."""
    svc = services(context)
    await svc.look(check_allowed, me.person.id, ticket_id, ACTION_OF["cancel"])  # type: ignore[union-attr]
    await _ask(svc, me, CONFIRM, {"action": "cancel", "ticket_id": ticket_id, "reason": reason})
    await reply(update, svc.t(me.language, "ask.confirm.cancel", id=ticket_id),
                reply_markup=keyboards.confirm_cancel(svc, me.language, ticket_id))


async def take_reason(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat, text: str) -> bool:
    """The reason arrives; "算了" or "never mind" drops the action. False when the question has expired."""
    svc = services(context)
    state = await _fresh(svc, chat, REASON)
    if state is None:
        return False
    reading = svc.answers.reading(await svc.nlu.aparse(text))
    if reading.intent is Intent.DENY or Cue.CANCEL in reading.cues:  # the whole message, not "不对，还在漏"
        await reply(update, svc.t(me.language, "ask.reason.dropped", id=state.get("ticket_id")))
        return True
    await perform(update, context, me, state["action"], int(state["ticket_id"]), text)
    return True


async def take_confirmation(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                            text: str) -> bool:
    """Yes cancels, no keeps the ticket; anything else (or too late) is a new message, and the question lapses."""
    svc = services(context)
    state = await _fresh(svc, chat, CONFIRM)
    if state is None:
        return False
    reading = svc.answers.reading(await svc.nlu.aparse(text))
    if reading.is_yes and not reading.carries_a_field:
        await perform(update, context, me, "cancel", int(state["ticket_id"]), state.get("reason") or "")
    elif reading.is_no:
        await reply(update, svc.t(me.language, "ok.kept", id=state["ticket_id"]))
    else:
        return False
    return True


async def on_confirm_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, chat: Chat,
                            ticket_id: int, answer: str) -> bool:
    """t:cancel:<id>:yes or :no, the buttons under "are you sure?"."""
    svc = services(context)
    state = chat.get(CONFIRM) or {}
    await chat.drop(CONFIRM)
    # Either answer is checked first: "kept, we carry on" is news about a ticket, only for those it concerns.
    await svc.look(check_allowed, me.person.id, ticket_id, ACTION_OF["cancel"])  # type: ignore[union-attr]
    if answer == "no":
        await reply(update, svc.t(me.language, "ok.kept", id=ticket_id))
        return True
    reason = state.get("reason") if state.get("ticket_id") == ticket_id else None
    await perform(update, context, me, "cancel", ticket_id, reason or svc.t(me.language, "cancel.no_reason"))
    return True


async def _ask(svc: BotServices, me: Who, kind: str, data: dict) -> None:
    data = {**data, "asked_at": svc.clock.now().isoformat()}
    await svc.call(svc.states.put, me.chat_id, kind, data, force=True)


async def _fresh(svc: BotServices, chat: Chat, kind: str) -> dict | None:
    """The question's state, dropped either way; None when it was asked too long ago to still be the topic."""
    state = chat.get(kind) or {}
    await chat.drop(kind)
    asked = state.get("asked_at")
    ttl = timedelta(minutes=svc.settings.prompt_minutes)
    if not asked or svc.clock.now() - datetime.fromisoformat(asked) > ttl:
        return None
    return state
