"""The ticket export: one row per ticket with every field, the timeline's durations, the fees and the rating, safe
to open."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

from domain.billing.ledger import Entry, LedgerEntry, state
from domain.billing.money import yuan
from domain.lifecycle import Action
from domain.ticket import Ticket

Cell = str | int | float | None
Labels = Callable[[str, str], str]  # (kind, value) -> the reader's word: ("status", "closed") -> "已关闭"
# Text that a spreadsheet would run as a formula (or DDE) if it began a cell; OWASP's list, tab and CR included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = (
    "id", "status", "category", "priority", "building", "unit", "room", "area", "common_area", "description",
    "owner", "owner_phone", "technician", "created_at", "first_assigned_at", "accepted_at", "started_at",
    "completed_at", "closed_at", "response_due_at", "arrival_due_at", "resolution_due_at",
    "hours_to_assign", "hours_to_accept", "hours_to_start", "hours_to_resolve", "hours_to_close", "hours_on_hold",
    "response_in_time", "resolution_in_time", "hold_reason", "cancel_reason", "completion_notes", "parts",
    "labour_minutes", "payer", "bill_version", "fee_due_yuan", "fee_paid_yuan", "bill_state", "rework_count",
    "rating", "rating_comment", "urged_at",
)
ISSUED = (Entry.CHARGE, Entry.ADJUST)


@dataclass(frozen=True)
class ExportTicket:
    """A ticket as the export sees it: the names behind its ids, and the timeline moments durations need."""

    ticket: Ticket
    owner: str
    owner_phone: str | None
    technician: str | None
    moments: tuple[tuple[Action, datetime], ...] = ()  # assign, claim, hold and resume events, oldest first
    ledger: tuple[LedgerEntry, ...] = ()  # the ticket's bill entries, oldest first


def neutralise(value: Cell) -> Cell:
    """A text cell that would start a formula gets a leading apostrophe, which spreadsheets show as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _as_is(kind: str, value: str) -> str:
    return value


def rows(tickets: Iterable[ExportTicket], tz: ZoneInfo, labels: Labels = _as_is) -> Iterator[list[Cell]]:
    """One list of cells per ticket, in COLUMNS order; times local, durations in hours (1 decimal)."""
    for item in tickets:
        yield [neutralise(v) for v in _cells(item, tz, labels)]


def _cells(item: ExportTicket, tz: ZoneInfo, labels: Labels) -> list[Cell]:
    t, loc = item.ticket, item.ticket.location
    assigned = next((at for action, at in item.moments if action in (Action.ASSIGN, Action.CLAIM)), None)
    done = t.completion
    return [
        t.id, labels("status", t.status.value), labels("category", t.category.value),
        labels("priority", t.priority.value), loc.building, loc.unit, loc.room, loc.area,
        labels("yes_no", "yes" if loc.common_area else "no"), t.description, item.owner, item.owner_phone, item.technician,
        *(_local(x, tz) for x in (t.created_at, assigned, t.accepted_at, t.started_at, t.completed_at, t.closed_at,
                                  t.response_due_at, t.arrival_due_at, t.resolution_due_at)),
        *(_hours(t.created_at, x) for x in (assigned, t.accepted_at, t.started_at, t.completed_at, t.closed_at)),
        round(hold_seconds(item.moments) / 3600, 1),
        *(labels("yes_no", x) if x else None
          for x in (_in_time(t.accepted_at, t.response_due_at), _in_time(t.completed_at, t.resolution_due_at))),
        t.hold_reason, t.cancel_reason, done.notes if done else None, "; ".join(done.parts) if done else None,
        done.labour_minutes if done else None, *_money(item.ledger, labels), t.rework_count, t.rating,
        t.rating_comment, _local(t.last_urged_at, tz),
    ]


def _money(ledger: tuple[LedgerEntry, ...], labels: Labels) -> list[Cell]:
    """Who pays (the charge's note), the newest version and what it asks, what was paid, and where the bill stands;
    yuan as exact text (12.50), never a float."""
    issued = [e for e in ledger if e.kind in ISSUED]
    if not issued:
        return [None] * 5
    charge = next((e for e in issued if e.kind is Entry.CHARGE), issued[0])
    paid = sum(e.amount_fen for e in ledger if e.kind is Entry.PAY)
    return [labels("payer", charge.note) if charge.note else None, issued[-1].bill_version,
            yuan(issued[-1].amount_fen), yuan(paid), labels("bill_state", state(list(ledger)).value)]


def hold_seconds(moments: tuple[tuple[Action, datetime], ...]) -> float:
    """Time spent on hold: each hold until the resume after it (a hold never resumed counts nothing yet)."""
    total, held = 0.0, None
    for action, at in moments:
        if action is Action.HOLD:
            held = at
        elif action is Action.RESUME and held is not None:
            total, held = total + (at - held).total_seconds(), None
    return total


def _local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if moment else None


def _hours(start: datetime, end: datetime | None) -> float | None:
    return round((end - start).total_seconds() / 3600, 1) if end else None


def _in_time(happened: datetime | None, due: datetime | None) -> str | None:
    return None if happened is None or due is None else "yes" if happened <= due else "no"
