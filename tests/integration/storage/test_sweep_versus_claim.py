"""A sweep's reminders and escalations never touch the ticket's version: a technician claiming at that moment wins."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest

from domain.lifecycle import Action
from domain.people import Person, Role
from domain.sla import SlaPolicy
from domain.usecases.common import Policies
from domain.usecases.sla import sweep_deadlines
from domain.usecases.tickets import NewTicket, claim, open_ticket
from domain.values import Category, Location, Priority
from tests.fakes import FakeClock
from tests.integration.storage.test_repositories import ESTATE

POLICIES = Policies(SlaPolicy({p: 60 for p in Priority}, {p: 600 for p in Priority}, {p: 120 for p in Priority}))
T0 = datetime(2025, 3, 3, 1, 0, tzinfo=timezone.utc)


def _setup(uow_factory, clock: FakeClock, tickets: int = 1) -> tuple[list[int], int]:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        uow.estates.put(ESTATE)
        owner = uow.people.add(Person("王芳", Role.OWNER, "e1", chat_id=1, homes=[Location("3", "2", "1801")]))
        tech = uow.people.add(Person("张师傅", Role.TECHNICIAN, "e1", chat_id=2,
                                     skills=frozenset({Category.PLUMBING}), zones=frozenset({"3"})))
        uow.commit()
    ids = [open_ticket(uow_factory(), clock, POLICIES, owner.id, NewTicket(
        Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, f"漏水 {n}")).ticket.id for n in range(tickets)]
    return ids, tech.id or 0


def test_a_ticket_read_before_an_escalation_can_still_be_claimed_after_it(uow_factory) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(T0)
    [tid], tech = _setup(uow_factory, clock)
    clock.advance(timedelta(minutes=61))
    with uow_factory() as uow:
        seen = uow.tickets.get(tid)  # the claim's read ...
    assert [c.event.note for c in sweep_deadlines(uow_factory(), clock, POLICIES)] == ["response"]  # ... a sweep ...
    with uow_factory() as uow:
        assert uow.tickets.get(tid).version == seen.version  # type: ignore[union-attr]
        seen.apply(Action.CLAIM, tech, Role.TECHNICIAN, clock.now())  # type: ignore[union-attr]
        uow.tickets.save(seen)  # ... and the claim's write, with the version it read: accepted
        uow.commit()
        assert [e.action for e in uow.tickets.timeline(tid)] == [Action.OPEN, Action.ESCALATE, Action.CLAIM]


def test_claims_running_alongside_sweeps_are_never_refused(uow_factory) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(T0)
    ids, tech = _setup(uow_factory, clock, tickets=8)
    clock.advance(timedelta(minutes=130))  # response and arrival both breached: two escalations each
    barrier = threading.Barrier(2, timeout=30)

    def claim_all() -> list[int]:
        barrier.wait()
        return [claim(uow_factory(), clock, tech, tid).ticket.id for tid in ids]  # AlreadyTaken would raise

    def sweep() -> int:
        barrier.wait()
        return len(sweep_deadlines(uow_factory(), clock, POLICIES))

    with ThreadPoolExecutor(2) as pool:
        claimed, swept = pool.submit(claim_all), pool.submit(sweep)
        assert claimed.result(timeout=60) == ids
        assert swept.result(timeout=60) >= 0
    with uow_factory() as uow:
        assert all(uow.tickets.get(t).technician_id == tech for t in ids)  # type: ignore[union-attr]


def test_a_change_of_state_cannot_sneak_past_the_version_check(uow_factory) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock(T0)
    [tid], tech = _setup(uow_factory, clock)
    with uow_factory() as uow:
        ticket = uow.tickets.get(tid)
        ticket.apply(Action.CLAIM, tech, Role.TECHNICIAN, clock.now())  # type: ignore[union-attr]
        with pytest.raises(ValueError):
            uow.tickets.append_events(ticket)
