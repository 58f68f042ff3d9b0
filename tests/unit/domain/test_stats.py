"""Staff statistics over the fake world: volumes, SLA response, resolution time, ratings, rework."""
from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import PermissionDenied
from domain.lifecycle import Status
from domain.usecases import tickets as uc
from domain.usecases.stats import ticket_stats
from tests.fakes import World


def test_stats_count_statuses_ratings_and_response_in_time(world: World) -> None:
    closed = world.ticket_in(Status.CLOSED)
    world.ticket_in(Status.SUBMITTED)
    late = world.report()
    world.clock.advance(timedelta(days=1))  # past the normal 4-hour response time
    uc.claim(world.uow, world.clock, world.plumber, late)
    stats = ticket_stats(world.uow, world.clock, world.manager)
    assert stats.total == 3
    assert stats.by_status[Status.CLOSED] == 1 and stats.by_status[Status.SUBMITTED] == 1
    assert stats.responded_in_time == 0.5
    assert stats.average_rating == world.ticket(closed).rating and stats.rated == 1
    assert stats.median_hours_to_done is not None
    assert stats.overdue_now == 1  # the submitted one, never answered


def test_stats_leave_out_tickets_older_than_the_period(world: World) -> None:
    world.report()
    world.clock.advance(timedelta(days=40))
    assert ticket_stats(world.uow, world.clock, world.manager, days=30).total == 0


def test_only_staff_read_statistics(world: World) -> None:
    with pytest.raises(PermissionDenied):
        ticket_stats(world.uow, world.clock, world.owner)
