"""Small builders for the dispatch tests: technicians, jobs, a policy, and a brute-force solver."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from domain.dispatch import Coordinates, DispatchPolicy, JobNeeds, Mode, TechnicianState, Weights
from domain.people import ALL_ZONES, Person, Role
from domain.values import Category, Priority

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
# Three spots on the estate's map, about 85 m apart along one row (buildings 1, 2 and 3 of config.yml).
B1, B2, B3 = (31.2300, 121.4700), (31.2300, 121.4709), (31.2300, 121.4718)
SITES = (B1, B2, B3)


def tech(pid: int, skills: set[Category] = frozenset({Category.PLUMBING}), zones: set[str] = frozenset({ALL_ZONES}),
         open_jobs: int = 0, done_today: int = 0, position: Coordinates | None = B1,
         on_duty: bool = True) -> TechnicianState:
    person = Person(f"tech{pid}", Role.TECHNICIAN, "sunrise", id=pid, skills=frozenset(skills),
                    zones=frozenset(zones), on_duty=on_duty)
    return TechnicianState(person, open_jobs, done_today, position)


def job(category: Category = Category.PLUMBING, priority: Priority = Priority.NORMAL, building: str | None = "1",
        at: Coordinates | None = B1, declined_by: frozenset[int] = frozenset(), ticket_id: int = 1,
        due: datetime | None = None) -> JobNeeds:
    return JobNeeds(category, priority, building, at, ticket_id, declined_by, due)


def policy(zone: float = 1.0, load: float = 1.0, distance: float = 1.0, fairness: float = 0.0,
           capacity: int = 3, modes: dict[Priority, Mode] | None = None,
           category_modes: dict[Category, dict[Priority, Mode]] | None = None, deadline: float = 0.0,
           capacities: dict[Priority, int] | None = None) -> DispatchPolicy:
    return DispatchPolicy(Weights(1.0, zone, load, distance, fairness, deadline),
                          modes or {p: Mode.AUTO for p in Priority}, category_modes or {},
                          pool_size=2, pool_time=timedelta(minutes=10), capacity=capacity, sites=SITES,
                          capacities=capacities or {})


def brute_force(costs: list[list[float]]) -> list[tuple[int, int]]:
    """The exact minimum-cost assignment by trying every one: the Solver port's contract, for tiny matrices."""
    rows, cols = len(costs), len(costs[0]) if costs else 0
    if rows <= cols:
        best = min(itertools.permutations(range(cols), rows), key=lambda p: sum(costs[i][p[i]] for i in range(rows)))
        return [(i, best[i]) for i in range(rows)]
    best = min(itertools.permutations(range(rows), cols), key=lambda p: sum(costs[p[j]][j] for j in range(cols)))
    return sorted((best[j], j) for j in range(cols))
