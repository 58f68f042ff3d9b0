"""Which reminders and escalations a ticket is owed now, decided from its deadlines and its own timeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.lifecycle import Action
from domain.sla import SlaPolicy, pending_deadlines
from domain.ticket import Ticket, TicketEvent
from domain.values import Priority

MANAGER = "manager"  # the note suffix of a second-level escalation: "response:manager"
_OPENINGS = (Action.OPEN, Action.REOPEN)


@dataclass(frozen=True)
class AlertPolicy:
    """When the scheduler reminds, escalates a second time, confirms for a silent owner, and follows up ratings."""

    remind_before: timedelta = timedelta(minutes=30)
    # Minutes after a breach (on the priority's clock) before the manager is told; a priority left out: never.
    manager_after_minutes: dict[Priority, int] = field(default_factory=dict)
    auto_confirm_after: timedelta = timedelta(hours=72)
    low_rating: int = 2  # ratings of this many stars or fewer are followed up by staff


@dataclass(frozen=True)
class Alert:
    action: Action  # REMIND or ESCALATE
    note: str       # the deadline, and for the manager's level ":manager"

    @property
    def level(self) -> int:
        return 2 if self.note.endswith(":" + MANAGER) else 1


def since_last_opening(timeline: list[TicketEvent]) -> list[TicketEvent]:
    """The events since the ticket was last opened or reopened: a reopened ticket starts its alerts afresh."""
    starts = [i for i, e in enumerate(timeline) if e.action in _OPENINGS]
    return timeline[starts[-1]:] if starts else timeline


def alerts_due(ticket: Ticket, timeline: list[TicketEvent], now: datetime, sla: SlaPolicy,
               policy: AlertPolicy) -> list[Alert]:
    """The alerts owed at `now` that the timeline does not show as given yet; each is given once."""
    given = {Alert(e.action, e.note) for e in since_last_opening(timeline)
             if e.action in (Action.REMIND, Action.ESCALATE)}
    owed: list[Alert] = []
    for deadline, due in pending_deadlines(ticket):
        if now > due:
            owed.append(Alert(Action.ESCALATE, deadline.value))
            after = policy.manager_after_minutes.get(ticket.priority)
            if after is not None and now > sla.later(ticket.priority, due, after):
                owed.append(Alert(Action.ESCALATE, f"{deadline.value}:{MANAGER}"))
        elif ticket.technician_id is not None and now >= due - policy.remind_before:
            owed.append(Alert(Action.REMIND, deadline.value))
    return [a for a in owed if a not in given]
