"""Pricing and who pays: an itemized bill of parts, labour and the total, with the rule that decided the payer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from domain.billing.catalog import LabourRate, Part
from domain.errors import InvalidInput
from domain.lifecycle import Status
from domain.ticket import Ticket


class Payer(str, Enum):
    OWNER = "owner"
    ESTATE = "estate"  # common areas: the estate's service fee covers them
    WARRANTY = "warranty"  # the same home and kind of repair, redone within the warranty period


class LineKind(str, Enum):
    PART = "part"
    CALLOUT = "callout"
    LABOUR = "labour"
    ADJUSTMENT = "adjustment"  # staff's correction, with the reason on the bill


@dataclass(frozen=True)
class Line:
    kind: LineKind
    amount_fen: int
    code: str = ""
    name_zh: str = ""
    name_en: str = ""
    unit_zh: str = ""
    unit_en: str = ""
    quantity: int = 1
    unit_price_fen: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class WhoPays:
    payer: Payer
    previous_ticket_id: int | None = None  # the earlier repair a warranty refers to


@dataclass(frozen=True)
class Bill:
    """One version of a ticket's bill; a new version is a new Bill, the old ones are kept."""

    ticket_id: int
    version: int
    lines: tuple[Line, ...]
    who_pays: WhoPays
    created_by: int | None
    created_at: datetime
    reason: str = ""  # why this version differs from the one before (staff's adjustment)

    @property
    def subtotal_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def due_fen(self) -> int:
        """What the owner pays: nothing when the estate or the warranty covers it."""
        return self.subtotal_fen if self.who_pays.payer is Payer.OWNER else 0


@dataclass(frozen=True)
class Used:
    """A part and how many of it went into the work."""

    part: Part
    quantity: int


def who_pays(ticket: Ticket, earlier: list[Ticket], warranty: timedelta, now: datetime) -> WhoPays:
    """Common areas are the estate's; the same home and category repaired within `warranty` is free; else the owner."""
    if ticket.location.common_area:
        return WhoPays(Payer.ESTATE)
    if warranty <= timedelta(0):
        return WhoPays(Payer.OWNER)  # a warranty of 0 days is none, even for a repair done the same instant
    done = (Status.COMPLETED, Status.CLOSED)
    for other in sorted(earlier, key=lambda t: t.completed_at or now, reverse=True):
        if other.id == ticket.id or other.status not in done or other.completed_at is None:
            continue
        same_home = (other.location.building, other.location.unit, other.location.room) == \
            (ticket.location.building, ticket.location.unit, ticket.location.room)
        if same_home and other.category is ticket.category and other.completed_at <= now <= other.completed_at + warranty:
            return WhoPays(Payer.WARRANTY, other.id)
    return WhoPays(Payer.OWNER)


def part_line(used: Used) -> Line:
    if used.quantity <= 0:
        raise InvalidInput("a part's quantity must be at least 1", field="quantity", value=used.quantity)
    p = used.part
    return Line(LineKind.PART, p.price_fen * used.quantity, p.code, p.name_zh, p.name_en, p.unit_zh, p.unit_en,
                used.quantity, p.price_fen)


def labour_lines(rate: LabourRate | None, minutes: int | None) -> list[Line]:
    """The call-out fee, and the hours pro rata by the minute (rounded half up to the fen)."""
    if rate is None:
        return []
    lines = [Line(LineKind.CALLOUT, rate.callout_fen)] if rate.callout_fen else []
    if rate.hourly_fen and minutes:
        lines.append(Line(LineKind.LABOUR, (rate.hourly_fen * minutes + 30) // 60, unit_price_fen=rate.hourly_fen,
                          minutes=minutes))
    return lines


def price(ticket: Ticket, used: list[Used], rate: LabourRate | None, minutes: int | None, payer: WhoPays,
          actor_id: int | None, at: datetime) -> Bill:
    """The first version of the bill for the work just done."""
    assert ticket.id is not None
    lines = tuple([part_line(u) for u in used] + labour_lines(rate, minutes))
    return Bill(ticket.id, 1, lines, payer, actor_id, at)
