"""抢单 under contention: twenty technicians claim one ticket at once; exactly one wins."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from domain.errors import AlreadyTaken
from domain.lifecycle import Status
from domain.people import Person, Role
from domain.ports import SystemClock
from domain.sla import SlaPolicy
from domain.usecases.common import Policies
from domain.usecases.tickets import NewTicket, claim, open_ticket
from domain.values import Category, Location, Priority
from tests.integration.storage.test_repositories import ESTATE

CLAIMANTS = 20
POLICIES = Policies(SlaPolicy({p: 60 for p in Priority}, {p: 600 for p in Priority}))


def test_twenty_concurrent_claims_leave_exactly_one_winner(uow_factory) -> None:
    clock = SystemClock()
    with uow_factory() as uow:
        uow.estates.put(ESTATE)
        owner = uow.people.add(Person("王芳", Role.OWNER, "e1", chat_id=1, homes=[Location("3", "2", "1801")]))
        techs = [uow.people.add(Person(f"师傅{i}", Role.TECHNICIAN, "e1", chat_id=100 + i,
                                       skills=frozenset({Category.PLUMBING}), zones=frozenset({"3"})))
                 for i in range(CLAIMANTS)]
        uow.commit()
    ticket = open_ticket(uow_factory(), clock, POLICIES, owner.id,
                         NewTicket(Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, "漏水")).ticket
    barrier = threading.Barrier(CLAIMANTS, timeout=30)

    def attempt(tech_id: int) -> str:
        barrier.wait()
        try:
            claim(uow_factory(), clock, tech_id, ticket.id)
            return "won"
        except AlreadyTaken:
            return "taken"

    with ThreadPoolExecutor(CLAIMANTS) as pool:
        outcomes = list(pool.map(attempt, [t.id for t in techs], timeout=60))

    assert outcomes.count("won") == 1
    assert outcomes.count("taken") == CLAIMANTS - 1
    with uow_factory() as uow:
        final = uow.tickets.get(ticket.id)
        claims = [e for e in uow.tickets.timeline(ticket.id) if e.action.value == "claim"]
    winner = techs[outcomes.index("won")]
    assert final.status is Status.ASSIGNED and final.technician_id == winner.id
    assert len(claims) == 1 and claims[0].actor_id == winner.id
