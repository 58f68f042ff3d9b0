"""The planned-tickets repository in memory, with the SQL one's compare-and-set (tests/fakes.py wires it in)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Callable, Iterator

from domain.planning import PlannedTicket


@dataclass
class PlanTables:
    rows: dict[int, PlannedTicket] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))


class FakePlanRepository:
    def __init__(self, tables: PlanTables, table: Callable[[dict[Any, Any]], Any]) -> None:
        self._tables = tables
        self._rows = table(tables.rows)

    def add(self, plan: PlannedTicket) -> PlannedTicket:
        stored = replace(plan, id=next(self._tables.ids))
        self._rows.put(stored.id, stored)
        return stored

    def get(self, plan_id: int) -> PlannedTicket | None:
        return self._rows.get(plan_id)

    def upcoming(self, estate_id: str) -> list[PlannedTicket]:
        found = [p for p in self._rows.rows() if p.estate_id == estate_id and p.pending]
        return sorted(found, key=lambda p: (p.due_on, p.id or 0))

    def due(self, today: date) -> list[PlannedTicket]:
        return sorted((p for p in self._rows.rows() if p.pending and p.due_on <= today),
                      key=lambda p: (p.due_on, p.id or 0))

    def cancel(self, plan_id: int, at: datetime) -> bool:
        return self._set_if_pending(plan_id, cancelled_at=at)

    def mark_opened(self, plan_id: int, ticket_id: int, at: datetime) -> bool:
        return self._set_if_pending(plan_id, opened_ticket_id=ticket_id, opened_at=at)

    def _set_if_pending(self, plan_id: int, **values: Any) -> bool:
        # The committed row decides, as the SQL UPDATE ... WHERE pending sees another writer's commit.
        plan = self._tables.rows.get(plan_id) if plan_id not in self._rows.pending else self._rows.get(plan_id)
        if plan is None or not plan.pending:
            return False
        self._rows.put(plan_id, replace(plan, **values))
        return True
