"""Preventive maintenance: staff plan a ticket for a recurring problem's home or asset, opened on its day.

A plan is opened exactly once: the new ticket and the plan's compare-and-set are one transaction, and a sweep that
loses the race (another worker, an overlapping run) rolls its ticket back.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable
from zoneinfo import ZoneInfo

from domain.errors import DomainError, DuplicateReport, NotFound
from domain.people import Person, Role
from domain.planning import MAX_NOTE, PlannedTicket, day_problem, parse_day
from domain.ports import Clock, StatsReader, UnitOfWork
from domain.recurrence import Recurrence, RecurrencePolicy, asset_key
from domain.ticket import Ticket
from domain.usecases.common import Policies, TicketChange, load_actor, load_ticket
from domain.usecases.queries import _staff
from domain.usecases.tickets import NewTicket, file_ticket
from domain.values import Priority

PLAN_KEY = "plan:"  # the planned ticket's report_key: "plan:<plan id>", unique, so a plan cannot open twice
PRIORITY = Priority.LOW  # preventive work: nothing is broken yet


class PlanRefused(DomainError):
    """A plan that cannot be made or cancelled: `reason` is bad_day, past, too_far, note_too_long, no_plan, opened
    (it is a ticket now: cancel that instead) or cancelled."""

    code = "plan_refused"

    def __init__(self, reason: str, **facts: object) -> None:
        super().__init__(f"cannot plan: {reason}", reason=reason, **facts)
        self.reason = reason


def today_in(clock: Clock, tz: ZoneInfo) -> date:
    """Plans are for the estate's local day: one due on the 20th opens from 00:00 Shanghai time, not UTC's."""
    return clock.now().astimezone(tz).date()


def plan_maintenance(uow: UnitOfWork, clock: Clock, actor_id: int, ticket_id: int, day_word: str, note: str,
                     tz: ZoneInfo) -> PlannedTicket:
    """/plan <ticket> <YYYY-MM-DD|+days> [note]: preventive work for that ticket's home or asset and category."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise PlanRefused("note_too_long", limit=MAX_NOTE)
    today = today_in(clock, tz)
    day = parse_day(day_word, today)
    if day is None:
        raise PlanRefused("bad_day", day=day_word)
    problem = day_problem(day, today)
    if problem:
        raise PlanRefused(problem, day=day.isoformat())
    with uow:
        actor = _staff(uow, actor_id)
        ticket = load_ticket(uow, ticket_id)
        if ticket.estate_id != actor.estate_id:  # another estate's ticket is as good as none
            raise NotFound(f"ticket #{ticket_id} does not exist", ticket_id=ticket_id)
        plan = uow.plans.add(PlannedTicket(ticket.estate_id, ticket.location, ticket.category, day, note,
                                           actor.id or 0, clock.now(), ticket.id))
        uow.commit()
        return plan


def upcoming_plans(uow: UnitOfWork, actor_id: int) -> list[PlannedTicket]:
    with uow:
        return uow.plans.upcoming(_staff(uow, actor_id).estate_id)


def cancel_plan(uow: UnitOfWork, clock: Clock, actor_id: int, plan_id: int) -> PlannedTicket:
    """/plan cancel <n>: a plan not yet opened is dropped; one opened already is a ticket to cancel instead."""
    with uow:
        actor = _staff(uow, actor_id)
        plan = uow.plans.get(plan_id)
        if plan is None or plan.estate_id != actor.estate_id:
            raise PlanRefused("no_plan", plan=plan_id)
        if not plan.pending or not uow.plans.cancel(plan_id, clock.now()):
            now = uow.plans.get(plan_id) or plan  # a sweep may have opened it since we read it
            if now.opened_ticket_id is not None:
                raise PlanRefused("opened", plan=plan_id, ticket=now.opened_ticket_id)
            raise PlanRefused("cancelled", plan=plan_id)
        uow.commit()
        return replace(plan, cancelled_at=clock.now())


def due_plans(uow: UnitOfWork, clock: Clock, tz: ZoneInfo) -> list[int]:
    """The scheduler: ids of the plans whose day has come, each then opened in a transaction of its own."""
    with uow:
        return [p.id for p in uow.plans.due(today_in(clock, tz)) if p.id is not None]


def open_plan(uow: UnitOfWork, clock: Clock, policies: Policies, plan_id: int,
              describe: Callable[[PlannedTicket], str]) -> TicketChange | None:
    """Open the plan's ticket and mark the plan opened, together; None when it was opened or cancelled meanwhile.
    The ticket is the home owner's when the home's owner is known, else the planner's; it dispatches as any other."""
    with uow:
        plan = uow.plans.get(plan_id)
        if plan is None or not plan.pending:
            return None
        now = clock.now()
        new = NewTicket(plan.location, plan.category, PRIORITY, describe(plan), report_key=f"{PLAN_KEY}{plan.id}")
        try:
            change = file_ticket(uow, policies, _reporter(uow, plan), new, now, opened_by=None, group=False)
        except DuplicateReport:  # another sweep's ticket for this plan is committed
            uow.rollback()
            return None
        if not uow.plans.mark_opened(plan_id, change.ticket.id or 0, now):
            uow.rollback()  # another sweep, or staff's cancel, came first: this ticket never existed
            return None
        uow.commit()
        return change


def _reporter(uow: UnitOfWork, plan: PlannedTicket) -> Person:
    """The home's owner: the planned-from ticket's owner while that home is still theirs; else the planner."""
    if not plan.location.common_area and plan.source_ticket_id is not None:
        source = uow.tickets.get(plan.source_ticket_id)
        owner = uow.people.get(source.owner_id) if source else None
        key = asset_key(plan.estate_id, plan.location)
        if owner and owner.role is Role.OWNER and owner.active \
                and any(asset_key(owner.estate_id, home) == key for home in owner.homes):
            return owner
    return load_actor(uow, plan.created_by)


def recurring_problems(uow: UnitOfWork, reader: StatsReader, clock: Clock, actor_id: int,
                       policy: RecurrencePolicy) -> list[Recurrence]:
    """/stats: the staff member's estate's recurring problems over the window ending now."""
    with uow:
        estate_id = _staff(uow, actor_id).estate_id
    return reader.recurring(estate_id, policy, clock.now()) if policy.enabled else []


def is_planned(ticket: Ticket) -> bool:
    return (ticket.report_key or "").startswith(PLAN_KEY)
