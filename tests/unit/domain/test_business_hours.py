"""Working minutes: nights, Sundays and holidays do not count; urgent tickets run on the 24/7 clock."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.business_hours import BusinessHours
from domain.sla import SlaPolicy
from domain.values import Priority

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = BusinessHours(SHANGHAI, holidays=frozenset({date(2025, 3, 10)}))  # Mon-Sat 08-18, one holiday Monday


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)  # March 2025: the 3rd is a Monday


def test_minutes_inside_a_working_day_are_plain_minutes() -> None:
    assert HOURS.add(local(3, 9), 120) == local(3, 11)


def test_what_does_not_fit_before_closing_carries_over_to_the_next_morning() -> None:
    assert HOURS.add(local(3, 17), 120) == local(4, 9)


def test_a_report_at_night_starts_counting_when_the_office_opens() -> None:
    assert HOURS.add(local(3, 23, 30), 30) == local(4, 8, 30)
    assert HOURS.add(local(4, 6), 30) == local(4, 8, 30)


def test_sunday_does_not_count() -> None:
    assert HOURS.add(local(8, 17), 120) == local(10 + 1, 9)  # Sat 17:00 + 2h: Sunday off, Monday a holiday


def test_a_holiday_does_not_count() -> None:
    assert HOURS.add(local(9, 12), 60) == local(11, 9)  # Sunday, then the holiday Monday: Tuesday 09:00


def test_closing_time_itself_is_a_valid_deadline() -> None:
    assert HOURS.add(local(3, 16), 120) == local(3, 18)


def test_the_result_keeps_the_time_zone_of_the_start() -> None:
    start = local(3, 9).astimezone(timezone.utc)
    assert HOURS.add(start, 60).tzinfo == timezone.utc and HOURS.add(start, 60) == local(3, 10)


def test_a_calendar_without_working_days_is_refused_rather_than_looping() -> None:
    with pytest.raises(ValueError):
        BusinessHours(SHANGHAI, weekdays=frozenset()).add(local(3, 9), 1)


POLICY = SlaPolicy({p: 60 for p in Priority}, {p: 600 for p in Priority}, {p: 120 for p in Priority},
                   HOURS, frozenset({Priority.NORMAL, Priority.LOW}))


def test_urgent_runs_on_the_24_7_clock_while_normal_waits_for_the_morning() -> None:
    night = local(8, 22)  # Saturday night
    assert POLICY.response_due(Priority.URGENT, night) == night + timedelta(minutes=60)
    assert POLICY.response_due(Priority.NORMAL, night) == local(11, 9)
    assert POLICY.arrival_due(Priority.LOW, night) == local(11, 10)
