"""The SLA sweep on the bot's job queue: a breach reaches the staff chat once."""
from __future__ import annotations

from datetime import timedelta

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.test_guards import file_ticket


async def test_an_unanswered_ticket_is_escalated_to_the_staff_chat_once(tg: SandboxClient, bot: BotUnderTest) -> None:
    ticket = await file_ticket(tg, 1001, "3栋2单元1801 卫生间水龙头漏水")
    bot.clock.advance(timedelta(hours=5))
    [job] = bot.application.job_queue.get_jobs_by_name("sla-sweep")
    after = await tg.last_message_id(chat_id=STAFF_GROUP)
    await job.run(bot.application)
    alert = await tg.wait_for_text(None, f"#{ticket}", "超时未响应", chat_id=STAFF_GROUP, after_id=after)
    await job.run(bot.application)
    later = [m for m in await tg.messages(chat_id=STAFF_GROUP, after_id=alert.message_id) if "超时" in m.content]
    assert later == []
