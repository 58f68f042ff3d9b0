"""Paying a bill by Telegram: the invoice checked before Telegram charges, and the payment booked exactly once."""
from __future__ import annotations

from domain.billing.bill import Bill
from domain.billing.errors import PaymentRefused
from domain.billing.invoice import CURRENCY, InvoiceRef, parse_payload
from domain.billing.ledger import BillState, Entry, LedgerEntry, state
from domain.errors import InvalidInput
from domain.lifecycle import Action
from domain.ports import Clock, UnitOfWork
from domain.usecases.common import TicketChange, load_ticket

TELEGRAM = "telegram"
REVIEW = "review"  # the ledger note of money taken for a bill that no longer asked for it: staff check, refund


def check(uow: UnitOfWork, payload: str, currency: str, total_fen: int) -> Bill:
    """Before Telegram charges (pre_checkout_query): the bill named is still approved, unpaid, and asks exactly this.

    Anyone holding the invoice may pay it; what must hold is that it is one of ours and still due as shown."""
    ref = _ref(payload)
    with uow:
        return _payable(uow, ref, currency, total_fen)


def record(uow: UnitOfWork, clock: Clock, payer_id: int | None, payload: str, currency: str, total_fen: int,
           charge_id: str) -> TicketChange | None:
    """Telegram took the money (successful_payment): book it once; None when this charge is booked already.

    Money taken is always booked against the ticket it names; if the bill changed or was paid at the office
    meanwhile, the entry says `review` so staff check it and refund."""
    if not charge_id.strip():
        raise InvalidInput("a payment without a charge id", field="charge_id")
    ref = _ref(payload)
    with uow:
        ticket = load_ticket(uow, ref.ticket_id)
        if any(e.charge_id == charge_id for e in uow.ledger.for_ticket(ref.ticket_id)):
            return None  # Telegram sent this payment again: it is in the ledger already
        try:
            bill = _payable(uow, ref, currency, total_fen)
            version, note = bill.version, ""
        except PaymentRefused:
            version, note = ref.version, REVIEW
        payer = uow.people.get(payer_id) if payer_id is not None else None
        event = ticket.apply(Action.PAY, payer.id if payer else None, payer.role if payer else None, clock.now(),
                             TELEGRAM)
        uow.ledger.append(LedgerEntry(ticket.id or 0, Entry.PAY, version, total_fen, event.actor_id, event.at,
                                      note, TELEGRAM, charge_id.strip()))
        uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)


def _ref(payload: str) -> InvoiceRef:
    ref = parse_payload(payload)
    if ref is None:
        raise PaymentRefused("not one of our invoices", reason="unknown")
    return ref


def _payable(uow: UnitOfWork, ref: InvoiceRef, currency: str, total_fen: int) -> Bill:
    ticket = uow.tickets.get(ref.ticket_id)
    versions = uow.bills.versions(ref.ticket_id) if ticket is not None else []
    current = versions[-1] if versions else None
    if current is None:
        raise PaymentRefused("no such bill", reason="unknown", id=ref.ticket_id)
    bill_state = state(uow.ledger.for_ticket(ref.ticket_id))
    if bill_state is BillState.PAID:
        raise PaymentRefused("the bill is paid", reason="paid", id=ref.ticket_id)
    if current.version != ref.version or bill_state is not BillState.APPROVED:
        raise PaymentRefused("the bill changed", reason="changed", id=ref.ticket_id)
    if currency != CURRENCY or total_fen != current.due_fen or current.due_fen <= 0:
        raise PaymentRefused("another amount", reason="amount", id=ref.ticket_id)
    return current
