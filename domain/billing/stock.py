"""Parts stock (物料申领): draws against a ticket never take the shelf below zero; what is missing is recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from domain.billing.catalog import Part


class MoveKind(str, Enum):
    USED = "used"  # recorded at /done
    REQUISITION = "requisition"  # asked for with /requisition
    RECEIVED = "received"  # staff put stock on the shelf
    COUNTED = "counted"  # staff set the level after a count


@dataclass(frozen=True)
class StockMove:
    """One change of a part's level: `requested` asked for, `before` -> `after` on the shelf, `shortfall` missing."""

    part_code: str
    kind: MoveKind
    requested: int
    before: int
    after: int
    at: datetime
    actor_id: int | None
    ticket_id: int | None = None
    low_at: int | None = None  # the part's alert level when the move was made
    id: int | None = None

    @property
    def taken(self) -> int:
        return self.before - self.after

    @property
    def shortfall(self) -> int:
        return max(0, self.requested - self.taken) if self.kind in (MoveKind.USED, MoveKind.REQUISITION) else 0


def take(stock: int, wanted: int) -> int:
    """How much of `wanted` the shelf can give: never more than is there."""
    return max(0, min(stock, wanted))


def alert_level(part: Part, default_low: int) -> int:
    return part.low_at if part.low_at is not None else default_low


def crossed_low(move: StockMove) -> bool:
    """The draw took the part down to its alert level: told once, as it crosses it, not at every draw after."""
    return move.low_at is not None and move.before > move.low_at >= move.after
