"""Ticket use cases: open a ticket and move it through its lifecycle."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from domain.authorization import authorize, relations, Relation
from domain.dispatch.geo import Coordinates, haversine_km
from domain.errors import (AlreadyTaken, DuplicateReport, FollowsIncident, InvalidInput, PermissionDenied, ReopenWindowPassed,
                           StaleTicket, TooSoon)
from domain.lifecycle import Action, Status, next_status
from domain.people import Person, Role
from domain.ports import Clock, UnitOfWork
from domain.ticket import Attachment, AttachmentKind, Completion, Stage, Ticket, check_rating
from domain.estate import Estate
from domain.usecases.common import Policies, TicketChange, load_actor, load_ticket
from domain.usecases.dispatching import CHECK_IN
from domain.usecases.incidents import follow_parent, group_at_filing
from domain.values import LOCATION_LIMITS, Category, Location, Priority

MAX_DESCRIPTION = 2000


@dataclass(frozen=True)
class NewTicket:
    """What an owner reported, after the adapters filled in what was missing."""

    location: Location
    category: Category
    priority: Priority
    description: str
    photos: tuple[tuple[str, AttachmentKind], ...] = field(default_factory=tuple)
    report_key: str | None = None  # the draft's key: one ticket per draft, however often it is submitted


def open_ticket(uow: UnitOfWork, clock: Clock, policies: Policies, actor_id: int, new: NewTicket) -> TicketChange:
    """An owner reports a problem; the ticket starts 待受理 with its SLA due times."""
    check_new(new)
    with uow:
        owner = load_actor(uow, actor_id)
        if owner.role is not Role.OWNER:
            raise PermissionDenied("only owners open tickets", role=owner.role.value)
        earlier = uow.tickets.by_report_key(new.report_key) if new.report_key else None
        if earlier is not None:
            return _opened_before(uow, earlier)
        try:
            change = file_ticket(uow, policies, owner, new, clock.now())
            uow.commit()
        except DuplicateReport:  # the same draft, submitted at the same moment by another update: it won
            uow.rollback()
            return _opened_before(uow, uow.tickets.by_report_key(new.report_key or ""))
        return change


def check_new(new: NewTicket) -> None:
    """What every new ticket needs: a description within limits and a place."""
    description = new.description.strip()
    if not description:
        raise InvalidInput("a report needs a description", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput("description too long", field="description", limit=MAX_DESCRIPTION)
    if new.location.is_empty:
        raise InvalidInput("a report needs a location", field="location")
    too_long = new.location.too_long()
    if too_long:
        raise InvalidInput(f"the {too_long} is too long", field=too_long, limit=LOCATION_LIMITS[too_long])


def file_ticket(uow: UnitOfWork, policies: Policies, owner: Person, new: NewTicket, now: datetime,
                opened_by: Person | None = None, group: bool = True) -> TicketChange:
    """Inside the caller's transaction: add the ticket with its SLA due times and its opening line, without
    committing. `opened_by` None: the owner reported it; `group` False: never filed under an incident (planned work
    is nobody's report of a fault). Raises DuplicateReport for a report_key already used."""
    check_new(new)
    ticket = Ticket(
        estate_id=owner.estate_id, owner_id=owner.id or 0, location=new.location, category=new.category,
        priority=new.priority, description=new.description.strip(), created_at=now,
        response_due_at=policies.sla.response_due(new.priority, now),
        arrival_due_at=policies.sla.arrival_due(new.priority, now),
        resolution_due_at=policies.sla.resolution_due(new.priority, now),
    )
    ticket.attachments = [Attachment(fid, kind, Stage.REPORT, owner.id or 0, now) for fid, kind in new.photos]
    ticket.report_key = new.report_key
    actor = opened_by or owner
    opening = ticket.record_opening(actor.id, actor.role, now)
    if group:
        group_at_filing(uow, policies.grouping, ticket, now)  # one fault, many reporters: filed, and linked
    ticket = uow.tickets.add(ticket)
    return TicketChange(ticket, replace(opening, ticket_id=ticket.id))


def _opened_before(uow: UnitOfWork, ticket: Ticket | None) -> TicketChange:
    assert ticket is not None and ticket.id is not None
    return TicketChange(ticket, uow.tickets.timeline(ticket.id)[0], repeated=True)


def _transition(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, action: Action, note: str = "",
                before: Callable[[Person, Ticket], None] | None = None,
                after: Callable[[Person, Ticket], None] | None = None) -> TicketChange:
    """Load, authorize, apply, save, commit: the shape of every lifecycle use case."""
    with uow:
        actor = load_actor(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        if before:
            before(actor, ticket)
        authorize(actor, action, ticket)
        event = ticket.apply(action, actor.id, actor.role, clock.now(), note)
        if after:
            after(actor, ticket)
        uow.tickets.save(ticket)
        follow_parent(uow, ticket, event)  # an incident's reports go with their parent
        uow.commit()
        return TicketChange(ticket, event)


def check_allowed(uow: UnitOfWork, actor_id: int, ticket_id: int, action: Action) -> None:
    """Refuse now what `action` would refuse later, before anyone is asked for a reason, a yes or a form:
    a forged button must not leave a question behind that swallows the person's next message."""
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, action, ticket)
        next_status(ticket.id, ticket.status, action)


def triage(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, note: str = "") -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.TRIAGE, note)


def reject(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str) -> TicketChange:
    """Staff turn a report away as not a repair."""
    return _transition(uow, clock, actor_id, ticket_id, Action.REJECT, reason)


def assign(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, technician_id: int) -> TicketChange:
    """Staff give the job to a technician, who then accepts or declines it."""
    def set_technician(actor: Person, ticket: Ticket) -> None:
        technician = uow.people.get(technician_id)
        if technician is None or technician.role is not Role.TECHNICIAN or not technician.active \
                or technician.estate_id != ticket.estate_id:
            raise InvalidInput("not an active technician", field="technician", value=technician_id)
        ticket.technician_id, ticket.accepted_at = technician.id, None

    def not_linked(actor: Person, ticket: Ticket) -> None:
        authorize(actor, Action.ASSIGN, ticket)  # an owner is refused as such, not told about incidents
        _refuse_linked(ticket)

    return _transition(uow, clock, actor_id, ticket_id, Action.ASSIGN, f"technician:{technician_id}",
                       before=not_linked, after=set_technician)


def _refuse_linked(ticket: Ticket) -> None:
    """A report linked under an incident is worked through its parent: its own technician would go unseen."""
    if ticket.parent_id is not None:
        raise FollowsIncident(f"ticket #{ticket.id} follows #{ticket.parent_id}", ticket_id=ticket.id,
                              parent=ticket.parent_id)


def claim(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    """抢单: the first technician with the skill takes the job; everyone after gets AlreadyTaken."""
    def still_in_pool(actor: Person, ticket: Ticket) -> None:
        taken = ticket.technician_id is not None or ticket.status not in (Status.SUBMITTED, Status.AWAITING_DISPATCH)
        same_estate = actor.estate_id == ticket.estate_id
        if taken and same_estate and actor.has_skill(ticket.category) and ticket.status.is_open:
            raise AlreadyTaken(f"ticket #{ticket.id} is already taken", ticket_id=ticket.id)
        if same_estate and actor.has_skill(ticket.category):
            _refuse_linked(ticket)

    try:
        return _transition(uow, clock, actor_id, ticket_id, Action.CLAIM, before=still_in_pool)
    except StaleTicket:
        raise AlreadyTaken(f"ticket #{ticket_id} is already taken", ticket_id=ticket_id) from None


def accept(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.ACCEPT)


def decline(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.DECLINE, reason)


def start(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.START)


def hold(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.HOLD, reason)


def resume(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.RESUME)


def complete(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, notes: str,
             parts: tuple[str, ...] = (), labour_minutes: int | None = None,
             photos: tuple[str, ...] = ()) -> TicketChange:
    """The technician reports the work done, with notes, parts, labour and after-photos."""
    if not notes.strip():
        raise InvalidInput("completion needs notes", field="notes")
    if labour_minutes is not None and not 0 <= labour_minutes <= 24 * 60 * 14:
        raise InvalidInput("labour minutes out of range", field="labour_minutes", value=labour_minutes)

    def record(actor: Person, ticket: Ticket) -> None:
        now = clock.now()
        ticket.completion = Completion(notes.strip(), tuple(p.strip() for p in parts if p.strip()), labour_minutes)
        ticket.attachments += [Attachment(f, AttachmentKind.PHOTO, Stage.WORK, actor.id or 0, now) for f in photos]

    return _transition(uow, clock, actor_id, ticket_id, Action.COMPLETE, notes, after=record)


def confirm(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.CONFIRM)


def reject_completion(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str) -> TicketChange:
    """The owner is not satisfied: back to 维修中 as rework, counted."""
    return _transition(uow, clock, actor_id, ticket_id, Action.REJECT_COMPLETION, reason)


def rate(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, stars: int, comment: str = "") -> TicketChange:
    check_rating(stars)

    def record(actor: Person, ticket: Ticket) -> None:
        ticket.rating, ticket.rating_comment = stars, (comment.strip() or None)

    note = f"{stars}★ {comment.strip()}".strip()
    return _transition(uow, clock, actor_id, ticket_id, Action.RATE, note, after=record)


def cancel(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str) -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.CANCEL, reason)


def close(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, note: str = "") -> TicketChange:
    return _transition(uow, clock, actor_id, ticket_id, Action.CLOSE, note)


def reopen(uow: UnitOfWork, clock: Clock, policies: Policies, actor_id: int, ticket_id: int,
           reason: str = "") -> TicketChange:
    """Staff reopen a closed ticket, but only within the configured window."""
    def within_window(actor: Person, ticket: Ticket) -> None:
        authorize(actor, Action.REOPEN, ticket)  # only staff may learn whether the window has passed
        if ticket.closed_at and clock.now() - ticket.closed_at > policies.reopen_window:
            raise ReopenWindowPassed("too late to reopen", ticket_id=ticket.id,
                                     days=policies.reopen_window.days)

    def fresh_deadlines(actor: Person, ticket: Ticket) -> None:
        policies.sla.start_clocks(ticket, clock.now())  # a reopened ticket is owed the whole service again

    return _transition(uow, clock, actor_id, ticket_id, Action.REOPEN, reason, before=within_window,
                       after=fresh_deadlines)


def urge(uow: UnitOfWork, clock: Clock, policies: Policies, actor_id: int, ticket_id: int) -> TicketChange:
    """催单: the owner chases an open ticket, at most once per cool-down."""
    def not_too_soon(actor: Person, ticket: Ticket) -> None:
        if Relation.OWNER not in relations(actor, ticket):
            return  # authorize() refuses it with the right error
        last = ticket.last_urged_at
        if last is not None and clock.now() - last < policies.urge_cooldown:
            wait = policies.urge_cooldown - (clock.now() - last)
            raise TooSoon("urged recently", ticket_id=ticket.id, minutes=max(1, int(wait.total_seconds() // 60) + 1))

    return _transition(uow, clock, actor_id, ticket_id, Action.URGE, before=not_too_soon)


def comment(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, text: str) -> TicketChange:
    if not text.strip():
        raise InvalidInput("empty comment", field="comment")
    return _transition(uow, clock, actor_id, ticket_id, Action.COMMENT, text)


def attach(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, file_id: str,
           kind: AttachmentKind = AttachmentKind.PHOTO) -> TicketChange:
    """A photo or video sent after the report joins the ticket as a file reference."""
    def add(actor: Person, ticket: Ticket) -> None:
        stage = Stage.WORK if actor.role is Role.TECHNICIAN else Stage.REPORT
        ticket.attachments.append(Attachment(file_id, kind, stage, actor.id or 0, clock.now()))

    return _transition(uow, clock, actor_id, ticket_id, Action.ATTACH, kind.value, after=add)


def check_in(uow: UnitOfWork, clock: Clock, estate: Estate, radius_m: float, actor_id: int, ticket_id: int,
             position: Coordinates | None) -> TicketChange:
    """到场签到: where the technician was when they began, as they shared it (None: they did not). Within
    `radius_m` of the ticket's building it counts as verified; farther, or nothing shared, or a place with no
    coordinates, and the work goes on all the same, marked unverified for staff."""
    with uow:
        actor = load_actor(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        authorize(actor, Action.CHECK_IN, ticket)
        building = estate.building(ticket.location.building) if ticket.location.building else None
        target = building.coordinates if building else None
        note = f"{CHECK_IN}none"
        if position is not None:
            where = f"{CHECK_IN}{position[0]:.6f},{position[1]:.6f}"
            if target is None:
                note = f"{where}:-:unplaced"
            else:
                metres = round(haversine_km(position, target) * 1000)
                note = f"{where}:{metres}:{'verified' if metres <= radius_m else 'far'}"
        event = ticket.apply(Action.CHECK_IN, actor.id, actor.role, clock.now(), note)
        uow.tickets.save(ticket)
        uow.commit()
        return TicketChange(ticket, event)
