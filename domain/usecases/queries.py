"""Read-side use cases: a ticket with its timeline, and ticket lists for each role."""
from __future__ import annotations

from dataclasses import dataclass, replace

from domain.authorization import VIEW, authorize, sees_owner_contact, timeline_for
from domain.billing.bill import Line, LineKind
from domain.errors import PermissionDenied
from domain.lifecycle import Status
from domain.people import Person, Role
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.recurrence import Recurrence, RecurrencePolicy, for_ticket
from domain.sla import is_overdue
from domain.ticket import Ticket, TicketEvent
from domain.usecases.common import load_actor, load_ticket

POOL = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH})


@dataclass(frozen=True)
class TicketView:
    """A ticket as one person may see it: the owner's contact only when they are entitled to it."""

    ticket: Ticket
    timeline: list[TicketEvent]
    owner: Person | None
    technician: Person | None
    recurrence: Recurrence | None = None  # staff only: the home's (or asset's) repeat of this kind of fault
    parts: tuple[Line, ...] = ()  # the parts on the latest bill, named in both languages (the completion's own
    # record names them in Chinese, as the technician chose them)


def view_ticket(uow: UnitOfWork, actor_id: int, ticket_id: int,
                recurrence: RecurrencePolicy | None = None) -> TicketView:
    """The ticket as the actor may see it; with `recurrence`, staff also see whether it is a recurring problem."""
    with uow:
        actor = load_actor(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        authorize(actor, VIEW, ticket)
        owner = uow.people.get(ticket.owner_id) if sees_owner_contact(actor, ticket) else None
        technician = uow.people.get(ticket.technician_id) if ticket.technician_id else None
        repeat = recurrence_of(uow, ticket, recurrence) if recurrence and actor.is_staff else None
        bills = uow.bills.versions(ticket_id)
        parts = tuple(line for line in bills[-1].lines if line.kind is LineKind.PART) if bills else ()
        return TicketView(ticket, timeline_for(actor, uow.tickets.timeline(ticket_id)), owner, technician, repeat,
                          parts)


def recurrence_of(uow: UnitOfWork, ticket: Ticket, policy: RecurrencePolicy) -> Recurrence | None:
    """Inside a transaction: the ticket's place in its asset's recurrence, from the window ending at its report."""
    if not policy.enabled:
        return None
    history = uow.tickets.history(ticket.estate_id, ticket.location.building, ticket.category,
                                  ticket.created_at - policy.window, ticket.created_at)
    return for_ticket(ticket, history, policy)


def owner_tickets(uow: UnitOfWork, actor_id: int, open_only: bool = False) -> list[Ticket]:
    with uow:
        actor = load_actor(uow, actor_id)
        return uow.tickets.find(TicketFilter(owner_id=actor.id, open_only=open_only, estate_id=actor.estate_id))


@dataclass(frozen=True)
class Jobs:
    mine: list[Ticket]
    claimable: list[Ticket]


def technician_jobs(uow: UnitOfWork, actor_id: int) -> Jobs:
    """The technician's open jobs, plus pool tickets in their skills (their zones first)."""
    with uow:
        actor = load_actor(uow, actor_id)
        if actor.role is not Role.TECHNICIAN:
            raise PermissionDenied("only technicians have jobs", role=actor.role.value)
        mine = uow.tickets.find(TicketFilter(technician_id=actor.id, open_only=True, estate_id=actor.estate_id))
        pool = uow.tickets.find(TicketFilter(statuses=POOL, unassigned=True, estate_id=actor.estate_id))
        claimable = [t for t in pool if actor.has_skill(t.category) and t.parent_id is None]
        claimable.sort(key=lambda t: (not actor.covers(t.category, t.location.building), t.id))
        return Jobs(mine, claimable)


def staff_tickets(uow: UnitOfWork, actor_id: int, criteria: TicketFilter) -> tuple[list[Ticket], int]:
    """Staff search; returns one page and the total count."""
    with uow:
        actor = _staff(uow, actor_id)
        criteria = replace(criteria, estate_id=actor.estate_id)
        return uow.tickets.find(criteria), uow.tickets.count(replace(criteria, limit=0, offset=0))


def overdue_tickets(uow: UnitOfWork, clock: Clock, actor_id: int | None) -> list[Ticket]:
    """Open tickets past their response or resolution time. actor_id None is the scheduler."""
    with uow:
        estate_id = _staff(uow, actor_id).estate_id if actor_id is not None else None
        now = clock.now()
        candidates = uow.tickets.find(TicketFilter(open_only=True, estate_id=estate_id, due_before=now, limit=10_000))
        return [t for t in candidates if is_overdue(t, now)]


def eligible_technicians(uow: UnitOfWork, ticket: Ticket) -> list[Person]:
    """On-duty technicians whose skills and zones cover the ticket: who hears about a new job."""
    with uow:
        techs = uow.people.find(role=Role.TECHNICIAN, estate_id=ticket.estate_id)
        return [p for p in techs if p.active and p.on_duty and p.covers(ticket.category, ticket.location.building)]


def _staff(uow: UnitOfWork, actor_id: int) -> Person:
    actor = load_actor(uow, actor_id)
    if not actor.is_staff:
        raise PermissionDenied("staff only", role=actor.role.value)
    return actor
