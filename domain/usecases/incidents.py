"""Incident use cases: a new report joins its fault's parent ticket, staff link and unlink by hand, the parent's
end carries its reports with it, and staff's estate-wide notices."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.authorization import authorize
from domain.errors import DomainError, InvalidInput, PermissionDenied
from domain.incidents import GroupingPolicy, Notice, link_problem, notice_for, parent_for
from domain.lifecycle import Action, Status
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.ticket import Ticket, TicketEvent
from domain.usecases.common import TicketChange, load_actor, load_ticket
from domain.values import Category

PARENT = "parent:"  # LINK / UNLINK / FOLLOW notes: "parent:<id>", with ":auto" when grouped at filing
AUTO = ":auto"
ENDED = ":ended"  # UNLINK by the system: the parent was cancelled or turned away, the report goes on alone
_WAITING = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH})
MAX_NOTICE = 1000


class LinkRefused(DomainError):
    """A link staff asked for that cannot be: `reason` is self, cycle, nested, closed or has_children."""

    code = "link_refused"

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(f"cannot link: {reason}", reason=reason, **facts)
        self.reason = reason


def parent_id_of(note: str) -> int | None:
    """The parent a LINK, UNLINK or FOLLOW note names."""
    if not note.startswith(PARENT):
        return None
    head = note[len(PARENT):].split(":", 1)[0]
    return int(head) if head.isdecimal() else None


def group_at_filing(uow: UnitOfWork, policy: GroupingPolicy, ticket: Ticket, at: datetime) -> None:
    """Inside open_ticket, before the new ticket is added: link it to its fault's open incident, if any."""
    if not policy.enabled or not ticket.location.building:
        return
    recent = uow.tickets.find(TicketFilter(estate_id=ticket.estate_id, building=ticket.location.building,
                                           category=ticket.category, open_only=True, limit=0))
    parent = parent_for(ticket, recent, policy)
    if parent is not None:
        ticket.parent_id = parent.id
        ticket.apply(Action.LINK, None, None, at, f"{PARENT}{parent.id}{AUTO}")


def children(uow: UnitOfWork, parent_id: int) -> list[Ticket]:
    return sorted(uow.tickets.find(TicketFilter(parent_id=parent_id, limit=0)), key=lambda t: t.id or 0)


def follow_parent(uow: UnitOfWork, parent: Ticket, event: TicketEvent) -> None:
    """In the parent's transaction: its work reported done asks each waiting report's owner to confirm it, as a
    single ticket's owner is asked; a parent cancelled or turned away lets its reports go on alone."""
    if event.action not in (Action.COMPLETE, Action.CANCEL, Action.REJECT) or parent.id is None:
        return
    for child in children(uow, parent.id):
        if child.status not in _WAITING:
            continue
        if event.action is Action.COMPLETE:
            child.technician_id, child.completion = parent.technician_id, parent.completion
            child.apply(Action.FOLLOW, None, None, event.at, f"{PARENT}{parent.id}")
        else:
            child.parent_id = None
            child.apply(Action.UNLINK, None, None, event.at, f"{PARENT}{parent.id}{ENDED}")
        uow.tickets.save(child)


def link(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, parent_id: int) -> TicketChange:
    """/link <id> <parent>: staff join a report to an incident by hand."""
    with uow:
        actor = load_actor(uow, actor_id)
        child = load_ticket(uow, ticket_id)
        authorize(actor, Action.LINK, child)
        parent = load_ticket(uow, parent_id)
        if parent.estate_id != child.estate_id:
            raise PermissionDenied("another estate's ticket", ticket_id=parent_id, action=Action.LINK.value)
        problem = link_problem(child, parent) or ("has_children" if children(uow, ticket_id) else None)
        if problem:
            raise LinkRefused(problem, ticket_id=ticket_id, parent=parent_id, other=parent.parent_id)
        if child.parent_id == parent_id:
            return TicketChange(child, uow.tickets.timeline(ticket_id)[-1], repeated=True)
        event = child.apply(Action.LINK, actor.id, actor.role, clock.now(), f"{PARENT}{parent_id}")
        child.parent_id = parent_id
        uow.tickets.save(child)
        uow.commit()
        return TicketChange(child, event)


def unlink(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    """/unlink <id>, or the owner's "不是，是另一个问题": the report goes to dispatch on its own."""
    with uow:
        actor = load_actor(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        authorize(actor, Action.UNLINK, ticket)
        if ticket.parent_id is None:  # on its own already: the same tap twice changes nothing
            return TicketChange(ticket, uow.tickets.timeline(ticket_id)[-1], repeated=True)
        event = ticket.apply(Action.UNLINK, actor.id, actor.role, clock.now(), f"{PARENT}{ticket.parent_id}")
        ticket.parent_id = None
        uow.tickets.save(ticket)
        uow.commit()
        return TicketChange(ticket, event)


@dataclass(frozen=True)
class Announced:
    notice: Notice
    residents: int  # owners with a home in the building, told through the outbox


def _staff(uow: UnitOfWork, actor_id: int):  # type: ignore[no-untyped-def]
    actor = load_actor(uow, actor_id)
    if not actor.is_staff:
        raise PermissionDenied("staff only", role=actor.role.value)
    return actor


def announce(uow: UnitOfWork, clock: Clock, actor_id: int, building: str, text: str, category: Category | None,
             hours: int = 24, tell=None) -> Announced:  # type: ignore[no-untyped-def]
    """/notice <building> <text>: stored until it expires, and every resident of the building is told.
    `tell(uow, notice, residents)` writes their messages into the outbox in this same transaction."""
    text = text.strip()
    if not text:
        raise InvalidInput("a notice needs its text", field="notice")
    if len(text) > MAX_NOTICE:
        raise InvalidInput("notice too long", field="notice", limit=MAX_NOTICE)
    if not 1 <= hours <= 24 * 14:
        raise InvalidInput("hours out of range", field="hours", value=hours)
    with uow:
        actor = _staff(uow, actor_id)
        estate = uow.estates.get(actor.estate_id)
        known = estate.building(building) if estate else None
        if known is None:
            raise InvalidInput(f"unknown building {building}", field="building", value=building)
        now = clock.now()
        notice = uow.notices.add(Notice(actor.estate_id, known.id, text, actor.id or 0, now,
                                        now + timedelta(hours=hours), category))
        residents = [p for p in uow.people.find(estate_id=actor.estate_id) if p.active and p.chat_id is not None
                     and any((h.building or "").upper() == known.id.upper() for h in p.homes)]
        if tell is not None:
            tell(uow, notice, residents)
        uow.commit()
        return Announced(notice, len(residents))


def active_notices(uow: UnitOfWork, clock: Clock, actor_id: int) -> list[Notice]:
    with uow:
        actor = _staff(uow, actor_id)
        return uow.notices.active(actor.estate_id, clock.now())


def end_notice(uow: UnitOfWork, clock: Clock, actor_id: int, notice_id: int) -> Notice:
    with uow:
        actor = _staff(uow, actor_id)
        notice = uow.notices.get(notice_id)
        if notice is None or notice.estate_id != actor.estate_id:
            raise InvalidInput("no such notice", field="notice", value=notice_id)
        if notice.ended_at is None:
            uow.notices.end(notice_id, clock.now())
            uow.commit()
        return uow.notices.get(notice_id) or notice


def notice_answering(uow: UnitOfWork, clock: Clock, actor_id: int, building: str | None, category: Category | None,
                     text: str) -> Notice | None:
    """The active notice a report from this building answers, if any (the owner may still file it)."""
    with uow:
        actor = load_actor(uow, actor_id)
        now = clock.now()
        return notice_for(building, category, text, uow.notices.active(actor.estate_id, now), now)
