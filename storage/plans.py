"""Planned tickets in SQL; a plan is opened or cancelled only by a compare-and-set on its pending state."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.planning import PlannedTicket
from domain.values import Category, Location
from storage.models import PlannedTicketRow

P = PlannedTicketRow
PENDING = (P.opened_ticket_id.is_(None), P.cancelled_at.is_(None))


class SqlPlanRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, plan: PlannedTicket) -> PlannedTicket:
        where = plan.location
        row = P(estate_id=plan.estate_id, building=where.building, unit=where.unit, room=where.room, area=where.area,
                common_area=where.common_area, category=plan.category.value, due_on=plan.due_on, note=plan.note,
                created_by=plan.created_by, created_at=plan.created_at, source_ticket_id=plan.source_ticket_id)
        self.session.add(row)
        self.session.flush()
        return _from_row(row)

    def get(self, plan_id: int) -> PlannedTicket | None:
        row = self.session.get(P, plan_id, populate_existing=True)
        return _from_row(row) if row else None

    def upcoming(self, estate_id: str) -> list[PlannedTicket]:
        rows = self.session.scalars(select(P).where(P.estate_id == estate_id, *PENDING).order_by(P.due_on, P.id))
        return [_from_row(r) for r in rows]

    def due(self, today: date) -> list[PlannedTicket]:
        rows = self.session.scalars(select(P).where(P.due_on <= today, *PENDING).order_by(P.due_on, P.id))
        return [_from_row(r) for r in rows]

    def cancel(self, plan_id: int, at: datetime) -> bool:
        return self._set_if_pending(plan_id, cancelled_at=at)

    def mark_opened(self, plan_id: int, ticket_id: int, at: datetime) -> bool:
        return self._set_if_pending(plan_id, opened_ticket_id=ticket_id, opened_at=at)

    def _set_if_pending(self, plan_id: int, **values: object) -> bool:
        """On PostgreSQL a second writer waits for the first's row lock, then finds the row no longer pending."""
        result = self.session.execute(update(P).where(P.id == plan_id, *PENDING).values(**values)
                                      .execution_options(synchronize_session=False))
        return result.rowcount == 1  # type: ignore[attr-defined]


def _from_row(row: PlannedTicketRow) -> PlannedTicket:
    where = Location(row.building, row.unit, row.room, row.area, row.common_area)
    return PlannedTicket(row.estate_id, where, Category(row.category), row.due_on, row.note, row.created_by,
                         row.created_at, row.source_ticket_id, row.id, row.cancelled_at, row.opened_ticket_id,
                         row.opened_at)
