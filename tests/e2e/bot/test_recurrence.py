"""A recurring problem, end to end: three leaks in one flat, the staff card says so, staff plan preventive maintenance,
and the scheduler opens it once on its day."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.helpers import say, with_button
from tests.e2e.bot.test_guards import file_ticket

OWNER, DISPATCHER = 1001, 3001
LEAKS = ("3栋2单元1801 卫生间水龙头漏水", "3栋2单元1801 厨房水管又漏水了", "3栋2单元1801 卫生间水管接头漏水")


def planned_tickets(bot: BotUnderTest) -> list[tuple[int, str]]:
    with sqlite3.connect(bot.db_url.removeprefix("sqlite:///")) as db:
        return db.execute("SELECT id, report_key FROM tickets WHERE report_key LIKE 'plan:%' ORDER BY id").fetchall()


async def test_three_leaks_in_one_flat_are_planned_for_and_the_sweep_opens_that_plan_exactly_once(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    tickets = [await file_ticket(tg, OWNER, text) for text in LEAKS]
    card = await say(tg, DISPATCHER, f"/ticket {tickets[-1]}", "🔁", "90 天内第 3 次报修")
    assert f"/plan {tickets[-1]} " in card.text and any(b["callback_data"] == f"pm:{tickets[-1]}" for b in card.buttons)
    owner_card = await say(tg, OWNER, f"/status {tickets[-1]}", f"#{tickets[-1]}")
    assert "🔁" not in owner_card.text  # staff's advice, not the owner's business

    planned = await say(tg, DISPATCHER, f"/plan {tickets[-1]} +7 检查全部水管", "已安排预防性维护")
    assert "/plan cancel" in planned.text
    listed = await say(tg, DISPATCHER, "/plan", "待执行的预防性维护")
    assert "检查全部水管" in listed.text
    [job] = bot.application.job_queue.get_jobs_by_name("plan-sweep")
    await job.run(bot.application)
    assert planned_tickets(bot) == []  # not its day yet

    bot.clock.advance(timedelta(days=7))
    after = await tg.last_message_id(chat_id=STAFF_GROUP)
    await job.run(bot.application)
    news = await tg.wait_for_text(None, "预防性维护按计划开单", chat_id=STAFF_GROUP, after_id=after)
    [(new_id, key)] = planned_tickets(bot)
    assert f"#{new_id}" in news.text and new_id > tickets[-1]
    await job.run(bot.application)
    assert len(planned_tickets(bot)) == 1
    told = [m for m in await tg.messages(chat_id=STAFF_GROUP, after_id=after) if "预防性维护按计划开单" in m.content]
    assert len(told) == 1
    card = await say(tg, DISPATCHER, f"/ticket {new_id}", f"#{new_id}")
    assert "检查全部水管" in card.text and "3-2-1801" in card.text


async def test_staff_plan_from_the_cards_button_bad_days_are_refused_politely_and_stats_list_the_flat(tg: SandboxClient) -> None:
    tickets = [await file_ticket(tg, OWNER, text) for text in LEAKS]
    card = await say(tg, DISPATCHER, f"/ticket {tickets[-1]}", "🔁")
    after = await tg.last_message_id(DISPATCHER)
    await tg.click(DISPATCHER, card, f"pm:{tickets[-1]}")
    chips = await with_button(tg, DISPATCHER, f"pm:{tickets[-1]}:", after)
    after = await tg.last_message_id(DISPATCHER)
    await tg.click(DISPATCHER, chips, f"pm:{tickets[-1]}:30")
    await tg.wait_for_text(DISPATCHER, "已安排预防性维护", after_id=after)
    await say(tg, DISPATCHER, f"/plan {tickets[-1]} 2020-01-01", "已经过去了")
    await say(tg, DISPATCHER, f"/plan {tickets[-1]} someday", "看不懂日期")
    await say(tg, DISPATCHER, "/plan cancel 99", "没有编号为 99")
    await say(tg, OWNER, f"/plan {tickets[-1]} +7", "仅限物业员工")
    stats = await say(tg, DISPATCHER, "/stats", "反复发生的问题")
    assert "3-2-1801" in stats.text and f"#{tickets[-1]}" in stats.text and "3 次" in stats.text
