"""The staff's morning digest: yesterday's new tickets, breaches and ratings, and what is open and overdue now."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from domain.lifecycle import Action
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.sla import Deadline, is_overdue

DEADLINES = frozenset(d.value for d in Deadline)  # a first-level breach; dispatch escalates with other notes


@dataclass(frozen=True)
class Digest:
    day: date                      # the local day the daily figures cover: yesterday
    new: int                       # reported that day
    open: int                      # open now
    overdue: int                   # past a deadline now
    breached: int                  # tickets that breached a deadline that day (their first escalation)
    average_rating: float | None   # of the ratings given that day
    rated: int


def daily_digest(uow: UnitOfWork, clock: Clock, estate_id: str, tz: tzinfo) -> Digest:
    """The figures for the local day before `clock.now()` in `tz`, and the state of things now."""
    now = clock.now()
    today = now.astimezone(tz).date()
    start, end = (datetime.combine(d, time(0), tz).astimezone(timezone.utc) for d in (today - timedelta(days=1), today))
    with uow:
        tickets = uow.tickets.find(TicketFilter(estate_id=estate_id, limit=0))
        alive = [t for t in tickets if t.id is not None and t.created_at < end
                 and (t.closed_at is None or t.closed_at >= start or t.status.is_open)]
        breached = sum(1 for t in alive if any(
            e.action is Action.ESCALATE and e.note in DEADLINES and start <= e.at < end
            for e in uow.tickets.timeline(t.id or 0)))
    ratings = [t.rating for t in tickets if t.rating and t.closed_at and start <= t.closed_at < end]
    return Digest(
        day=today - timedelta(days=1), new=sum(1 for t in tickets if start <= t.created_at < end),
        open=sum(1 for t in tickets if t.status.is_open), overdue=sum(1 for t in tickets if is_overdue(t, now)),
        breached=breached, rated=len(ratings),
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None)
