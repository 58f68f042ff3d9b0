"""What dispatch looks at: the job's needs, each technician's state, and the policy built from config."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Iterable, Mapping

from domain.dispatch.geo import Coordinates
from domain.estate import Estate
from domain.lifecycle import Action
from domain.people import Person, Role
from domain.sla import pending_deadlines
from domain.ticket import Ticket, TicketEvent
from domain.values import Category, Priority


class Mode(str, Enum):
    AUTO = "auto"  # assign the best candidate at once
    POOL = "pool"  # offer the top N a claim (抢单) for a while, then assign the best
    MANUAL = "manual"  # staff assign, seeing the ranking


@dataclass(frozen=True)
class JobNeeds:
    """What a ticket asks of a technician; `coordinates` are its building's (None: a shared area or unknown)."""

    category: Category
    priority: Priority
    building: str | None = None
    coordinates: Coordinates | None = None
    ticket_id: int | None = None
    declined_by: frozenset[int] = frozenset()  # technicians who declined it: never offered it again
    due: datetime | None = None  # its earliest SLA deadline still open (None: none known)


@dataclass(frozen=True)
class TechnicianState:
    """A technician as dispatch sees them now. `position` is where they were last known to be: the building of
    their last job, or a location they shared; None when nobody knows."""

    person: Person
    open_jobs: int = 0
    done_today: int = 0
    position: Coordinates | None = None

    @property
    def id(self) -> int | None:
        return self.person.id


@dataclass(frozen=True)
class Weights:
    """Points per unit of each feature: skill and zone add, the others subtract."""

    skill: float = 1.0  # a match, 0 or 1 (only matches are candidates, so it explains rather than ranks)
    zone: float = 1.0  # the building in their zones, 0 or 1
    load: float = 0.1  # per open job
    distance: float = 5.0  # per km from their last known position
    fairness: float = 0.0  # per job already done today
    # Per hour nearer its deadline, for the job rather than the technician: it never reorders one job's
    # candidates, it only decides which waiting jobs a batch serves first when there are fewer free hands.
    deadline: float = 0.0


@dataclass(frozen=True)
class DispatchPolicy:
    weights: Weights = Weights()
    modes: Mapping[Priority, Mode] = field(default_factory=lambda: {p: Mode.AUTO for p in Priority})
    category_modes: Mapping[Category, Mapping[Priority, Mode]] = field(default_factory=dict)
    pool_size: int = 3
    pool_time: timedelta = timedelta(minutes=10)
    capacity: int = 3  # open jobs a technician holds at most; past it a ticket waits for the next batch
    # A priority's own limit, e.g. more for urgent jobs: one is better promised to the best technician (who
    # takes it next, urgent first) than kept waiting until someone's queue is short enough.
    capacities: Mapping[Priority, int] = field(default_factory=dict)
    sites: tuple[Coordinates, ...] = ()  # the buildings' coordinates: the neutral distance is measured on them
    # A pool or manual job this near its response deadline is assigned at once like an auto one: a claim takes
    # minutes and staff a quarter of an hour, which a deadline falling as the only skilled shift starts has not.
    # None: never.
    assign_before_due: timedelta | None = None

    def capacity_for(self, priority: Priority) -> int:
        """Open jobs a technician may hold and still be given a job of this priority."""
        return self.capacities.get(priority, self.capacity)

    def mode_for(self, category: Category, priority: Priority) -> Mode:
        """The category's own mode for this priority if it has one, else the priority's."""
        return self.category_modes.get(category, {}).get(priority, self.modes.get(priority, Mode.AUTO))

    def mode_now(self, needs: JobNeeds, now: datetime) -> Mode:
        """The job's mode, or auto once its deadline is within `assign_before_due`."""
        mode = self.mode_for(needs.category, needs.priority)
        limit = self.assign_before_due
        near = limit is not None and needs.due is not None and needs.due - now <= limit
        return Mode.AUTO if near else mode


def is_available(person: Person) -> bool:
    return person.role is Role.TECHNICIAN and person.active and person.on_duty


def needs_of(ticket: Ticket, estate: Estate, declined_by: Iterable[int] = ()) -> JobNeeds:
    """A ticket's needs, with its building's coordinates from the estate."""
    building = estate.building(ticket.location.building) if ticket.location.building else None
    due = pending_deadlines(ticket)
    return JobNeeds(ticket.category, ticket.priority, building.id if building else ticket.location.building,
                    building.coordinates if building else None, ticket.id, frozenset(declined_by),
                    due[0][1] if due else None)


def decliners(timeline: Iterable[TicketEvent]) -> frozenset[int]:
    """Everyone who declined the ticket, from its audit trail."""
    return frozenset(e.actor_id for e in timeline if e.action is Action.DECLINE and e.actor_id is not None)
