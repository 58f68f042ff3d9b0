"""The dispatch simulator's clock and physics: arrivals, shifts, walking, one job at a time, declines, claims.

A driver (round-robin, greedy, our dispatcher) decides; this engine carries decisions out and keeps the world
honest. A technician holds a queue of assigned jobs and works them one at a time, urgent ones first, walking
between buildings. A job pushed to someone who would decline it is declined 5 minutes later and handed back
to the driver; one pushed to someone who leaves it unanswered lapses after the priority's accept minutes and
is handed back the same way. At a shift's end the job in hand is finished and the queued ones go back.

Rounds as in the bot (bot/dispatching.py): the driver's round() runs after every event (an arrival, a job done,
a claim, a decline, a shift starting or ending: each an update to the bot) and on the bot's 30-second timer.
Between events only offers and acceptances running out change what a round sees, so those happen on the
30-second grid, and a timer round with nothing new, which would decide what the last round did, is skipped.
"""
from __future__ import annotations

import heapq
import itertools
import math
from datetime import datetime, timedelta
from dataclasses import dataclass, field
from typing import Protocol

from bench.dispatch_world import DAYS_AHEAD, Day, SimTicket
from domain.dispatch import JobNeeds, TechnicianState
from domain.people import Person, Role
from domain.values import Priority

EPOCH = datetime(2026, 3, 2)  # the simulated day's midnight, for the domain's datetimes (its date: the SLA's)
DECLINE_AFTER = 5.0  # minutes from a push to its decline
ROUND_MINUTES = 0.5  # config.yml's dispatch.round_seconds, 30
URGENCY = {Priority.URGENT: 0, Priority.NORMAL: 1, Priority.LOW: 2}
# Same-minute events in this order: a job done frees its technician before anything else looks at them.
DONE, SHIFT_END, SHIFT_START, DECLINE, LAPSE, CLAIM, POOL_END, STAFF, ARRIVE, MIDNIGHT, WAKE = range(11)


def next_round(minute: float) -> float:
    """The first 30-second timer round at or after `minute`: when the bot notices an offer or push ran out."""
    return math.ceil(minute / ROUND_MINUTES - 1e-9) * ROUND_MINUTES


def at(minutes: float) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def minutes(when: datetime) -> float:
    return (when - EPOCH).total_seconds() / 60


class Driver(Protocol):
    def bind(self, sim: "Sim") -> None: ...
    def arrived(self, tid: int) -> None: ...
    def returned(self, tid: int) -> None: ...  # declined, or handed back at a shift's end
    def pool_over(self, tid: int) -> None: ...
    def staff(self, tid: int) -> None: ...
    def round(self) -> None: ...  # after every event: what the bot's dispatch round does


@dataclass
class Job:
    ticket: SimTicket
    technician: int | None = None
    accepted_at: float | None = None
    responded_at: float | None = None  # first taken on (the response deadline), even if handed back later
    started_at: float | None = None
    on_site_at: float | None = None
    done_at: float | None = None
    done_by: int | None = None
    km: float = 0.0
    declined: set[int] = field(default_factory=set)
    pool_until: float | None = None


@dataclass
class Worker:
    person: Person
    queue: list[int] = field(default_factory=list)
    current: int | None = None
    place: int = 0
    known: tuple[float, float] | None = None  # where dispatch believes they are
    done: dict[int, int] = field(default_factory=dict)  # day -> jobs finished
    started: list[int] = field(default_factory=list)  # the jobs they did, in order


class Sim:
    def __init__(self, day: Day, driver: Driver, accept_minutes: dict[Priority, float] | None = None) -> None:
        """`accept_minutes`: config.yml's dispatch.accept_minutes (None: a push is never left to lapse)."""
        self.day, self.driver, self.accept, self.now = day, driver, accept_minutes, 0.0
        self.jobs = {t.id: Job(t) for t in day.tickets}
        self.workers = {t.id: Worker(Person(t.name, Role.TECHNICIAN, "sunrise", id=t.id, skills=t.skills,
                                            zones=t.zones, on_duty=False), place=day.office)
                        for t in day.technicians}
        self._events: list[tuple[float, int, int, tuple[int, ...]]] = []
        self._seq = itertools.count()
        for t in day.technicians:
            for start, end in t.shifts:
                self._at(max(start, 0.0), SHIFT_START, t.id)
                self._at(end, SHIFT_END, t.id)
        for ticket in day.tickets:
            self._at(ticket.arrival, ARRIVE, ticket.id)
        for d in range(1, DAYS_AHEAD):
            self._at(1440.0 * d, MIDNIGHT)  # jobs done today start again from 0
        driver.bind(self)

    def run(self) -> "Sim":
        handlers = {DONE: self._done, SHIFT_END: self._shift_end, SHIFT_START: self._shift_start,
                    DECLINE: self._decline, LAPSE: self._decline, CLAIM: self._claim, POOL_END: self._pool_end,
                    STAFF: self.driver.staff, ARRIVE: self.driver.arrived, MIDNIGHT: lambda: None,
                    WAKE: lambda: None}
        left = len(self.jobs)
        while self._events and left:
            self.now, kind, _, args = heapq.heappop(self._events)
            if self.now > DAYS_AHEAD * 1440:
                break  # the roster's end; what is left counts as never done
            handlers[kind](*args)
            self.driver.round()
            left = sum(j.done_at is None for j in self.jobs.values()) if kind == DONE else left
        return self

    # What drivers see and do.
    def states(self) -> list[TechnicianState]:
        return [TechnicianState(w.person, len(w.queue) + (w.current is not None), w.done.get(int(self.now // 1440), 0),
                                w.known) for w in self.workers.values()]

    def needs(self, tid: int, overruled: bool = False) -> JobNeeds:
        """The job's needs; `overruled`: as if nobody had declined it (staff insisting)."""
        job = self.jobs[tid]
        t = job.ticket
        place = self.day.places[t.place] if t.building is not None else None
        due = self.day.due.get(tid)
        return JobNeeds(t.category, t.priority, t.building, place, tid,
                        frozenset() if overruled else frozenset(job.declined),
                        None if due is None else at(due.response))  # a waiting job's earliest deadline

    def waiting(self, tid: int) -> bool:
        job = self.jobs[tid]
        return job.technician is None and job.done_at is None and job.pool_until is None

    def assign(self, tid: int, pid: int, claimed: bool = False, insisted: bool = False) -> None:
        """Push the job to `pid`. A claim, or staff insisting after everyone declined, is never declined."""
        job, worker = self.jobs[tid], self.workers[pid]
        assert job.technician is None and worker.person.on_duty, (tid, pid)
        job.technician = pid
        worker.queue.append(tid)
        if not (claimed or insisted) and pid in job.ticket.decliners:
            self._at(self.now + DECLINE_AFTER, DECLINE, tid, pid)
        elif not (claimed or insisted) and pid in job.ticket.silent and self.accept is not None \
                and job.ticket.priority in self.accept:
            self._at(next_round(self.now + self.accept[job.ticket.priority]), LAPSE, tid, pid)
        else:
            job.accepted_at = self.now
            job.responded_at = self.now if job.responded_at is None else job.responded_at
            self._start_next(worker)

    def offer(self, tid: int, pids: list[int], until: float) -> None:
        job = self.jobs[tid]
        job.pool_until = until
        for pid in pids:
            delay = job.ticket.claim_after.get(pid)
            if delay is not None and self.now + delay < until:
                self._at(self.now + delay, CLAIM, tid, pid)
        self._at(next_round(until), POOL_END, tid)

    def wake(self, minute: float) -> None:
        """A timer round at the first 30-second tick from `minute`: when a deadline coming near changes what a
        round decides with nothing else happening (the bot's timer round would notice it then)."""
        if minute > self.now:
            self._at(next_round(minute), WAKE)

    def to_staff(self, tid: int, delay: float) -> None:
        self._at(self.now + delay, STAFF, tid)

    # The world.
    def _at(self, time: float, kind: int, *args: int) -> None:
        heapq.heappush(self._events, (time, kind, next(self._seq), args))

    def _start_next(self, worker: Worker) -> None:
        ready = [tid for tid in worker.queue if self.jobs[tid].accepted_at is not None]
        if worker.current is not None or not worker.person.on_duty or not ready:
            return
        tid = min(ready, key=lambda t: (URGENCY[self.jobs[t].ticket.priority], self.jobs[t].ticket.arrival, t))
        worker.queue.remove(tid)
        job, worker.current = self.jobs[tid], tid
        walk = self.day.walk[worker.place][job.ticket.place]
        job.started_at, job.km = self.now, self.day.km(worker.place, job.ticket.place)
        job.on_site_at = self.now + walk
        worker.known, worker.place = self.day.places[job.ticket.place], job.ticket.place
        worker.started.append(tid)
        self._at(self.now + walk + job.ticket.service, DONE, worker.person.id or 0)

    def _done(self, pid: int) -> None:
        worker = self.workers[pid]
        job = self.jobs[worker.current or 0]
        job.done_at, job.done_by, worker.current = self.now, pid, None
        day = int(self.now // 1440)
        worker.done[day] = worker.done.get(day, 0) + 1
        self._start_next(worker)

    def _shift_start(self, pid: int) -> None:
        worker = self.workers[pid]
        worker.person.on_duty, worker.place, worker.known = True, self.day.office, None
        self._start_next(worker)

    def _shift_end(self, pid: int) -> None:
        worker = self.workers[pid]
        worker.person.on_duty = False
        handed_back, worker.queue = worker.queue, []
        for tid in handed_back:
            self._unassign(tid)
        for tid in handed_back:
            self.driver.returned(tid)

    def _decline(self, tid: int, pid: int) -> None:
        job = self.jobs[tid]
        if job.technician != pid or job.started_at is not None:
            return  # handed back at a shift's end meanwhile
        self.workers[pid].queue.remove(tid)
        self._unassign(tid)
        job.declined.add(pid)
        self.driver.returned(tid)

    def _unassign(self, tid: int) -> None:
        job = self.jobs[tid]
        job.technician = job.accepted_at = None

    def _claim(self, tid: int, pid: int) -> None:
        job, worker = self.jobs[tid], self.workers[pid]
        idle = worker.person.on_duty and worker.current is None and not worker.queue
        if job.pool_until is not None and job.technician is None and idle:
            job.pool_until = None
            self.assign(tid, pid, claimed=True)

    def _pool_end(self, tid: int) -> None:
        job = self.jobs[tid]
        if job.pool_until is not None:
            job.pool_until = None
            self.driver.pool_over(tid)

