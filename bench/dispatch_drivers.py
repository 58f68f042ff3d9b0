"""The policies the simulator compares: round-robin, greedy by score, and our dispatcher as the bot runs it."""
from __future__ import annotations

from bench.dispatch_engine import Sim, at, minutes
from domain.dispatch import (DispatchPolicy, Escalate, EscalationReason, Mode, OfferPool, Solver, assign_batch,
                             decide, rank)
from domain.dispatch.ranking import is_candidate

STAFF_MINUTES = 15.0  # how long staff take to pick someone for a manual job, or to insist after all declined


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
    """Each ticket as it comes; those nobody could take are retried in arrival order after every event."""

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

    def round(self) -> None:
        if self.backlog:
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
    """domain/usecases/dispatching.py's dispatch_round, on the simulator: manual jobs go to staff; a pool job is
    offered once per wait to the best few with room, and when the offer runs out unclaimed it joins the auto
    jobs, which are all assigned jointly by assign_batch() each round. Everyone declined: staff are told once
    per wait and insist after a while; anyone else who comes on duty meanwhile may still be given it."""

    name = "our dispatcher"

    def __init__(self, policy: DispatchPolicy, solve: Solver) -> None:
        self.policy, self.solve = policy, solve

    def bind(self, sim: Sim) -> None:
        self.sim = sim
        self.waiting: dict[int, bool] = {}  # ticket -> its offer ran out in this wait (pool jobs)
        self.told: set[int] = set()  # staff told that everyone declined, in this wait

    def arrived(self, tid: int) -> None:
        """A new wait: an arrival, or back from a decline, a lapse or a shift's end."""
        t, sim, policy = self.sim.jobs[tid].ticket, self.sim, self.policy
        self.told.discard(tid)
        if policy.mode_for(t.category, t.priority) is Mode.MANUAL:
            sim.to_staff(tid, STAFF_MINUTES)
        self.waiting[tid] = False  # a manual one too: near its deadline (assign_before_due) it is assigned
        due = sim.needs(tid).due
        if policy.assign_before_due is not None and due is not None:
            sim.wake(minutes(due - policy.assign_before_due))

    returned = arrived

    def pool_over(self, tid: int) -> None:
        self.waiting[tid] = True

    def staff(self, tid: int) -> None:
        """Staff take the top of the ranking who has room (what the bot shows them), else look again later;
        told that everyone declined, they give it to the best of them anyway."""
        sim = self.sim
        if not sim.waiting(tid):
            return  # dispatched meanwhile
        if tid in self.told or everyone_declined(sim, tid):
            if overrule(sim, self.policy, tid):
                self.waiting.pop(tid, None)
            else:
                sim.to_staff(tid, STAFF_MINUTES)
            return
        ranking = [c for c in rank(sim.needs(tid), sim.states(), self.policy) if c.has_room]
        if ranking:
            sim.assign(tid, ranking[0].person_id or 0)
        else:
            sim.to_staff(tid, STAFF_MINUTES)

    def round(self) -> None:
        if not self.waiting:
            return
        sim, policy = self.sim, self.policy
        states, to_assign = sim.states(), []
        for tid, offered in list(self.waiting.items()):
            if not sim.waiting(tid):
                del self.waiting[tid]
                continue
            needs = sim.needs(tid)
            mode = policy.mode_now(needs, at(sim.now))
            if mode is Mode.MANUAL:
                continue  # staff's (staff() below)
            if mode is Mode.POOL and not offered:
                decision = decide(needs, states, policy, at(sim.now))
                if isinstance(decision, OfferPool):
                    sim.offer(tid, [c.person_id or 0 for c in decision.candidates], minutes(decision.until))
                    del self.waiting[tid]
                elif isinstance(decision, Escalate):
                    self._escalate(tid, decision)
                continue
            to_assign.append(needs)
        if not to_assign:
            return
        result = assign_batch(to_assign, states, self.solve, policy, at(sim.now))
        for a in result.assigned:
            sim.assign(a.needs.ticket_id or 0, a.candidate.person_id or 0)
            del self.waiting[a.needs.ticket_id or 0]
        for needs, why in result.waiting:
            if isinstance(why, Escalate):
                self._escalate(needs.ticket_id or 0, why)

    def _escalate(self, tid: int, why: Escalate) -> None:
        if why.reason is EscalationReason.EVERYONE_DECLINED and tid not in self.told:
            self.told.add(tid)
            self.sim.to_staff(tid, STAFF_MINUTES)
