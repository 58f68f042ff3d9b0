"""Dispatch's adapters: the policy from config.yml, and scipy's assignment solver behind domain's Solver port."""
from __future__ import annotations

from datetime import timedelta
from typing import Sequence

from scipy.optimize import linear_sum_assignment

from app.config import Config
from domain.dispatch import DispatchPolicy, Weights
from domain.usecases.dispatching import DispatchSettings


def solve_assignment(costs: list[list[float]]) -> Sequence[tuple[int, int]]:
    """The minimum-cost assignment of a rectangular matrix (Hungarian / Jonker-Volgenant, in scipy)."""
    if not costs or not costs[0]:
        return []
    rows, cols = linear_sum_assignment(costs)
    return list(zip(rows.tolist(), cols.tolist()))


def dispatch_policy(config: Config) -> DispatchPolicy:
    """config.yml's dispatch section, with the estate's buildings as the map the neutral distance is taken on."""
    d = config.dispatch
    return DispatchPolicy(
        weights=Weights(**d.weights.model_dump()),
        modes=dict(d.modes),
        category_modes={c: dict(m) for c, m in d.category_modes.items()},
        pool_size=d.pool_size,
        pool_time=timedelta(minutes=d.pool_minutes),
        capacity=d.capacity,
        capacities=dict(d.capacities),
        sites=tuple(b.coordinates for b in config.estate.buildings if b.coordinates is not None),
        assign_before_due=(None if d.assign_before_due_minutes is None
                           else timedelta(minutes=d.assign_before_due_minutes)),
    )


def dispatch_settings(config: Config) -> DispatchSettings:
    d = config.dispatch
    return DispatchSettings(dispatch_policy(config), solve_assignment,
                            {p: timedelta(minutes=m) for p, m in d.accept_minutes.items()},
                            timedelta(seconds=d.round_seconds), float(d.check_in_radius_m))
