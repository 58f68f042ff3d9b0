"""What staff learn from a period's tickets: the figures a stats reader computes, and the percentiles they use."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from domain.periods import Period

FUNNEL = ("reported", "assigned", "started", "done", "confirmed", "rated")  # how far the period's tickets got
DEADLINES = ("response", "arrival", "resolution")


@dataclass(frozen=True)
class Spread:
    """Hours from one moment to another over many tickets: the median, and p90 by nearest rank."""

    count: int = 0
    median: float | None = None
    p90: float | None = None


def spread(hours: list[float]) -> Spread:
    """The reference definition the SQL follows: median of the middle one or two, p90 the ceil(0.9n)-th value."""
    if not hours:
        return Spread()
    ordered, n = sorted(hours), len(hours)
    middle = (ordered[(n + 1) // 2 - 1] + ordered[(n + 2) // 2 - 1]) / 2
    return Spread(n, middle, ordered[ceil(0.9 * n) - 1])


@dataclass(frozen=True)
class Compliance:
    """Deadlines kept among those decided: the promised thing happened in time (met), late, or not yet though due."""

    met: int = 0
    missed: int = 0

    @property
    def share(self) -> float | None:
        return self.met / (self.met + self.missed) if self.met + self.missed else None


@dataclass(frozen=True)
class TrendPoint:
    start: datetime
    reported: int
    assign: Spread
    resolve: Spread


@dataclass(frozen=True)
class TechnicianLine:
    technician_id: int
    name: str
    jobs: int
    resolved: int
    resolve: Spread
    average_rating: float | None
    rated: int
    reworked: int

    @property
    def rework_rate(self) -> float | None:
        return self.reworked / self.jobs if self.jobs else None


@dataclass(frozen=True)
class Deflection:
    """Self-help suggestions for a category: shown, and how they ended (settled by the owner, or a repair after all)."""

    category: str
    shown: int
    deflected: int
    needed_repair: int

    @property
    def rate(self) -> float | None:
        decided = self.deflected + self.needed_repair
        return self.deflected / decided if decided else None


@dataclass(frozen=True)
class Fees:
    """The money of the period's tickets, read from the ledger: each billed ticket's newest version, what was paid,
    and how many bills the owner questioned."""

    billed: int = 0  # tickets with a bill
    due_fen: int = 0  # what their newest versions ask of owners (a common area or warranty asks nothing)
    paid_fen: int = 0
    disputed: int = 0  # tickets whose bill the owner questioned at least once

    @property
    def unpaid_fen(self) -> int:
        return max(0, self.due_fen - self.paid_fen)


@dataclass(frozen=True)
class PartUse:
    """A part drawn from the shelf for the period's tickets (at /done or by requisition), and its value now."""

    code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    taken: int
    value_fen: int


@dataclass(frozen=True)
class StatsReport:
    period: Period
    total: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_building: dict[str | None, int] = field(default_factory=dict)  # None: the estate's shared areas
    funnel: dict[str, int] = field(default_factory=dict)  # FUNNEL stage -> tickets that got there
    cancelled: int = 0
    sla: dict[str, Compliance] = field(default_factory=dict)  # DEADLINES -> compliance
    assign: Spread = Spread()
    resolve: Spread = Spread()
    trend: list[TrendPoint] = field(default_factory=list)
    technicians: list[TechnicianLine] = field(default_factory=list)
    deflection: list[Deflection] = field(default_factory=list)
    average_rating: float | None = None
    rated: int = 0
    reworked: int = 0
    overdue_now: int = 0
    fees: Fees = Fees()
    parts: list[PartUse] = field(default_factory=list)  # most taken first
