"""The dispatch simulator keeps its own rules: same seed same day, everything resolved, bounds that bound, the
bot's own SLA and rounds."""
from __future__ import annotations

import dataclasses

import pytest

from app.bootstrap import sla_from_config
from app.config import DEFAULT_CONFIG, load_config
from app.dispatch import dispatch_policy, solve_assignment
from bench.dispatch_drivers import Dispatcher, Greedy, RoundRobin
from bench.dispatch_engine import Sim
from bench.dispatch_metrics import gini, p95
from bench.dispatch_offline import _Schedule, best_plan, lower_bound, mean_bound
from bench.dispatch_sla import START, midnight
from bench.dispatch_world import make_day
from domain.values import Priority

CONFIG = load_config(DEFAULT_CONFIG)
POLICY = dispatch_policy(CONFIG)
BUILDINGS = {b.id: b.coordinates for b in CONFIG.estate.buildings if b.coordinates}
SLA = sla_from_config(CONFIG)[0]
ACCEPT = {p: float(m) for p, m in CONFIG.dispatch.accept_minutes.items()}
DAYS = {"ordinary": make_day(7, 0, BUILDINGS, SLA, midnight(0, CONFIG.timezone)),
        "storm": make_day(8, 4, BUILDINGS, SLA, midnight(4, CONFIG.timezone))}
DRIVERS = {"round-robin": lambda: RoundRobin(POLICY), "greedy": lambda: Greedy(POLICY),
           "ours": lambda: Dispatcher(POLICY, solve_assignment)}


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str], Sim]:
    return {(d, p): Sim(day, make(), ACCEPT).run() for d, day in DAYS.items() for p, make in DRIVERS.items()}


def test_the_same_seed_makes_the_same_day_and_a_storm_day_has_more_tickets() -> None:
    assert make_day(7, 0, BUILDINGS, SLA, midnight(0, CONFIG.timezone)) == DAYS["ordinary"]
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
        assert all(job.done_at >= bound[tid][2] - 1e-6 and job.on_site_at >= bound[tid][1] - 1e-6
                   and job.responded_at >= bound[tid][0] - 1e-6 for tid, job in sim.jobs.items())
        mean = sum(j.done_at - j.ticket.arrival for j in sim.jobs.values()) / len(sim.jobs)
        assert mean >= mean_bound(DAYS[day], bound) - 1e-6


def test_the_offline_plan_is_no_worse_than_the_schedules_it_starts_from(runs) -> None:
    day = DAYS["storm"]
    starts = [{pid: w.started for pid, w in runs[("storm", p)].workers.items()} for p in DRIVERS]
    schedule = _Schedule(day, 0.0)
    plan = best_plan(day, starts, 0.0, shuffles=1)
    assert schedule.total(plan.sequences) <= min(schedule.total(s) for s in starts) + 1e-6
    assert sorted(t for seq in plan.sequences.values() for t in seq) == sorted(t.id for t in day.tickets)


def test_gini_and_p95_on_known_values() -> None:
    assert gini([3, 3, 3]) == 0.0 and gini([0, 0, 0, 9]) == pytest.approx(0.75)
    assert p95(list(range(1, 101))) == 95


def test_deadlines_come_from_config_yml_with_business_hours_for_normal_jobs() -> None:
    day = DAYS["ordinary"]  # day 0 is START, a Monday
    assert START.weekday() == 0
    urgent = next(t for t in day.tickets if t.priority is Priority.URGENT)
    assert day.due[urgent.id].resolution == pytest.approx(urgent.arrival + CONFIG.sla.resolution_minutes[Priority.URGENT])
    evening = next(t for t in day.tickets if t.priority is Priority.NORMAL and t.arrival > 18 * 60)
    # Reported after 18:00: its 4 working hours of response start at 08:00 the next morning.
    assert day.due[evening.id].response == pytest.approx(1440 + 8 * 60 + CONFIG.sla.response_minutes[Priority.NORMAL])


def test_our_dispatcher_runs_a_round_on_every_event_so_a_freed_technician_is_given_the_backlog_at_once() -> None:
    # Late binding (capacity 1) only pays if a round comes the moment someone frees up, not minutes later.
    late = dataclasses.replace(POLICY, capacity=1, capacities={})
    sim = Sim(DAYS["storm"], Dispatcher(late, solve_assignment), ACCEPT).run()
    done = {round(j.done_at, 6) for j in sim.jobs.values()}
    assert any(round(j.started_at, 6) in done and j.accepted_at == j.started_at for j in sim.jobs.values())
    assert all(j.pool_until is None for j in sim.jobs.values())
