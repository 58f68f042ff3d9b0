"""Incident grouping (one fault, many reporters) and estate-wide notices: the rules at their edges, and the use cases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import IllegalTransition, NotFound, PermissionDenied
from domain.incidents import GroupingPolicy, Notice, is_outage, notice_for, parent_for
from domain.lifecycle import Action, Status
from domain.ticket import Ticket
from domain.usecases import incidents as inc
from domain.usecases import dispatching
from domain.usecases import sla as sla_uc
from domain.usecases import tickets as uc
from domain.values import Category, Location, Priority
from tests.fakes import T0, World

LIFT_3_2 = Location("3", "2", None, "电梯", True)
WINDOW = GroupingPolicy(timedelta(minutes=120))


def ticket(id: int, minutes: int, location: Location = LIFT_3_2, category: Category = Category.ELEVATOR,
           description: str = "电梯坏了", parent_id: int | None = None, status: Status = Status.SUBMITTED) -> Ticket:
    at = T0 + timedelta(minutes=minutes)
    return Ticket("sunrise", 1, location, category, Priority.NORMAL, description, at, at, at, id=id,
                  parent_id=parent_id, status=status)


def lift_report(world: World, owner: int, text: str = "3栋2单元电梯坏了") -> int:
    new = uc.NewTicket(LIFT_3_2, Category.ELEVATOR, Priority.NORMAL, text)
    return uc.open_ticket(world.uow, world.clock, world.policies, owner, new).ticket.id or 0


@pytest.mark.parametrize(("minutes", "grouped"), [(0, True), (119, True), (120, True), (121, False)])
def test_a_report_of_the_same_lift_groups_until_the_window_ends_and_not_a_minute_later(minutes: int,
                                                                                      grouped: bool) -> None:
    parent = ticket(1, 0)
    found = parent_for(ticket(None, minutes), [parent], WINDOW)  # type: ignore[arg-type]
    assert (found is parent) is grouped


def test_the_window_runs_from_the_incidents_latest_report_so_a_fault_reported_all_morning_stays_one() -> None:
    parent, child = ticket(1, 0), ticket(2, 100, parent_id=1)
    assert parent_for(ticket(None, 220), [parent, child], WINDOW) is parent  # type: ignore[arg-type]
    assert parent_for(ticket(None, 221), [parent, child], WINDOW) is None  # type: ignore[arg-type]


def test_a_private_homes_fault_is_never_grouped_across_homes() -> None:
    tap = Location("3", "2", "1801")
    parent = ticket(1, 0, tap, Category.PLUMBING, "厨房水龙头漏水")
    assert parent_for(ticket(None, 5, Location("3", "2", "1802"), Category.PLUMBING, "厨房水龙头漏水"),  # type: ignore[arg-type]
                      [parent], WINDOW) is None


def test_a_lift_report_typed_from_a_flat_is_the_units_lift_all_the_same() -> None:
    parent = ticket(1, 0, Location("3", "2", "1801"))
    assert parent_for(ticket(None, 5, Location("3", "2", None)), [parent], WINDOW) is parent  # type: ignore[arg-type]
    assert parent_for(ticket(None, 5, Location("3", "1", "501")), [parent], WINDOW) is None  # type: ignore[arg-type]


def test_an_outage_groups_across_the_buildings_homes_and_units() -> None:
    parent = ticket(1, 0, Location("3", "1", "501"), Category.PLUMBING, "家里停水了")
    new = ticket(None, 30, Location("3", "2", "1801"), Category.PLUMBING, "no water in my flat")  # type: ignore[arg-type]
    assert is_outage("no water in my flat") and parent_for(new, [parent], WINDOW) is parent


@pytest.mark.parametrize("other", [
    ticket(1, 0, Location("4", "2", None, "电梯", True)),   # another building
    ticket(1, 0, Location("3", "1", None, "电梯", True)),   # the other unit's lift
    ticket(1, 0, category=Category.ELECTRICAL),             # another kind of fault
    ticket(1, 0, status=Status.AWAITING_CONFIRMATION),      # reported fixed: its owner judges that
    ticket(1, 0, parent_id=7),                              # itself a report of another incident
], ids=["building", "unit", "category", "done", "child"])
def test_a_report_is_not_grouped_under_another_fault(other: Ticket) -> None:
    assert parent_for(ticket(None, 10), [other], WINDOW) is None  # type: ignore[arg-type]


def test_grouping_switched_off_groups_nothing() -> None:
    assert parent_for(ticket(None, 1), [ticket(1, 0)], GroupingPolicy(enabled=False)) is None  # type: ignore[arg-type]


def test_three_reporters_of_a_lift_fault_make_one_incident_and_only_the_parent_is_dispatched(world: World) -> None:
    first = lift_report(world, world.owner)
    world.clock.advance(timedelta(minutes=10))
    second = lift_report(world, world.neighbour, "the lift in building 3 unit 2 is stuck")
    third = lift_report(world, world.owner3, "3栋2单元电梯不动了")
    assert [world.ticket(t).parent_id for t in (first, second, third)] == [None, first, first]
    assert world.timeline(second)[-1].action is Action.LINK and world.timeline(second)[-1].actor_id is None
    with world.uow:
        waiting = [t.id for t in world.uow.tickets.find(dispatching.TicketFilter(limit=0))
                   if t.parent_id is None]
    assert waiting == [first]


def test_a_linked_report_is_not_swept_for_its_own_deadlines(world: World) -> None:
    lift_report(world, world.owner)
    second = lift_report(world, world.neighbour)
    world.clock.advance(timedelta(days=3))
    changes = sla_uc.sweep_deadlines(world.uow, world.clock, world.policies)
    assert changes and all(c.ticket.id != second for c in changes)


def test_the_parents_work_done_asks_every_reports_owner_to_confirm_their_own(world: World) -> None:
    first = lift_report(world, world.owner)
    second = lift_report(world, world.neighbour)
    uc.assign(world.uow, world.clock, world.dispatcher, first, world.lift_tech)
    uc.start(world.uow, world.clock, world.lift_tech, first)
    uc.complete(world.uow, world.clock, world.lift_tech, first, "换了门机板")
    child = world.ticket(second)
    assert child.status is Status.AWAITING_CONFIRMATION and child.technician_id == world.lift_tech
    assert child.completion is not None and child.completion.notes == "换了门机板"
    uc.confirm(world.uow, world.clock, world.neighbour, second)
    assert world.ticket(second).status is Status.COMPLETED


def test_a_cancelled_parent_lets_its_reports_go_on_alone(world: World) -> None:
    first = lift_report(world, world.owner)
    second = lift_report(world, world.neighbour)
    uc.cancel(world.uow, world.clock, world.owner, first, "报错了")
    child = world.ticket(second)
    assert child.parent_id is None and child.status is Status.SUBMITTED
    assert world.timeline(second)[-1].note == f"parent:{first}:ended"


def test_the_owner_saying_it_is_another_problem_unlinks_it_and_a_second_tap_changes_nothing(world: World) -> None:
    first = lift_report(world, world.owner)
    second = lift_report(world, world.neighbour)
    assert not inc.unlink(world.uow, world.clock, world.neighbour, second).repeated
    assert world.ticket(second).parent_id is None
    assert inc.unlink(world.uow, world.clock, world.neighbour, second).repeated
    with pytest.raises(PermissionDenied):
        inc.unlink(world.uow, world.clock, world.owner3, first)


def test_staff_link_by_hand_and_are_told_why_a_link_cannot_be(world: World) -> None:
    first = lift_report(world, world.owner)
    other = world.report(owner=world.neighbour, home="B-1208")
    inc.link(world.uow, world.clock, world.dispatcher, other, first)
    assert world.ticket(other).parent_id == first
    lone = world.report(owner=world.owner3, home="7-1-903")
    for child, parent, reason in ((lone, lone, "self"), (first, other, "cycle"), (lone, other, "nested"),
                                  (first, lone, "has_children")):
        with pytest.raises(inc.LinkRefused) as refused:
            inc.link(world.uow, world.clock, world.dispatcher, child, parent)
        assert refused.value.reason == reason
    with pytest.raises(NotFound):
        inc.link(world.uow, world.clock, world.dispatcher, lone, 999)
    with pytest.raises(PermissionDenied):
        inc.link(world.uow, world.clock, world.owner3, lone, first)
    closed = world.ticket_in(Status.CLOSED)
    with pytest.raises(inc.LinkRefused) as refused:
        inc.link(world.uow, world.clock, world.dispatcher, lone, closed)
    assert refused.value.reason == "closed"
    with pytest.raises(inc.LinkRefused):
        inc.link(world.uow, world.clock, world.dispatcher, closed, first)
    working = world.ticket_in(Status.IN_PROGRESS)
    with pytest.raises(IllegalTransition):  # taken on alone already: it is no longer a waiting report
        inc.link(world.uow, world.clock, world.dispatcher, working, first)


def notice(minutes: int = 0, hours: int = 24, building: str = "3", category: Category | None = Category.PLUMBING,
           text: str = "3栋今天9点到12点停水检修") -> Notice:
    at = T0 + timedelta(minutes=minutes)
    return Notice("sunrise", building, text, 1, at, at + timedelta(hours=hours), category, id=1)


@pytest.mark.parametrize(("after", "answered"), [(timedelta(0), True), (timedelta(hours=24) - timedelta(seconds=1), True),
                                                 (timedelta(hours=24), False)])
def test_a_notice_answers_reports_until_it_expires(after: timedelta, answered: bool) -> None:
    found = notice_for("3", Category.PLUMBING, "家里没水了", [notice()], T0 + after)
    assert (found is not None) is answered


def test_a_notice_answers_its_own_building_and_subject_only() -> None:
    assert notice_for("4", Category.PLUMBING, "家里没水了", [notice()], T0) is None
    assert notice_for("3", Category.ELEVATOR, "电梯坏了", [notice()], T0) is None
    assert notice_for("3", None, "power cut", [notice(category=None, text="3栋停电")], T0) is not None


def test_a_notice_reaches_every_resident_of_its_building_and_can_be_ended(world: World) -> None:
    told: list[int] = []
    announced = inc.announce(world.uow, world.clock, world.dispatcher, "3", "3栋停水", Category.PLUMBING, 2,
                             tell=lambda uow, n, people: told.extend(p.chat_id or 0 for p in people))
    assert told == [1001] and announced.residents == 1
    assert announced.notice.expires_at == T0 + timedelta(hours=2)
    assert inc.notice_answering(world.uow, world.clock, world.owner, "3", Category.PLUMBING, "没水") is not None
    inc.end_notice(world.uow, world.clock, world.dispatcher, announced.notice.id or 0)
    assert inc.active_notices(world.uow, world.clock, world.dispatcher) == []
    with pytest.raises(PermissionDenied):
        inc.announce(world.uow, world.clock, world.owner, "3", "假通知", None)
