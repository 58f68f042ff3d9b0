"""The SLA sweeps through the use cases: reminders and two levels of escalation once each, fresh deadlines on
reopening, auto-confirmation, poor ratings followed up, the digest's figures, and sweeps that never get in a
person's way."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.lifecycle import Action, Status
from domain.sla_alerts import AlertPolicy
from domain.usecases import tickets as uc
from domain.usecases.digest import daily_digest
from domain.usecases.sla import auto_confirm, follow_up_ratings, sweep_deadlines
from domain.values import Priority
from tests.fakes import FakeClock, World, make_world

ALERTS = AlertPolicy(remind_before=timedelta(minutes=30), manager_after_minutes={p: 60 for p in Priority},
                     auto_confirm_after=timedelta(hours=72))


@pytest.fixture
def world() -> World:
    w = make_world(FakeClock())
    return replace(w, policies=replace(w.policies, alerts=ALERTS))


def sweep(world: World) -> list[tuple[Action, str]]:
    return [(c.event.action, c.event.note) for c in sweep_deadlines(world.uow, world.clock, world.policies)]


def test_a_breach_goes_to_the_dispatcher_then_to_the_manager_each_once(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    due = world.ticket(tid).response_due_at
    world.clock.set(due + timedelta(minutes=1))
    assert sweep(world) == [(Action.ESCALATE, "response")]
    assert sweep(world) == []
    world.clock.set(due + timedelta(minutes=61))
    assert sweep(world) == [(Action.ESCALATE, "response:manager")]
    assert sweep(world) == []


def test_the_assigned_technician_is_reminded_once_before_each_deadline(world: World) -> None:
    tid = world.ticket_in(Status.ASSIGNED)
    ticket = world.ticket(tid)
    world.clock.set(ticket.response_due_at - timedelta(minutes=31))
    assert sweep(world) == []
    world.clock.set(ticket.response_due_at - timedelta(minutes=20))
    assert sweep(world) == [(Action.REMIND, "response")]
    assert sweep(world) == []
    uc.start(world.uow, world.clock, world.plumber, tid)  # work begun: response and arrival are met
    world.clock.set(ticket.resolution_due_at - timedelta(minutes=10))
    assert sweep(world) == [(Action.REMIND, "resolution")]


def test_nobody_is_reminded_of_a_job_that_has_no_technician_yet(world: World) -> None:
    tid = world.report()
    world.clock.set(world.ticket(tid).response_due_at - timedelta(minutes=5))
    assert sweep(world) == []


def test_a_reopened_ticket_gets_fresh_deadlines_and_is_escalated_again(world: World) -> None:
    tid = world.ticket_in(Status.CLOSED, priority=Priority.URGENT)
    world.clock.advance(timedelta(days=1))
    uc.reopen(world.uow, world.clock, world.policies, world.dispatcher, tid, "又漏了")
    ticket = world.ticket(tid)
    assert ticket.response_due_at == world.clock.now() + timedelta(minutes=30)
    assert ticket.arrival_due_at == world.clock.now() + timedelta(minutes=120)
    world.clock.advance(timedelta(minutes=31))
    assert sweep(world) == [(Action.ESCALATE, "response")]


def test_escalations_before_a_reopening_do_not_count_after_it(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    world.clock.advance(timedelta(minutes=31))
    assert sweep(world) == [(Action.ESCALATE, "response")]
    for step in (lambda: uc.assign(world.uow, world.clock, world.dispatcher, tid, world.plumber),
                 lambda: uc.start(world.uow, world.clock, world.plumber, tid),
                 lambda: uc.complete(world.uow, world.clock, world.plumber, tid, "修好了"),
                 lambda: uc.confirm(world.uow, world.clock, world.owner, tid),
                 lambda: uc.rate(world.uow, world.clock, world.owner, tid, 5),
                 lambda: uc.reopen(world.uow, world.clock, world.policies, world.dispatcher, tid, "又漏了")):
        step()
    world.clock.advance(timedelta(minutes=31))
    assert sweep(world) == [(Action.ESCALATE, "response")]


def test_a_sweep_never_bumps_the_version_so_a_racing_claim_is_not_refused(world: World) -> None:
    tid = world.report(priority=Priority.URGENT)
    world.clock.advance(timedelta(minutes=31))
    racer = world.new_uow()
    with racer:
        mine = racer.tickets.get(tid)  # the technician's claim has read the ticket ...
        assert sweep(world) == [(Action.ESCALATE, "response")]  # ... when the sweep escalates it
        assert mine is not None
        mine.apply(Action.CLAIM, world.plumber, None, world.clock.now())
        racer.tickets.save(mine)  # no StaleTicket
        racer.commit()
    assert world.ticket(tid).technician_id == world.plumber
    assert [e.action for e in world.timeline(tid)] == [Action.OPEN, Action.ESCALATE, Action.CLAIM]


def test_one_tickets_error_does_not_stop_the_sweep_for_the_others(world: World,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    broken, fine = world.report(priority=Priority.URGENT), world.report(priority=Priority.URGENT)
    world.clock.advance(timedelta(minutes=31))
    timeline = world.uow.tickets.timeline

    def failing(ticket_id: int):  # type: ignore[no-untyped-def]
        if ticket_id == broken:
            raise RuntimeError("a corrupt row")
        return timeline(ticket_id)

    monkeypatch.setattr(world.uow.tickets, "timeline", failing)
    assert [c.ticket.id for c in sweep_deadlines(world.uow, world.clock, world.policies)] == [fine]


def test_work_the_owner_leaves_unanswered_is_confirmed_for_them_after_the_wait(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_CONFIRMATION)
    world.clock.advance(timedelta(hours=71))
    assert auto_confirm(world.uow, world.clock, world.policies) == []
    world.clock.advance(timedelta(hours=1, minutes=1))
    [change] = auto_confirm(world.uow, world.clock, world.policies)
    assert change.ticket.status is Status.COMPLETED and change.event.action is Action.CONFIRM
    assert change.event.actor_id is None and change.event.note == "auto"
    assert auto_confirm(world.uow, world.clock, world.policies) == []


@pytest.mark.parametrize(("stars", "followed_up"), [(1, True), (2, True), (3, False), (5, False)])
def test_a_poor_rating_is_put_before_staff_once_with_the_comment(world: World, stars: int, followed_up: bool) -> None:
    tid = world.ticket_in(Status.COMPLETED)
    uc.rate(world.uow, world.clock, world.owner, tid, stars, "还是有点漏")
    version = world.ticket(tid).version
    first = follow_up_ratings(world.uow, world.clock, world.policies)
    assert [(c.event.action, c.event.note) for c in first] == \
        ([(Action.FOLLOW_UP, f"{stars}★ 还是有点漏")] if followed_up else [])
    assert follow_up_ratings(world.uow, world.clock, world.policies) == []
    assert world.ticket(tid).version == version and world.ticket(tid).status is Status.CLOSED


def test_the_digest_counts_yesterdays_new_breached_and_rated_tickets_and_todays_open_and_overdue(
        world: World) -> None:
    tz = ZoneInfo("Asia/Shanghai")  # T0 is Monday 09:00 there
    breached = world.report(priority=Priority.URGENT)
    rated_low, rated_high = world.ticket_in(Status.COMPLETED), world.ticket_in(Status.COMPLETED)
    uc.rate(world.uow, world.clock, world.owner, rated_low, 2)
    uc.rate(world.uow, world.clock, world.owner, rated_high, 5)
    world.clock.advance(timedelta(minutes=31))
    sweep(world)  # the urgent one breaches its response time on Monday
    world.clock.set(world.clock.now().astimezone(tz).replace(hour=8, minute=0).astimezone(timezone.utc)
                    + timedelta(days=1))
    world.report()  # Tuesday's: not yesterday's news, but open now
    digest = daily_digest(world.uow, world.clock, world.estate.id, tz)
    assert (digest.day.isoformat(), digest.new, digest.breached, digest.rated, digest.average_rating) == \
        ("2025-03-03", 3, 1, 2, 3.5)
    assert digest.open == 2 and digest.overdue == 1 and breached


def test_the_digest_of_a_quiet_day_has_no_average(world: World) -> None:
    digest = daily_digest(world.uow, world.clock, world.estate.id, ZoneInfo("Asia/Shanghai"))
    assert (digest.new, digest.breached, digest.rated, digest.average_rating) == (0, 0, 0, None)
