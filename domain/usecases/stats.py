"""Statistics for staff: volumes, SLA performance, ratings and rework over a period."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from domain.lifecycle import Status
from domain.ports import Clock, TicketFilter, UnitOfWork
from domain.sla import is_overdue
from domain.ticket import Ticket
from domain.usecases.queries import _staff


@dataclass(frozen=True)
class Stats:
    since: datetime
    total: int
    by_status: dict[Status, int]
    by_category: dict[str, int]
    responded_in_time: float | None  # share of answered tickets someone accepted before the response deadline
    median_hours_to_done: float | None
    average_rating: float | None
    rated: int
    reworked: int
    overdue_now: int


def ticket_stats(uow: UnitOfWork, clock: Clock, actor_id: int, days: int = 30) -> Stats:
    with uow:
        estate_id = _staff(uow, actor_id).estate_id
        now = clock.now()
        since = now - timedelta(days=days)
        tickets = uow.tickets.find(TicketFilter(estate_id=estate_id, since=since, limit=0))
    answered = [t for t in tickets if t.accepted_at is not None]
    done_hours = [(t.completed_at - t.created_at).total_seconds() / 3600 for t in tickets if t.completed_at]
    ratings = [t.rating for t in tickets if t.rating]
    return Stats(
        since=since, total=len(tickets), by_status=dict(Counter(t.status for t in tickets)),
        by_category=dict(Counter(t.category.value for t in tickets)),
        responded_in_time=_share(answered, lambda t: t.accepted_at <= t.response_due_at),  # type: ignore[operator]
        median_hours_to_done=round(median(done_hours), 1) if done_hours else None,
        average_rating=round(sum(ratings) / len(ratings), 2) if ratings else None, rated=len(ratings),
        reworked=sum(1 for t in tickets if t.rework_count), overdue_now=sum(1 for t in tickets if is_overdue(t, now)),
    )


def _share(tickets: list[Ticket], test) -> float | None:  # type: ignore[no-untyped-def]
    return round(sum(1 for t in tickets if test(t)) / len(tickets), 3) if tickets else None
