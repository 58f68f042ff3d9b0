"""SQL building blocks for the stats reader: durations per dialect, trend buckets, deadlines kept, overdue."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, literal, or_

from storage.models import TicketRow

OPEN = ("submitted", "awaiting_dispatch", "assigned", "in_progress", "on_hold", "awaiting_confirmation")
AWAITING_RESPONSE = ("submitted", "awaiting_dispatch", "assigned")


def hours(dialect: str, end: Any, start: Any) -> ColumnElement[float]:
    """end - start in hours, to the second, NULL when either is NULL."""
    if dialect == "sqlite":  # julianday() is a float of days: round its error away at the second
        return func.round((func.julianday(end) - func.julianday(start)) * 86400.0) / 3600.0
    return func.round(extract("epoch", end - start)) / 3600.0  # as SQLite: both engines give the same figures


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

