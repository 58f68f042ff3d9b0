"""Service levels: a ticket's deadlines (response, arrival, resolution), their clocks, and whether each is met."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from domain.business_hours import BusinessHours
from domain.lifecycle import Status
from domain.ticket import Ticket
from domain.values import Priority

_AWAITING_RESPONSE = (Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED)


class Deadline(str, Enum):
    RESPONSE = "response"      # a technician has claimed or accepted the job
    ARRIVAL = "arrival"        # the work has begun on site
    RESOLUTION = "resolution"  # the technician reports it done (the wait is then the owner's)


@dataclass(frozen=True)
class SlaPolicy:
    """Minutes per priority to each deadline. Priorities in `business_priorities` count working minutes of
    `business_hours` only; the others (urgent, as shipped) run on a 24/7 clock."""

    response_minutes: dict[Priority, int]
    resolution_minutes: dict[Priority, int]
    arrival_minutes: dict[Priority, int] = field(default_factory=dict)  # none: no arrival deadline
    business_hours: BusinessHours | None = None
    business_priorities: frozenset[Priority] = frozenset()

    def later(self, priority: Priority, start: datetime, minutes: float) -> datetime:
        """`minutes` after `start` on the priority's clock."""
        if self.business_hours is not None and priority in self.business_priorities:
            return self.business_hours.add(start, minutes)
        return start + timedelta(minutes=minutes)

    def response_due(self, priority: Priority, opened_at: datetime) -> datetime:
        return self.later(priority, opened_at, self.response_minutes[priority])

    def arrival_due(self, priority: Priority, opened_at: datetime) -> datetime | None:
        minutes = self.arrival_minutes.get(priority)
        return self.later(priority, opened_at, minutes) if minutes is not None else None

    def resolution_due(self, priority: Priority, opened_at: datetime) -> datetime:
        return self.later(priority, opened_at, self.resolution_minutes[priority])

    def start_clocks(self, ticket: Ticket, at: datetime) -> None:
        """Fresh deadlines from `at`: when a ticket is opened, and again when it is reopened."""
        ticket.response_due_at = self.response_due(ticket.priority, at)
        ticket.arrival_due_at = self.arrival_due(ticket.priority, at)
        ticket.resolution_due_at = self.resolution_due(ticket.priority, at)


def due_at(ticket: Ticket, deadline: Deadline) -> datetime | None:
    return {Deadline.RESPONSE: ticket.response_due_at, Deadline.ARRIVAL: ticket.arrival_due_at,
            Deadline.RESOLUTION: ticket.resolution_due_at}[deadline]


def pending(ticket: Ticket, deadline: Deadline) -> bool:
    """The deadline still matters: what it promises has not happened and the ticket is still the team's."""
    if deadline is Deadline.RESPONSE:
        return ticket.status in _AWAITING_RESPONSE and not (ticket.status is Status.ASSIGNED and ticket.accepted_at)
    if deadline is Deadline.ARRIVAL:
        return ticket.status in _AWAITING_RESPONSE and ticket.started_at is None \
            and ticket.arrival_due_at is not None
    # Once the technician reports it done, the wait is the owner's, not the team's.
    return ticket.status.is_open and ticket.status is not Status.AWAITING_CONFIRMATION


def pending_deadlines(ticket: Ticket) -> list[tuple[Deadline, datetime]]:
    """The deadlines that still matter, in the order they fall due."""
    found = [(d, due_at(ticket, d)) for d in Deadline if pending(ticket, d)]
    return sorted(((d, when) for d, when in found if when is not None), key=lambda p: p[1])


def breached(ticket: Ticket, deadline: Deadline, now: datetime) -> bool:
    when = due_at(ticket, deadline)
    return when is not None and pending(ticket, deadline) and now > when


def response_overdue(ticket: Ticket, now: datetime) -> bool:
    """No technician has taken the job on (claimed or accepted) and the response time has passed."""
    return breached(ticket, Deadline.RESPONSE, now)


def resolution_overdue(ticket: Ticket, now: datetime) -> bool:
    return breached(ticket, Deadline.RESOLUTION, now)


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    return any(breached(ticket, d, now) for d in Deadline)
