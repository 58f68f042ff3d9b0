"""`make dispatch-bench` (issue #10): the dispatcher against round-robin, greedy and offline references.

Seeded simulated days (bench/dispatch_world.py) run through the engine (bench/dispatch_engine.py) under each
policy (bench/dispatch_drivers.py); the offline references (bench/dispatch_offline.py) see each whole day in
advance. The weights are tuned on TUNE_SEEDS and everything is reported on REPORT_SEEDS, which tuning never
sees. Writes docs/benchmarks.md between the dispatch-bench markers.
"""
from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import time
from datetime import timedelta
from typing import Callable

from app.config import load_config
from app.dispatch import dispatch_policy, solve_assignment
from bench.dispatch_drivers import Dispatcher, Greedy, RoundRobin
from bench.dispatch_engine import Sim
from bench.dispatch_metrics import BREACH_MINUTES, Outcome, Summary, objective, summarise
from bench.dispatch_offline import best_plan, lower_bound, mean_bound
from bench.dispatch_report import render, write
from bench.dispatch_sla import midnight
from bench.dispatch_world import Day, make_day
from app.bootstrap import sla_from_config
from domain.dispatch import DispatchPolicy, Mode
from domain.values import Priority

TUNE_SEEDS = range(1000, 1040)  # 40 days: tuning only
REPORT_SEEDS = range(2000, 2060)  # 60 days: the table
BREACHES_FIRST = BREACH_MINUTES  # what a breach costs the breach-aware offline plan: more than any wait saves
# Zones are not tuned: the simulator knows nothing they stand for beyond distance (who knows the building's
# plant, holds its keys, answers for it), so it would always drop them.
GRID = {"load": [0.1, 0.25, 0.5, 1.0, 2.0, 4.0], "distance": [0.0, 2.0, 5.0, 10.0, 20.0],
        "fairness": [0.0, 0.1, 0.3, 1.0], "deadline": [0.0, 0.1, 0.3, 1.0, 3.0], "capacity": [1, 2, 3, 4],
        "urgent_capacity": [0, 2, 3, 4, 6, 9],  # 0: as `capacity`
        "assign_before_due": [0, 15, 30, 60]}  # minutes; 0: never

_WORLD: dict = {}  # set in the parent before the pool forks: the days, the SLA


def make_days(seeds: range, buildings: dict, config) -> list[Day]:  # type: ignore[no-untyped-def]
    """Day i of the run falls on the calendar's i-th day (bench/dispatch_sla.py), with config.yml's SLA."""
    sla = sla_from_config(config)[0]
    return [make_day(seed, i % 20, buildings, sla, midnight(i, config.timezone)) for i, seed in enumerate(seeds)]


def driver_for(kind: str, policy: DispatchPolicy):
    return {"rr": lambda: RoundRobin(policy), "greedy": lambda: Greedy(policy),
            "ours": lambda: Dispatcher(policy, solve_assignment)}[kind]()


def _simulate(job: tuple[str, DispatchPolicy, str, int]) -> tuple[list[Outcome], dict[int, list[int]]]:
    kind, policy, which, index = job
    day = _WORLD[which][index]
    sim = Sim(day, driver_for(kind, policy), _WORLD["accept"]).run()
    # A job never accepted (past the roster's end) waits for ever, as one never done never resolves.
    outcomes = [Outcome(index, j.ticket.priority,
                        (j.accepted_at if j.accepted_at is not None else float("inf")) - j.ticket.arrival,
                        (j.done_at if j.done_at is not None else float("inf")) - j.ticket.arrival, j.km, j.done_by,
                        day.due[j.ticket.id].missed(j.responded_at, j.on_site_at, j.done_at))
                for j in sim.jobs.values()]
    return outcomes, {pid: w.started for pid, w in sim.workers.items()}


def _offline(job: tuple[int, list[dict[int, list[int]]]]) -> tuple[list[Outcome], list[Outcome], float]:
    index, starts = job
    day = _WORLD["report"][index]
    plans = [best_plan(day, starts, penalty) for penalty in (0.0, BREACHES_FIRST)]
    found = [[Outcome(index, t.priority, None, p.done[t.id] - t.arrival, p.km[t.id], p.done_by[t.id],
                      day.due[t.id].missed(p.response[t.id], p.on_site[t.id], p.done[t.id])) for t in day.tickets]
             for p in plans]
    bound = lower_bound(day)
    floor = [Outcome(index, t.priority, None, bound[t.id][2] - t.arrival, 0.0, None,
                     day.due[t.id].missed(*bound[t.id])) for t in day.tickets]
    return found[0] + found[1], floor, mean_bound(day, bound) * len(day.tickets)


class Runner:
    def __init__(self, pool) -> None:
        self.pool = pool

    def run(self, kind: str, policy: DispatchPolicy, which: str) -> tuple[list[Outcome], list[dict]]:
        results = self.pool.map(_simulate, [(kind, policy, which, i) for i in range(len(_WORLD[which]))])
        return [o for outcomes, _ in results for o in outcomes], [starts for _, starts in results]

    def summary(self, kind: str, policy: DispatchPolicy, which: str) -> Summary:
        return summarise(self.run(kind, policy, which)[0], _WORLD[which])


def with_setting(policy: DispatchPolicy, name: str, value: float) -> DispatchPolicy:
    if name == "capacity":
        return dataclasses.replace(policy, capacity=int(value))
    if name == "urgent_capacity":
        rest = {p: c for p, c in policy.capacities.items() if p is not Priority.URGENT}
        return dataclasses.replace(policy, capacities={**rest, **({Priority.URGENT: int(value)} if value else {})})
    if name == "assign_before_due":
        return dataclasses.replace(policy, assign_before_due=timedelta(minutes=value) if value else None)
    return dataclasses.replace(policy, weights=dataclasses.replace(policy.weights, **{name: value}))


def tune(runner: Runner, start: DispatchPolicy, log: Callable[[str], None]) -> tuple[DispatchPolicy, float, float]:
    """Coordinate search on the tuning days: each setting in turn over its grid, twice round."""
    best, best_score = start, objective(runner.summary("ours", start, "tune"))
    first = best_score
    for _ in range(2):
        for name, values in GRID.items():
            for value in values:
                candidate = with_setting(best, name, value)
                if candidate == best:
                    continue
                score = objective(runner.summary("ours", candidate, "tune"))
                if score < best_score - 1e-9:
                    best, best_score = candidate, score
                    log(f"  tuning: {name}={value} -> {score:.1f}")
    return best, first, best_score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tune", action="store_true", help="skip tuning (report config.yml's weights only)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args()
    started = time.perf_counter()
    config = load_config()
    policy = dispatch_policy(config)
    buildings = {b.id: b.coordinates for b in config.estate.buildings if b.coordinates}
    _WORLD.update(tune=make_days(TUNE_SEEDS, buildings, config), report=make_days(REPORT_SEEDS, buildings, config),
                  accept={p: float(m) for p, m in config.dispatch.accept_minutes.items()})
    with multiprocessing.get_context("fork").Pool(2) as pool:
        runner = Runner(pool)
        tuned = tune(runner, policy, print) if not args.no_tune else None
        print(f"tuned in {time.perf_counter() - started:.0f} s")
        report = measure(runner, policy, pool)
    storms = frozenset(i for i, day in enumerate(_WORLD["report"]) if day.storm)
    markdown = render(policy, tuned, *report, (TUNE_SEEDS, REPORT_SEEDS), len(buildings), config, storms,
                      time.perf_counter() - started)
    print(markdown)
    if not args.no_write:
        write(markdown)


def measure(runner: Runner, policy: DispatchPolicy, pool) -> tuple[dict[str, Summary], dict[str, list[Outcome]]]:
    """Every policy and reference on the report days: the summaries, and the outcomes behind them."""
    days = _WORLD["report"]
    auto = dataclasses.replace(policy, modes={p: Mode.AUTO for p in Priority}, category_modes={})
    named, kept, starts = {}, {}, []
    for name, kind, pol in [("round-robin", "rr", policy), ("greedy by score", "greedy", policy),
                            ("our dispatcher (config.yml)", "ours", policy),
                            ("our dispatcher, every mode auto", "ours", auto)]:
        outcomes, realised = runner.run(kind, pol, "report")
        named[name], kept[name] = summarise(outcomes, days), outcomes
        starts.append(realised)
    print("online policies done; offline plans next")
    offline = pool.map(_offline, [(i, [s[i] for s in starts]) for i in range(len(days))])
    half = [len(d.tickets) for d in days]
    mean_only = [o for (found, _, _), n in zip(offline, half) for o in found[:n]]
    breach_aware = [o for (found, _, _), n in zip(offline, half) for o in found[n:]]
    floor = [o for _, f, _ in offline for o in f]
    named["offline plan, least mean time to resolve"] = summarise(mean_only, days)
    kept["offline plan, least mean time to resolve"] = mean_only
    named["offline plan, fewest breaches first"] = summarise(breach_aware, days)
    named["lower bound"] = summarise(floor, days, sum(b for _, _, b in offline) / len(floor), balance=False)
    return named, kept


if __name__ == "__main__":
    main()
