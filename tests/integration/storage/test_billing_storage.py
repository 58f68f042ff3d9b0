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
