"""Pricing, who pays, the ledger and the stock, as pure rules and through the use cases with fakes."""
from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import timedelta

import pytest

from app.catalog_seed import seed_catalog
from domain.billing.adjust import Adjustment, adjusted
from domain.billing.bill import Payer, Used, labour_lines, part_line, who_pays
from domain.billing.catalog import LabourRate
from domain.billing.errors import BillStateError
from domain.billing.ledger import BillState, Entry, state
from domain.billing.money import parse_yuan, yuan
from domain.errors import InvalidInput, MissingReason
from domain.lifecycle import Status
from domain.usecases import billing, parts
from domain.values import Category, Location
from tests.fakes import make_world

WARRANTY = timedelta(days=90)


def test_yuan_typed_by_people_are_read_exactly_into_fen() -> None:
    assert [parse_yuan(t) for t in ("12.5", "12.50", "¥0.10", "１２元", "0.07")] == [1250, 1250, 10, 1200, 7]
    for bad in ("12.505", "-1", "abc", "nan", "1e3x", ""):
        with pytest.raises(InvalidInput):
            parse_yuan(bad)
    assert yuan(1250) == "12.50" and yuan(-300) == "-3.00"


def test_labour_is_the_call_out_plus_the_minutes_pro_rata_rounded_to_the_fen() -> None:
    lines = labour_lines(LabourRate(Category.PLUMBING, 3000, 8000), 45)
    assert [line.amount_fen for line in lines] == [3000, 6000]
    assert labour_lines(LabourRate(Category.PLUMBING, 0, 7000), 1)[0].amount_fen == 117  # 116.67 fen, half up


def test_a_part_line_is_quantity_times_unit_price_and_needs_a_quantity() -> None:
    w = make_world()
    seed_catalog(w.uow)
    with w.uow:
        valve = w.uow.catalog.part("VALVE15")
    assert part_line(Used(valve, 3)).amount_fen == 7500
    with pytest.raises(InvalidInput):
        part_line(Used(valve, 0))


def test_common_areas_are_free_and_the_same_home_and_category_within_warranty_is_free() -> None:
    w = make_world()
    earlier = w.ticket(w.ticket_in(Status.COMPLETED, w.plumber))
    now = earlier.completed_at
    again = replace(earlier, id=99, status=Status.IN_PROGRESS, completed_at=None)
    assert who_pays(again, [earlier], WARRANTY, now + WARRANTY).payer is Payer.WARRANTY  # the last day counts
    assert who_pays(again, [earlier], WARRANTY, now + WARRANTY + timedelta(seconds=1)).payer is Payer.OWNER
    assert who_pays(replace(again, category=Category.ELECTRICAL), [earlier], WARRANTY, now).payer is Payer.OWNER
    assert who_pays(replace(again, location=replace(again.location, room="1802")), [earlier], WARRANTY,
                    now).payer is Payer.OWNER
    assert who_pays(again, [replace(earlier, status=Status.CANCELLED)], WARRANTY, now).payer is Payer.OWNER
    assert who_pays(again, [earlier], WARRANTY, now).previous_ticket_id == earlier.id
    common = replace(again, location=Location(building="3", unit="2", area="楼道", common_area=True))
    assert who_pays(common, [], WARRANTY, now).payer is Payer.ESTATE
    assert who_pays(again, [earlier], timedelta(0), now).payer is Payer.OWNER  # no warranty, even the same instant


def test_the_ledger_is_read_from_its_newest_entry_and_its_entries_cannot_change() -> None:
    w = make_world()
    seed_catalog(w.uow)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    billing.complete(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "换了角阀", (("VALVE15", 1),), 30)
    billing.dispute(w.uow, w.clock, w.owner, ticket, "太贵了")
    with w.uow:
        entries = w.uow.ledger.for_ticket(ticket)
    assert [e.kind for e in entries] == [Entry.CHARGE, Entry.DISPUTE] and state(entries) is BillState.DISPUTED
    with pytest.raises(FrozenInstanceError):
        entries[0].amount_fen = 0  # type: ignore[misc]
    assert not [name for name in dir(w.uow.ledger) if name.startswith(("update", "delete", "remove", "put"))]


def test_an_adjustment_needs_a_reason_and_makes_the_next_version_keeping_the_old() -> None:
    w = make_world()
    seed_catalog(w.uow)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    billing.complete(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "换了角阀", (("VALVE15", 2),), 30)
    with w.uow:
        first = w.uow.bills.versions(ticket)[0]
    with pytest.raises(MissingReason):
        adjusted(first, Adjustment(" ", {"VALVE15": 1}), w.dispatcher, w.clock.now())
    billing.adjust(w.uow, w.clock, w.dispatcher, ticket, Adjustment("只用了一个", {"VALVE15": 1}, total_fen=6000))
    with w.uow:
        versions = w.uow.bills.versions(ticket)
    assert [(b.version, b.subtotal_fen) for b in versions] == [(1, 2 * 2500 + 3000 + 4000), (2, 6000)]
    with pytest.raises(BillStateError):  # the owner approves what they saw: version 1 is gone
        billing.confirm(w.uow, w.clock, w.owner, ticket, version=1)
    billing.confirm(w.uow, w.clock, w.owner, ticket, version=2)
    assert w.ticket(ticket).status is Status.COMPLETED


def test_stock_never_goes_negative_and_the_shortfall_is_recorded() -> None:
    w = make_world()
    seed_catalog(w.uow)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    parts.requisition(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "FAUCET", 5)
    with w.uow:
        move = w.uow.catalog.moves(ticket_id=ticket)[-1]
        assert w.uow.catalog.part("FAUCET").stock == 0
    assert (move.before, move.after, move.taken, move.shortfall) == (3, 0, 3, 2)
    report = parts.stock_report(w.uow, w.clock, w.policies.billing, w.dispatcher, 7)
    assert report.used["FAUCET"] == 3 and report.short["FAUCET"] == 2


def test_only_staff_change_prices_and_paying_needs_an_approved_bill() -> None:
    w = make_world()
    seed_catalog(w.uow)
    with pytest.raises(Exception):
        parts.set_price(w.uow, w.plumber, "VALVE15", 100)
    ticket = w.ticket_in(Status.IN_PROGRESS, w.plumber)
    billing.complete(w.uow, w.clock, w.policies.billing, w.plumber, ticket, "修好了")
    with pytest.raises(Exception):
        billing.pay(w.uow, w.clock, w.dispatcher, ticket)  # still awaiting the owner
    billing.confirm(w.uow, w.clock, w.owner, ticket)
    billing.pay(w.uow, w.clock, w.dispatcher, ticket)
    with pytest.raises(BillStateError):
        billing.pay(w.uow, w.clock, w.dispatcher, ticket)  # not twice
