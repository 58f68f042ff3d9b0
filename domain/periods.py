"""Reporting periods: what `/stats week` or `/export 2025-03` means, in the estate's time zone, and its trend buckets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput

ROLLING_DAYS = {"today": 1, "week": 7, "month": 30, "year": 365}
DEFAULT = "month"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_DAYS = 3660


class Grain(str, Enum):
    """The width of one point of a trend."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


NOW_INCLUDED = timedelta(microseconds=1)  # periods are [start, end): an end just after now takes now in


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC; `name` is what the reader asked for (week, 2025-03, since=2025-01-01)."""

    start: datetime
    end: datetime
    name: str
    tz: ZoneInfo

    @property
    def grain(self) -> Grain:
        days = (self.end - self.start).total_seconds() / 86400
        return Grain.HOUR if days <= 2 else Grain.DAY if days <= 45 else Grain.WEEK if days <= 200 else Grain.MONTH

    def buckets(self) -> list[datetime]:
        """The start of each trend point (UTC), on local boundaries: midnight, Monday, the 1st."""
        local = self.start.astimezone(self.tz)
        grain = self.grain
        if grain is Grain.HOUR:
            at = local.replace(minute=0, second=0, microsecond=0)
        else:
            at = datetime.combine(local.date(), time(), self.tz)
            if grain is Grain.WEEK:
                at -= timedelta(days=at.weekday())
            elif grain is Grain.MONTH:
                at = at.replace(day=1)
        edges = []
        while at < self.end:
            edges.append(at.astimezone(timezone.utc))
            at = _next(at, grain)
        return edges


def _next(at: datetime, grain: Grain) -> datetime:
    if grain is Grain.HOUR:  # through UTC, so a DST change neither repeats nor skips an hour
        return (at.astimezone(timezone.utc) + timedelta(hours=1)).astimezone(at.tzinfo)
    if grain is Grain.MONTH:
        return at.replace(year=at.year + at.month // 12, month=at.month % 12 + 1)
    return datetime.combine(at.date() + timedelta(days=7 if grain is Grain.WEEK else 1), time(), at.tzinfo)


def parse_period(words: list[str], now: datetime, tz: ZoneInfo) -> Period:
    """today | week | month | year | N (days) | YYYY-MM | since=YYYY-MM-DD [until=YYYY-MM-DD]; none: month.

    Rolling periods start at local midnight and take in everything up to now, this very moment included (a
    report filed in the same second is counted), so `week` is today and the six days before."""
    words = [w.strip().lower() for w in words if w.strip()]
    today = now.astimezone(tz).date()
    if not words:
        words = [DEFAULT]
    if len(words) == 1 and (words[0] in ROLLING_DAYS or (words[0].isascii() and words[0].isdecimal())):
        days = ROLLING_DAYS.get(words[0]) or int(words[0][:5])
        if not 0 < days <= MAX_DAYS:
            raise InvalidInput("days out of range", value=words[0])
        return Period(_midnight(today - timedelta(days=days - 1), tz), now + NOW_INCLUDED, words[0], tz)
    if len(words) == 1 and (m := MONTH.match(words[0])):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12 or year < 2000:
            raise InvalidInput("no such month", value=words[0])
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        return Period(_midnight(first, tz), min(_midnight(after, tz), max(now + NOW_INCLUDED, _midnight(first, tz))),
                      words[0], tz)
    return _since_until(words, now, tz)


def _since_until(words: list[str], now: datetime, tz: ZoneInfo) -> Period:
    found = dict(w.split("=", 1) for w in words if "=" in w)
    if "since" not in found or set(found) - {"since", "until"} or len(found) != len(words):
        raise InvalidInput("unknown period", value=" ".join(words))
    start = _midnight(_day(found["since"]), tz)
    end = _midnight(_day(found["until"]) + timedelta(days=1), tz) if "until" in found else now + NOW_INCLUDED
    if not start < end or (end - start).days > MAX_DAYS:
        raise InvalidInput("empty or too long period", value=" ".join(words))
    return Period(start, min(end, max(now + NOW_INCLUDED, start)), " ".join(words), tz)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("not a date", value=text) from None


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(timezone.utc)
