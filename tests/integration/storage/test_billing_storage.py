"""The ledger and stock on SQLite and PostgreSQL: versions kept, the ledger append-only, the last unit never shared."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from app.catalog_seed import seed_catalog
from domain.billing.adjust import Adjustment
from domain.billing.ledger import Entry
from domain.billing.ports import BillingPolicy
from domain.lifecycle import Status
from domain.people import Person, Role
from domain.ports import SystemClock
from domain.usecases import billing, parts
from domain.usecases.tickets import NewTicket, claim, open_ticket, start
from domain.values import Category, Location, Priority
from tests.integration.storage.test_concurrent_claim import POLICIES
from tests.integration.storage.test_repositories import ESTATE

POLICY = BillingPolicy(timedelta(days=90), 3)
STAFF_GROUP = -1001


def _working_ticket(uow_factory, techs: int = 1):  # type: ignore[no-untyped-def]
    clock = SystemClock()
    with uow_factory() as uow:
        uow.estates.put(ESTATE)
        owner = uow.people.add(Person("王芳", Role.OWNER, "e1", chat_id=1, homes=[Location("3", "2", "1801")]))
        staff = uow.people.add(Person("赵敏", Role.STAFF, "e1", chat_id=3))
        people = [uow.people.add(Person(f"师傅{i}", Role.TECHNICIAN, "e1", chat_id=100 + i,
                                        skills=frozenset({Category.PLUMBING}), zones=frozenset({"3"})))
                  for i in range(techs)]
        uow.commit()
    seed_catalog(uow_factory())
    ticket = open_ticket(uow_factory(), clock, POLICIES, owner.id,
                         NewTicket(Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, "漏水")).ticket
    claim(uow_factory(), clock, people[0].id, ticket.id)
    start(uow_factory(), clock, people[0].id, ticket.id)
    return clock, owner, staff, people, ticket.id


def test_every_bill_version_and_ledger_entry_is_kept_in_order(uow_factory) -> None:
    clock, owner, staff, (tech,), ticket = _working_ticket(uow_factory)
    billing.complete(uow_factory(), clock, POLICY, tech.id, ticket, "换了角阀", (("VALVE15", 2),), 45)
    billing.dispute(uow_factory(), clock, owner.id, ticket, "只换了一个")
    billing.adjust(uow_factory(), clock, staff.id, ticket, Adjustment("确实只换了一个", {"VALVE15": 1}))
    billing.confirm(uow_factory(), clock, owner.id, ticket, version=2)
    billing.pay(uow_factory(), clock, staff.id, ticket)
    with uow_factory() as uow:
        versions, entries = uow.bills.versions(ticket), uow.ledger.for_ticket(ticket)
        left = uow.catalog.part("VALVE15").stock
        status = uow.tickets.get(ticket).status
    assert [(b.version, b.subtotal_fen) for b in versions] == [(1, 5000 + 3000 + 6000), (2, 2500 + 3000 + 6000)]
    assert versions[1].reason == "确实只换了一个" and versions[0].lines[0].name_zh == "角阀"
    assert [e.kind for e in entries] == [Entry.CHARGE, Entry.DISPUTE, Entry.ADJUST, Entry.APPROVE, Entry.PAY]
    assert [e.actor_id for e in entries] == [tech.id, owner.id, staff.id, owner.id, staff.id]
    assert entries[-1].amount_fen == 11500 and entries[-1].method == "office" and entries[0].at.tzinfo
    assert left == 18 and status is Status.COMPLETED


def test_two_requisitions_racing_for_the_last_unit_give_one_success_and_one_flagged_shortfall(uow_factory) -> None:
    clock, owner, staff, (tech,), ticket = _working_ticket(uow_factory)
    parts.restock(uow_factory(), clock, POLICY, staff.id, "FAUCET", 1, counted=True)
    barrier = threading.Barrier(2, timeout=30)

    def attempt(_: int) -> None:
        barrier.wait()
        parts.requisition(uow_factory(), clock, POLICY, tech.id, ticket, "FAUCET", 1)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(attempt, range(2)))
    with uow_factory() as uow:
        moves = [m for m in uow.catalog.moves(ticket_id=ticket) if m.part_code == "FAUCET"]
        left = uow.catalog.part("FAUCET").stock
    assert sorted((m.taken, m.shortfall) for m in moves) == [(0, 1), (1, 0)]
    assert left == 0


def _bot_core(uow_factory):  # type: ignore[no-untyped-def]
    """The demo estate over this database, with the bot's notifier: every commit writes its news to the outbox."""
    from app.bootstrap import bootstrap, build_core
    from app.config import load_config
    from nlu.rules import RulesParser
    from tests.fakes import FakeChatStates, FakeKbOutcomes, without_quiet_hours

    core = build_core(without_quiet_hours(load_config()).model_copy(update={"demo": True}), None, uow=uow_factory)
    svc = bootstrap(core, RulesParser(), STAFF_GROUP, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes())
    return core, svc


def _outbox_to(uow_factory, chat_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    from domain.outbox import Delivery

    with uow_factory() as uow:
        return [m.text for m in uow.outbox.find((Delivery.PENDING,), limit=500) if m.chat_id == chat_id]


def test_racing_requisitions_for_the_last_unit_tell_staff_and_the_technician_of_the_one_shortfall(uow_factory) -> None:
    core, svc = _bot_core(uow_factory)
    with core.uow() as uow:
        owner, plumber, staff = (uow.people.by_chat_id(c) for c in (1001, 2001, 3001))
    clock = core.clock
    ticket = open_ticket(core.uow(), clock, core.policies, owner.id,
                         NewTicket(Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, "漏水")).ticket.id
    claim(core.uow(), clock, plumber.id, ticket)
    start(core.uow(), clock, plumber.id, ticket)
    parts.restock(core.uow(), clock, POLICY, staff.id, "FAUCET", 1, counted=True)
    barrier = threading.Barrier(2, timeout=30)

    def attempt(_: int) -> None:
        barrier.wait()
        parts.requisition(core.uow(), clock, POLICY, plumber.id, ticket, "FAUCET", 1)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(attempt, range(2)))
    with core.uow() as uow:
        moves = [m for m in uow.catalog.moves(ticket_id=ticket) if m.kind.value == "requisition"]
    assert sorted((m.taken, m.shortfall) for m in moves) == [(0, 1), (1, 0)]
    staff_told = [t for t in _outbox_to(uow_factory, STAFF_GROUP) if "缺料" in t and "FAUCET" in t]
    tech_told = [t for t in _outbox_to(uow_factory, 2001) if "库存不足" in t and "FAUCET" in t]
    assert len(staff_told) == 1 and "缺 1 个" in staff_told[0]
    assert len(tech_told) == 1 and "只领到 0 个" in tech_told[0]
    svc.close()


def test_a_telegram_charge_is_booked_once_even_when_two_deliveries_race(uow_factory) -> None:
    from domain.billing.invoice import InvoiceRef
    from domain.usecases import payments

    clock, owner, staff, (tech,), ticket = _working_ticket(uow_factory)
    billing.complete(uow_factory(), clock, POLICY, tech.id, ticket, "换了角阀", (("VALVE15", 1),), None)
    billing.confirm(uow_factory(), clock, owner.id, ticket)
    payload, barrier, outcomes = InvoiceRef(ticket, 1).payload, threading.Barrier(2, timeout=30), []

    def deliver(_: int) -> None:
        barrier.wait()
        try:
            outcomes.append(payments.record(uow_factory(), clock, owner.id, payload, "CNY", 5500, "tg-1") is not None)
        except Exception as exc:  # the loser of a true race meets the unique charge id
            outcomes.append(type(exc).__name__)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(deliver, range(2)))
    with uow_factory() as uow:
        pays = [(e.amount_fen, e.charge_id, e.method) for e in uow.ledger.for_ticket(ticket) if e.kind is Entry.PAY]
    assert pays == [(5500, "tg-1", "telegram")]
    assert outcomes.count(True) == 1 and set(outcomes) - {True} <= {False, "IntegrityError"}


def test_an_invoice_waits_in_the_outbox_with_its_payload_and_prices(uow_factory) -> None:
    from datetime import datetime, timezone

    from domain.outbox import Delivery, OutboxMessage

    invoice = {"title": "工单 #1 维修费用", "description": "合计 55.00 元", "payload": "bill:1:1", "currency": "CNY",
               "prices": [{"label": "维修费用", "amount": 5500}]}
    with uow_factory() as uow:
        uow.outbox.add(OutboxMessage(chat_id=1, text="工单 #1", created_at=datetime.now(timezone.utc), parse_mode=None,
                                     invoice=invoice))
        uow.outbox.add(OutboxMessage(chat_id=2, text="plain", created_at=datetime.now(timezone.utc)))
        uow.commit()
    with uow_factory() as uow:
        found = {m.chat_id: m.invoice for m in uow.outbox.find((Delivery.PENDING,))}
    assert found == {1: invoice, 2: None}
