"""Incidents: one fault, many reporters. Which open ticket a new report groups under, and which notice answers it.

A lift or a stairwell light is one thing however many people report it, and so is a building's water or power
outage; a tap leaking in one flat is that flat's own, and is never grouped with a neighbour's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from domain.lifecycle import Status
from domain.ticket import Ticket
from domain.values import Category

# Words that make a report building-wide whatever room it names: the water or the power is off for everyone.
OUTAGE_WORDS = ("停水", "断水", "没水", "没有水", "不来水", "停电", "断电", "没电", "没有电", "跳闸",
                "no water", "water is off", "water off", "water outage", "power cut", "power outage", "no power",
                "power is off", "blackout", "outage")
# A parent takes reporters while someone still has to act on it; work reported done is for its owner to judge.
# Kinds of fault that are never one flat's own: a lift serves its unit (or building) wherever the report was typed.
SHARED_CATEGORIES = frozenset({Category.ELEVATOR})
GROUPABLE_PARENT = frozenset({Status.SUBMITTED, Status.AWAITING_DISPATCH, Status.ASSIGNED, Status.IN_PROGRESS,
                              Status.ON_HOLD})


def is_outage(text: str) -> bool:
    low = text.lower()
    return any(word in low for word in OUTAGE_WORDS)


def groupable(ticket: Ticket) -> bool:
    """A fault others can share: a common area of a building, a lift, or an outage of it."""
    return bool(ticket.location.building) and (ticket.location.common_area or ticket.category in SHARED_CATEGORIES
                                                or is_outage(ticket.description))


def same_fault(new: Ticket, old: Ticket) -> bool:
    """The same building and category; a common area's unit too (unit 1's lift is not unit 2's), unless the
    report is an outage, which is the whole building's."""
    if new.estate_id != old.estate_id or new.category is not old.category:
        return False
    if (new.location.building or "").upper() != (old.location.building or "").upper():
        return False
    if is_outage(new.description) and is_outage(old.description):
        return True
    shared = new.category in SHARED_CATEGORIES
    if not shared and not (new.location.common_area and old.location.common_area):
        return False
    return not (new.location.unit and old.location.unit) or new.location.unit == old.location.unit


@dataclass(frozen=True)
class GroupingPolicy:
    """Reports of one fault within `window` of the incident's latest report are linked to its first ticket."""

    window: timedelta = timedelta(minutes=120)
    enabled: bool = True


def parent_for(new: Ticket, recent: Iterable[Ticket], policy: GroupingPolicy) -> Ticket | None:
    """The open incident `new` belongs to, or None. `recent` are tickets of the estate (parents and their
    children); the window runs from the incident's latest report, so a fault reported all morning stays one."""
    if not policy.enabled or not groupable(new):
        return None
    tickets = [t for t in recent if t.id is not None and t.id != new.id]
    latest: dict[int, datetime] = {}
    for t in tickets:
        head = t.parent_id or t.id or 0
        latest[head] = max(latest.get(head, t.created_at), t.created_at)
    parents = [t for t in tickets if t.parent_id is None and t.status in GROUPABLE_PARENT and groupable(t)
               and same_fault(new, t)]
    within = [t for t in parents if timedelta(0) <= new.created_at - latest[t.id or 0] <= policy.window]
    return min(within, key=lambda t: t.id or 0, default=None)


def link_problem(child: Ticket, parent: Ticket) -> str | None:
    """Why staff may not link `child` under `parent` ('self', 'cycle', 'closed', 'has_children' is the
    caller's), or None."""
    if child.id == parent.id:
        return "self"
    if parent.parent_id is not None:
        return "cycle" if parent.parent_id == child.id else "nested"
    if not parent.status.is_open or not child.status.is_open:
        return "closed"
    return None


@dataclass(frozen=True)
class Notice:
    """An estate-wide notice from staff: an outage or works a building's residents are told of, until it ends."""

    estate_id: str
    building: str
    text: str
    created_by: int
    created_at: datetime
    expires_at: datetime
    category: Category | None = None  # what the text is about, as the NLU read it; None: matched by its words
    id: int | None = None
    ended_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.ended_at is None and self.created_at <= now < self.expires_at


def notice_for(building: str | None, category: Category | None, text: str, notices: Iterable[Notice],
               now: datetime) -> Notice | None:
    """The active notice of the report's building that speaks of the same thing: the same category, or both an
    outage (停水 in the notice answers 家里没水了). The newest wins."""
    if not building:
        return None
    matching = [n for n in notices if n.active(now) and n.building.upper() == building.upper()
                and ((category is not None and n.category is category) or (is_outage(text) and is_outage(n.text)))]
    return max(matching, key=lambda n: n.created_at, default=None)
