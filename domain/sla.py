"""Service levels: when a ticket is due, and whether it is overdue."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.lifecycle import Status
from domain.ticket import Ticket
from domain.values import Priority

_AWAITING_RESPONSE = (Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED)


@dataclass(frozen=True)
class SlaPolicy:
    response_minutes: dict[Priority, int]
    resolution_minutes: dict[Priority, int]

    def response_due(self, priority: Priority, opened_at: datetime) -> datetime:
        return opened_at + timedelta(minutes=self.response_minutes[priority])

    def resolution_due(self, priority: Priority, opened_at: datetime) -> datetime:
        return opened_at + timedelta(minutes=self.resolution_minutes[priority])


def response_overdue(ticket: Ticket, now: datetime) -> bool:
    """No technician has taken the job on (claimed or accepted) and the response time has passed."""
    awaiting = ticket.status in _AWAITING_RESPONSE and not (ticket.status is Status.ASSIGNED and ticket.accepted_at)
    return awaiting and now > ticket.response_due_at


def resolution_overdue(ticket: Ticket, now: datetime) -> bool:
    # Once the technician reports it done, the wait is the owner's, not the team's.
    return ticket.status.is_open and ticket.status is not Status.AWAITING_CONFIRMATION \
        and now > ticket.resolution_due_at


def is_overdue(ticket: Ticket, now: datetime) -> bool:
    return response_overdue(ticket, now) or resolution_overdue(ticket, now)
