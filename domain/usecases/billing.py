"""Fees: the bill priced at /done, approved with the work or disputed, adjusted by staff, and paid."""
from __future__ import annotations

from dataclasses import dataclass

from domain.authorization import VIEW, authorize
from domain.billing import bill as pricing
from domain.billing.adjust import Adjustment, adjusted
from domain.billing.bill import Bill, LineKind, Used
from domain.billing.errors import BillStateError, NotApprovedYet, NothingToPay
from domain.billing.ledger import BillState, Entry, LedgerEntry, state
from domain.billing.ports import BillingPolicy
from domain.billing.stock import MoveKind
from domain.usecases.incidents import follow_parent
from domain.errors import InvalidInput, MissingReason
from domain.lifecycle import Action, Status
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.ticket import Attachment, AttachmentKind, Completion, Stage, Ticket
from domain.usecases.common import TicketChange, load_actor, load_ticket
from domain.usecases.parts import _part, draw


@dataclass(frozen=True)
class BillView:
    ticket: Ticket
    versions: list[Bill]
    entries: list[LedgerEntry]

    @property
    def current(self) -> Bill | None:
        return self.versions[-1] if self.versions else None

    @property
    def state(self) -> BillState:
        return state(self.entries)


def complete(uow: UnitOfWork, clock: Clock, policy: BillingPolicy, actor_id: int, ticket_id: int, notes: str,
             used: tuple[tuple[str, int], ...] = (), minutes: int | None = None,
             photos: tuple[str, ...] = ()) -> TicketChange:
    """The work is done: the ticket awaits the owner, the parts leave the shelf and the bill is priced, at once."""
    if not notes.strip():
        raise InvalidInput("completion needs notes", field="notes")
    if minutes is not None and not 0 <= minutes <= 24 * 60 * 14:
        raise InvalidInput("labour minutes out of range", field="labour_minutes", value=minutes)
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, Action.COMPLETE, ticket)
        parts = [Used(_part(uow, code), qty) for code, qty in used]
        now = clock.now()
        event = ticket.apply(Action.COMPLETE, actor.id, actor.role, now, notes)
        ticket.completion = Completion(notes.strip(), tuple(f"{u.part.name_zh} ×{u.quantity}" for u in parts), minutes)
        ticket.attachments += [Attachment(f, AttachmentKind.PHOTO, Stage.WORK, actor.id or 0, now) for f in photos]
        uow.tickets.save(ticket)
        follow_parent(uow, ticket, event)  # an incident's reports await their owners' confirmation too
        for u in parts:
            draw(uow, policy, u.part, u.quantity, MoveKind.USED, actor.id, ticket.id, now)
        bill = _priced(uow, policy, ticket, parts, minutes, actor.id)
        uow.bills.add(bill)
        uow.ledger.append(LedgerEntry(ticket_id, Entry.CHARGE, bill.version, bill.due_fen, actor.id, now,
                                      bill.who_pays.payer.value))
        uow.commit()
        return TicketChange(ticket, event)


def _priced(uow: UnitOfWork, policy: BillingPolicy, ticket: Ticket, parts: list[Used], minutes: int | None,
            actor_id: int | None) -> Bill:
    now = ticket.completed_at or ticket.created_at
    earlier = uow.tickets.find(TicketFilter(estate_id=ticket.estate_id, building=ticket.location.building,
                                            category=ticket.category, limit=0))
    payer = pricing.who_pays(ticket, earlier, policy.warranty, now)
    first = pricing.price(ticket, parts, uow.catalog.rate(ticket.category), minutes, payer, actor_id, now)
    before = uow.bills.versions(ticket.id or 0)
    if not before:
        return first
    # Rework: the same job, so its earlier lines stay and the call-out is not charged twice.
    more = tuple(line for line in first.lines if line.kind is not LineKind.CALLOUT)
    return Bill(first.ticket_id, before[-1].version + 1, before[-1].lines + more, before[-1].who_pays, actor_id, now,
                "rework")


def confirm(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, version: int | None = None) -> TicketChange:
    """The owner confirms the work and, with it, the bill they were shown (an adjusted one on its own)."""
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        versions, entries = uow.bills.versions(ticket_id), uow.ledger.for_ticket(ticket_id)
        action = Action.CONFIRM if ticket.status is Status.AWAITING_CONFIRMATION or not versions else \
            Action.BILL_APPROVE
        authorize(actor, action, ticket)
        if versions:
            current = versions[-1]
            if (version is not None and version != current.version) or \
                    state(entries) not in (BillState.AWAITING_APPROVAL, BillState.DISPUTED):
                raise BillStateError("the bill changed or is settled", id=ticket_id)
        event = ticket.apply(action, actor.id, actor.role, clock.now())
        if versions:
            uow.ledger.append(LedgerEntry(ticket_id, Entry.APPROVE, current.version, current.due_fen, actor.id,
                                          event.at))
        uow.tickets.save(ticket) if action is Action.CONFIRM else uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)


def dispute(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, reason: str,
            version: int | None = None) -> TicketChange:
    """The owner questions the bill; the reason goes to staff, the work stays awaiting confirmation."""
    if not reason.strip():
        raise MissingReason("a dispute needs a reason", action="dispute")
    return _bill_event(uow, clock, actor_id, ticket_id, Action.BILL_DISPUTE, Entry.DISPUTE, reason.strip(), version)


def adjust(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, change: Adjustment) -> TicketChange:
    """Staff issue the next version with a reason; the owner is asked to approve it."""
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, Action.BILL_ADJUST, ticket)
        versions, entries = uow.bills.versions(ticket_id), uow.ledger.for_ticket(ticket_id)
        if not versions or state(entries) is BillState.PAID:
            raise BillStateError("no bill to adjust, or it is paid", id=ticket_id)
        event = ticket.apply(Action.BILL_ADJUST, actor.id, actor.role, clock.now(), change.reason)
        bill = adjusted(versions[-1], change, actor.id or 0, event.at)
        uow.bills.add(bill)
        uow.ledger.append(LedgerEntry(ticket_id, Entry.ADJUST, bill.version, bill.due_fen, actor.id, event.at,
                                      change.reason.strip()))
        uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)


def pay(uow: UnitOfWork, clock: Clock, actor_id: int | None, ticket_id: int, method: str = "office",
        amount_fen: int | None = None) -> TicketChange:
    """Paid at the property office (staff say so), or by Telegram (actor None, the amount Telegram reported)."""
    with uow:
        ticket = load_ticket(uow, ticket_id)
        actor = load_actor(uow, actor_id) if actor_id is not None else None
        if actor is not None:
            authorize(actor, Action.PAY, ticket)
        versions, entries = uow.bills.versions(ticket_id), uow.ledger.for_ticket(ticket_id)
        current = versions[-1] if versions else None
        if current is None or current.due_fen == 0:
            raise NothingToPay("the owner owes nothing", id=ticket_id)
        if state(entries) in (BillState.AWAITING_APPROVAL, BillState.DISPUTED):
            raise NotApprovedYet("the bill is not approved", id=ticket_id)
        if state(entries) is not BillState.APPROVED or (amount_fen is not None and amount_fen != current.due_fen):
            raise BillStateError("nothing approved to pay", id=ticket_id)
        event = ticket.apply(Action.PAY, actor_id, actor.role if actor else None, clock.now(), method)
        uow.ledger.append(LedgerEntry(ticket_id, Entry.PAY, current.version, current.due_fen, actor_id, event.at,
                                      method=method))
        uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)


def view(uow: UnitOfWork, actor_id: int, ticket_id: int) -> BillView:
    """The bill with every version and its ledger, for whoever may see the ticket."""
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, VIEW, ticket)
        return BillView(ticket, uow.bills.versions(ticket_id), uow.ledger.for_ticket(ticket_id))


def _bill_event(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, action: Action, kind: Entry,
                note: str, version: int | None) -> TicketChange:
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, action, ticket)
        versions, entries = uow.bills.versions(ticket_id), uow.ledger.for_ticket(ticket_id)
        if not versions or (version is not None and version != versions[-1].version) or \
                state(entries) not in (BillState.AWAITING_APPROVAL, BillState.DISPUTED):
            raise BillStateError("the bill changed or is settled", id=ticket_id)
        event = ticket.apply(action, actor.id, actor.role, clock.now(), note)
        uow.ledger.append(LedgerEntry(ticket_id, kind, versions[-1].version, versions[-1].due_fen, actor.id,
                                      event.at, note))
        uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)
