"""Scheduled use cases: remind and escalate by deadline, confirm for silent owners, close unrated tickets,
follow up poor ratings. Each reads the deadlines and its own past alerts from storage, so a restart loses nothing;
one ticket's error is logged and the sweep goes on."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable

from domain.errors import StaleTicket
from domain.lifecycle import Action, Status
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.sla_alerts import alerts_due
from domain.usecases.common import Policies, TicketChange

logger = logging.getLogger(__name__)
AUTO = "auto"  # the note of what the system did for a person who did not answer
FOLLOW_UP_WINDOW = timedelta(days=7)  # older ratings are history, not news (say, after the first deployment)


def sweep_deadlines(uow: UnitOfWork, clock: Clock, policies: Policies) -> list[TicketChange]:
    """Remind the technician before each deadline and escalate each breach, once per level, in the timeline.
    These events never touch the ticket's version, so a technician's claim at the same moment still succeeds."""
    def one(ticket_id: int) -> list[TicketChange]:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None or not ticket.status.is_open or ticket.parent_id is not None:
                return []  # a linked report's deadlines are its parent's, which the sweep keeps
            now = clock.now()
            owed = alerts_due(ticket, uow.tickets.timeline(ticket_id), now, policies.sla, policies.alerts)
            events = [ticket.apply(a.action, None, None, now, a.note) for a in owed]
            if not events:
                return []
            uow.tickets.append_events(ticket)
            uow.commit()
            return [TicketChange(ticket, e) for e in events]

    return _each(_ids(uow, TicketFilter(open_only=True, limit=0)), one, "deadline sweep")


def auto_confirm(uow: UnitOfWork, clock: Clock, policies: Policies) -> list[TicketChange]:
    """Work the owner has not confirmed nor rejected within the wait is confirmed for them (and they are told)."""
    wait = policies.alerts.auto_confirm_after

    def one(ticket_id: int) -> list[TicketChange]:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            now = clock.now()
            if ticket is None or ticket.status is not Status.AWAITING_CONFIRMATION \
                    or ticket.completed_at is None or now - ticket.completed_at < wait:
                return []
            event = ticket.apply(Action.CONFIRM, None, None, now, AUTO)
            uow.tickets.save(ticket)
            uow.commit()
            return [TicketChange(ticket, event)]

    return _each(_ids(uow, TicketFilter(statuses=frozenset({Status.AWAITING_CONFIRMATION}), limit=0)), one,
                 "auto-confirm")


def close_unrated(uow: UnitOfWork, clock: Clock, after: timedelta) -> list[TicketChange]:
    """Tickets the owner confirmed but has not rated within `after` of confirming are closed by the system."""
    def one(ticket_id: int) -> list[TicketChange]:
        with uow:
            confirmed = [e.at for e in uow.tickets.timeline(ticket_id) if e.action is Action.CONFIRM]
            ticket = uow.tickets.get(ticket_id)
            now = clock.now()
            if ticket is None or ticket.status is not Status.COMPLETED or not confirmed or now - confirmed[-1] < after:
                return []
            event = ticket.apply(Action.CLOSE, None, None, now, AUTO)
            uow.tickets.save(ticket)
            uow.commit()
            return [TicketChange(ticket, event)]

    return _each(_ids(uow, TicketFilter(statuses=frozenset({Status.COMPLETED}), limit=0)), one, "auto-close")


def follow_up_ratings(uow: UnitOfWork, clock: Clock, policies: Policies) -> list[TicketChange]:
    """A rating of `low_rating` stars or fewer is put before staff once, with the owner's comment."""
    def one(ticket_id: int) -> list[TicketChange]:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            now = clock.now()
            if ticket is None or not ticket.rating or ticket.rating > policies.alerts.low_rating \
                    or ticket.closed_at is None or now - ticket.closed_at > FOLLOW_UP_WINDOW:
                return []
            timeline = uow.tickets.timeline(ticket_id)
            rated = max((i for i, e in enumerate(timeline) if e.action is Action.RATE), default=None)
            if rated is None or any(e.action is Action.FOLLOW_UP for e in timeline[rated:]):
                return []
            event = ticket.apply(Action.FOLLOW_UP, None, None, now, timeline[rated].note)
            uow.tickets.append_events(ticket)
            uow.commit()
            return [TicketChange(ticket, event)]

    return _each(_ids(uow, TicketFilter(statuses=frozenset({Status.CLOSED}), limit=0)), one, "rating follow-up")


def _ids(uow: UnitOfWork, criteria: TicketFilter) -> list[int]:
    with uow:
        return [t.id for t in uow.tickets.find(criteria) if t.id is not None]


def _each(ticket_ids: list[int], one: Callable[[int], list[TicketChange]], sweep: str) -> list[TicketChange]:
    """Run `one` per ticket in its own transaction; a ticket that fails is logged and left for the next run."""
    changes: list[TicketChange] = []
    for ticket_id in ticket_ids:
        try:
            changes += one(ticket_id)
        except StaleTicket:
            logger.info("%s: ticket %s changed meanwhile; the next run looks again", sweep, ticket_id)
        except Exception:  # noqa: BLE001 - one broken ticket must not starve the others
            logger.exception("%s: ticket %s failed; going on", sweep, ticket_id)
    return changes
