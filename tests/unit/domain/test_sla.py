"""Service levels: due times per priority and when a ticket counts as overdue."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.lifecycle import Status
from domain.sla import is_overdue, resolution_overdue, response_overdue
from domain.values import Priority
from tests.fakes import SLA, T0, World


@pytest.mark.parametrize(("priority", "response", "resolution"), [
    (Priority.URGENT, 30, 240), (Priority.NORMAL, 240, 2880), (Priority.LOW, 1440, 10080),
], ids=lambda v: v.value if isinstance(v, Priority) else str(v))
def test_due_times_follow_the_configured_minutes_for_each_priority(priority: Priority, response: int,
                                                                  resolution: int) -> None:
    assert SLA.response_due(priority, T0) == T0 + timedelta(minutes=response)
    assert SLA.resolution_due(priority, T0) == T0 + timedelta(minutes=resolution)


@pytest.mark.parametrize("priority", list(Priority), ids=lambda p: p.value)
def test_a_new_ticket_carries_its_due_times_from_the_moment_it_was_opened(world: World, priority: Priority) -> None:
    world.clock.advance(timedelta(hours=5))
    ticket = world.ticket(world.report(priority=priority))
    assert ticket.created_at == world.clock.now()
    assert ticket.response_due_at == SLA.response_due(priority, ticket.created_at)
    assert ticket.resolution_due_at == SLA.resolution_due(priority, ticket.created_at)


RESPONSE_PENDING = {Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED}
TEAM_OWES_WORK = {Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD}


@pytest.mark.parametrize("state", list(Status), ids=lambda s: s.value)
def test_which_states_can_be_overdue(world: World, state: Status) -> None:
    ticket = world.ticket(world.report(priority=Priority.URGENT))
    ticket.status = state
    at_due, past_due = ticket.response_due_at, ticket.response_due_at + timedelta(seconds=1)
    assert not response_overdue(ticket, at_due)
    assert response_overdue(ticket, past_due) == (state in RESPONSE_PENDING)
    assert not resolution_overdue(ticket, ticket.resolution_due_at)
    late = ticket.resolution_due_at + timedelta(seconds=1)
    assert resolution_overdue(ticket, late) == (state in TEAM_OWES_WORK)
    assert is_overdue(ticket, late) == (state in TEAM_OWES_WORK)
