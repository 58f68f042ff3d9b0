"""Every change writes a line to the ticket's timeline: who, in which role, from where to where, when, why."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from domain.authorization import VIEW
from domain.lifecycle import TRANSITIONS, Action, Status
from domain.people import Role
from domain.usecases import tickets as uc
from tests.fakes import World
from tests.unit.domain.use_case_calls import CALLS, CASES, ticket_for

S = Status


def test_the_timeline_tells_the_whole_story_in_order(world: World) -> None:
    w, c = world, world.clock
    tid = w.report(description="卫生间漏水")

    def step(call) -> None:  # each step a minute after the last
        c.advance(timedelta(minutes=1))
        call()

    step(lambda: uc.triage(w.uow, c, w.dispatcher, tid, "已核实"))
    step(lambda: uc.assign(w.uow, c, w.dispatcher, tid, w.plumber))
    step(lambda: uc.decline(w.uow, c, w.plumber, tid, "在休假"))
    step(lambda: uc.claim(w.uow, c, w.builder, tid))
    step(lambda: uc.urge(w.uow, c, w.policies, w.owner, tid))
    step(lambda: uc.start(w.uow, c, w.builder, tid))
    step(lambda: uc.hold(w.uow, c, w.manager, tid, "等配件"))
    step(lambda: uc.resume(w.uow, c, w.builder, tid))
    step(lambda: uc.complete(w.uow, c, w.builder, tid, "换了阀门"))
    step(lambda: uc.reject_completion(w.uow, c, w.owner, tid, "还在漏"))
    step(lambda: uc.complete(w.uow, c, w.builder, tid, "再次处理"))
    step(lambda: uc.comment(w.uow, c, w.owner, tid, "谢谢"))
    step(lambda: uc.confirm(w.uow, c, w.owner, tid))
    step(lambda: uc.rate(w.uow, c, w.owner, tid, 5))
    step(lambda: uc.reopen(w.uow, c, w.policies, w.manager, tid, "又漏了"))

    rows = [(e.action, e.from_status, e.to_status, e.actor_id, e.actor_role, e.note) for e in w.timeline(tid)]
    assert rows == [
        (Action.OPEN, None, S.SUBMITTED, w.owner, Role.OWNER, "卫生间漏水"),
        (Action.TRIAGE, S.SUBMITTED, S.AWAITING_DISPATCH, w.dispatcher, Role.STAFF, "已核实"),
        (Action.ASSIGN, S.AWAITING_DISPATCH, S.ASSIGNED, w.dispatcher, Role.STAFF, f"technician:{w.plumber}"),
        (Action.DECLINE, S.ASSIGNED, S.AWAITING_DISPATCH, w.plumber, Role.TECHNICIAN, "在休假"),
        (Action.CLAIM, S.AWAITING_DISPATCH, S.ASSIGNED, w.builder, Role.TECHNICIAN, ""),
        (Action.URGE, S.ASSIGNED, S.ASSIGNED, w.owner, Role.OWNER, ""),
        (Action.START, S.ASSIGNED, S.IN_PROGRESS, w.builder, Role.TECHNICIAN, ""),
        (Action.HOLD, S.IN_PROGRESS, S.ON_HOLD, w.manager, Role.STAFF, "等配件"),
        (Action.RESUME, S.ON_HOLD, S.IN_PROGRESS, w.builder, Role.TECHNICIAN, ""),
        (Action.COMPLETE, S.IN_PROGRESS, S.AWAITING_CONFIRMATION, w.builder, Role.TECHNICIAN, "换了阀门"),
        (Action.REJECT_COMPLETION, S.AWAITING_CONFIRMATION, S.IN_PROGRESS, w.owner, Role.OWNER, "还在漏"),
        (Action.COMPLETE, S.IN_PROGRESS, S.AWAITING_CONFIRMATION, w.builder, Role.TECHNICIAN, "再次处理"),
        (Action.COMMENT, S.AWAITING_CONFIRMATION, S.AWAITING_CONFIRMATION, w.owner, Role.OWNER, "谢谢"),
        (Action.CONFIRM, S.AWAITING_CONFIRMATION, S.COMPLETED, w.owner, Role.OWNER, ""),
        (Action.RATE, S.COMPLETED, S.CLOSED, w.owner, Role.OWNER, "5★"),
        (Action.REOPEN, S.CLOSED, S.AWAITING_DISPATCH, w.manager, Role.STAFF, "又漏了"),
    ]


def test_every_event_names_its_ticket_and_carries_a_utc_time_from_the_clock(world: World) -> None:
    tid = world.ticket_in(Status.CLOSED)
    events = world.timeline(tid)
    assert all(e.ticket_id == tid for e in events)
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0) for e in events)
    assert all(e.at == world.clock.now() for e in events)
    assert world.clock.now().tzinfo is timezone.utc


def test_the_times_in_the_timeline_follow_the_clock(world: World) -> None:
    tid = world.report()
    opened = world.clock.now()
    world.clock.advance(timedelta(hours=2))
    uc.triage(world.uow, world.clock, world.dispatcher, tid)
    assert [e.at for e in world.timeline(tid)] == [opened, opened + timedelta(hours=2)]


def test_each_use_case_returns_the_event_it_wrote(world: World) -> None:
    tid = world.ticket_in(Status.AWAITING_DISPATCH)
    change = uc.claim(world.uow, world.clock, world.plumber, tid)
    assert world.timeline(tid)[-1] == change.event
    assert change.ticket.new_events == [] and change.ticket.status is Status.ASSIGNED


def test_the_opening_event_returned_carries_the_new_ticket_id(world: World) -> None:
    tid = world.report()
    assert world.timeline(tid)[0].ticket_id == tid


def test_a_refused_action_leaves_no_trace_in_the_timeline(world: World) -> None:
    tid = world.ticket_in(Status.IN_PROGRESS)
    before = world.timeline(tid)
    for attempt in (lambda: uc.cancel(world.uow, world.clock, world.owner, tid, "不修了"),
                    lambda: uc.complete(world.uow, world.clock, world.lift_tech, tid, "done"),
                    lambda: uc.hold(world.uow, world.clock, world.plumber, tid, "")):
        try:
            attempt()
        except Exception:  # noqa: BLE001 - each attempt is refused in its own way; the trail is the point
            pass
        else:
            raise AssertionError("the attempt should have been refused")
    assert world.timeline(tid) == before
    assert world.ticket(tid).version == len(before) - 1


def allowed_actor(world: World, action: Action | str) -> int:
    """Someone the matrix lets take `action`, spread over every role."""
    if action in (Action.TRIAGE, Action.REJECT, Action.ASSIGN, Action.LINK):
        return world.dispatcher
    if action in (Action.REOPEN, Action.CLOSE, Action.BILL_ADJUST, Action.PAY):
        return world.manager
    if action is Action.CLAIM:
        return world.builder
    if action in (Action.ACCEPT, Action.DECLINE, Action.START, Action.HOLD, Action.RESUME, Action.COMPLETE,
                  Action.CHECK_IN, Action.REQUISITION):
        return world.plumber
    return world.admin if action == VIEW else world.owner


@pytest.mark.parametrize(("action", "state"), CASES,
                         ids=[f"{a.value if isinstance(a, Action) else a}-in-{s.value}" for a, s in CASES])
def test_every_use_case_writes_exactly_one_full_event_and_viewing_writes_none(world: World, action: Action | str,
                                                                             state: Status) -> None:
    tid = ticket_for(world, action, state)
    world.clock.advance(timedelta(minutes=7))
    actor = allowed_actor(world, action)
    before = world.timeline(tid)
    CALLS[action](world, actor, tid)
    after = world.timeline(tid)
    if action == VIEW:
        assert after == before
        return
    assert after[:-1] == before and len(after) == len(before) + 1
    event = after[-1]
    assert (event.ticket_id, event.action, event.from_status) == (tid, action, state)
    assert event.to_status is TRANSITIONS.get((state, action), state)  # type: ignore[call-overload]
    assert (event.actor_id, event.actor_role) == (actor, world.person(actor).role)
    assert event.at == world.clock.now() and event.at.utcoffset() == timedelta(0)
    assert world.ticket(tid).status is event.to_status
