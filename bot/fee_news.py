"""Who is told what about fees and stock: the bill at 待验收, disputes, adjustments, payments, shortfalls, low stock."""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from bot import keyboards
from bot.bill_view import bill_text, money, part_name, unit
from bot.services import BotServices
from domain.billing.bill import Bill
from domain.billing.invoice import CURRENCY, InvoiceRef
from domain.billing.ledger import Entry
from domain.billing.stock import crossed_low
from domain.lifecycle import Action, Status
from domain.people import Person, Role
from domain.ports import UnitOfWork
from domain.usecases.common import TicketChange
from domain.usecases.payments import REVIEW, TELEGRAM

if TYPE_CHECKING:
    from bot.notify import _Out

BILL_NEWS = frozenset({Action.BILL_DISPUTE, Action.BILL_ADJUST, Action.BILL_APPROVE, Action.PAY, Action.REQUISITION})


def done_with_bill(svc: BotServices, uow: UnitOfWork, change: TicketChange, owner: Person, values: dict[str, Any],
                   out: "_Out") -> bool:
    """The owner's 'done, please check' carries the itemized bill and its buttons; False when there is no bill."""
    versions = uow.bills.versions(change.ticket.id or 0)
    if not versions:
        return False
    bill = versions[-1]
    lang = owner.language
    key = "push.done_billed" if bill.due_fen else "push.done_free"
    markup = keyboards.bill(svc, lang, bill.ticket_id, bill.version, work_done=False) if bill.due_fen else \
        keyboards.confirm_reject(svc, lang, bill.ticket_id)
    out.to(owner, key, dict(values, bill=bill_text(svc, lang, bill)), markup, owner_news=True)
    return True


def bill_news(svc: BotServices, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
    """A dispute goes to staff; an adjusted bill to the owner to approve; approval and payment to whom it concerns."""
    ticket, event = change.ticket, change.event
    owner = uow.people.get(ticket.owner_id) if ticket.owner_id else None
    versions = uow.bills.versions(ticket.id or 0)
    if event.action is Action.REQUISITION:
        stock_news(svc, uow, change, out)
        return
    if not versions:
        return
    bill, lang = versions[-1], svc.default_language
    ids = dict(id=ticket.id, reason=escape(event.note))
    if event.action is Action.BILL_DISPUTE:
        out.to_staff("staff.bill_disputed", dict(ids, bill=bill_text(svc, lang, bill)))
    elif event.action is Action.BILL_ADJUST and owner is not None:
        done = ticket.status is not Status.AWAITING_CONFIRMATION
        out.to(owner, "push.bill_adjusted", dict(ids, bill=bill_text(svc, owner.language, bill)),
               keyboards.bill(svc, owner.language, bill.ticket_id, bill.version, work_done=done), owner_news=True)
    elif event.action is Action.BILL_APPROVE:
        approved(svc, uow, change, bill, out)
    elif event.action is Action.PAY and event.note == TELEGRAM:
        paid_by_telegram(svc, uow, change, out)
    elif event.action is Action.PAY and owner is not None and owner.id != event.actor_id:
        out.to(owner, "push.paid", dict(id=ticket.id, amount=money(owner.language, bill.due_fen)), owner_news=True)


def approved(svc: BotServices, uow: UnitOfWork, change: TicketChange, bill: Bill, out: "_Out") -> None:
    """Staff learn what the owner owes once it is approved (collected at the office, /paid N); with a payment
    provider the owner also gets a Telegram invoice for exactly this version."""
    if not bill.due_fen:
        return
    key = "staff.bill_approved_invoice" if svc.settings.payment_provider_token else "staff.bill_approved"
    out.to_staff(key, dict(id=change.ticket.id, amount=money(svc.default_language, bill.due_fen)))
    owner = uow.people.get(change.ticket.owner_id) if change.ticket.owner_id else None
    if svc.settings.payment_provider_token and owner is not None:
        lang = owner.language
        ref = InvoiceRef(bill.ticket_id, bill.version)
        facts = dict(id=bill.ticket_id, version=bill.version, total=money(lang, bill.due_fen))
        out.invoice(owner, {"title": svc.t(lang, "invoice.title", **facts),
                            "description": svc.t(lang, "invoice.description", **facts),
                            "payload": ref.payload, "currency": CURRENCY,
                            "prices": [{"label": svc.t(lang, "invoice.label", **facts), "amount": bill.due_fen}]})


def paid_by_telegram(svc: BotServices, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
    """Staff learn of a payment in the chat (the owner, who paid, is answered directly); one to review is flagged."""
    entry = next((e for e in reversed(uow.ledger.for_ticket(change.ticket.id or 0)) if e.kind is Entry.PAY), None)
    if entry is None:
        return
    facts = dict(id=change.ticket.id, amount=money(svc.default_language, entry.amount_fen), charge=escape(entry.charge_id))
    out.to_staff("staff.paid_review" if entry.note == REVIEW else "staff.paid_telegram", facts)


def stock_news(svc: BotServices, uow: UnitOfWork, change: TicketChange, out: "_Out") -> None:
    """Parts the shelf did not have (staff and the technician are told), and parts that just fell to their alert."""
    ticket, event, lang = change.ticket, change.event, svc.default_language
    actor = uow.people.get(event.actor_id) if event.actor_id else None
    for move in uow.catalog.moves(ticket_id=ticket.id):
        if move.at != event.at:
            continue
        part = uow.catalog.part(move.part_code)
        if part is None:
            continue
        if move.shortfall:
            facts = dict(id=ticket.id, code=part.code, short=move.shortfall, have=move.taken)
            out.to_staff("staff.shortfall", dict(facts, name=escape(part_name(lang, part)), unit=escape(unit(lang, part))))
            if actor is not None and actor.role is Role.TECHNICIAN:
                out.to(actor, "push.tech_shortfall", dict(facts, name=escape(part_name(actor.language, part)),
                                                          unit=escape(unit(actor.language, part))))
        if crossed_low(move):
            out.to_staff("staff.low_stock", dict(code=part.code, name=escape(part_name(lang, part)),
                                                 unit=escape(unit(lang, part)), left=move.after, low=move.low_at))
