"""The dispatch simulator keeps its own rules: same seed same day, everything resolved, bounds that bound."""
from __future__ import annotations

import pytest

from app.config import DEFAULT_CONFIG, load_config
from app.dispatch import dispatch_policy, solve_assignment
from bench.dispatch_drivers import Dispatcher, Greedy, RoundRobin
from bench.dispatch_engine import Sim
from bench.dispatch_metrics import gini, p95
from bench.dispatch_offline import _Schedule, best_plan, lower_bound, mean_bound
from bench.dispatch_world import make_day

CONFIG = load_config(DEFAULT_CONFIG)
POLICY = dispatch_policy(CONFIG)
BUILDINGS = {b.id: b.coordinates for b in CONFIG.estate.buildings if b.coordinates}
SLA = {p: float(m) for p, m in CONFIG.sla.resolution_minutes.items()}
DAYS = {"ordinary": make_day(7, 0, BUILDINGS), "storm": make_day(8, 4, BUILDINGS)}
DRIVERS = {"round-robin": lambda: RoundRobin(POLICY), "greedy": lambda: Greedy(POLICY),
           "ours": lambda: Dispatcher(POLICY, solve_assignment)}


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], Sim]:
    return {(d, p): Sim(day, make()).run() for d, day in DAYS.items() for p, make in DRIVERS.items()}


def test_the_same_seed_makes_the_same_day_and_a_storm_day_has_more_tickets() -> None:
    assert make_day(7, 0, BUILDINGS) == DAYS["ordinary"]
    assert DAYS["storm"].storm and len(DAYS["storm"].tickets) > len(DAYS["ordinary"].tickets) + 20


def test_every_ticket_is_resolved_under_every_policy(runs) -> None:
    for sim in runs.values():
        assert all(job.done_at is not None and job.done_at >= job.ticket.arrival for job in sim.jobs.values())


def test_a_technician_works_one_job_at_a_time_and_starts_only_on_duty(runs) -> None:
    for (day, _), sim in runs.items():
        for tech in DAYS[day].technicians:
            jobs = sorted((sim.jobs[t] for t in sim.workers[tech.id].started), key=lambda j: j.started_at)
            assert all(a.done_at <= b.started_at + 1e-9 for a, b in zip(jobs, jobs[1:]))
            assert all(any(s <= j.started_at < e for s, e in tech.shifts) for j in jobs)
            assert all(j.ticket.category in tech.skills for j in jobs)


def test_no_policy_resolves_a_ticket_sooner_than_the_lower_bound_allows(runs) -> None:
    for (day, _), sim in runs.items():
        bound = lower_bound(DAYS[day])
        assert all(job.done_at >= bound[tid] - 1e-6 for tid, job in sim.jobs.items())
        mean = sum(j.done_at - j.ticket.arrival for j in sim.jobs.values()) / len(sim.jobs)
        assert mean >= mean_bound(DAYS[day], bound) - 1e-6


def test_the_offline_plan_is_no_worse_than_the_schedules_it_starts_from(runs) -> None:
    day = DAYS["storm"]
    starts = [{pid: w.started for pid, w in runs[("storm", p)].workers.items()} for p in DRIVERS]
    schedule = _Schedule(day, SLA, 0.0)
    plan = best_plan(day, starts, SLA, 0.0, shuffles=1)
    assert schedule.total(plan.sequences) <= min(schedule.total(s) for s in starts) + 1e-6
    assert sorted(t for seq in plan.sequences.values() for t in seq) == sorted(t.id for t in day.tickets)


def test_gini_and_p95_on_known_values() -> None:
    assert gini([3, 3, 3]) == 0.0 and gini([0, 0, 0, 9]) == pytest.approx(0.75)
    assert p95(list(range(1, 101))) == 95
