"""Recurring problems and planned tickets on SQLite and PostgreSQL: the GROUP BY ... HAVING and the card's query
agree with domain.recurrence on the same seeded tickets, and a plan is opened exactly once, even concurrently."""
from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from domain.lifecycle import Status
from domain.people import Person, Role
from domain.planning import PlannedTicket
from domain.recurrence import RecurrencePolicy, asset_key, for_ticket, groups
from domain.sla import SlaPolicy
from domain.usecases import planning as pl
from domain.usecases.common import Policies
from domain.usecases.queries import recurrence_of
from domain.values import Category, Location, Priority
from storage.stats import SqlStatsReader
from tests.fakes import FakeClock
from tests.integration.storage.test_repositories import NOW, new_ticket, seed

POLICY = RecurrencePolicy()
POLICIES = Policies(SlaPolicy({p: 60 for p in Priority}, {p: 600 for p in Priority}))
PLACES = [Location("3", "2", "1801", "厨房"), Location("3", "2", "1801", "卫生间"), Location("3 ", "2", "1801"),
          Location("3", "2", "1802"), Location("B", None, "1208"), Location("b", "", "1208"),
          Location("3", "2", None, "电梯", True), Location("3", "2", None, "Lift ", True),
          Location("3", "2", None, "lift", True), Location("3", "1", None, "电梯", True)]
# Around both edges of the window ending at NOW: 90 days before is in, a second more is out; NOW is in, later is out.
OFFSETS = [timedelta(0), timedelta(seconds=-1), timedelta(days=1), timedelta(days=45), timedelta(days=90),
           timedelta(days=90, seconds=1), timedelta(days=91), timedelta(days=200)]


def seed_history(uow_factory, count: int = 240) -> list:  # type: ignore[no-untyped-def]
    """Tickets in every place, of two categories, at the edges, some cancelled, some linked under another."""
    owner, _ = seed(uow_factory)
    rng = random.Random(13)
    stored = []
    with uow_factory() as uow:
        for n in range(count):
            at = NOW - rng.choice(OFFSETS)
            parent = rng.choice(stored).id if stored and rng.random() < 0.1 else None
            status = Status.CANCELLED if rng.random() < 0.1 else rng.choice([Status.SUBMITTED, Status.CLOSED])
            stored.append(uow.tickets.add(new_ticket(owner.id, location=rng.choice(PLACES), created_at=at,
                                                     category=rng.choice([Category.PLUMBING, Category.ELEVATOR]),
                                                     status=status, parent_id=parent)))
        uow.commit()
    return stored


def _shape(found):  # type: ignore[no-untyped-def]
    return [(asset_key(r.estate_id, r.location), r.category, r.count, r.last_id) for r in found]


def test_the_sql_aggregate_finds_exactly_the_groups_the_domain_rule_finds(engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    tickets = seed_history(uow_factory)
    reader = SqlStatsReader(engine)
    for policy in (POLICY, RecurrencePolicy(threshold=5), RecurrencePolicy(window=timedelta(days=1))):
        expected = groups(tickets, policy, NOW)
        assert expected, "the seeded history should recur somewhere"
        assert _shape(reader.recurring("e1", policy, NOW)) == _shape(expected)
        assert reader.recurring("e1", policy, NOW) == expected  # the latest ticket's place, as stored
    assert reader.recurring("other", POLICY, NOW) == []


def test_the_cards_query_gives_each_ticket_the_recurrence_the_domain_rule_gives_it(uow_factory) -> None:  # type: ignore[no-untyped-def]
    tickets = seed_history(uow_factory, 120)
    with uow_factory() as uow:
        for t in tickets:
            assert recurrence_of(uow, t, POLICY) == for_ticket(t, tickets, POLICY), f"#{t.id}"


def plan_for(uow_factory):  # type: ignore[no-untyped-def]
    owner, _ = seed(uow_factory)
    with uow_factory() as uow:
        staff = uow.people.add(Person("赵敏", Role.STAFF, "e1", chat_id=3001))
        source = uow.tickets.add(new_ticket(owner.id))
        plan = uow.plans.add(PlannedTicket("e1", source.location, source.category, NOW.date(), "检查水管", staff.id,
                                           NOW, source.id))
        uow.commit()
    return owner, plan


def test_a_plan_round_trips_and_its_compare_and_set_succeeds_once(uow_factory) -> None:  # type: ignore[no-untyped-def]
    _, plan = plan_for(uow_factory)
    with uow_factory() as uow:
        assert uow.plans.get(plan.id) == plan
        assert [p.id for p in uow.plans.due(NOW.date())] == [plan.id]
        assert uow.plans.due(NOW.date() - timedelta(days=1)) == []
        assert uow.plans.mark_opened(plan.id, plan.source_ticket_id, NOW)
        assert not uow.plans.mark_opened(plan.id, plan.source_ticket_id, NOW)
        assert not uow.plans.cancel(plan.id, NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.plans.get(plan.id).opened_ticket_id == plan.source_ticket_id
        assert uow.plans.upcoming("e1") == [] and uow.plans.due(NOW.date()) == []


def test_opening_a_plan_twice_opens_one_ticket_for_the_homes_owner(uow_factory) -> None:  # type: ignore[no-untyped-def]
    owner, plan = plan_for(uow_factory)
    clock = FakeClock(NOW)
    first = pl.open_plan(uow_factory(), clock, POLICIES, plan.id, lambda p: f"预防性维护：{p.note}")
    assert first is not None and first.ticket.owner_id == owner.id and first.ticket.report_key == f"plan:{plan.id}"
    assert pl.open_plan(uow_factory(), clock, POLICIES, plan.id, lambda p: "again") is None
    with uow_factory() as uow:
        planned = [t for t in uow.tickets.find(_all()) if t.report_key]
        assert [t.id for t in planned] == [first.ticket.id]
        assert uow.plans.get(plan.id).opened_ticket_id == first.ticket.id


def test_eight_concurrent_sweeps_open_a_plan_exactly_once(uow_factory) -> None:  # type: ignore[no-untyped-def]
    _, plan = plan_for(uow_factory)
    clock, sweeps = FakeClock(NOW), 8
    barrier = threading.Barrier(sweeps, timeout=30)

    def sweep(_: int) -> bool:
        barrier.wait()
        return pl.open_plan(uow_factory(), clock, POLICIES, plan.id, lambda p: "预防性维护") is not None

    with ThreadPoolExecutor(sweeps) as pool:
        outcomes = list(pool.map(sweep, range(sweeps), timeout=60))
    assert outcomes.count(True) == 1
    with uow_factory() as uow:
        planned = [t for t in uow.tickets.find(_all()) if t.report_key]
        assert len(planned) == 1 and uow.plans.get(plan.id).opened_ticket_id == planned[0].id


def _all():  # type: ignore[no-untyped-def]
    from domain.ports import TicketFilter

    return TicketFilter(limit=0)
