"""The policies the simulator compares: round-robin, greedy by score, and our dispatcher as it will run."""
from __future__ import annotations

from datetime import datetime, timedelta

from bench.dispatch_engine import Sim
from domain.dispatch import (AssignTo, Backlog, DispatchPolicy, Escalate, EscalationReason, LeaveToStaff, OfferPool,
                             Solver, assign_batch, decide, rank)
from domain.dispatch.ranking import is_candidate

EPOCH = datetime(2026, 3, 2)  # the simulated day's midnight, for the domain's datetimes
STAFF_MINUTES = 15.0  # how long staff take to pick someone for a manual job


def at(minutes: float) -> datetime:
    return EPOCH + timedelta(minutes=minutes)


def minutes(when: datetime) -> float:
    return (when - EPOCH).total_seconds() / 60


def everyone_declined(sim: Sim, tid: int) -> bool:
    return any(is_candidate(sim.needs(tid, overruled=True), s) for s in sim.states()) and \
        not any(is_candidate(sim.needs(tid), s) for s in sim.states())


def overrule(sim: Sim, policy: DispatchPolicy, tid: int) -> bool:
    """Staff, told that everyone declined, give the job to the best of them anyway (same for every policy)."""
    ranking = rank(sim.needs(tid, overruled=True), sim.states(), policy)
    if ranking:
        sim.assign(tid, ranking[0].person_id or 0, insisted=True)
    return bool(ranking)


class OneByOne:
    """Each ticket as it comes; those nobody could take are retried in arrival order every few minutes."""

    def __init__(self, policy: DispatchPolicy) -> None:
        self.policy = policy

    def bind(self, sim: Sim) -> None:
        self.sim, self.backlog = sim, []

    def arrived(self, tid: int) -> None:
        if self.place(tid):
            return
        if everyone_declined(self.sim, tid):
            self.sim.to_staff(tid, STAFF_MINUTES)
        else:
            self.backlog.append(tid)

    returned = pool_over = arrived

    def staff(self, tid: int) -> None:
        if not overrule(self.sim, self.policy, tid):
            self.backlog.append(tid)

    def tick(self) -> None:
        self.backlog = [tid for tid in self.backlog if not self.place(tid)]

    def place(self, tid: int) -> bool:
        raise NotImplementedError


class RoundRobin(OneByOne):
    """The dispatcher's habit: the next technician in turn who is on duty and has the skill."""

    name = "round-robin"

    def bind(self, sim: Sim) -> None:
        super().bind(sim)
        self.last = 0

    def place(self, tid: int) -> bool:
        needs = self.sim.needs(tid)
        able = sorted(s.id or 0 for s in self.sim.states() if is_candidate(needs, s))
        if not able:
            return False
        self.last = next((pid for pid in able if pid > self.last), able[0])
        self.sim.assign(tid, self.last)
        return True


class Greedy(OneByOne):
    """The best by score at the moment a ticket arrives, whatever their load; no pools, no batches."""

    name = "greedy by score"

    def place(self, tid: int) -> bool:
        ranking = rank(self.sim.needs(tid), self.sim.states(), self.policy)
        if ranking:
            self.sim.assign(tid, ranking[0].person_id or 0)
        return bool(ranking)


class Dispatcher:
    """domain/dispatch as it will run: decide() per ticket as it comes (auto, a claim pool, staff), and every
    few minutes assign_batch() over whatever waits (escalated, past capacity, declined and unplaceable)."""

    name = "our dispatcher"

    def __init__(self, policy: DispatchPolicy, solve: Solver) -> None:
        self.policy, self.solve = policy, solve

    def bind(self, sim: Sim) -> None:
        self.sim, self.backlog = sim, []

    def arrived(self, tid: int, pool_expired: bool = False) -> None:
        sim = self.sim
        outcome = decide(sim.needs(tid), sim.states(), self.policy, at(sim.now), pool_expired)
        if isinstance(outcome, AssignTo):
            sim.assign(tid, outcome.candidate.person_id or 0)
        elif isinstance(outcome, OfferPool):
            sim.offer(tid, [c.person_id or 0 for c in outcome.candidates], minutes(outcome.until))
        elif isinstance(outcome, LeaveToStaff) or (
                isinstance(outcome, Escalate) and outcome.reason is EscalationReason.EVERYONE_DECLINED):
            sim.to_staff(tid, STAFF_MINUTES)
        else:
            assert isinstance(outcome, (Backlog, Escalate))
            self.backlog.append(tid)

    returned = arrived

    def pool_over(self, tid: int) -> None:
        self.arrived(tid, pool_expired=True)

    def staff(self, tid: int) -> None:
        """Staff take the top of the ranking who has room (what the bot shows them), else it waits; told that
        everyone declined, they give it to the best of them anyway."""
        if everyone_declined(self.sim, tid):
            placed = overrule(self.sim, self.policy, tid)
        else:
            ranking = [c for c in rank(self.sim.needs(tid), self.sim.states(), self.policy) if c.has_room]
            placed = bool(ranking) and self.sim.assign(tid, ranking[0].person_id or 0) is None
        if not placed:
            self.backlog.append(tid)

    def tick(self) -> None:
        if not self.backlog:
            return
        result = assign_batch([self.sim.needs(tid) for tid in self.backlog], self.sim.states(), self.solve,
                              self.policy)
        for a in result.assigned:
            self.sim.assign(a.needs.ticket_id or 0, a.candidate.person_id or 0)
        declined = {n.ticket_id for n, why in result.waiting
                    if isinstance(why, Escalate) and why.reason is EscalationReason.EVERYONE_DECLINED}
        for tid in declined:
            self.sim.to_staff(tid or 0, STAFF_MINUTES)
        placed = {a.needs.ticket_id for a in result.assigned} | declined
        self.backlog = [tid for tid in self.backlog if tid not in placed]
