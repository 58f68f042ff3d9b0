"""Dispatch rounds: every waiting ticket offered, assigned or escalated by domain/dispatch, from what the database
holds, so a restart loses no timer and a round can run after every update and on the scheduler alike.

A round looks at:
- tickets waiting for a technician (待受理 / 待派工, nobody assigned): manual ones are left to staff; a pool job
  is offered to the best few once, and when the offer runs out it is assigned like an auto job; all auto jobs
  (and expired offers) are assigned jointly (domain.dispatch.assign_batch), urgent ones first;
- jobs assigned to someone who has not accepted within the policy's time: taken back ("lapsed") and dispatched
  again without them.
Nobody who could take a job means one escalation to staff per wait, never a dropped ticket. Each ticket is
saved in its own transaction; one that somebody changed meanwhile (a claim at the same moment) is skipped
and looked at again next round.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Iterable, Mapping

from domain.dispatch import (Backlog, Candidate, DispatchPolicy, Escalate, JobNeeds, Mode, OfferPool, PassedOver,
                             Solver, TechnicianState, assign_batch, decide, needs_of, passed_over, rank)
from domain.dispatch.geo import Coordinates
from domain.errors import StaleTicket
from domain.estate import Estate
from domain.lifecycle import Action, Status
from domain.people import Person, Role
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.ticket import Ticket, TicketEvent
from domain.usecases.common import TicketChange
from domain.values import Priority

logger = logging.getLogger(__name__)

WAITING = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH})
_DONE = frozenset({Status.AWAITING_CONFIRMATION, Status.COMPLETED, Status.CLOSED})
# Events after which a ticket waits afresh: a new offer, a new escalation.
_BACK_TO_WAITING = frozenset({Action.OPEN, Action.DECLINE, Action.REOPEN})
LAPSED = "lapsed:"  # the note of the system's DECLINE when an assignee never answered: "lapsed:<technician id>"
CHECK_IN = "checkin:"  # a technician's arrival: "checkin:<lat>,<lon>:<metres>:<verified|far>"


@dataclass(frozen=True)
class DispatchSettings:
    policy: DispatchPolicy
    solve: Solver
    accept_within: Mapping[Priority, timedelta] = field(default_factory=dict)  # else a lapsed assignment
    round_every: timedelta = timedelta(seconds=30)  # a round with nothing new: offers and acceptances run out
    check_in_radius_m: float = 200.0  # a shared location this near the building verifies the arrival


def offer_note(until: datetime, candidates: Iterable[Candidate]) -> str:
    ids = ",".join(str(c.person_id) for c in candidates)
    return f"until={until.isoformat()};to={ids}"


def parse_offer(note: str) -> tuple[datetime | None, tuple[int, ...]]:
    """An OFFER event's note: when it runs out and whom it went to."""
    parts = dict(p.split("=", 1) for p in note.split(";") if "=" in p)
    until = datetime.fromisoformat(parts["until"]) if parts.get("until") else None
    to = tuple(int(i) for i in parts.get("to", "").split(",") if i.strip().lstrip("-").isdigit())
    return until, to


def excluded(timeline: Iterable[TicketEvent]) -> frozenset[int]:
    """Everyone who declined the job or let an assignment of it lapse: never offered it again."""
    out: set[int] = set()
    for e in timeline:
        if e.action is not Action.DECLINE:
            continue
        if e.actor_id is not None:
            out.add(e.actor_id)
        elif e.note.startswith(LAPSED) and e.note[len(LAPSED):].isdigit():
            out.add(int(e.note[len(LAPSED):]))
    return frozenset(out)


def since_waiting(timeline: list[TicketEvent]) -> list[TicketEvent]:
    """The events since the ticket last started waiting for a technician."""
    starts = [i for i, e in enumerate(timeline) if e.action in _BACK_TO_WAITING]
    return timeline[starts[-1]:] if starts else timeline


def check_in_position(event: TicketEvent) -> Coordinates | None:
    if event.action is not Action.CHECK_IN or not event.note.startswith(CHECK_IN):
        return None
    try:
        lat, lon = event.note[len(CHECK_IN):].split(":", 1)[0].split(",")
        return float(lat), float(lon)
    except ValueError:
        return None


def technician_states(uow: UnitOfWork, estate: Estate, day_start: datetime) -> list[TechnicianState]:
    """Every technician of the estate as dispatch sees them: open jobs, jobs done since `day_start`, and where
    they were last known to be (where they last checked in, or the building of their latest job)."""
    people = [p for p in uow.people.find(role=Role.TECHNICIAN, estate_id=estate.id)
              if p.id is not None and p.chat_id is not None]  # on the books but not in the chat yet: they could
    # never hear of the job, let alone accept it
    loads = uow.tickets.workloads(estate.id, day_start)  # one read for all, not each one's whole history
    latest = {p.id: loads[p.id].latest_started for p in people if p.id in loads and loads[p.id].latest_started}
    timelines = uow.tickets.timelines(t.id for t in latest.values() if t is not None and t.id is not None)
    states = []
    for person in people:
        jobs = loads[person.id].jobs if person.id in loads else ()
        open_jobs = sum(1 for t in jobs if t.status.is_open and t.status is not Status.AWAITING_CONFIRMATION)
        done_today = sum(1 for t in jobs if t.status in _DONE and t.completed_at and t.completed_at >= day_start)
        began = latest.get(person.id)
        position = _last_position(estate, person, began, timelines.get(began.id or 0, []) if began else [])
        states.append(TechnicianState(person, open_jobs, done_today, position))
    return states


def _last_position(estate: Estate, person: Person, latest: Ticket | None,
                   timeline: list[TicketEvent]) -> Coordinates | None:
    """Where they last checked in on the job they most recently began, else that job's building."""
    if latest is None:
        return None
    for event in reversed(timeline):
        if event.actor_id == person.id:
            shared = check_in_position(event)
            if shared is not None:
                return shared
    building = estate.building(latest.location.building) if latest.location.building else None
    return building.coordinates if building else None


def dispatch_round(uow: UnitOfWork, clock: Clock, settings: DispatchSettings, estate: Estate,
                   day_start: datetime) -> list[TicketChange]:
    """One round over the estate's waiting and lapsed jobs; returns what changed (its news is in the outbox)."""
    now = clock.now()
    changes = _take_back_lapsed(uow, now, settings, estate)
    with uow:
        waiting = [t for t in uow.tickets.find(TicketFilter(statuses=WAITING, estate_id=estate.id, limit=0))
                   if t.technician_id is None and t.id is not None and t.parent_id is None]  # a linked report
        # is worked as its incident's parent, never dispatched alone
        if not waiting:  # the usual case after an update: nobody's history need be read
            return changes
        technicians = technician_states(uow, estate, day_start)
        timelines = uow.tickets.timelines(t.id or 0 for t in waiting)
    policy, to_assign = settings.policy, []
    for ticket in waiting:
        timeline = timelines[ticket.id or 0]
        needs = needs_of(ticket, estate, excluded(timeline))
        mode = policy.mode_now(needs, now)
        if mode is Mode.MANUAL:
            continue
        if mode is Mode.POOL:
            offers = [parse_offer(e.note)[0] for e in since_waiting(timeline) if e.action is Action.OFFER]
            if not offers:
                decision = decide(needs, technicians, policy, now)
                if isinstance(decision, OfferPool):
                    changes += _record(uow, ticket.id or 0, Action.OFFER,
                                       offer_note(decision.until, decision.candidates), now)
                    continue
                if isinstance(decision, Escalate):
                    changes += _escalate_once(uow, ticket.id or 0, timeline, decision, now)
                    continue
                if isinstance(decision, Backlog):
                    continue
            elif offers[-1] is not None and offers[-1] > now:
                continue  # the offer still runs
        to_assign.append((ticket, needs, timeline))
    result = assign_batch([n for _, n, _ in to_assign], technicians, settings.solve, policy, now)
    by_needs = {id(n): (t, tl) for t, n, tl in to_assign}
    for assignment in result.assigned:
        ticket, _ = by_needs[id(assignment.needs)]
        changes += _assign(uow, ticket.id or 0, assignment.candidate, now)
    for needs, why in result.waiting:
        ticket, timeline = by_needs[id(needs)]
        if isinstance(why, Escalate):
            changes += _escalate_once(uow, ticket.id or 0, timeline, why, now)
    return changes


def _take_back_lapsed(uow: UnitOfWork, now: datetime, settings: DispatchSettings,
                      estate: Estate) -> list[TicketChange]:
    with uow:
        assigned = [t for t in uow.tickets.find(TicketFilter(statuses=frozenset({Status.ASSIGNED}),
                                                             estate_id=estate.id, limit=0))
                    if t.accepted_at is None and t.technician_id is not None and t.id is not None
                    and t.priority in settings.accept_within]
        timelines = uow.tickets.timelines(t.id or 0 for t in assigned)
        since = {t.id: _assigned_at(timelines[t.id or 0]) for t in assigned}
    changes: list[TicketChange] = []
    for ticket in assigned:
        at = since[ticket.id]
        if at is None or now - at < settings.accept_within[ticket.priority]:
            continue
        changes += _save_one(uow, ticket.id or 0, lambda t: t.status is Status.ASSIGNED and t.accepted_at is None
                             and t.technician_id == ticket.technician_id,
                             lambda t: t.apply(Action.DECLINE, None, None, now, f"{LAPSED}{t.technician_id}"))
    return changes


def _assigned_at(timeline: list[TicketEvent]) -> datetime | None:
    assigned = [e.at for e in timeline if e.action in (Action.ASSIGN, Action.CLAIM)]
    return assigned[-1] if assigned else None


def _assign(uow: UnitOfWork, ticket_id: int, candidate: Candidate, now: datetime) -> list[TicketChange]:
    def apply(ticket: Ticket) -> TicketEvent:
        event = ticket.apply(Action.ASSIGN, None, None, now, f"auto:technician:{candidate.person_id}")
        ticket.technician_id, ticket.accepted_at = candidate.person_id, None
        return event

    return _save_one(uow, ticket_id, lambda t: t.status in WAITING and t.technician_id is None, apply)


def _escalate_once(uow: UnitOfWork, ticket_id: int, timeline: list[TicketEvent], why: Escalate,
                   now: datetime) -> list[TicketChange]:
    note = f"dispatch_{why.reason.value}"
    if any(e.action is Action.ESCALATE and e.note == note for e in since_waiting(timeline)):
        return []  # staff were told for this wait already
    return _record(uow, ticket_id, Action.ESCALATE, note, now)


def _record(uow: UnitOfWork, ticket_id: int, action: Action, note: str, now: datetime) -> list[TicketChange]:
    return _save_one(uow, ticket_id, lambda t: t.status in WAITING and t.technician_id is None,
                     lambda t: t.apply(action, None, None, now, note))


def _save_one(uow: UnitOfWork, ticket_id: int, still, apply) -> list[TicketChange]:  # type: ignore[no-untyped-def]
    """Apply to a fresh copy in its own transaction, if the ticket is still as the round saw it."""
    try:
        with uow:
            ticket = uow.tickets.get(ticket_id)
            if ticket is None or not still(ticket):
                return []
            event = apply(ticket)
            uow.tickets.save(ticket)
            uow.commit()
            return [TicketChange(ticket, replace(event, ticket_id=ticket.id))]
    except StaleTicket:
        return []  # someone acted on it at this moment (a claim): next round looks again


def ranking_for(uow: UnitOfWork, settings: DispatchSettings, estate: Estate, ticket_id: int,
                day_start: datetime) -> tuple[Candidate, ...]:
    """Who dispatch would choose for the ticket now, best first, with each score's breakdown: what staff see
    beside the ticket and on the assign buttons. Whoever declined it or let it lapse is not among them."""
    return assign_choices(uow, settings, estate, ticket_id, day_start)[0]


def assign_choices(uow: UnitOfWork, settings: DispatchSettings, estate: Estate, ticket_id: int,
                   day_start: datetime) -> tuple[tuple[Candidate, ...], dict[int, PassedOver]]:
    """ranking_for's ranking, and why each technician left out of it is left out (declined it, off duty,
    another skill): shown beside their names on the assign buttons, so staff who insist know on whom."""
    with uow:
        ticket = uow.tickets.get(ticket_id)
        if ticket is None:
            return (), {}
        needs = needs_of(ticket, estate, excluded(uow.tickets.timeline(ticket_id)))
        states = technician_states(uow, estate, day_start)
    passed = {s.id: why for s in states if s.id is not None and (why := passed_over(needs, s.person)) is not None}
    return rank(needs, states, settings.policy), passed
