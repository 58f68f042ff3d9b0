"""The dispatch simulator's world: the estate from config.yml, a roster with shifts, and seeded days of tickets.

Times are minutes from midnight of the simulated day (a night shift starts at -180, 21:00 the evening before).
Everything random about a ticket is drawn once, from the day's seed, when the day is made: when it arrives,
where, what and how urgent, how long the work takes, which technicians would decline it if it were pushed to
them and which would leave the push unanswered (it lapses), and how soon each would claim it from a pool if
idle. So every policy meets exactly the same day. Its SLA deadlines come from the domain (bench/dispatch_sla.py).
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime

from bench.dispatch_sla import Due, deadlines
from domain.dispatch import Coordinates, haversine_km
from domain.people import ALL_ZONES
from domain.sla import SlaPolicy
from domain.values import Category as C, Priority

WALK_M_PER_MIN = 75.0  # 4.5 km/h
DETOUR = 1.3  # paths go round buildings: walked distance ~1.3x the straight line
DECLINE_P = 0.06  # chance a technician declines a job pushed to them
SILENT_P = 0.03  # chance they neither accept nor decline it: it lapses after config.yml's accept_minutes
CLAIM_P = 0.8  # chance an idle technician offered a pool job claims it
DAYS_AHEAD = 5  # shifts repeat this many days, so a day's last tickets still get done
STORM_DAYS = frozenset({4, 13})  # of a run's 20 days (0-based): a storm in the afternoon

LEFT, RIGHT, ALL = frozenset("123456"), frozenset({"7", "8", "9", "10", "11", "12", "B"}), frozenset({ALL_ZONES})
EARLY, DAY, LATE, NIGHT = (420, 900), (510, 1050), (720, 1260), (-180, 420)
# (id, name, skills, zones, shift): nine technicians; the night one is on call from 21:00 to 07:00.
ROSTER = [
    (1, "张师傅", {C.PLUMBING, C.ELECTRICAL}, LEFT, EARLY),
    (2, "刘师傅", {C.HVAC, C.ELEVATOR}, ALL, DAY),
    (3, "陈师傅", {C.PLUMBING, C.CIVIL}, RIGHT, DAY),
    (4, "周师傅", {C.DOORS_WINDOWS, C.ACCESS_SECURITY, C.CIVIL}, ALL, DAY),
    (5, "Mike Zhou", {C.FIRE_SAFETY, C.GAS, C.ELECTRICAL}, ALL, LATE),
    (6, "吴师傅", {C.CIVIL, C.OTHER, C.DOORS_WINDOWS, C.PLUMBING, C.ACCESS_SECURITY}, ALL, LATE),
    (7, "王师傅", {C.PLUMBING, C.ELECTRICAL, C.HVAC, C.ELEVATOR}, LEFT, (780, 1260)),
    (8, "黄师傅", {C.PLUMBING, C.ELECTRICAL, C.CIVIL}, RIGHT, EARLY),
    (9, "赵师傅", {C.PLUMBING, C.ELECTRICAL, C.GAS, C.FIRE_SAFETY, C.OTHER}, ALL, NIGHT),
]
ON_CALL = 9  # never on a day off, or nights would have nobody

# Share of tickets, mean minutes of work, and the chance of urgent / low, per category.
MIX = {C.PLUMBING: (28, 45, .12, .15), C.ELECTRICAL: (18, 40, .12, .15), C.DOORS_WINDOWS: (12, 35, .05, .25),
       C.CIVIL: (9, 100, .05, .25), C.HVAC: (10, 70, .05, .25), C.ELEVATOR: (6, 80, .30, .10),
       C.ACCESS_SECURITY: (7, 30, .08, .15), C.OTHER: (6, 30, .05, .25), C.GAS: (2, 45, .50, .05),
       C.FIRE_SAFETY: (2, 40, .40, .05)}
STORM_MIX = {C.PLUMBING: 35, C.CIVIL: 30, C.ELECTRICAL: 20, C.DOORS_WINDOWS: 10, C.OTHER: 5}
STORM_URGENT, STORM_TICKETS, STORM_HOURS = 0.35, 45, (14, 19)
# Reports per hour of the day on an ordinary day (about 31): quiet nights, a peak when people wake up (the
# night's reports plus these make the morning backlog) and another in the evening.
HOURLY = [.4, .3, .3, .3, .3, .5, 1.2, 2.6, 2.6, 1.6, 1.4, 1.2, 1.0, 1.0, 1.2, 1.2, 1.4, 1.8, 2.2, 2.2, 1.8, 1.3,
          .8, .6]
SHARED_AREA_P = 0.06  # the car park, the gate: no building


@dataclass(frozen=True)
class Technician:
    id: int
    name: str
    skills: frozenset[C]
    zones: frozenset[str]
    shifts: tuple[tuple[float, float], ...]  # on-duty windows, in order


@dataclass(frozen=True)
class SimTicket:
    id: int
    arrival: float
    category: C
    priority: Priority
    building: str | None
    place: int  # index into Day.places: the building's, or the estate's centre for a shared area
    service: float
    decliners: frozenset[int]
    claim_after: dict[int, float]  # technician -> minutes until they would claim it from a pool, if idle
    silent: frozenset[int] = frozenset()  # would let a push of it lapse


@dataclass(frozen=True)
class Day:
    seed: int
    storm: bool
    tickets: tuple[SimTicket, ...]
    technicians: tuple[Technician, ...]
    places: tuple[Coordinates, ...]  # buildings, then the estate's centre (the office, where shifts start)
    walk: tuple[tuple[float, ...], ...]  # minutes between places
    due: dict[int, Due] = field(default_factory=dict)  # ticket -> its SLA deadlines (make_day with an SLA)

    @property
    def office(self) -> int:
        return len(self.places) - 1

    def km(self, a: int, b: int) -> float:
        return self.walk[a][b] * WALK_M_PER_MIN / 1000


def make_day(seed: int, index: int, buildings: dict[str, Coordinates], sla: SlaPolicy | None = None,
             day_start: datetime | None = None) -> Day:
    """Day `index` of a run (storms on STORM_DAYS); with `sla` and `day_start` (its midnight), its deadlines."""
    rng = random.Random(seed)
    ids = sorted(buildings, key=lambda b: (len(b), b))
    places = [buildings[b] for b in ids]
    places.append((sum(p[0] for p in places) / len(places), sum(p[1] for p in places) / len(places)))
    walk = tuple(tuple(haversine_km(a, b) * 1000 * DETOUR / WALK_M_PER_MIN for b in places) for a in places)
    off = rng.choice([t[0] for t in ROSTER if t[0] != ON_CALL])
    technicians = tuple(_technician(t, off) for t in ROSTER)
    storm = index in STORM_DAYS
    draws = _arrivals(rng, storm)
    tickets = tuple(_ticket(rng, i + 1, at, stormy, ids, technicians) for i, (at, stormy) in enumerate(draws))
    quiet = random.Random(seed * 7919 + 1)  # its own stream, so the draws above are as they always were
    tickets = tuple(_with_silent(quiet, t, technicians) for t in tickets)
    due = deadlines({t.id: (t.arrival, t.priority) for t in tickets}, sla, day_start) if sla and day_start else {}
    return Day(seed, storm, tickets, technicians, tuple(places), walk, due)


def _with_silent(rng: random.Random, ticket: SimTicket, technicians: tuple[Technician, ...]) -> SimTicket:
    silent = frozenset(t.id for t in technicians if rng.random() < SILENT_P and t.id not in ticket.decliners)
    return SimTicket(**{**ticket.__dict__, "silent": silent})


def _technician(row: tuple, off: int) -> Technician:
    pid, name, skills, zones, (start, end) = row
    days = range(1 if pid == off else 0, DAYS_AHEAD)
    return Technician(pid, name, frozenset(skills), frozenset(zones),
                      tuple((start + 1440 * d, end + 1440 * d) for d in days))


def _arrivals(rng: random.Random, storm: bool) -> list[tuple[float, bool]]:
    times = [(h * 60 + rng.random() * 60, False) for h, rate in enumerate(HOURLY) for _ in range(_poisson(rng, rate))]
    if storm:
        lo, hi = STORM_HOURS
        times += [(rng.uniform(lo * 60, hi * 60), True) for _ in range(_poisson(rng, STORM_TICKETS))]
    return sorted(times)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method; fine for the small means here.
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k, p = k + 1, p * rng.random()
    return k


def _ticket(rng: random.Random, tid: int, at: float, stormy: bool, ids: list[str],
            technicians: tuple[Technician, ...]) -> SimTicket:
    mix = STORM_MIX if stormy else {c: v[0] for c, v in MIX.items()}
    category = rng.choices(list(mix), weights=list(mix.values()))[0]
    _, mean, urgent, low = MIX[category]
    urgent = STORM_URGENT if stormy else urgent
    roll = rng.random()
    priority = Priority.URGENT if roll < urgent else Priority.LOW if roll < urgent + low else Priority.NORMAL
    place = len(ids) if rng.random() < SHARED_AREA_P else rng.randrange(len(ids))
    sigma = 0.5
    service = max(10.0, rng.lognormvariate(math.log(mean) - sigma ** 2 / 2, sigma))
    decliners = frozenset(t.id for t in technicians if rng.random() < DECLINE_P)
    claim_after = {t.id: rng.uniform(1, 8) for t in technicians if rng.random() < CLAIM_P and t.id not in decliners}
    return SimTicket(tid, at, category, priority, ids[place] if place < len(ids) else None, place, service,
                     decliners, claim_after)
