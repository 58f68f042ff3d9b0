"""SQL building blocks for the stats reader: durations per dialect, percentiles by window functions, buckets."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, extract, func, literal, or_, select
from sqlalchemy.orm import Session

from domain.insight import Spread
from storage.models import TicketRow

OPEN = ("submitted", "awaiting_dispatch", "assigned", "in_progress", "on_hold", "awaiting_confirmation")
AWAITING_RESPONSE = ("submitted", "awaiting_dispatch", "assigned")


def hours(dialect: str, end: Any, start: Any) -> ColumnElement[float]:
    """end - start in hours, to the second, NULL when either is NULL."""
    if dialect == "sqlite":  # julianday() is a float of days: round its error away at the second
        return func.round((func.julianday(end) - func.julianday(start)) * 86400.0) / 3600.0
    return extract("epoch", end - start) / 3600.0


def spreads(session: Session, keyed: Select[Any]) -> dict[Any, Spread]:
    """For a select of (k, h) rows: per k the count, the median and p90 of h, computed by the database.

    Follows domain.insight.spread: the median of the middle one or two values, p90 the ceil(0.9 n)-th value
    (ceil by integer arithmetic, which SQLite and PostgreSQL share)."""
    inner = keyed.subquery()
    k, h = inner.c.k, inner.c.h
    ranked = select(k, h, func.row_number().over(partition_by=k, order_by=h).label("rn"),
                    func.count().over(partition_by=k).label("n")).where(h.is_not(None)).subquery()
    rn, n = ranked.c.rn, ranked.c.n
    rows = session.execute(select(ranked.c.k, func.max(n),
                                  func.avg(case((or_(rn == (n + 1) // 2, rn == (n + 2) // 2), ranked.c.h))),
                                  func.max(case((rn == (9 * n + 9) // 10, ranked.c.h))))
                           .group_by(ranked.c.k))
    return {key: Spread(int(count), _float(median), _float(p90)) for key, count, median, p90 in rows}


def bucket(column: Any, edges: list[datetime]) -> ColumnElement[int]:
    """The index of the trend point a moment falls in; edges are each point's start, ascending."""
    if len(edges) < 2:
        return literal(0)
    return case(*((column < edge, i) for i, edge in enumerate(edges[1:])), else_=len(edges) - 1)


def compliance(event: Any, due: Any, now: datetime) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(met, missed) sums: missed is late, or not yet though due (a cancelled ticket owes nothing)."""
    met = func.sum(case((and_(event.is_not(None), due.is_not(None), event <= due), 1), else_=0))
    late = and_(event.is_not(None), event > due)
    owed = and_(event.is_(None), due < now, TicketRow.status != "cancelled")
    missed = func.sum(case((and_(due.is_not(None), or_(late, owed)), 1), else_=0))
    return met, missed


def overdue(now: datetime) -> ColumnElement[bool]:
    """domain.sla.is_overdue in SQL: a deadline that still matters has passed."""
    t = TicketRow
    response = and_(or_(t.status.in_(AWAITING_RESPONSE[:2]), and_(t.status == "assigned", t.accepted_at.is_(None))),
                    t.response_due_at < now)
    arrival = and_(t.status.in_(AWAITING_RESPONSE), t.started_at.is_(None), t.arrival_due_at.is_not(None),
                   t.arrival_due_at < now)
    resolution = and_(t.status.in_(OPEN), t.status != "awaiting_confirmation", t.resolution_due_at < now)
    return or_(response, arrival, resolution)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
