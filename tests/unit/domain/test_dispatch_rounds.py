"""Dispatch rounds over the database: auto jobs assigned, pool jobs offered then assigned, declined and lapsed
jobs dispatched again without that technician, nobody able escalated once, manual jobs left to staff."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.dispatch import solve_assignment
from domain.dispatch import DispatchPolicy, Mode
from domain.lifecycle import Action, Status
from domain.people import Person
from domain.usecases import dispatching, tickets as uc
from domain.usecases.dispatching import (DispatchSettings, dispatch_round, excluded, parse_offer, ranking_for)
from domain.values import Category, Priority
from tests.fakes import World

MODES = {Priority.URGENT: Mode.AUTO, Priority.NORMAL: Mode.POOL, Priority.LOW: Mode.MANUAL}
POLICY = DispatchPolicy(modes=MODES, pool_size=2, pool_time=timedelta(minutes=10), capacity=3)
SETTINGS = DispatchSettings(POLICY, solve_assignment, {Priority.URGENT: timedelta(minutes=10),
                                                       Priority.NORMAL: timedelta(minutes=60)})


def run(world: World, settings: DispatchSettings = SETTINGS):  # type: ignore[no-untyped-def]
    return dispatch_round(world.uow, world.clock, settings, world.estate, world.clock.now() - timedelta(hours=8))


def actions(world: World, tid: int) -> list[tuple[Action, str]]:
    return [(e.action, e.note) for e in world.timeline(tid)]


def set_duty(world: World, person_id: int, on_duty: bool) -> None:
    with world.uow:
        person = world.uow.people.get(person_id)
        assert person is not None
        person.on_duty = on_duty
        world.uow.people.save(person)
        world.uow.commit()


def test_an_urgent_job_is_assigned_at_once_to_the_technician_who_covers_its_building(world: World) -> None:
    tid = world.report(priority=Priority.URGENT, home="3-2-1801")  # the plumber covers 1-6, the builder 7-12
    changes = run(world)
    ticket = world.ticket(tid)
    assert ticket.status is Status.ASSIGNED and ticket.technician_id == world.plumber
    assert [(c.event.action, c.event.actor_id) for c in changes] == [(Action.ASSIGN, None)]
    assert ticket.accepted_at is None  # they still accept or decline it
    assert run(world) == []  # nothing left to do


def test_a_pool_job_is_offered_to_the_best_few_once_and_assigned_to_the_best_when_the_offer_runs_out(
        world: World) -> None:
    tid = world.report(priority=Priority.NORMAL, home="8-1-502")  # builder: zone; plumber: skill only
    offered = run(world)
    assert [c.event.action for c in offered] == [Action.OFFER]
    until, to = parse_offer(offered[0].event.note)
    assert to == (world.builder, world.plumber) and until == world.clock.now() + timedelta(minutes=10)
    world.clock.advance(timedelta(minutes=9))
    assert run(world) == []  # the offer still runs, and is not made twice
    world.clock.advance(timedelta(minutes=2))
    assert [c.event.action for c in run(world)] == [Action.ASSIGN]
    assert world.ticket(tid).technician_id == world.builder


def test_a_claim_during_the_offer_ends_it(world: World) -> None:
    tid = world.report(priority=Priority.NORMAL)
    run(world)
    uc.claim(world.uow, world.clock, world.plumber, tid)
    world.clock.advance(timedelta(minutes=30))
    assert run(world) == []
    assert world.ticket(tid).technician_id == world.plumber


def test_a_declined_job_goes_to_the_next_best_and_never_back_to_whoever_declined(world: World) -> None:
    tid = world.report(priority=Priority.URGENT, home="3-2-1801")
    run(world)
    uc.decline(world.uow, world.clock, world.plumber, tid, "在别的小区")
    run(world)
    ticket = world.ticket(tid)
    assert ticket.status is Status.ASSIGNED and ticket.technician_id == world.builder
    uc.decline(world.uow, world.clock, world.builder, tid, "没有配件")
    escalated = run(world)
    assert [(c.event.action, c.event.note) for c in escalated] == [(Action.ESCALATE, "dispatch_everyone_declined")]
    assert world.ticket(tid).status is Status.AWAITING_DISPATCH  # waiting for staff, never dropped
    assert excluded(world.timeline(tid)) == {world.plumber, world.builder}


def test_nobody_on_duty_is_escalated_to_staff_once_and_the_job_is_assigned_when_someone_comes_on(
        world: World) -> None:
    for tech in (world.plumber, world.builder, world.lift_tech):
        set_duty(world, tech, False)
    tid = world.report(priority=Priority.URGENT)
    assert [c.event.note for c in run(world)] == ["dispatch_nobody_on_duty"]
    assert run(world) == [] and run(world) == []  # told once for this wait
    set_duty(world, world.builder, True)
    assert [c.event.action for c in run(world)] == [Action.ASSIGN]
    assert world.ticket(tid).technician_id == world.builder


def test_nobody_with_the_skill_is_an_escalation_of_its_own(world: World) -> None:
    tid = world.report(priority=Priority.URGENT, category=Category.GAS)
    assert [c.event.note for c in run(world)] == ["dispatch_nobody_with_skill"]
    assert world.ticket(tid).status is Status.SUBMITTED


def test_an_assignment_nobody_accepts_in_time_lapses_and_goes_to_the_next_best(world: World) -> None:
    tid = world.report(priority=Priority.URGENT, home="3-2-1801")
    run(world)
    world.clock.advance(timedelta(minutes=9))
    assert run(world) == []
    world.clock.advance(timedelta(minutes=2))
    changes = run(world)
    assert [(c.event.action, c.event.note) for c in changes] == [(Action.DECLINE, f"lapsed:{world.plumber}"),
                                                                (Action.ASSIGN, f"auto:technician:{world.builder}")]
    assert world.ticket(tid).technician_id == world.builder


def test_an_accepted_job_never_lapses(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    run(world)
    uc.accept(world.uow, world.clock, world.plumber, tid)
    world.clock.advance(timedelta(hours=5))
    assert run(world) == []
    assert world.ticket(tid).technician_id == world.plumber


def test_a_manual_job_is_left_to_staff(world: World) -> None:
    tid = world.report(priority=Priority.LOW)
    world.clock.advance(timedelta(hours=3))
    assert run(world) == []
    assert [a for a, _ in actions(world, tid)] == [Action.OPEN]


def test_a_manual_job_still_waiting_near_its_response_deadline_is_assigned_by_the_round(world: World) -> None:
    near = DispatchSettings(DispatchPolicy(modes=MODES, capacity=3, assign_before_due=timedelta(minutes=60)),
                            solve_assignment)
    tid = world.report(priority=Priority.LOW)
    due = world.ticket(tid).response_due_at
    assert due is not None
    world.clock.advance(due - world.clock.now() - timedelta(minutes=61))
    assert run(world, near) == []  # staff's still
    world.clock.advance(timedelta(minutes=2))
    assert [c.event.action for c in run(world, near)] == [Action.ASSIGN]
    assert world.ticket(tid).technician_id is not None


def test_a_pool_job_near_its_response_deadline_is_assigned_without_an_offer(world: World) -> None:
    near = DispatchSettings(DispatchPolicy(modes=MODES, capacity=3, assign_before_due=timedelta(hours=5)),
                            solve_assignment)
    tid = world.report(priority=Priority.NORMAL)
    assert [c.event.action for c in run(world, near)] == [Action.ASSIGN]
    assert Action.OFFER not in [a for a, _ in actions(world, tid)]


def test_a_backlog_is_assigned_jointly_and_nobody_gets_more_than_the_capacity(world: World) -> None:
    ids = [world.report(priority=Priority.URGENT, home=f"{b}-1-10{n}") for n, b in enumerate((1, 2, 3, 4, 5))]
    changes = run(world)
    holders = [world.ticket(i).technician_id for i in ids]
    assert len([c for c in changes if c.event.action is Action.ASSIGN]) == 5
    assert all(holders.count(t) <= POLICY.capacity for t in set(holders))
    assert set(holders) == {world.plumber, world.builder}  # the lift technician has no plumbing skill


def test_a_full_team_leaves_the_rest_waiting_without_escalating(world: World) -> None:
    ids = [world.report(priority=Priority.URGENT, home=f"{b}-1-101") for b in (1, 2, 3, 4, 5, 6, 7)]
    run(world)
    waiting = [i for i in ids if world.ticket(i).technician_id is None]
    assert len(waiting) == 1  # 2 plumbers x capacity 3
    assert all(a is not Action.ESCALATE for a, _ in actions(world, waiting[0]))


def test_a_claim_landing_while_the_round_decides_wins_and_the_round_skips_the_ticket(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    tid = world.report(priority=Priority.URGENT, home="8-1-502")  # the round would choose the builder
    real = dispatching.technician_states

    def claim_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        states = real(*args, **kwargs)  # the round has read the waiting tickets and the team ...
        uc.claim(world.new_uow(), world.clock, world.plumber, tid)  # ... and the plumber claims it now
        return states

    monkeypatch.setattr(dispatching, "technician_states", claim_meanwhile)
    assert run(world) == []
    assert world.ticket(tid).technician_id == world.plumber
    assert [a for a, _ in actions(world, tid)] == [Action.OPEN, Action.CLAIM]


def test_staff_see_the_ranking_with_each_feature_for_a_waiting_job(world: World) -> None:
    tid = world.report(priority=Priority.LOW, home="8-1-502")
    ranked = ranking_for(world.uow, SETTINGS, world.estate, tid, world.clock.now())
    assert [c.person_id for c in ranked] == [world.builder, world.plumber]
    best = ranked[0]
    assert best.feature("zone").value == 1.0 and ranked[1].feature("zone").value == 0.0
    assert best.score == pytest.approx(sum(f.points for f in best.features))


def test_a_technician_who_is_deactivated_is_never_chosen(world: World) -> None:
    with world.uow:
        builder: Person | None = world.uow.people.get(world.builder)
        assert builder is not None
        builder.active = False
        world.uow.people.save(builder)
        world.uow.commit()
    tid = world.report(priority=Priority.URGENT, home="8-1-502")
    run(world)
    assert world.ticket(tid).technician_id == world.plumber


def test_a_technician_who_has_not_joined_the_chat_is_never_chosen(world: World) -> None:
    with world.uow:
        builder = world.uow.people.get(world.builder)
        assert builder is not None
        builder.chat_id = None  # on the books, not in the chat: they could not hear of the job
        world.uow.people.save(builder)
        world.uow.commit()
    tid = world.report(priority=Priority.URGENT, home="8-1-502")
    run(world)
    assert world.ticket(tid).technician_id == world.plumber
