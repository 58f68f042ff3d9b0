"""Who is told what about a ticket change: the one notifier, writing outbox messages inside the change's transaction.

No handler sends news itself: a use case commits, its unit of work hands the changes to BotNotifier, and the
messages they call for are committed with them. bot/sender.py delivers them.
"""
from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from telegram import InlineKeyboardMarkup

from bot import attachments, fee_news, incident_news, keyboards, render
from bot.services import BotServices
from bot.sla_news import is_sla_news, sla_news
from domain.lifecycle import Action
from domain.outbox import OutboxMessage
from domain.people import Person, Role
from domain.ports import UnitOfWork
from domain.usecases.common import TicketChange
from domain.usecases.dispatching import LAPSED, parse_offer
from domain.usecases.planning import PLAN_KEY, is_planned
from domain.values import Language, Priority

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


class BotNotifier:
    """domain.ports.Notifier for the bot: each change becomes messages, in each reader's language."""

    def __init__(self, svc: BotServices) -> None:
        self.svc = svc

    def notify(self, uow: UnitOfWork, changes: list[TicketChange]) -> None:
        for change in changes:
            for message in self.messages(uow, change):
                uow.outbox.add(message)

    def messages(self, uow: UnitOfWork, change: TicketChange) -> list[OutboxMessage]:
        ticket, event = change.ticket, change.event
        out = _Out(self.svc, ticket.id or 0, event.at, urgent=ticket.priority is Priority.URGENT)
        owner = uow.people.get(ticket.owner_id) if ticket.owner_id else None
        tech = uow.people.get(ticket.technician_id) if ticket.technician_id else None
        note = escape(event.note)  # pushes are HTML; what people typed must not become markup
        # A decline has already taken the technician off the ticket: the one who declined is its actor.
        named = uow.people.get(event.actor_id) if event.action is Action.DECLINE and event.actor_id else tech
        values = dict(id=ticket.id, tech=render.person_name(named), reason=note, notes=note,
                      stars="★" * (ticket.rating or 0))
        if incident_news.handles(change):  # linked to an incident, on its own again, or following its parent
            incident_news.news(self.svc, uow, change, out)
            return out.messages
        if event.action is Action.OPEN:
            self._new_ticket(uow, change, out)
            return out.messages
        if is_sla_news(change):  # the scheduler's reminders, escalations, auto-confirmations, follow-ups
            sla_news(self.svc, uow, change, out)
            return out.messages
        if event.action is Action.OFFER:
            self._offer(uow, change, out)
            return out.messages
        if event.action is Action.DECLINE and event.note.startswith(LAPSED):
            self._lapsed(uow, change, out)
            return out.messages
        if event.action in fee_news.BILL_NEWS:
            fee_news.bill_news(self.svc, uow, change, out)
            return out.messages
        if event.action is Action.COMPLETE:
            fee_news.stock_news(self.svc, uow, change, out)
            if owner and owner.id != event.actor_id and fee_news.done_with_bill(self.svc, uow, change, owner, values, out):
                owner = None  # told, with the bill
        if event.action is Action.CONFIRM:
            bills = uow.bills.versions(ticket.id or 0)
            if bills:
                fee_news.approved(self.svc, uow, change, bills[-1], out)
        if owner and owner.id != event.actor_id and event.action in OWNER_MESSAGES:
            markup = keyboards.confirm_reject(self.svc, owner.language, ticket.id) \
                if event.action is Action.COMPLETE else None
            out.to(owner, OWNER_MESSAGES[event.action], values, markup, owner_news=True)
        if event.action is Action.CONFIRM and owner and owner.id != event.actor_id:  # the owner's own /confirm
            out.to(owner, "push.please_rate", dict(id=ticket.id), keyboards.stars(ticket.id), owner_news=True)  # replies with stars
        if tech and tech.id != event.actor_id and event.action in TECH_MESSAGES:
            markup = keyboards.accept_decline(self.svc, tech.language, ticket.id,
                                              attachments.rows(self.svc, tech.language, ticket)) \
                if event.action is Action.ASSIGN else None
            said = {**values, "line": render.list_line(self.svc, tech.language, ticket)}  # what and where, at a glance
            out.to(tech, TECH_MESSAGES[event.action], said, markup)
        lang = self.svc.default_language
        if event.action is Action.ESCALATE:
            markup = keyboards.assign(self.svc, lang, ticket.id) if ticket.technician_id is None else None
            out.to_staff(f"staff.escalated_{event.note}", dict(line=render.list_line(self.svc, lang, ticket)), markup)
        if event.action is Action.ASSIGN and event.actor_id is None:  # dispatch chose: staff see whom and why
            out.to_staff("staff.auto_assigned", dict(id=ticket.id, tech=render.person_name(tech),
                                                     line=render.list_line(self.svc, lang, ticket)))
        if event.action in STAFF_MESSAGES:
            markup = keyboards.assign(self.svc, lang, ticket.id) if event.action is Action.DECLINE else None
            out.to_staff(STAFF_MESSAGES[event.action], values, markup)
        incident_news.fan_out(self.svc, uow, change, OWNER_MESSAGES.get(event.action), values, out)
        return out.messages

    def _new_ticket(self, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
        ticket, lang = change.ticket, self.svc.default_language
        line = render.list_line(self.svc, lang, ticket)
        if is_planned(ticket):  # preventive maintenance opened on its day: one message, saying it was planned
            plan = (ticket.report_key or "")[len(PLAN_KEY):]
            out.to_staff("staff.plan_opened", dict(line=line, n=plan), keyboards.assign(self.svc, lang, ticket.id))
        else:
            out.to_staff("staff.new_ticket", dict(line=line), keyboards.assign(self.svc, lang, ticket.id))
        if ticket.priority is Priority.URGENT:
            out.to_staff("staff.urgent_alert", dict(line=line))
        if self.svc.dispatch is not None:
            return  # dispatch offers it to the best few, or assigns it, in its next round
        for tech in uow.people.find(role=Role.TECHNICIAN, estate_id=ticket.estate_id):
            if tech.active and tech.on_duty and tech.covers(ticket.category, ticket.location.building):
                files = attachments.rows(self.svc, tech.language, ticket)
                out.to(tech, "push.new_job", dict(line=render.list_line(self.svc, tech.language, ticket)),
                       keyboards.claim(self.svc, tech.language, ticket.id, files))

    def _offer(self, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
        """A pool job (抢单): the best few may claim it until the offer runs out; then the best is assigned."""
        ticket = change.ticket
        until, offered = parse_offer(change.event.note)
        for person_id in offered:
            tech = uow.people.get(person_id)
            if tech is None:
                continue
            line = render.list_line(self.svc, tech.language, ticket)
            files = attachments.rows(self.svc, tech.language, ticket)  # the owner's photos and voice note
            out.to(tech, "push.offer", dict(line=line, until=render.clock_time(self.svc, until) if until else "—"),
                   keyboards.claim(self.svc, tech.language, ticket.id, files))

    def _lapsed(self, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
        """An assignee who never answered: the job goes to the next best; they and staff are told."""
        ticket, note = change.ticket, change.event.note
        former = uow.people.get(int(note[len(LAPSED):])) if note[len(LAPSED):].isdigit() else None
        if former is not None:
            out.to(former, "push.tech_lapsed", dict(id=ticket.id))
        out.to_staff("staff.lapsed", dict(id=ticket.id, tech=render.person_name(former)))


class _Out:
    """The messages one change produces, rendered for each reader."""

    def __init__(self, svc: BotServices, ticket_id: int, at: datetime, urgent: bool) -> None:
        self.svc, self.ticket_id, self.at, self.urgent = svc, ticket_id, at, urgent
        self.messages: list[OutboxMessage] = []

    def to(self, person: Person, key: str, values: dict[str, Any], markup: InlineKeyboardMarkup | None = None,
           owner_news: bool = False) -> None:
        if person.chat_id is None or not person.active:
            return
        # Quiet hours hold an owner's non-urgent news until morning; technicians and staff work by the job.
        hold = self.svc.quiet_hours_until(self.at) if owner_news and not self.urgent else None
        self._add(person.chat_id, person.language, key, values, markup, person.id, hold)

    def invoice(self, person: Person, invoice: dict[str, Any]) -> None:
        """A Telegram invoice (sendInvoice) to `person`, sent at once: it answers their own approval."""
        if person.chat_id is None or not person.active:
            return
        self.messages.append(OutboxMessage(
            chat_id=person.chat_id, text=f"{invoice['title']}\n{invoice['description']}", created_at=self.at,
            parse_mode=None, invoice=invoice, urgent=self.urgent, ticket_id=self.ticket_id, person_id=person.id))

    def to_staff(self, key: str, values: dict[str, Any], markup: InlineKeyboardMarkup | None = None) -> None:
        if self.svc.staff_chat_id is not None:
            self._add(self.svc.staff_chat_id, self.svc.default_language, key, values, markup, None, None)

    def _add(self, chat_id: int, language: Language, key: str, values: dict[str, Any],
             markup: InlineKeyboardMarkup | None, person_id: int | None, hold: datetime | None) -> None:
        self.messages.append(OutboxMessage(
            chat_id=chat_id, text=render.fit(self.svc.t(language, key, **values)), created_at=self.at,
            reply_markup=markup.to_dict() if markup is not None else None, urgent=self.urgent, not_before=hold,
            ticket_id=self.ticket_id, person_id=person_id))
