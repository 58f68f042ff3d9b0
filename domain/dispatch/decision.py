"""What to do with one job now: assign, offer a claim, leave it to staff, wait for capacity, or escalate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Sequence, Union

from domain.dispatch.model import DispatchPolicy, JobNeeds, Mode, TechnicianState, is_available
from domain.dispatch.ranking import Candidate, rank


class EscalationReason(str, Enum):
    NOBODY_ON_DUTY = "nobody_on_duty"
    NOBODY_WITH_SKILL = "nobody_with_skill"  # technicians are on duty, but none has the category's skill
    EVERYONE_DECLINED = "everyone_declined"  # every skilled technician on duty declined it


@dataclass(frozen=True)
class AssignTo:
    candidate: Candidate
    ranking: tuple[Candidate, ...]  # everyone considered, best first: the "why" staff can see


@dataclass(frozen=True)
class OfferPool:
    candidates: tuple[Candidate, ...]  # the top N with room, who may claim (抢单) it
    until: datetime  # then decide(..., pool_expired=True) assigns the best


@dataclass(frozen=True)
class LeaveToStaff:
    ranking: tuple[Candidate, ...]


@dataclass(frozen=True)
class Backlog:
    """Every candidate already holds as many jobs as the policy allows: the ticket waits for the next batch."""

    ranking: tuple[Candidate, ...]


@dataclass(frozen=True)
class Escalate:
    reason: EscalationReason  # staff are told; the ticket stays open and waits, it is never dropped


Decision = Union[AssignTo, OfferPool, LeaveToStaff, Backlog, Escalate]


def nobody_because(needs: JobNeeds, technicians: Sequence[TechnicianState]) -> EscalationReason:
    """Why rank() found nobody."""
    on_duty = [t.person for t in technicians if is_available(t.person)]
    if not on_duty:
        return EscalationReason.NOBODY_ON_DUTY
    if not any(p.has_skill(needs.category) for p in on_duty):
        return EscalationReason.NOBODY_WITH_SKILL
    return EscalationReason.EVERYONE_DECLINED


def decide(needs: JobNeeds, technicians: Sequence[TechnicianState], policy: DispatchPolicy, now: datetime,
           pool_expired: bool = False) -> Decision:
    """The job's mode (per category and priority) applied to its ranking. `pool_expired`: a claim offer ran
    out unclaimed, so a pool job is now assigned like an auto one; so is a pool or manual job near its deadline
    (policy.assign_before_due)."""
    ranking = rank(needs, technicians, policy)
    if not ranking:
        return Escalate(nobody_because(needs, technicians))
    mode = policy.mode_now(needs, now)
    if mode is Mode.MANUAL:
        return LeaveToStaff(ranking)
    with_room = tuple(c for c in ranking if c.has_room)
    if not with_room:
        return Backlog(ranking)
    if mode is Mode.POOL and not pool_expired:
        return OfferPool(with_room[:policy.pool_size], now + policy.pool_time)
    return AssignTo(with_room[0], ranking)
