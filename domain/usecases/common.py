"""What every use case shares: policies, loading the actor and the ticket, and the result type."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.billing.ports import BillingPolicy
from domain.errors import NotFound, NotRegistered
from domain.incidents import GroupingPolicy
from domain.people import Person
from domain.ports import UnitOfWork
from domain.recurrence import RecurrencePolicy
from domain.sla import SlaPolicy
from domain.sla_alerts import AlertPolicy
from domain.ticket import Ticket, TicketEvent


@dataclass(frozen=True)
class Policies:
    """The business settings use cases obey; built once from config in the composition root."""

    sla: SlaPolicy
    reopen_window: timedelta = timedelta(days=7)
    urge_cooldown: timedelta = timedelta(minutes=30)
    invite_ttl: timedelta = timedelta(hours=72)
    alerts: AlertPolicy = AlertPolicy()
    billing: BillingPolicy = BillingPolicy()
    grouping: GroupingPolicy = GroupingPolicy()
    notice_hours: int = 24  # how long a notice answers reports when staff give no time
    recurrence: RecurrencePolicy = RecurrencePolicy()


@dataclass(frozen=True)
class TicketChange:
    """A ticket after a use case changed it, and the event that change wrote to its timeline."""

    ticket: Ticket
    event: TicketEvent
    repeated: bool = False  # nothing changed: the same request had done this already (nobody is told again)


def load_actor(uow: UnitOfWork, actor_id: int) -> Person:
    person = uow.people.get(actor_id)
    if person is None or not person.active:
        raise NotRegistered("unknown or inactive person", person_id=actor_id)
    return person


def load_ticket(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound(f"ticket #{ticket_id} does not exist", ticket_id=ticket_id)
    return ticket
