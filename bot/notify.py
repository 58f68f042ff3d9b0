"""Push messages: every status change reaches the people it concerns, in their language."""
from __future__ import annotations

import logging
from html import escape

from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import keyboards, render
from bot.render import fit
from bot.services import BotServices, services
from domain.lifecycle import Action
from domain.people import Person
from domain.usecases.common import TicketChange
from domain.usecases.queries import eligible_technicians
from domain.values import Priority

logger = logging.getLogger(__name__)

# Which owner message each action sends (the actor never hears about their own action).
OWNER_MESSAGES = {
    Action.ASSIGN: "push.assigned", Action.CLAIM: "push.assigned", Action.START: "push.started",
    Action.HOLD: "push.on_hold", Action.RESUME: "push.resumed", Action.COMPLETE: "push.done",
    Action.RATE: "push.closed", Action.CLOSE: "push.closed", Action.CANCEL: "push.cancelled",
    Action.REJECT: "push.rejected", Action.REOPEN: "push.reopened", Action.TRIAGE: "push.triaged",
}
TECH_MESSAGES = {
    Action.ASSIGN: "push.tech_assigned", Action.REJECT_COMPLETION: "push.tech_rework",
    Action.CONFIRM: "push.tech_confirmed", Action.RATE: "push.tech_rated", Action.CANCEL: "push.tech_cancelled",
    Action.URGE: "push.tech_urged", Action.HOLD: "push.tech_on_hold", Action.ESCALATE: "push.tech_escalated",
}
STAFF_MESSAGES = {
    Action.CLAIM: "staff.claimed", Action.DECLINE: "staff.declined", Action.URGE: "staff.urged",
    Action.REJECT_COMPLETION: "staff.rework", Action.CANCEL: "staff.cancelled",
}


async def send(context: ContextTypes.DEFAULT_TYPE, chat_id: int | None, text: str, **kwargs: object) -> None:
    """Send, and log rather than fail when a user has blocked the bot or a chat is gone."""
    if chat_id is None:
        return
    try:
        await context.bot.send_message(chat_id, fit(text), parse_mode="HTML", **kwargs)  # type: ignore[arg-type]
    except TelegramError as exc:
        logger.warning("could not message chat %s: %s", chat_id, exc)


def _people(svc: BotServices, *ids: int | None) -> list[Person | None]:
    with svc.uow() as uow:
        return [uow.people.get(i) if i else None for i in ids]


async def announce(context: ContextTypes.DEFAULT_TYPE, change: TicketChange) -> None:
    """Tell the owner, the technician and the staff chat what just happened to a ticket."""
    svc = services(context)
    ticket, event = change.ticket, change.event
    owner, tech = await svc.call(_people, svc, ticket.owner_id, ticket.technician_id)
    note = escape(event.note)  # pushes are HTML; what people typed must not become markup
    values = dict(id=ticket.id, tech=render.person_name(tech), reason=note, notes=note,
                  stars="★" * (ticket.rating or 0))
    if event.action is Action.OPEN:
        await _new_ticket(context, svc, change)
        return
    if owner and owner.id != event.actor_id and event.action in OWNER_MESSAGES:
        markup = keyboards.confirm_reject(svc, owner.language, ticket.id) if event.action is Action.COMPLETE else None
        await send(context, owner.chat_id, svc.t(owner.language, OWNER_MESSAGES[event.action], **values),
                   reply_markup=markup)
    if event.action is Action.CONFIRM and owner:
        await send(context, owner.chat_id, svc.t(owner.language, "push.please_rate", id=ticket.id),
                   reply_markup=keyboards.stars(ticket.id))
    if tech and tech.id != event.actor_id and event.action in TECH_MESSAGES:
        markup = keyboards.accept_decline(svc, tech.language, ticket.id) if event.action is Action.ASSIGN else None
        await send(context, tech.chat_id, svc.t(tech.language, TECH_MESSAGES[event.action], **values),
                   reply_markup=markup)
    if event.action is Action.ESCALATE and svc.staff_chat_id:
        lang = svc.default_language
        await send(context, svc.staff_chat_id, svc.t(lang, f"staff.escalated_{event.note}",
                                                     line=render.list_line(svc, lang, ticket)),
                   reply_markup=keyboards.assign(svc, lang, ticket.id) if ticket.technician_id is None else None)
    if event.action in STAFF_MESSAGES and svc.staff_chat_id:
        lang = svc.default_language
        markup = keyboards.assign(svc, lang, ticket.id) if event.action is Action.DECLINE else None
        await send(context, svc.staff_chat_id, svc.t(lang, STAFF_MESSAGES[event.action], **values),
                   reply_markup=markup)


async def _new_ticket(context: ContextTypes.DEFAULT_TYPE, svc: BotServices, change: TicketChange) -> None:
    ticket = change.ticket
    if svc.staff_chat_id:
        lang = svc.default_language
        line = render.list_line(svc, lang, ticket)
        await send(context, svc.staff_chat_id, svc.t(lang, "staff.new_ticket", line=line),
                   reply_markup=keyboards.assign(svc, lang, ticket.id))
        if ticket.priority is Priority.URGENT:
            await send(context, svc.staff_chat_id, svc.t(lang, "staff.urgent_alert", line=line))
    for tech in await svc.call(eligible_technicians, svc.uow(), ticket):
        await send(context, tech.chat_id, svc.t(tech.language, "push.new_job",
                                                line=render.list_line(svc, tech.language, ticket)),
                   reply_markup=keyboards.claim(svc, tech.language, ticket.id))
