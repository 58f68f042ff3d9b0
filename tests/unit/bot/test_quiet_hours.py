"""Quiet hours through the real handlers: an owner's non-urgent news made at night waits for 08:00 in the estate."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tests.unit.bot.conftest import OWNER, PLUMBER, STAFF, STAFF_GROUP, OfflineBot
from tests.unit.bot.offline import Sent

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = datetime(2025, 3, 3, 23, 30, tzinfo=SHANGHAI)
MORNING = datetime(2025, 3, 4, 8, 0, tzinfo=SHANGHAI)


async def at(offline: OfflineBot, moment: datetime) -> list[Sent]:
    """Move the clock and deliver whatever is due by then, as the sender's background loop would."""
    offline.svc.clock.set(moment.astimezone(timezone.utc))  # type: ignore[attr-defined]
    before = len(offline.request.sent)
    await offline.application.bot_data["sender"].flush()
    return offline.request.sent[before:]


async def report(offline: OfflineBot, text: str) -> None:
    sent = offline.to(OWNER, await offline.say(OWNER, text))
    if "r:submit" in sent[-1].buttons:  # a non-urgent report waits for the owner's tap
        await offline.tap(OWNER, "r:submit")


async def test_an_owners_news_made_at_night_is_held_until_eight_in_the_morning_in_the_estates_time_zone(
        offline: OfflineBot) -> None:
    await at(offline, NIGHT)
    await report(offline, "3栋2单元1801厨房水管漏水了")
    claimed = await offline.say(PLUMBER, "/claim 1")
    assert offline.to(OWNER, claimed) == []
    assert any("#1" in s.text for s in offline.to(STAFF_GROUP, claimed))  # staff hear at once
    assert offline.to(OWNER, await at(offline, MORNING - timedelta(minutes=1))) == []
    morning = offline.to(OWNER, await at(offline, MORNING))
    assert len(morning) == 1 and "#1" in morning[0].text and "张师傅" in morning[0].text
    assert offline.to(OWNER, await at(offline, MORNING + timedelta(hours=1))) == []


async def test_an_owners_urgent_news_is_sent_at_night_at_once(offline: OfflineBot) -> None:
    await at(offline, NIGHT)
    await report(offline, "3栋2单元1801厨房水管爆了，水到处都是")  # urgent: dispatch assigns it at once
    told = offline.to(OWNER, await offline.say(PLUMBER, "/begin 1"))
    assert len(told) == 1 and "#1" in told[0].text and "张师傅" in told[0].text


async def test_a_technicians_news_is_never_held_at_night(offline: OfflineBot) -> None:
    await at(offline, NIGHT)
    await report(offline, "3栋2单元1801厨房水管漏水了")
    sent = await offline.say(STAFF, "/assign 1 张师傅")
    assert any("#1" in s.text for s in offline.to(PLUMBER, sent))
    assert offline.to(OWNER, sent) == []


async def test_an_owners_urgent_news_at_night_does_not_wait_behind_their_news_held_for_the_morning(
        offline: OfflineBot) -> None:
    await at(offline, NIGHT)
    await report(offline, "3栋2单元1801厨房水管漏水了")
    await offline.say(PLUMBER, "/claim 1")  # the owner's "assigned" waits for 08:00
    await report(offline, "3栋2单元1801卫生间水管爆了，水到处都是")  # urgent: assigned at once
    assignee = offline.store.people[offline.tickets()[1].technician_id]  # whoever dispatch chose
    told = offline.to(OWNER, await offline.say(assignee.chat_id, "/begin 2"))
    assert [s.text for s in told if "#2" in s.text], "the urgent news waited behind the held one"
    morning = offline.to(OWNER, await at(offline, MORNING))
    assert len(morning) == 1 and "#1" in morning[0].text
