"""The storage the fee and stock use cases need, and the settings they obey."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.billing.bill import Bill
from domain.billing.catalog import LabourRate, Part
from domain.billing.ledger import LedgerEntry
from domain.billing.stock import StockMove
from domain.values import Category


@dataclass(frozen=True)
class BillingPolicy:
    warranty: timedelta = timedelta(days=90)
    low_stock: int = 3  # a part's alert level when the catalog gives it none


class CatalogRepository(Protocol):
    def parts(self) -> list[Part]: ...
    def part(self, code: str) -> Part | None: ...
    def put_part(self, part: Part) -> None:
        """Add or replace a part's description and price; its stock level changes only through moves."""
    def rates(self) -> list[LabourRate]: ...
    def rate(self, category: Category) -> LabourRate | None: ...
    def put_rate(self, rate: LabourRate) -> None: ...
    def draw(self, code: str, wanted: int) -> tuple[int, int]:
        """Take up to `wanted` off the shelf atomically (never below zero): (before, after)."""
    def set_level(self, code: str, level: int) -> tuple[int, int]:
        """Set the shelf to `level` (a count), or with level < 0 nothing: (before, after)."""
    def add_move(self, move: StockMove) -> StockMove: ...
    def moves(self, since: datetime | None = None, ticket_id: int | None = None) -> list[StockMove]: ...


class BillRepository(Protocol):
    def add(self, bill: Bill) -> None:
        """Store a new version; versions are never changed or removed."""
    def versions(self, ticket_id: int) -> list[Bill]: ...


class LedgerRepository(Protocol):
    def append(self, entry: LedgerEntry) -> LedgerEntry:
        """The only write: entries are never updated or deleted."""
    def for_ticket(self, ticket_id: int) -> list[LedgerEntry]: ...
    def since(self, at: datetime) -> list[LedgerEntry]: ...
