"""The owner is promised a response by a time of day they can hold us to, in the estate's time."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tests.unit.bot.conftest import OWNER, OfflineBot

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def file_normal(offline: OfflineBot, at: datetime) -> str:
    offline.svc.clock.set(at.astimezone(timezone.utc))  # type: ignore[attr-defined]
    card = offline.to(OWNER, await offline.say(OWNER, "3栋2单元1801厨房水龙头滴水"))[-1]
    assert "r:submit" in card.buttons
    return next(m.text for m in offline.to(OWNER, await offline.tap(OWNER, "r:submit")) if "已提交" in m.text)


async def test_a_report_in_working_hours_is_promised_a_response_the_same_day(offline: OfflineBot) -> None:
    text = await file_normal(offline, datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI))  # a Monday morning
    ticket = offline.tickets()[0]
    assert f"今天 {ticket.response_due_at.astimezone(SHANGHAI):%H:%M}" in text


async def test_a_report_at_night_is_promised_a_response_in_the_morning_not_in_hours_that_never_come(
        offline: OfflineBot) -> None:
    text = await file_normal(offline, datetime(2025, 3, 3, 23, 0, tzinfo=SHANGHAI))
    due = offline.tickets()[0].response_due_at.astimezone(SHANGHAI)
    assert due.date() == datetime(2025, 3, 4).date() and due.hour >= 8  # business hours start at 08:00
    assert f"明天 {due:%H:%M}" in text
