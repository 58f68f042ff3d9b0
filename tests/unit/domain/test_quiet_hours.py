"""Quiet hours as a rule: which local hours hold a message, and until when."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from domain.outbox import QuietHours

TZ = ZoneInfo("Asia/Shanghai")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize("now, until", [
    (local(3, 22), local(4, 8)), (local(3, 23, 59), local(4, 8)), (local(4, 0, 1), local(4, 8)),
    (local(4, 7, 59), local(4, 8)), (local(4, 8), None), (local(3, 21, 59), None), (local(3, 12), None),
])
def test_a_night_from_22_to_8_holds_until_the_next_eight_oclock(now: datetime, until: datetime | None) -> None:
    assert QuietHours(22, 8).hold_until(now) == until


def test_a_quiet_window_within_one_day_holds_only_inside_it() -> None:
    siesta = QuietHours(13, 15)
    assert siesta.hold_until(local(3, 13, 30)) == local(3, 15)
    assert siesta.hold_until(local(3, 15)) is None and siesta.hold_until(local(3, 12, 59)) is None


def test_disabled_or_empty_quiet_hours_hold_nothing() -> None:
    assert QuietHours(22, 8, enabled=False).hold_until(local(3, 23)) is None
    assert QuietHours(8, 8).hold_until(local(3, 23)) is None
