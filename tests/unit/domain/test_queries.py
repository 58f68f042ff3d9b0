"""Read-side use cases: each role sees its own lists, staff search, overdue work and who hears of a new job."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import PermissionDenied
from domain.lifecycle import Status
from domain.ports import TicketFilter
from domain.usecases import queries as q
from domain.usecases import registration as reg
from domain.usecases import tickets as uc
from domain.values import Category, Location, Priority
from tests.fakes import World


def ids(tickets: list) -> list[int]:
    return [t.id for t in tickets]


def test_an_owner_sees_only_their_own_tickets(world: World) -> None:
    mine = [world.report(), world.ticket_in(Status.CLOSED)]
    world.report(owner=world.neighbour, home="B-1208")
    assert ids(q.owner_tickets(world.uow, world.owner)) == mine
    assert ids(q.owner_tickets(world.uow, world.owner, open_only=True)) == mine[:1]
    assert ids(q.owner_tickets(world.uow, world.owner3)) == []


def test_a_technician_sees_their_open_jobs_and_the_pool_in_their_skills_own_zones_first(world: World) -> None:
    far = world.report(owner=world.owner3, home="7-1-903")  # plumbing in building 7
    near = world.report()  # plumbing in building 3
    lift = world.report(category=Category.ELEVATOR)
    tower = world.report(owner=world.neighbour, home="B-1208")
    taken = world.ticket_in(Status.IN_PROGRESS)
    world.ticket_in(Status.COMPLETED)

    plumber = q.technician_jobs(world.uow, world.plumber)
    assert ids(plumber.mine) == [taken]
    assert ids(plumber.claimable) == [near, far, tower]
    builder = q.technician_jobs(world.uow, world.builder)
    assert ids(builder.mine) == [] and ids(builder.claimable) == [far, tower, near]
    assert ids(q.technician_jobs(world.uow, world.lift_tech).claimable) == [lift]


def test_a_technicians_claimable_list_leaves_out_tickets_already_assigned(world: World) -> None:
    assigned = world.ticket_in(Status.ASSIGNED)
    assert assigned not in ids(q.technician_jobs(world.uow, world.builder).claimable)


@pytest.mark.parametrize("who", ["owner", "dispatcher"])
def test_only_technicians_have_a_job_list(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        q.technician_jobs(world.uow, getattr(world, who))


def test_staff_search_by_filters_and_get_a_page_with_the_total(world: World) -> None:
    a = world.report(priority=Priority.URGENT)
    b = world.report(category=Category.ELECTRICAL)
    c = world.ticket_in(Status.IN_PROGRESS)
    d = world.report(owner=world.neighbour, home="B-1208")
    found, total = q.staff_tickets(world.uow, world.manager, TicketFilter(limit=2, offset=1))
    assert (ids(found), total) == ([b, c], 4)
    assert ids(q.staff_tickets(world.uow, world.dispatcher, TicketFilter(priority=Priority.URGENT))[0]) == [a]
    assert ids(q.staff_tickets(world.uow, world.dispatcher, TicketFilter(building="B"))[0]) == [d]
    assert ids(q.staff_tickets(world.uow, world.dispatcher, TicketFilter(technician_id=world.plumber))[0]) == [c]
    assert ids(q.staff_tickets(world.uow, world.dispatcher, TicketFilter(category=Category.ELECTRICAL))[0]) == [b]


def test_staff_of_another_estate_find_none_of_this_estates_tickets(world: World) -> None:
    world.report()
    assert q.staff_tickets(world.uow, world.outsider, TicketFilter(estate_id="sunrise")) == ([], 0)


@pytest.mark.parametrize("who", ["owner", "plumber"])
def test_only_staff_search_all_tickets(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        q.staff_tickets(world.uow, getattr(world, who), TicketFilter())


def test_an_untouched_ticket_is_overdue_once_its_response_time_has_passed(world: World) -> None:
    urgent = world.report(priority=Priority.URGENT)
    normal = world.report()
    world.clock.advance(timedelta(minutes=30))
    assert q.overdue_tickets(world.uow, world.clock, world.dispatcher) == []  # due, not yet past due
    world.clock.advance(timedelta(seconds=1))
    assert ids(q.overdue_tickets(world.uow, world.clock, world.dispatcher)) == [urgent]
    world.clock.advance(timedelta(minutes=210))
    assert ids(q.overdue_tickets(world.uow, world.clock, None)) == [urgent, normal]


def test_started_work_is_overdue_only_once_its_resolution_time_has_passed(world: World) -> None:
    started = world.ticket_in(Status.IN_PROGRESS)
    held = world.ticket_in(Status.ON_HOLD)
    world.ticket_in(Status.AWAITING_CONFIRMATION)  # the owner's wait, not the team's
    world.ticket_in(Status.COMPLETED)
    world.ticket_in(Status.CANCELLED)
    world.clock.advance(timedelta(minutes=241))
    assert q.overdue_tickets(world.uow, world.clock, None) == []
    world.clock.advance(timedelta(minutes=2880))
    assert ids(q.overdue_tickets(world.uow, world.clock, None)) == [started, held]


def test_an_accepted_job_has_been_responded_to_but_an_unaccepted_assignment_has_not(world: World) -> None:
    accepted = world.ticket_in(Status.ASSIGNED)
    uc.accept(world.uow, world.clock, world.plumber, accepted)
    waiting = world.ticket_in(Status.ASSIGNED)
    world.clock.advance(timedelta(minutes=241))
    assert ids(q.overdue_tickets(world.uow, world.clock, world.manager)) == [waiting]


def test_only_staff_or_the_scheduler_list_overdue_tickets(world: World) -> None:
    with pytest.raises(PermissionDenied):
        q.overdue_tickets(world.uow, world.clock, world.owner)


def test_the_overdue_list_of_one_estates_staff_leaves_out_other_estates(world: World) -> None:
    world.report()
    world.clock.advance(timedelta(days=3))
    assert q.overdue_tickets(world.uow, world.clock, world.outsider) == []
    assert len(q.overdue_tickets(world.uow, world.clock, None)) == 1


@pytest.mark.parametrize(("category", "home", "expected"), [
    (Category.PLUMBING, "3-2-1801", ["plumber"]),
    (Category.PLUMBING, "8-1-101", ["builder"]),
    (Category.PLUMBING, "B-1208", ["builder"]),
    (Category.ELECTRICAL, "3-2-1801", ["plumber"]),
    (Category.ELEVATOR, "B-1208", ["lift_tech"]),
    (Category.GAS, "3-2-1801", []),
])
def test_a_new_job_goes_to_on_duty_technicians_with_the_skill_in_that_zone(world: World, category: Category,
                                                                            home: str, expected: list[str]) -> None:
    ticket = world.ticket(world.report(category=category, home=home))
    assert [p.id for p in q.eligible_technicians(world.uow, ticket)] == [getattr(world, n) for n in expected]


def test_an_off_duty_technician_hears_of_no_new_jobs(world: World) -> None:
    reg.set_duty(world.uow, world.plumber, False)
    ticket = world.ticket(world.report())
    assert q.eligible_technicians(world.uow, ticket) == []


def test_a_job_without_a_building_goes_to_everyone_with_the_skill(world: World) -> None:
    ticket = world.ticket(world.report())
    ticket.location = Location(area="B2 car park", common_area=True)
    assert [p.id for p in q.eligible_technicians(world.uow, ticket)] == [world.plumber, world.builder]


@pytest.mark.parametrize("status, sees", [
    (Status.SUBMITTED, False), (Status.ASSIGNED, False), (Status.IN_PROGRESS, True), (Status.ON_HOLD, True),
    (Status.AWAITING_CONFIRMATION, True), (Status.COMPLETED, False), (Status.CLOSED, False),
])
def test_the_technician_sees_the_owners_contact_only_while_the_accepted_job_is_open(world: World, status: Status,
                                                                                    sees: bool) -> None:
    from domain.usecases.queries import view_ticket

    ticket = world.ticket_in(status)
    if status is not Status.SUBMITTED:
        view = view_ticket(world.uow, world.plumber, ticket)
        assert (view.owner is not None) is sees
    assert view_ticket(world.uow, world.dispatcher, ticket).owner is not None  # staff always


def test_a_claimed_job_is_accepted_and_shows_the_contact(world: World) -> None:
    from domain.usecases import tickets as uc
    from domain.usecases.queries import view_ticket

    ticket = world.report()
    uc.claim(world.uow, world.clock, world.plumber, ticket)
    assert view_ticket(world.uow, world.plumber, ticket).owner is not None


def test_the_owner_reads_their_repair_without_the_offices_working_and_staff_read_it_all(world: World) -> None:
    from domain.lifecycle import Action
    from domain.usecases.queries import view_ticket

    ticket = world.report()
    uc.claim(world.uow, world.clock, world.plumber, ticket)
    uc.decline(world.uow, world.clock, world.plumber, ticket, "actually never mind")
    owner_sees = view_ticket(world.uow, world.owner, ticket).timeline
    staff_see = view_ticket(world.uow, world.dispatcher, ticket).timeline
    assert Action.DECLINE in {e.action for e in staff_see} and "never mind" in " ".join(e.note for e in staff_see)
    assert Action.DECLINE not in {e.action for e in owner_sees} and Action.OPEN in {e.action for e in owner_sees}
    assert "never mind" not in " ".join(e.note for e in owner_sees)
