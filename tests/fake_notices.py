"""The notices repository in memory, with the SQL one's semantics (tests/fakes.py wires it into the unit of work)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Iterator

from domain.incidents import Notice


@dataclass
class NoticeTables:
    rows: dict[int, Notice] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))


class FakeNoticeRepository:
    def __init__(self, tables: NoticeTables, table: Callable[[dict[Any, Any]], Any]) -> None:
        self._tables = tables
        self._rows = table(tables.rows)

    def add(self, notice: Notice) -> Notice:
        stored = replace(notice, id=next(self._tables.ids))
        self._rows.put(stored.id, stored)
        return stored

    def get(self, notice_id: int) -> Notice | None:
        return self._rows.get(notice_id)

    def active(self, estate_id: str, now: datetime) -> list[Notice]:
        found = [n for n in self._rows.rows() if n.estate_id == estate_id and n.active(now)]
        return sorted(found, key=lambda n: (n.created_at, n.id or 0), reverse=True)

    def end(self, notice_id: int, at: datetime) -> None:
        notice = self._rows.get(notice_id)
        if notice is not None and notice.ended_at is None:
            self._rows.put(notice_id, replace(notice, ended_at=at))
