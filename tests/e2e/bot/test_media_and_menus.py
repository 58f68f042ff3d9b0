"""Photos join reports and tickets; menus fit each role; staff see what is overdue."""
from __future__ import annotations

from datetime import timedelta

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.bot.test_guards import file_ticket
from tests.e2e.bot.test_sla import to_a_working_morning
from tests.integration.sandbox.media import tiny_png

OWNER, STAFF = 1001, 3001


async def test_a_photo_during_a_report_is_on_the_card_and_one_after_it_joins_the_ticket(
        tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 卫生间天花板渗水")
    summary = await with_button(tg, OWNER, "r:submit", after)
    after = await tg.last_message_id(OWNER)
    await tg.send_photo(OWNER, tiny_png(8, 8))
    summary = await with_button(tg, OWNER, "r:submit", after, "1 张")
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    after = await tg.last_message_id(OWNER)
    await tg.send_photo(OWNER, tiny_png(6, 6), caption=f"#{ticket} 又多了一块水渍")
    await tg.wait_for_text(OWNER, f"#{ticket}", "已添加", after_id=after)
    card = await say(tg, STAFF, f"/ticket {ticket}", "照片 2 张")
    assert f"#{ticket}" in card.text


async def test_a_photo_with_no_report_open_starts_one(tg: SandboxClient) -> None:
    after = await tg.last_message_id(1003)
    await tg.send_photo(1003, tiny_png(5, 5), caption="7栋1单元903 阳台窗户玻璃裂了")
    summary = await tg.wait_for_message(1003, lambda m: any(b["callback_data"].startswith(("r:submit", "r:cat:"))
                                                             for b in m.buttons), after_id=after)
    if not any(b["callback_data"].startswith("r:submit") for b in summary.buttons):  # the NLU may be unsure of the kind
        summary = await tap(tg, 1003, summary, "r:cat:doors_windows", "1 张")
    assert "7-1-903" in summary.text


async def test_each_role_gets_its_own_command_menu(tg: SandboxClient) -> None:
    owner = {c["command"] for c in await tg.commands(OWNER)}
    tech = {c["command"] for c in await tg.commands(2001)}
    staff = {c["command"] for c in await tg.commands(STAFF)}
    assert {"report", "mytickets", "rate"} <= owner and "claim" not in owner
    assert {"jobs", "claim", "done", "duty"} <= tech and "assign" not in tech
    assert {"tickets", "assign", "overdue", "invite"} <= staff


async def test_overdue_lists_tickets_past_their_response_time(tg: SandboxClient, bot: BotUnderTest) -> None:
    assert "没有超时" in (await say(tg, STAFF, "/overdue", "")).text
    to_a_working_morning(bot)  # a normal ticket's clock runs in business hours
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801 卫生间水龙头漏水")
    bot.clock.advance(timedelta(hours=5))
    late = await say(tg, STAFF, "/overdue", "超时工单")
    assert f"#{ticket}" in late.text
