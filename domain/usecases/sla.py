"""Scheduled use cases: escalate SLA breaches once each, and close completed tickets nobody rated."""
from __future__ import annotations

from datetime import timedelta

from domain.errors import StaleTicket
from domain.lifecycle import Action, Status
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.sla import resolution_overdue, response_overdue
from domain.usecases.common import TicketChange

RESPONSE, RESOLUTION = "response", "resolution"


def escalate_overdue(uow: UnitOfWork, clock: Clock) -> list[TicketChange]:
    """Flag each breach (response, resolution) of each open ticket exactly once, in its timeline."""
    with uow:
        candidates = [t.id for t in uow.tickets.find(TicketFilter(open_only=True, limit=0)) if t.id is not None]
    changes: list[TicketChange] = []
    for ticket_id in candidates:
        changes += _escalate_one(uow, clock, ticket_id)
    return changes


def _escalate_one(uow: UnitOfWork, clock: Clock, ticket_id: int) -> list[TicketChange]:
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return []
        now = clock.now()
        breached = [k for k, late in ((RESPONSE, response_overdue(ticket, now)),
                                      (RESOLUTION, resolution_overdue(ticket, now))) if late]
        done = {e.note for e in uow.tickets.timeline(ticket_id) if e.action is Action.ESCALATE}
        events = [ticket.apply(Action.ESCALATE, None, None, now, kind) for kind in breached if kind not in done]
        if not events:
            return []
        try:
            uow.tickets.save(ticket)
        except StaleTicket:
            return []  # someone just acted on it; the next run looks again
        uow.commit()
        return [TicketChange(ticket, e) for e in events]


def close_unrated(uow: UnitOfWork, clock: Clock, after: timedelta) -> list[TicketChange]:
    """Tickets the owner confirmed but has not rated within `after` of confirming are closed by the system."""
    with uow:
        completed = uow.tickets.find(TicketFilter(statuses=frozenset({Status.COMPLETED}), limit=0))
    changes = []
    now = clock.now()
    for stale in completed:
        with uow:
            confirmed = [e.at for e in uow.tickets.timeline(stale.id or 0) if e.action is Action.CONFIRM]
        if not confirmed or now - confirmed[-1] < after:
            continue
        with uow:
            ticket = uow.tickets.get(stale.id or 0)
            if ticket is None or ticket.status is not Status.COMPLETED:
                continue
            event = ticket.apply(Action.CLOSE, None, None, now, "auto")
            try:
                uow.tickets.save(ticket)
            except StaleTicket:
                continue
            uow.commit()
            changes.append(TicketChange(ticket, event))
    return changes
