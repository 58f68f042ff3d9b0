"""The scheduler's use cases: each SLA breach escalated once, and confirmed tickets left unrated closed."""
from __future__ import annotations

from datetime import timedelta

from domain.lifecycle import Action, Status
from domain.usecases.sla import close_unrated, sweep_deadlines
from domain.values import Priority
from tests.fakes import World


def escalations(world: World, ticket_id: int) -> list[str]:
    return [e.note for e in world.timeline(ticket_id) if e.action is Action.ESCALATE]


def test_a_ticket_nobody_answers_is_escalated_once_for_each_deadline_it_breaches(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    ticket = world.ticket(tid)
    assert sweep_deadlines(world.uow, world.clock, world.policies) == []
    world.clock.set(ticket.response_due_at + timedelta(minutes=1))
    first = sweep_deadlines(world.uow, world.clock, world.policies)
    assert [(c.ticket.id, c.event.note) for c in first] == [(tid, "response")]
    assert sweep_deadlines(world.uow, world.clock, world.policies) == []
    world.clock.set(ticket.resolution_due_at + timedelta(minutes=1))
    assert [c.event.note for c in sweep_deadlines(world.uow, world.clock, world.policies)] == ["arrival", "resolution"]
    assert escalations(world, tid) == ["response", "arrival", "resolution"]
    assert world.ticket(tid).status is Status.SUBMITTED


def test_escalation_is_recorded_as_a_system_event_without_a_person(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    world.clock.advance(timedelta(days=30))
    change = sweep_deadlines(world.uow, world.clock, world.policies)[0]
    assert change.event.actor_id is None and change.event.actor_role is None


def test_finished_and_cancelled_tickets_are_never_escalated(world: World) -> None:
    done = world.ticket_in(Status.CLOSED)
    cancelled = world.ticket_in(Status.CANCELLED)
    world.clock.advance(timedelta(days=60))
    escalated = {c.ticket.id for c in sweep_deadlines(world.uow, world.clock, world.policies)}
    assert done not in escalated and cancelled not in escalated


def test_a_confirmed_ticket_left_unrated_closes_itself_after_the_wait(world: World) -> None:
    tid = world.ticket_in(Status.COMPLETED)
    wait = timedelta(days=3)
    assert close_unrated(world.uow, world.clock, wait) == []
    world.clock.advance(wait + timedelta(minutes=1))
    [change] = close_unrated(world.uow, world.clock, wait)
    assert change.ticket.status is Status.CLOSED and change.event.action is Action.CLOSE
    assert close_unrated(world.uow, world.clock, wait) == []


def test_nobody_can_escalate_from_chat(world: World) -> None:
    from domain.authorization import may

    tid = world.report()
    for person in (world.owner, world.plumber, world.dispatcher, world.admin):
        assert not may(world.person(person), Action.ESCALATE, world.ticket(tid))
