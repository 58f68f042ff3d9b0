"""Who should take a job: candidates scored feature by feature, best first, with the breakdown staff see."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterable

from domain.dispatch.geo import haversine_km, mean_distance_km
from domain.dispatch.model import DispatchPolicy, JobNeeds, TechnicianState, is_available
from domain.people import Person

FEATURES = ("skill", "zone", "load", "distance", "fairness")
_SIGN = {"skill": 1.0, "zone": 1.0, "load": -1.0, "distance": -1.0, "fairness": -1.0}


@dataclass(frozen=True)
class Feature:
    """One line of "why": the feature's value (0/1, jobs or km), its weight and the points it gave."""

    name: str
    value: float
    weight: float

    @property
    def points(self) -> float:
        return _SIGN[self.name] * self.weight * self.value


@dataclass(frozen=True)
class Candidate:
    technician: TechnicianState
    score: float
    features: tuple[Feature, ...]
    has_room: bool = True  # below the policy's capacity

    @property
    def person_id(self) -> int | None:
        return self.technician.id

    def feature(self, name: str) -> Feature:
        return next(f for f in self.features if f.name == name)


def distance_km(needs: JobNeeds, technician: TechnicianState, policy: DispatchPolicy) -> float:
    if needs.coordinates is None:
        return 0.0  # a job with no place on the map (a shared area): distance tells nobody apart
    if technician.position is None:
        # Nobody knows where they are: neutral, i.e. the job's mean distance from the estate's buildings, as if
        # they stood at any of them. Neither a bonus for being unknown nor a penalty for not sharing a location.
        return mean_distance_km(needs.coordinates, policy.sites)
    return haversine_km(technician.position, needs.coordinates)


def score(needs: JobNeeds, technician: TechnicianState, policy: DispatchPolicy) -> Candidate:
    """The technician's score for the job; assumes they have the skill (rank() filters the rest)."""
    w, person = policy.weights, technician.person
    values = {"skill": 1.0, "zone": 1.0 if person.covers(needs.category, needs.building) else 0.0,
              "load": float(technician.open_jobs), "distance": distance_km(needs, technician, policy),
              "fairness": float(technician.done_today)}
    features = tuple(Feature(name, values[name], getattr(w, name)) for name in FEATURES)
    return Candidate(technician, sum(f.points for f in features), features,
                     technician.open_jobs < policy.capacity_for(needs.priority))


class PassedOver(str, Enum):
    """Why a technician is not among a job's candidates: what staff see beside their name when assigning."""

    DECLINED = "declined"  # declined it, or let an assignment of it lapse
    OFF_DUTY = "off_duty"  # off duty, or their account is deactivated
    NO_SKILL = "no_skill"


def passed_over(needs: JobNeeds, person: Person) -> PassedOver | None:
    """The reason rank() leaves this technician out (None: it does not). Declining comes first: it is the one
    staff most need to see before they insist."""
    if person.id in needs.declined_by:
        return PassedOver.DECLINED
    if not is_available(person):
        return PassedOver.OFF_DUTY
    if not person.has_skill(needs.category):
        return PassedOver.NO_SKILL
    return None


def is_candidate(needs: JobNeeds, technician: TechnicianState) -> bool:
    return passed_over(needs, technician.person) is None


def _order(candidate: Candidate) -> tuple[float, int, float, int, float, str]:
    # Ties go to the lighter load, then the nearer, then the fewer jobs today, then the lower id: the same
    # inputs always give the same order. Scores are rounded so float noise never decides.
    t = candidate.technician
    pid = math.inf if t.id is None else float(t.id)
    return (-round(candidate.score, 9), t.open_jobs, round(candidate.feature("distance").value, 9), t.done_today,
            pid, t.person.name)


def rank(needs: JobNeeds, technicians: Iterable[TechnicianState], policy: DispatchPolicy) -> tuple[Candidate, ...]:
    """Technicians on duty with the skill who have not declined the job, best first. Empty: escalate."""
    return tuple(sorted((score(needs, t, policy) for t in technicians if is_candidate(needs, t)), key=_order))


def with_load(technician: TechnicianState, extra: int) -> TechnicianState:
    """The same technician holding `extra` more jobs: how a batch scores a second or third job for them."""
    return replace(technician, open_jobs=technician.open_jobs + extra)
