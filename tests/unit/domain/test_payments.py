"""Paying by Telegram: the invoice's payload is checked against the ledger, and a charge is booked exactly once."""
from __future__ import annotations

import pytest

from app.catalog_seed import seed_catalog
from domain.billing.adjust import Adjustment
from domain.billing.errors import PaymentRefused
from domain.billing.invoice import InvoiceRef, parse_payload
from domain.billing.ledger import BillState, Entry, state
from domain.lifecycle import Status
from domain.usecases import billing, payments
from tests.fakes import World, make_world


def _approved(w: World, parts: tuple[tuple[str, int], ...] = (("VALVE15", 2),)) -> int:
    """A ticket whose bill (2 valves, call-out, 30 minutes: 120.00) the owner approved with the work."""
    seed_catalog(w.uow)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    billing.complete(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "换了角阀", parts, 30)
    billing.confirm(w.uow, w.clock, w.owner, ticket)
    return ticket


def _pays(w: World, ticket: int) -> list[tuple[int, str, str, str]]:
    with w.uow:
        return [(e.amount_fen, e.method, e.charge_id, e.note) for e in w.uow.ledger.for_ticket(ticket)
                if e.kind is Entry.PAY]


def test_a_payload_names_a_ticket_and_a_version_and_anything_else_is_no_invoice_of_ours() -> None:
    assert parse_payload(InvoiceRef(12, 3).payload) == InvoiceRef(12, 3)
    for forged in ("", None, "bill:12", "bill:12:3:4", "bill:-1:1", "bill:1e3:1", "bill:12:3 ", "x" * 200):
        assert parse_payload(forged) is None


def test_the_pre_checkout_is_ok_only_for_the_approved_unpaid_version_in_yuan_fen_for_its_exact_amount() -> None:
    w = make_world()
    ticket = _approved(w)
    payload = InvoiceRef(ticket, 1).payload
    assert payments.check(w.uow, payload, "CNY", 12000).version == 1
    refusals = {"amount": (payload, "CNY", 11999), "currency": (payload, "USD", 12000),
                "version": (InvoiceRef(ticket, 2).payload, "CNY", 12000),
                "ticket": (InvoiceRef(ticket + 100, 1).payload, "CNY", 12000), "forged": ("bill:x", "CNY", 12000)}
    reasons = {}
    for name, args in refusals.items():
        with pytest.raises(PaymentRefused) as refused:
            payments.check(w.uow, *args)
        reasons[name] = refused.value.facts["reason"]
    assert reasons == {"amount": "amount", "currency": "amount", "version": "changed", "ticket": "unknown",
                       "forged": "unknown"}


def test_a_bill_not_yet_approved_or_already_paid_at_the_office_is_refused_before_any_charge() -> None:
    w = make_world()
    seed_catalog(w.uow)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    billing.complete(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "换了角阀", (("VALVE15", 1),), None)
    with pytest.raises(PaymentRefused) as awaiting:
        payments.check(w.uow, InvoiceRef(ticket, 1).payload, "CNY", 5500)
    billing.confirm(w.uow, w.clock, w.owner, ticket)
    billing.pay(w.uow, w.clock, w.dispatcher, ticket)
    with pytest.raises(PaymentRefused) as paid:
        payments.check(w.uow, InvoiceRef(ticket, 1).payload, "CNY", 5500)
    assert (awaiting.value.facts["reason"], paid.value.facts["reason"]) == ("changed", "paid")


def test_a_successful_payment_is_booked_once_with_its_charge_id_however_often_telegram_reports_it() -> None:
    w = make_world()
    ticket = _approved(w)
    payload = InvoiceRef(ticket, 1).payload
    change = payments.record(w.uow, w.clock, w.owner, payload, "CNY", 12000, "tg-charge-1")
    assert change is not None and change.event.actor_id == w.owner and change.event.note == "telegram"
    assert payments.record(w.uow, w.clock, w.owner, payload, "CNY", 12000, "tg-charge-1") is None
    assert _pays(w, ticket) == [(12000, "telegram", "tg-charge-1", "")]
    with w.uow:
        assert state(w.uow.ledger.for_ticket(ticket)) is BillState.PAID
    with pytest.raises(PaymentRefused):
        payments.check(w.uow, payload, "CNY", 12000)  # a second invoice for the same bill is refused now


def test_money_taken_for_a_bill_that_changed_meanwhile_is_still_booked_and_flagged_for_staff_to_review() -> None:
    w = make_world()
    ticket = _approved(w)
    payments.check(w.uow, InvoiceRef(ticket, 1).payload, "CNY", 12000)  # ok: Telegram charges...
    billing.adjust(w.uow, w.clock, w.dispatcher, ticket, Adjustment("只换了一个", {"VALVE15": 1}))  # ...meanwhile
    payments.record(w.uow, w.clock, w.owner, InvoiceRef(ticket, 1).payload, "CNY", 12000, "tg-charge-2")
    assert _pays(w, ticket) == [(12000, "telegram", "tg-charge-2", payments.REVIEW)]


def test_a_payment_naming_no_ticket_of_ours_is_refused_and_books_nothing() -> None:
    w = make_world()
    ticket = _approved(w)
    with pytest.raises(PaymentRefused):
        payments.record(w.uow, w.clock, w.owner, "not-ours", "CNY", 12000, "tg-charge-3")
    with pytest.raises(Exception):
        payments.record(w.uow, w.clock, w.owner, InvoiceRef(ticket, 1).payload, "CNY", 12000, " ")
    assert _pays(w, ticket) == []
