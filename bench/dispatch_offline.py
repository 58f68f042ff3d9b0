"""Offline references for a simulated day, with full knowledge of it: every arrival and every job's length
(and no declines: online, staff can always insist). Same physics as the engine: one job at a time, walking from the last job (from the office at
a shift's start), a job started only on duty and finished even past the shift's end.

- `lower_bound`: each ticket as if it had a technician to itself: the first skilled one on duty at or after its
  arrival (from the office if that means waiting for a shift), no queue. No schedule can resolve a ticket
  sooner, so its mean, p95 and breach count bound every policy's from below.
  For the mean there is a second bound, per category: that category's tickets on one machine as fast as all
  its skilled technicians on duty together, each shift stretched by the category's longest job (a job in hand
  is finished after the shift), preemptive, shortest remaining work first (which completes the most jobs by
  any moment, so no schedule of that machine, and none of the real technicians, has a smaller sum). Each bound
  holds for the category's tickets alone, so the sum over categories of the larger of the two bounds the day.
- `best_plan`: a good schedule found offline: each technician's job sequence, started from every online
  policy's realised schedule and from best-insertion constructions (arrival order, and shuffled), improved by
  moving single jobs to their best place anywhere until nothing improves. Objective: the total time to resolve
  plus `penalty` minutes per SLA breach (0: the mean alone; large: fewest breaches first). A feasible schedule,
  so the true optimum of that objective is no worse than it. Knowing the day, its technician takes each job on
  (responds) the first moment they are on duty at or after its arrival.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from bench.dispatch_world import Day, SimTicket, Technician

INF = float("inf")


@dataclass(frozen=True)
class Plan:
    sequences: dict[int, list[int]]
    done: dict[int, float]  # ticket -> completion
    on_site: dict[int, float]  # ticket -> the work begun
    response: dict[int, float]  # ticket -> its technician took it on
    km: dict[int, float]
    done_by: dict[int, int]


def able(day: Day, ticket: SimTicket) -> list[Technician]:
    # Declines are ignored: online, staff can insist, so any skilled technician may end up doing any job.
    return [t for t in day.technicians if ticket.category in t.skills]


def _on_duty_from(tech: Technician, time: float) -> tuple[int, float] | None:
    """The first window in which `tech` can start at or after `time`, and when."""
    for i, (start, end) in enumerate(tech.shifts):
        if end > time:
            return i, max(start, time)
    return None


def lower_bound(day: Day) -> dict[int, tuple[float, float, float]]:
    """Per ticket, times taken on (someone skilled on duty), on site and done that no schedule can beat."""
    assert min(t.service for t in day.tickets) >= max(max(r) for r in day.walk)  # see the office walk below
    bound = {}
    for ticket in day.tickets:
        best, first, taken = INF, INF, INF
        for tech in able(day, ticket):
            slot = _on_duty_from(tech, ticket.arrival)
            if slot is None:
                continue
            i, ready = slot
            # Waiting for a shift to start, they leave from the office: if they did another job first, that job
            # alone (10 min at least) takes longer than any walk on the estate.
            walk = day.walk[day.office][ticket.place] if ready > ticket.arrival else 0.0
            best, first = min(best, ready + walk + ticket.service), min(first, ready + walk)
            taken = min(taken, ready)
        bound[ticket.id] = taken, first, best
    return bound


def mean_bound(day: Day, per_ticket: dict[int, tuple[float, float, float]]) -> float:
    """A lower bound on the day's mean time to resolve: per category, the larger of the per-ticket bounds'
    sum and the fast-machine bound."""
    total = 0.0
    for category in {t.category for t in day.tickets}:
        tickets = [t for t in day.tickets if t.category is category]
        skilled = [k for k in day.technicians if category in k.skills]
        free = sum(per_ticket[t.id][2] - t.arrival for t in tickets)
        total += max(free, _fast_machine(tickets, skilled))
    return total / len(day.tickets)


def _fast_machine(tickets: list[SimTicket], skilled: list[Technician]) -> float:
    """Sum of (completion - arrival) under preemptive SRPT on a machine whose speed is the number of skilled
    technicians on duty (processor sharing of parallel technicians; no walking)."""
    overtime = max(t.service for t in tickets)
    windows = [(a, b + overtime) for k in skilled for a, b in k.shifts]
    changes = sorted({max(0.0, x) for w in windows for x in w})
    arrivals = sorted(tickets, key=lambda t: t.arrival)
    left: dict[int, float] = {}
    now, i, total = 0.0, 0, 0.0
    while i < len(arrivals) or left:
        if not left and i < len(arrivals):
            now = max(now, arrivals[i].arrival)
        while i < len(arrivals) and arrivals[i].arrival <= now:
            left[arrivals[i].id] = arrivals[i].service
            i += 1
        speed = sum(1 for a, b in windows if a <= now < b)
        horizon = min([c for c in changes if c > now] + ([arrivals[i].arrival] if i < len(arrivals) else []),
                      default=INF)
        if speed == 0:
            if horizon == INF:
                return INF
            now = horizon
            continue
        tid = min(left, key=lambda k: (left[k], k))
        finish = now + left[tid] / speed
        if finish <= horizon:
            now = finish
            del left[tid]
            total += now - next(t.arrival for t in tickets if t.id == tid)
        else:
            left[tid] -= (horizon - now) * speed
            now = horizon
    return total


class _Schedule:
    def __init__(self, day: Day, penalty: float) -> None:
        self.day, self.penalty = day, penalty
        self.tickets = {t.id: t for t in day.tickets}
        self.techs = {t.id: t for t in day.technicians}
        self.able = {t.id: [k.id for k in able(day, t)] for t in day.tickets}

    def cost(self, pid: int, seq: list[int]) -> float:
        """Sum of (completion - arrival) over `seq` worked in that order by `pid`."""
        total, free, place, window = 0.0, -INF, self.day.office, -1
        tech, walk = self.techs[pid], self.day.walk
        for tid in seq:
            t = self.tickets[tid]
            slot = _on_duty_from(tech, max(free, t.arrival))
            if slot is None:
                return INF
            i, start = slot
            if i != window:
                place, window = self.day.office, i
            on_site = start + walk[place][t.place]
            free = on_site + t.service
            place = t.place
            total += free - t.arrival
            if self.penalty and self.day.due[tid].missed(self.taken_on(tech, t), on_site, free):
                total += self.penalty
        return total

    def taken_on(self, tech: Technician, t: SimTicket) -> float:
        slot = _on_duty_from(tech, t.arrival)
        return INF if slot is None else slot[1]

    def best_insert(self, tid: int, seqs: dict[int, list[int]], costs: dict[int, float]) -> tuple[float, int, int]:
        best = (INF, -1, -1)
        for pid in self.able[tid]:
            seq = seqs[pid]
            for pos in range(len(seq) + 1):
                delta = self.cost(pid, seq[:pos] + [tid] + seq[pos:]) - costs[pid]
                if delta < best[0]:
                    best = (delta, pid, pos)
        return best

    def improve(self, seqs: dict[int, list[int]], rounds: int = 8) -> dict[int, list[int]]:
        seqs = {pid: list(seqs.get(pid, [])) for pid in self.techs}
        costs = {pid: self.cost(pid, seq) for pid, seq in seqs.items()}
        for _ in range(rounds):
            moved = False
            for tid in sorted(self.tickets):
                home = next(pid for pid, seq in seqs.items() if tid in seq)
                without = [x for x in seqs[home] if x != tid]
                saved = costs[home] - self.cost(home, without)
                seqs[home], costs[home] = without, costs[home] - saved
                delta, pid, pos = self.best_insert(tid, seqs, costs)
                moved |= delta < saved - 1e-6
                seqs[pid].insert(pos, tid)
                costs[pid] = self.cost(pid, seqs[pid])
            if not moved:
                break
        return seqs

    def construct(self, order: list[SimTicket]) -> dict[int, list[int]]:
        seqs: dict[int, list[int]] = {pid: [] for pid in self.techs}
        costs = {pid: 0.0 for pid in self.techs}
        for t in order:
            _, pid, pos = self.best_insert(t.id, seqs, costs)
            seqs[pid].insert(pos, t.id)
            costs[pid] = self.cost(pid, seqs[pid])
        return seqs

    def total(self, seqs: dict[int, list[int]]) -> float:
        return sum(self.cost(pid, seq) for pid, seq in seqs.items())

    def plan(self, seqs: dict[int, list[int]]) -> Plan:
        done, km, by, on_site, taken = {}, {}, {}, {}, {}
        for pid, seq in seqs.items():
            free, place, window, tech = -INF, self.day.office, -1, self.techs[pid]
            for tid in seq:
                t = self.tickets[tid]
                i, start = _on_duty_from(tech, max(free, t.arrival)) or (window, INF)
                if i != window:
                    place, window = self.day.office, i
                km[tid], by[tid], taken[tid] = self.day.km(place, t.place), pid, self.taken_on(tech, t)
                on_site[tid] = start + self.day.walk[place][t.place]
                free = on_site[tid] + t.service
                done[tid], place = free, t.place
        return Plan(seqs, done, on_site, taken, km, by)


def best_plan(day: Day, starts: list[dict[int, list[int]]], penalty: float = 0.0, shuffles: int = 4) -> Plan:
    """The best schedule found from `starts` (realised online schedules) and constructions, each improved."""
    schedule = _Schedule(day, penalty)
    rng = random.Random(day.seed)
    orders = [sorted(day.tickets, key=lambda t: t.arrival)]
    orders += [rng.sample(day.tickets, len(day.tickets)) for _ in range(shuffles)]
    candidates = [schedule.improve(s) for s in [*starts, *map(schedule.construct, orders)]]
    return schedule.plan(min(candidates, key=schedule.total))
