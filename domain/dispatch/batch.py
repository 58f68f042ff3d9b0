"""Several waiting jobs assigned jointly, as one assignment problem, instead of one by one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence, Union

from domain.dispatch.decision import Backlog, Escalate, nobody_because
from domain.dispatch.model import DispatchPolicy, JobNeeds, TechnicianState, is_available
from domain.dispatch.ranking import Candidate, is_candidate, rank, score, with_load
from domain.values import Priority

# The port: the minimum-cost assignment of rows to columns of a rectangular matrix, each row and column used at
# most once, min(rows, columns) pairs (row, column). scipy.optimize.linear_sum_assignment, in app/.
Solver = Callable[[list[list[float]]], Sequence[tuple[int, int]]]
URGENCY_ORDER = (Priority.URGENT, Priority.NORMAL, Priority.LOW)


@dataclass(frozen=True)
class Assignment:
    needs: JobNeeds
    candidate: Candidate  # scored with the load they will have, this job included as their n-th new one


@dataclass(frozen=True)
class BatchResult:
    assigned: tuple[Assignment, ...]
    waiting: tuple[tuple[JobNeeds, Union[Backlog, Escalate]], ...]  # nobody could, or nobody had room


def assign_batch(tickets: Sequence[JobNeeds], technicians: Sequence[TechnicianState], solve: Solver,
                 policy: DispatchPolicy, now: datetime | None = None) -> BatchResult:
    """Assign `tickets` (those to be assigned now) jointly: urgent ones first, then normal, then low, so a
    lower priority never takes a technician an urgent job needed; within a priority, the assignment that
    places the most jobs and, among those, has the highest total score plus, per job placed, the deadline
    weight times the hours by which its deadline is nearer `now` (so, short of hands, the nearest deadlines
    go first; None or a zero weight: the score alone)."""
    states = [t for t in technicians if is_available(t.person)]
    assigned: list[Assignment] = []
    waiting: list[tuple[JobNeeds, Union[Backlog, Escalate]]] = []
    for priority in URGENCY_ORDER:
        level = [n for n in tickets if n.priority is priority]
        done = _assign_level(level, states, solve, policy, now)
        taken = [a.candidate.technician.person for a in done]
        states = [with_load(t, sum(p is t.person for p in taken)) for t in states]
        placed = {id(a.needs) for a in done}
        assigned += done
        waiting += [(n, _why_waiting(n, technicians, policy)) for n in level if id(n) not in placed]
    return BatchResult(tuple(assigned), tuple(waiting))


def _assign_level(tickets: list[JobNeeds], technicians: list[TechnicianState], solve: Solver,
                  policy: DispatchPolicy, now: datetime | None) -> list[Assignment]:
    # One column per free slot: a technician with room for k more jobs gets k columns, the j-th scored with
    # j more open jobs, so a second job costs what the higher load says.
    if not tickets:
        return []
    room = policy.capacity_for(tickets[0].priority)  # one priority per call
    slots = [with_load(t, extra) for t in technicians for extra in range(max(0, room - t.open_jobs))]
    if not slots:
        return []
    pressing = [urgency(n, policy, now) for n in tickets]
    scores = [[score(n, s, policy).score + pressing[i] if is_candidate(n, s) else None for s in slots]
              for i, n in enumerate(tickets)]
    finite = [abs(v) for row in scores for v in row if v is not None]
    if not finite:
        return []
    # A pair nobody may take costs more than any set of allowed pairs could save: the solver places the most
    # jobs first and maximises the score among those placements; forbidden pairs it returns are dropped.
    forbidden = (2 * max(finite) + 1) * (min(len(tickets), len(slots)) + 1)
    costs = [[forbidden if v is None else -v for v in row] for row in scores]
    pairs = [(i, j) for i, j in solve(costs) if scores[i][j] is not None]
    return [Assignment(tickets[i], score(tickets[i], slots[j], policy)) for i, j in sorted(pairs)]


def urgency(needs: JobNeeds, policy: DispatchPolicy, now: datetime | None) -> float:
    """The deadline weight times the hours its deadline is overdue (negative: hours still left)."""
    if now is None or needs.due is None or not policy.weights.deadline:
        return 0.0
    return policy.weights.deadline * (now - needs.due).total_seconds() / 3600


def _why_waiting(needs: JobNeeds, technicians: Sequence[TechnicianState],
                 policy: DispatchPolicy) -> Union[Backlog, Escalate]:
    ranking = rank(needs, technicians, policy)
    return Backlog(ranking) if ranking else Escalate(nobody_because(needs, technicians))
