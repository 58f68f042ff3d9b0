"""Recurring problems: the rule at its window's edges (2 vs 3 tickets; day 90 inside, day 91 outside), what counts,
and preventive maintenance planned, opened once on its day, and cancelled."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import NotFound, PermissionDenied
from domain.lifecycle import Status
from domain.planning import parse_day
from domain.recurrence import RecurrencePolicy, for_ticket, groups
from domain.ticket import Ticket
from domain.usecases import planning as pl
from domain.usecases import tickets as uc
from domain.usecases.queries import view_ticket
from domain.values import Category, Location, Priority
from tests.fakes import T0, FakeStatsReader, World

FLAT = Location("3", "2", "1801", "卫生间")
POLICY = RecurrencePolicy()
SHANGHAI = ZoneInfo("Asia/Shanghai")


def ticket(id: int, days_before: float, location: Location = FLAT, category: Category = Category.PLUMBING,
           parent_id: int | None = None, status: Status = Status.CLOSED) -> Ticket:
    """A ticket reported `days_before` the last one (at T0)."""
    at = T0 - timedelta(days=days_before)
    return Ticket("sunrise", 1, location, category, Priority.NORMAL, "漏水", at, at, at, id=id, parent_id=parent_id,
                  status=status)


@pytest.mark.parametrize(("earlier", "recurs"), [(1, False), (2, True)])
def test_two_tickets_are_not_a_recurrence_and_three_are(earlier: int, recurs: bool) -> None:
    history = [ticket(n + 1, 10 * (n + 1)) for n in range(earlier)]
    found = for_ticket(ticket(9, 0), history, POLICY)
    assert (found is not None) is recurs
    assert found is None or (found.count, found.last_id) == (3, 9)


@pytest.mark.parametrize(("days", "inside"), [(90, True), (91, False), (90 + 1 / 86400, False)])
def test_a_ticket_90_days_before_is_inside_the_window_and_one_a_day_or_a_second_older_is_not(days: float,
                                                                                           inside: bool) -> None:
    history = [ticket(1, 30), ticket(2, days)]
    assert (for_ticket(ticket(3, 0), history, POLICY) is not None) is inside
    assert bool(groups(history + [ticket(3, 0)], POLICY, T0)) is inside


def test_reports_linked_under_an_incident_and_cancelled_or_turned_away_tickets_do_not_count() -> None:
    history = [ticket(1, 5, parent_id=7), ticket(2, 6, status=Status.CANCELLED), ticket(3, 7)]
    assert for_ticket(ticket(4, 0), history, POLICY) is None
    assert groups(history + [ticket(4, 0)], POLICY, T0) == []
    assert for_ticket(ticket(5, 0, parent_id=3), [ticket(3, 7), ticket(6, 8)], POLICY) is None  # a child: no line


def test_any_room_of_one_flat_counts_whatever_the_case_or_blanks_but_another_flat_or_category_does_not() -> None:
    kitchen = Location("3 ", "2", "1801", "厨房")
    other_flat, lift = Location("3", "2", "1802", "卫生间"), Location("3", "2", None, "电梯", True)
    same = [ticket(1, 3, kitchen), ticket(2, 4, Location("3", "2", "1801"))]
    assert for_ticket(ticket(3, 0), same, POLICY) is not None
    assert for_ticket(ticket(3, 0), [ticket(1, 3, other_flat), ticket(2, 4, lift)], POLICY) is None
    assert for_ticket(ticket(3, 0), [ticket(1, 3, category=Category.ELECTRICAL), same[0]], POLICY) is None
    b = [ticket(n, n, Location("b", None, "1208")) for n in (1, 2)] + [ticket(3, 0, Location("B", "", "1208 "))]
    assert [(g.count, g.last_id) for g in groups(b, POLICY, T0)] == [(3, 3)]


def test_a_common_area_is_its_own_asset_keyed_by_the_area_and_the_threshold_is_configurable() -> None:
    lift = Location("3", "2", None, "电梯", True)
    history = [ticket(1, 1, lift, Category.ELEVATOR), ticket(2, 2, Location("3", "2", None, "楼道", True),
                                                              Category.ELEVATOR)]
    assert for_ticket(ticket(3, 0, lift, Category.ELEVATOR), history, POLICY) is None
    assert for_ticket(ticket(3, 0, lift, Category.ELEVATOR), history, RecurrencePolicy(threshold=2)) is not None
    assert for_ticket(ticket(3, 0), [ticket(1, 1), ticket(2, 2)], RecurrencePolicy(enabled=False)) is None


def test_groups_list_the_most_repeated_first_and_leave_out_those_under_the_threshold() -> None:
    flat = [ticket(n, n) for n in range(1, 5)]
    lift = [ticket(10 + n, n, Location("5", "1", None, "电梯", True), Category.ELEVATOR) for n in range(3)]
    pair = [ticket(20 + n, n, Location("7", "1", "903")) for n in range(2)]
    found = groups(flat + lift + pair, POLICY, T0)
    assert [(g.category, g.count, g.last_id) for g in found] == [(Category.PLUMBING, 4, 4), (Category.ELEVATOR, 3, 12)]


@pytest.mark.parametrize(("word", "day"), [("+7", date(2025, 3, 10)), ("2025-12-20", date(2025, 12, 20)),
                                           ("+0", date(2025, 3, 3)), ("2025-02-30", None), ("soon", None),
                                           ("明天", date(2025, 3, 4)), ("下周", date(2025, 3, 10)),
                                           ("Tomorrow", date(2025, 3, 4)), ("昨天", None)])
def test_a_plan_day_is_a_date_or_days_from_today(word: str, day: date | None) -> None:
    assert parse_day(word, date(2025, 3, 3)) == day


def three_leaks(world: World) -> list[int]:
    ids = []
    for n in range(3):
        ids.append(world.report(description=f"卫生间漏水 {n}"))
        world.clock.advance(timedelta(days=20))
    return ids


def test_staff_see_the_recurrence_on_the_card_and_the_owner_does_not(world: World) -> None:
    *_, third = three_leaks(world)
    staff = view_ticket(world.uow, world.dispatcher, third, POLICY)
    assert staff.recurrence is not None and staff.recurrence.count == 3
    assert view_ticket(world.uow, world.owner, third, POLICY).recurrence is None


def test_a_plan_opens_one_ticket_on_its_local_day_for_the_homes_owner_and_a_second_sweep_opens_nothing(
        world: World) -> None:
    *_, third = three_leaks(world)
    plan = pl.plan_maintenance(world.uow, world.clock, world.dispatcher, third, "+7", "检查全部水管", SHANGHAI)
    today = pl.today_in(world.clock, SHANGHAI)
    assert plan.due_on == today + timedelta(days=7)
    world.clock.advance(timedelta(days=6))
    assert pl.due_plans(world.uow, world.clock, SHANGHAI) == []
    world.clock.set(world.clock.now() + timedelta(days=1))
    [due] = pl.due_plans(world.uow, world.clock, SHANGHAI)
    change = pl.open_plan(world.uow, world.clock, world.policies, due, lambda p: f"预防性维护 {p.note}")
    assert change is not None and change.ticket.owner_id == world.owner and change.ticket.priority is Priority.LOW
    assert pl.open_plan(world.uow, world.clock, world.policies, due, lambda p: "again") is None
    assert pl.due_plans(world.uow, world.clock, SHANGHAI) == []
    with world.uow:
        assert world.uow.plans.get(due).opened_ticket_id == change.ticket.id  # type: ignore[union-attr]


def test_a_plan_loses_to_another_sweep_that_committed_first_and_rolls_its_ticket_back(world: World) -> None:
    *_, third = three_leaks(world)
    plan = pl.plan_maintenance(world.uow, world.clock, world.dispatcher, third, "+0", "", SHANGHAI)
    before = len(world.uow.store.tickets)

    def rival_wins_meanwhile(p: object) -> str:  # between our read of the plan and our compare-and-set
        rival = world.new_uow()
        with rival:
            assert rival.plans.mark_opened(plan.id or 0, third, world.clock.now())
            rival.commit()
        return "预防性维护"

    assert pl.open_plan(world.uow, world.clock, world.policies, plan.id or 0, rival_wins_meanwhile) is None
    assert len(world.uow.store.tickets) == before
    with world.uow:
        assert world.uow.plans.get(plan.id or 0).opened_ticket_id == third  # type: ignore[union-attr]


def test_plans_are_refused_for_past_days_unreadable_days_and_people_who_are_not_staff(world: World) -> None:
    tid = world.report()
    with pytest.raises(pl.PlanRefused) as past:
        pl.plan_maintenance(world.uow, world.clock, world.dispatcher, tid, "2025-03-02", "", SHANGHAI)
    assert past.value.reason == "past"
    with pytest.raises(pl.PlanRefused) as unreadable:
        pl.plan_maintenance(world.uow, world.clock, world.dispatcher, tid, "someday", "", SHANGHAI)
    assert unreadable.value.reason == "bad_day"
    with pytest.raises(PermissionDenied):
        pl.plan_maintenance(world.uow, world.clock, world.owner, tid, "+7", "", SHANGHAI)
    with pytest.raises(NotFound):
        pl.plan_maintenance(world.uow, world.clock, world.dispatcher, 999, "+7", "", SHANGHAI)
    with pytest.raises(NotFound):  # another estate's staff do not see this estate's tickets
        pl.plan_maintenance(world.uow, world.clock, world.outsider, tid, "+7", "", SHANGHAI)


def test_a_cancelled_plan_never_opens_and_cannot_be_cancelled_twice(world: World) -> None:
    tid = world.report()
    plan = pl.plan_maintenance(world.uow, world.clock, world.dispatcher, tid, "+1", "", SHANGHAI)
    assert [p.id for p in pl.upcoming_plans(world.uow, world.dispatcher)] == [plan.id]
    pl.cancel_plan(world.uow, world.clock, world.dispatcher, plan.id or 0)
    with pytest.raises(pl.PlanRefused) as twice:
        pl.cancel_plan(world.uow, world.clock, world.dispatcher, plan.id or 0)
    assert twice.value.reason == "cancelled"
    world.clock.advance(timedelta(days=2))
    assert pl.due_plans(world.uow, world.clock, SHANGHAI) == []
    assert pl.upcoming_plans(world.uow, world.dispatcher) == []


def test_stats_list_the_recurring_problems_of_the_window_ending_now(world: World) -> None:
    three_leaks(world)
    found = pl.recurring_problems(world.uow, FakeStatsReader(world.uow.store), world.clock, world.dispatcher, POLICY)
    assert [(r.location.short(), r.count) for r in found] == [("3-2-1801", 3)]
    world.clock.advance(timedelta(days=60))  # the first leak is now more than 90 days old
    assert pl.recurring_problems(world.uow, FakeStatsReader(world.uow.store), world.clock, world.dispatcher,
                                 POLICY) == []
