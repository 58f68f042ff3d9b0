"""In-memory fakes of the catalog, bill and ledger repositories, over FakeStore tables (tests/fakes.py)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterator

from domain.billing.bill import Bill
from domain.billing.catalog import LabourRate, Part
from domain.billing.errors import UnknownPart
from domain.billing.ledger import LedgerEntry
from domain.billing.stock import StockMove, take
from domain.values import Category

if TYPE_CHECKING:
    from tests.fakes import _Table


@dataclass
class BillingTables:
    """The committed rows; FakeStore holds one."""

    parts: dict[str, Part] = field(default_factory=dict)
    rates: dict[str, LabourRate] = field(default_factory=dict)
    moves: dict[int, StockMove] = field(default_factory=dict)
    bills: dict[tuple[int, int], Bill] = field(default_factory=dict)
    ledger: dict[int, LedgerEntry] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))


class FakeCatalogRepository:
    def __init__(self, tables: BillingTables, table: Any) -> None:
        self._ids = tables.ids
        self._parts: _Table = table(tables.parts)
        self._rates: _Table = table(tables.rates)
        self._moves: _Table = table(tables.moves)

    def parts(self) -> list[Part]:
        return self._parts.rows()

    def part(self, code: str) -> Part | None:
        return self._parts.get(code)

    def put_part(self, part: Part) -> None:
        stored = self._parts.get(part.code)
        self._parts.put(part.code, replace(part, stock=stored.stock) if stored else part)

    def rates(self) -> list[LabourRate]:
        return self._rates.rows()

    def rate(self, category: Category) -> LabourRate | None:
        return self._rates.get(category.value)

    def put_rate(self, rate: LabourRate) -> None:
        self._rates.put(rate.category.value, rate)

    def draw(self, code: str, wanted: int) -> tuple[int, int]:
        part = self._known(code)
        return self._level(part, part.stock - take(part.stock, wanted))

    def set_level(self, code: str, level: int) -> tuple[int, int]:
        return self._level(self._known(code), max(0, level))

    def add_move(self, move: StockMove) -> StockMove:
        move = replace(move, id=next(self._ids))
        self._moves.put(move.id, move)
        return move

    def moves(self, since: datetime | None = None, ticket_id: int | None = None) -> list[StockMove]:
        return [m for m in self._moves.rows() if (since is None or m.at >= since)
                and (ticket_id is None or m.ticket_id == ticket_id)]

    def _known(self, code: str) -> Part:
        part = self._parts.get(code)
        if part is None:
            raise UnknownPart(f"no part {code}", part=code)
        return part

    def _level(self, part: Part, after: int) -> tuple[int, int]:
        self._parts.put(part.code, replace(part, stock=after))
        return part.stock, after


class FakeBillRepository:
    def __init__(self, tables: BillingTables, table: Any) -> None:
        self._rows: _Table = table(tables.bills)

    def add(self, bill: Bill) -> None:
        if self._rows.exists((bill.ticket_id, bill.version)):  # the unique constraint
            raise ValueError(f"bill {bill.ticket_id} v{bill.version} exists")
        self._rows.put((bill.ticket_id, bill.version), bill)

    def versions(self, ticket_id: int) -> list[Bill]:
        return [b for b in self._rows.rows() if b.ticket_id == ticket_id]


class FakeLedgerRepository:
    def __init__(self, tables: BillingTables, table: Any) -> None:
        self._ids = tables.ids
        self._rows: _Table = table(tables.ledger)

    def append(self, entry: LedgerEntry) -> LedgerEntry:
        if entry.charge_id and any(e.charge_id == entry.charge_id for e in self._rows.rows()):
            raise ValueError(f"duplicate charge id {entry.charge_id}")  # the table's unique constraint
        entry = replace(entry, id=next(self._ids))
        self._rows.put(entry.id, entry)
        return entry

    def for_ticket(self, ticket_id: int) -> list[LedgerEntry]:
        return [e for e in self._rows.rows() if e.ticket_id == ticket_id]

    def since(self, at: datetime) -> list[LedgerEntry]:
        return [e for e in self._rows.rows() if e.at >= at]
