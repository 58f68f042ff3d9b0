"""Recurring problems: the same home (or common-area asset) with the same kind of fault again and again.

A flat whose pipes leaked three times in ninety days needs preventive maintenance, not a fourth repair. The rule
counts incidents, not reports, and is the reference the SQL aggregate (storage/recurrence.py) must agree with.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from domain.lifecycle import Status
from domain.ticket import Ticket
from domain.values import Category, Location

# A cancelled ticket is no fault: the owner withdrew it, or staff turned it away as not a repair (REJECT also ends
# in CANCELLED, domain/lifecycle.py). Counting them would call a home "recurring" for its mistaken reports.
NOT_COUNTED = frozenset({Status.CANCELLED})


@dataclass(frozen=True)
class RecurrencePolicy:
    """`threshold` tickets of one asset and category within `window` (both ends inclusive) are a recurrence."""

    threshold: int = 3
    window: timedelta = timedelta(days=90)
    enabled: bool = True


AssetKey = tuple[str, str, str, str, str]  # estate, building, unit, "home"|"area", room (a home) or area


def _norm(part: str | None) -> str:
    """Blank and None are the same; case does not matter. Only spaces are stripped, as SQL's trim() does
    (storage/recurrence.py groups with trim() and lower()). SQLite's lower() folds ASCII letters only: for the
    estate's Chinese and ASCII names both sides agree; an accented Latin capital would split a group there."""
    return (part or "").strip(" ").lower()


def asset_key(estate_id: str, location: Location) -> AssetKey:
    """One flat (building, unit, room: any of its rooms) or one common area of a unit (its lift, its stairwell)."""
    kind, which = ("area", location.area) if location.common_area else ("home", location.room)
    return (estate_id, _norm(location.building), _norm(location.unit), kind, _norm(which))


def counts(ticket: Ticket) -> bool:
    """An incident of its own: not a report linked under another ticket, not cancelled or turned away."""
    return ticket.parent_id is None and ticket.status not in NOT_COUNTED


def within(at: datetime, end: datetime, policy: RecurrencePolicy) -> bool:
    return end - policy.window <= at <= end


@dataclass(frozen=True)
class Recurrence:
    """`count` tickets of the asset and category in the window ending at `end`, the latest being `last_id`."""

    estate_id: str
    location: Location
    category: Category
    count: int
    last_id: int
    end: datetime


def for_ticket(ticket: Ticket, history: Iterable[Ticket], policy: RecurrencePolicy) -> Recurrence | None:
    """For the ticket card: the ticket is the count'th of its asset and category in the window ending when it was
    reported (itself included), or None below the threshold. `history` may hold anything; it is filtered here."""
    if not policy.enabled or not counts(ticket):
        return None
    key = asset_key(ticket.estate_id, ticket.location)
    same = {t.id: t for t in history if t.category is ticket.category and counts(t)
            and asset_key(t.estate_id, t.location) == key and within(t.created_at, ticket.created_at, policy)}
    same[ticket.id] = ticket
    if len(same) < policy.threshold:
        return None
    last = max(t.id or 0 for t in same.values())
    return Recurrence(ticket.estate_id, ticket.location, ticket.category, len(same), last, ticket.created_at)


def groups(tickets: Iterable[Ticket], policy: RecurrencePolicy, end: datetime) -> list[Recurrence]:
    """For /stats: every asset and category at or over the threshold in the window ending at `end`, most tickets
    first (then the latest). The location shown is the latest ticket's."""
    found: dict[tuple[AssetKey, Category], list[Ticket]] = {}
    for t in tickets:
        if counts(t) and within(t.created_at, end, policy):
            found.setdefault((asset_key(t.estate_id, t.location), t.category), []).append(t)
    out = []
    for (_, category), same in found.items():
        if policy.enabled and len(same) >= policy.threshold:
            last = max(same, key=lambda t: t.id or 0)
            out.append(Recurrence(last.estate_id, last.location, category, len(same), last.id or 0, end))
    return order(out)


def order(found: Iterable[Recurrence]) -> list[Recurrence]:
    return sorted(found, key=lambda r: (-r.count, -r.last_id))
