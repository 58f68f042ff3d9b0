"""Planned tickets: preventive maintenance staff schedule for a recurring problem, opened by the scheduler."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.values import Category, Location

MAX_AHEAD_DAYS = 366  # a plan further off is most likely a typo in the year
MAX_NOTE = 500
_IN_DAYS = re.compile(r"^\+(\d{1,4})d?$", re.IGNORECASE)
_ON_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class PlannedTicket:
    """Work for one asset and category on `due_on` (the estate's local date), planned from `source_ticket_id`."""

    estate_id: str
    location: Location
    category: Category
    due_on: date
    note: str
    created_by: int
    created_at: datetime
    source_ticket_id: int | None = None
    id: int | None = None
    cancelled_at: datetime | None = None
    opened_ticket_id: int | None = None
    opened_at: datetime | None = None

    @property
    def pending(self) -> bool:
        return self.cancelled_at is None and self.opened_ticket_id is None


_NAMED_DAYS = {"今天": 0, "明天": 1, "后天": 2, "下周": 7, "下星期": 7, "下个月": 30, "today": 0, "tomorrow": 1,
               "next-week": 7, "next-month": 30}


def parse_day(word: str, today: date) -> date | None:
    """'2026-12-20' or '+7' (days from today) to a date, or None when it is neither (past dates are the caller's)."""
    word = word.strip()
    if word.lower() in _NAMED_DAYS:  # staff type these on a phone as readily as a date
        return today + timedelta(days=_NAMED_DAYS[word.lower()])
    ahead = _IN_DAYS.match(word)
    if ahead:
        return today + timedelta(days=int(ahead.group(1)))
    on = _ON_DAY.match(word)
    if not on:
        return None
    try:
        return date(int(on.group(1)), int(on.group(2)), int(on.group(3)))
    except ValueError:
        return None


def day_problem(day: date, today: date) -> str | None:
    """Why a plan may not be for `day`: 'past', 'too_far', or None. Today is fine: the next sweep opens it."""
    if day < today:
        return "past"
    if day > today + timedelta(days=MAX_AHEAD_DAYS):
        return "too_far"
    return None
