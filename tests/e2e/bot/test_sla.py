"""The SLA sweep on the bot's job queue: a breach reaches the staff chat once."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.test_guards import file_ticket


def to_a_working_morning(bot: BotUnderTest) -> None:
    """Normal tickets run on business hours: begin at 08:00 of the next working day, so five hours on is late."""
    hours = bot.application.bot_data["services"].policies.sla.business_hours
    day = bot.clock.now().astimezone(hours.tz).date() + timedelta(days=1)
    while not hours.is_working_day(day):
        day += timedelta(days=1)
    bot.clock.set(datetime.combine(day, time(8), hours.tz).astimezone(timezone.utc))


async def test_an_unanswered_ticket_is_escalated_to_the_staff_chat_once(tg: SandboxClient, bot: BotUnderTest) -> None:
    to_a_working_morning(bot)
    ticket = await file_ticket(tg, 1001, "3栋2单元1801 卫生间水龙头漏水")
    bot.clock.advance(timedelta(hours=5))
    [job] = bot.application.job_queue.get_jobs_by_name("sla-sweep")
    after = await tg.last_message_id(chat_id=STAFF_GROUP)
    await job.run(bot.application)
    alert = await tg.wait_for_text(None, f"#{ticket}", "超时未响应", chat_id=STAFF_GROUP, after_id=after)
    await job.run(bot.application)
    later = [m for m in await tg.messages(chat_id=STAFF_GROUP, after_id=alert.message_id) if "超时" in m.content]
    assert later == []
