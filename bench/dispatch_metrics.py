"""What the dispatch simulator reports per policy: assign and resolve times, SLA breaches, walking, balance."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from bench.dispatch_world import Day
from domain.values import Priority


@dataclass(frozen=True)
class Outcome:
    """One ticket under one policy (assign is None where a policy has no moment of assigning)."""

    day: int
    priority: Priority
    assign: float | None
    resolve: float
    km: float
    technician: int | None
    breach: bool  # missed any of its SLA deadlines (bench/dispatch_sla.py)


@dataclass(frozen=True)
class Summary:
    tickets: int
    assign_mean: float | None
    assign_p95: float | None
    resolve_mean: float
    resolve_p95: float
    breaches: int
    km_per_day: float
    gini: float | None


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def gini(counts: list[int]) -> float:
    """0: every technician did as many jobs; towards 1: one did them all."""
    ordered, n = sorted(counts), len(counts)
    total = sum(ordered)
    if total == 0:
        return 0.0
    return sum((2 * i - n + 1) * x for i, x in enumerate(ordered)) / (n * total)


def summarise(outcomes: list[Outcome], days: list[Day], resolve_mean: float | None = None,
              balance: bool = True) -> Summary:
    """Over all tickets of all days. Load balance: the Gini of jobs per technician on the roster that day,
    averaged over days. `resolve_mean` overrides the mean (the lower bound's is not a per-ticket mean)."""
    resolve = [o.resolve for o in outcomes]
    assign = [o.assign for o in outcomes if o.assign is not None]
    ginis = []
    for index, day in enumerate(days):
        jobs = {t.id: 0 for t in day.technicians if t.shifts and t.shifts[0][0] < 1440}
        for o in outcomes:
            if o.day == index and o.technician in jobs:
                jobs[o.technician] += 1
        ginis.append(gini(list(jobs.values())))
    return Summary(
        len(outcomes), sum(assign) / len(assign) if assign else None, p95(assign) if assign else None,
        resolve_mean if resolve_mean is not None else sum(resolve) / len(resolve), p95(resolve),
        sum(o.breach for o in outcomes), sum(o.km for o in outcomes) / len(days),
        sum(ginis) / len(ginis) if balance else None)


BREACH_MINUTES = 10080.0  # what a breach costs in tuning and in the breach-first offline plan: a week's wait


def objective(s: Summary) -> float:
    """What tuning minimises, per ticket: its time to resolve plus a week for a breach, so breaches come first
    and the mean only decides between settings with as many (the breach-first offline plan's cost). Mean +
    10 minutes per percentage point of breaches, the earlier objective, let ~1 minute of mean buy a breach on
    the tuning days and did not carry over."""
    return s.resolve_mean + BREACH_MINUTES * s.breaches / s.tickets


def rows(named: Iterable[tuple[str, Summary]]) -> list[str]:
    def num(v: float | None, digits: int = 0) -> str:
        return "—" if v is None else f"{v:.{digits}f}"

    lines = ["| policy | time to assign, mean / p95 (min) | time to resolve, mean / p95 (min) | SLA breaches "
             "| walked per day (km) | load balance (Gini of jobs per technician) |", "|---|---|---|---|---|---|"]
    for name, s in named:
        lines.append(f"| {name} | {num(s.assign_mean)} / {num(s.assign_p95)} | {num(s.resolve_mean)} / "
                     f"{num(s.resolve_p95)} | {s.breaches} ({100 * s.breaches / s.tickets:.1f} %) | "
                     f"{num(s.km_per_day, 1)} | {num(s.gini, 2)} |")
    return lines
