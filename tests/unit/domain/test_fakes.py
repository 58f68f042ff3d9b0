"""The fakes keep the storage's promises, so that use-case tests mean what they say."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.errors import InviteError, StaleTicket
from domain.lifecycle import Action, Status
from domain.people import Person, Role
from domain.ports import TicketFilter
from domain.registration import new_invite
from domain.values import Category, Priority
from tests.fakes import T0, FakeClock, World


def test_the_clock_moves_only_when_told(world: World) -> None:
    clock = FakeClock()
    assert clock.now() == T0 and clock.now() == T0
    assert clock.advance(timedelta(minutes=5)) == T0 + timedelta(minutes=5)
    clock.set(T0 + timedelta(days=1))
    assert clock.now() == T0 + timedelta(days=1)


def test_leaving_the_unit_of_work_without_commit_rolls_back(world: World) -> None:
    tid = world.report()
    with world.uow:
        ticket = world.uow.tickets.get(tid)
        assert ticket is not None
        ticket.apply(Action.TRIAGE, world.dispatcher, Role.STAFF, world.clock.now())
        world.uow.tickets.save(ticket)
        world.uow.people.add(Person("Ghost", Role.OWNER, "sunrise", chat_id=77))
        assert world.uow.tickets.get(tid).status is Status.AWAITING_DISPATCH  # type: ignore[union-attr]
    assert world.ticket(tid).status is Status.SUBMITTED and len(world.timeline(tid)) == 1
    with world.uow:
        assert world.uow.people.by_chat_id(77) is None


def test_an_error_inside_the_unit_of_work_rolls_back(world: World) -> None:
    with pytest.raises(RuntimeError), world.uow:
        world.uow.people.add(Person("Ghost", Role.OWNER, "sunrise", chat_id=77))
        raise RuntimeError("boom")
    with world.uow:
        assert world.uow.people.by_chat_id(77) is None


def test_repositories_hand_out_copies(world: World) -> None:
    tid = world.report()
    with world.uow:
        world.uow.tickets.get(tid).status = Status.CLOSED  # type: ignore[union-attr]
        world.uow.commit()
    assert world.ticket(tid).status is Status.SUBMITTED


def test_repositories_refuse_use_outside_a_transaction_and_transactions_do_not_nest(world: World) -> None:
    with pytest.raises(RuntimeError):
        world.uow.tickets.get(1)
    with world.uow, pytest.raises(RuntimeError):
        with world.uow:
            pass


def test_saving_a_ticket_someone_else_saved_since_we_loaded_it_is_stale(world: World) -> None:
    tid = world.report()
    other = world.new_uow()
    with world.uow, other:
        mine, theirs = world.uow.tickets.get(tid), other.tickets.get(tid)
        assert mine is not None and theirs is not None
        other.tickets.save(theirs)
        other.commit()
        assert theirs.version == 1
        with pytest.raises(StaleTicket):
            world.uow.tickets.save(mine)


def test_saving_moves_new_events_to_the_timeline_and_bumps_the_version(world: World) -> None:
    tid = world.report()
    with world.uow:
        ticket = world.uow.tickets.get(tid)
        assert ticket is not None and ticket.version == 0 and ticket.new_events == []
        ticket.apply(Action.COMMENT, world.owner, Role.OWNER, world.clock.now(), "hi")
        world.uow.tickets.save(ticket)
        assert ticket.new_events == [] and ticket.version == 1
        assert [e.action for e in world.uow.tickets.timeline(tid)] == [Action.OPEN, Action.COMMENT]
        world.uow.tickets.save(ticket)  # a second save in the same transaction is not stale
        world.uow.commit()
    assert world.ticket(tid).version == 2


def test_ids_are_never_reused_even_after_a_rollback(world: World) -> None:
    first = world.report()
    with world.uow:
        ticket = world.uow.tickets.get(first)
        assert ticket is not None
        lost = world.uow.tickets.add(replace(ticket, id=None, new_events=[])).id
    assert world.report() == (lost or 0) + 1


def test_chat_ids_are_unique_like_the_database_constraint(world: World) -> None:
    with world.uow, pytest.raises(ValueError):
        world.uow.people.add(Person("Copy", Role.OWNER, "sunrise", chat_id=1001))


def test_of_two_transactions_redeeming_one_invite_the_second_save_fails(world: World) -> None:
    invite = new_invite(Role.OWNER, "sunrise", world.manager, world.clock.now(), timedelta(hours=1))
    with world.uow:
        world.uow.invites.add(invite)
        world.uow.commit()
    other = world.new_uow()
    with world.uow, other:
        mine, theirs = world.uow.invites.get(invite.code), other.invites.get(invite.code)
        assert mine is not None and theirs is not None
        theirs.used_by, theirs.used_at = 1, world.clock.now()
        other.invites.save(theirs)
        other.commit()
        mine.used_by, mine.used_at = 2, world.clock.now()
        with pytest.raises(InviteError) as caught:
            world.uow.invites.save(mine)
    assert caught.value.reason == "used"


@pytest.fixture
def spread(world: World) -> dict[str, int]:
    """Tickets over two days in several states, buildings, categories and priorities."""
    made = {"urgent": world.report(priority=Priority.URGENT)}
    world.clock.advance(timedelta(days=1))
    made["electrical"] = world.report(category=Category.ELECTRICAL, owner=world.neighbour, home="B-1208")
    made["assigned"] = world.ticket_in(Status.ASSIGNED)
    made["closed"] = world.ticket_in(Status.CLOSED)
    made["cancelled"] = world.ticket_in(Status.CANCELLED)
    return made


@pytest.mark.parametrize(("criteria", "expected"), [
    (TicketFilter(), ["urgent", "electrical", "assigned", "closed", "cancelled"]),
    (TicketFilter(open_only=True), ["urgent", "electrical", "assigned"]),
    (TicketFilter(statuses=frozenset({Status.CLOSED, Status.CANCELLED})), ["closed", "cancelled"]),
    (TicketFilter(category=Category.ELECTRICAL), ["electrical"]),
    (TicketFilter(building="B"), ["electrical"]),
    (TicketFilter(priority=Priority.URGENT), ["urgent"]),
    (TicketFilter(unassigned=True), ["urgent", "electrical", "cancelled"]),
    (TicketFilter(unassigned=True, open_only=True), ["urgent", "electrical"]),
    (TicketFilter(since=T0 + timedelta(days=1)), ["electrical", "assigned", "closed", "cancelled"]),
    (TicketFilter(until=T0 + timedelta(days=1)), ["urgent"]),
    (TicketFilter(estate_id="elsewhere"), []),
    (TicketFilter(limit=2), ["urgent", "electrical"]),
    (TicketFilter(limit=2, offset=3), ["closed", "cancelled"]),
    (TicketFilter(limit=0, offset=4), ["cancelled"]),
], ids=["all", "open", "statuses", "category", "building", "priority", "unassigned", "unassigned-open", "since",
        "until", "estate", "limit", "offset", "no-limit"])
def test_find_honours_every_filter_field(world: World, spread: dict[str, int], criteria: TicketFilter,
                                          expected: list[str]) -> None:
    with world.uow:
        found = world.uow.tickets.find(criteria)
    assert [t.id for t in found] == [spread[name] for name in expected]


def test_find_by_owner_and_technician(world: World, spread: dict[str, int]) -> None:
    with world.uow:
        by_owner = world.uow.tickets.find(TicketFilter(owner_id=world.neighbour))
        by_tech = world.uow.tickets.find(TicketFilter(technician_id=world.plumber))
    assert [t.id for t in by_owner] == [spread["electrical"]]
    assert [t.id for t in by_tech] == [spread["assigned"], spread["closed"]]


def test_count_ignores_the_page(world: World, spread: dict[str, int]) -> None:
    with world.uow:
        assert world.uow.tickets.count(TicketFilter(limit=1, offset=1)) == len(spread)
