"""Working time: adding N working minutes to an instant, skipping nights, days off and holidays."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

MAX_DAYS = 3660  # a calendar with no working day at all must not loop forever


@dataclass(frozen=True)
class BusinessHours:
    """Weekdays (0 = Monday) open from `start` to `end` local time, except the holidays.

    Written by hand: the calendar libraries (holidays, workalendar) know public holidays but do not add working
    minutes across opening hours, and an estate's own list of closed days is what counts here."""

    tz: tzinfo
    weekdays: frozenset[int] = frozenset(range(6))  # Monday to Saturday
    start: time = time(8, 0)
    end: time = time(18, 0)
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("business hours must start before they end")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def add(self, at: datetime, minutes: float) -> datetime:
        """The instant `minutes` working minutes after `at` (an aware datetime), in `at`'s time zone."""
        left = timedelta(minutes=minutes)
        local = at.astimezone(self.tz)
        day, cursor = local.date(), local.replace(tzinfo=None)
        for _ in range(MAX_DAYS):
            opens, closes = datetime.combine(day, self.start), datetime.combine(day, self.end)
            if self.is_working_day(day) and cursor < closes:
                cursor = max(cursor, opens)
                if cursor + left <= closes:
                    return (cursor + left).replace(tzinfo=self.tz).astimezone(at.tzinfo)
                left -= closes - cursor
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0))
        raise ValueError("no working time within ten years: check weekdays and holidays")
