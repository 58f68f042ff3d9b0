"""Recurring problems in SQL: domain.recurrence.groups as one GROUP BY ... HAVING, read in the stats snapshot."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from domain.recurrence import Recurrence, RecurrencePolicy, order
from domain.values import Category, Location
from storage.models import TicketRow

T = TicketRow


def _norm(column: Any) -> ColumnElement[str]:
    """domain.recurrence._norm: NULL is blank, spaces trimmed, lower case."""
    return func.lower(func.trim(func.coalesce(column, "")))


def asset_columns() -> list[ColumnElement[Any]]:
    """domain.recurrence.asset_key: a home is its flat (any room of it), a common area is its area of the unit."""
    which = case((T.common_area.is_(True), T.area), else_=T.room)
    return [T.estate_id, _norm(T.building), _norm(T.unit), T.common_area, _norm(which), T.category]


def recurring(s: Session, estate_id: str, policy: RecurrencePolicy, now: datetime) -> list[Recurrence]:
    """Assets and categories with at least `threshold` counted tickets reported in [now - window, now]."""
    if not policy.enabled:
        return []
    key = asset_columns()
    found = s.execute(select(func.count(T.id), func.max(T.id)).where(
        T.estate_id == estate_id, T.parent_id.is_(None), T.status != "cancelled",  # domain.recurrence.counts
        T.created_at >= now - policy.window, T.created_at <= now)
        .group_by(*key).having(func.count(T.id) >= policy.threshold)).all()
    if not found:
        return []
    latest = {row.id: row for row in s.execute(
        select(T.id, T.building, T.unit, T.room, T.area, T.common_area, T.category)
        .where(T.id.in_([last for _, last in found])))}
    out = []
    for n, last in found:
        row = latest[last]
        out.append(Recurrence(estate_id, Location(row.building, row.unit, row.room, row.area, bool(row.common_area)),
                              Category(row.category), int(n), int(last), now))
    return order(out)
