"""What must never happen: strangers served, other owners' tickets seen, forged buttons obeyed, reports lost."""
from __future__ import annotations

import asyncio

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button

OWNER, OTHER_OWNER, PLUMBER, LIFT_TECH = 1001, 1003, 2001, 2002


async def file_ticket(tg: SandboxClient, owner: int, text: str) -> int:
    after = await tg.last_message_id(owner)
    await tg.send_text(owner, text)
    summary = await with_button(tg, owner, "r:submit", after)
    return ticket_number((await tap(tg, owner, summary, "r:submit", "#")).text)


async def test_a_report_without_a_place_offers_the_owners_home_and_files_it_there(tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "马桶堵了，冲不下去")
    question = await with_button(tg, OWNER, "r:home:0", after, "3-2-1801")
    summary = await tap(tg, OWNER, question, "r:home:0", "3-2-1801")
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    card = await say(tg, 3001, f"/ticket {ticket}", "3-2-1801")
    assert "马桶堵了" in card.text


async def test_a_room_of_the_home_needs_no_place_question_for_an_owner_with_one_home(tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "卫生间马桶堵了")
    summary = await with_button(tg, OWNER, "r:submit", after, "3-2-1801 卫生间")
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    card = await say(tg, 3001, f"/ticket {ticket}", "3-2-1801")
    assert "卫生间" in card.text


async def test_typing_yes_to_the_place_question_files_it_at_home_never_as_the_word_yes(tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "马桶堵了，冲不下去")
    await with_button(tg, OWNER, "r:home:0", after, "3-2-1801")
    summary = await say(tg, OWNER, "嗯，就是我家", "3-2-1801")
    assert "嗯" not in summary.text.split("地点")[1].split("\n")[0]
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    card = await say(tg, 3001, f"/ticket {ticket}", "3-2-1801")
    assert "就是我家" not in card.text


async def test_an_unregistered_user_is_told_how_to_register_and_nothing_else(tg: SandboxClient) -> None:
    reply = await say(tg, 5555, "我家厨房漏水", "")
    assert "注册" in reply.text or "register" in reply.text
    assert not reply.buttons
    reply = await say(tg, 5555, "/mytickets", "")
    assert "注册" in reply.text or "register" in reply.text


async def test_an_owner_cannot_see_or_act_on_another_owners_ticket(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    for command in (f"/status {ticket}", f"/cancel {ticket} 不要了", f"/urge {ticket}"):
        reply = await say(tg, OTHER_OWNER, command, "")
        assert "没有权限" in reply.text, command
    card = await say(tg, 3001, f"/ticket {ticket}", f"#{ticket}")
    assert "待受理" in card.text


async def test_a_technician_cannot_claim_a_job_outside_their_skills(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    reply = await say(tg, LIFT_TECH, f"/claim {ticket}", "")
    assert "没有权限" in reply.text
    reply = await say(tg, PLUMBER, f"/claim #{ticket}", f"#{ticket}", "抢单成功")  # the offer may come first
    assert "抢单成功" in reply.text


async def test_a_forged_button_is_refused_and_changes_nothing(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    greeting = await say(tg, OTHER_OWNER, "你好", "")
    for data in (f"t:cancel:{ticket}", f"t:rate:{ticket}:1", "t:claim:abc", "x:y", f"t:assign:{ticket}:2001"):
        after = await tg.last_message_id(OTHER_OWNER)
        result = await tg.click(OTHER_OWNER, greeting, data, force=True)
        assert result.answered, data
        refusal = await tg.wait_for_message(OTHER_OWNER, after_id=after)
        assert "没有权限" in refusal.text or "失效" in refusal.text, data
    card = await say(tg, 3001, f"/ticket {ticket}", f"#{ticket}")
    assert "待受理" in card.text and "取消" not in card.text.split("进度")[-1]


async def test_a_half_finished_report_survives_a_bot_restart(tg: SandboxClient, bot: BotUnderTest) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "灯不亮了，开关按了没反应")
    question = await with_button(tg, OWNER, "r:home:0", after)
    await bot.stop()
    await bot.start()
    summary = await tap(tg, OWNER, question, "r:home:0", "灯不亮了")
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    assert ticket >= 1


async def test_text_with_markup_characters_reaches_people_as_typed(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801 水管<漏水> & 滴水")
    await say(tg, PLUMBER, f"/claim {ticket}", f"#{ticket}", "抢单成功")  # not the offer that may come first
    await say(tg, PLUMBER, f"/begin {ticket}", f"#{ticket}", "签到")  # the check-in question comes last
    await say(tg, PLUMBER, f"/hold {ticket} 等配件 <DN15> & 胶圈", f"#{ticket}")
    pushed = await tg.wait_for_text(OWNER, "<DN15> & 胶圈")
    assert f"#{ticket}" in pushed.text
    card = await say(tg, 3001, f"/ticket {ticket}", f"#{ticket}")
    assert "水管&lt;漏水&gt;" in card.text


async def test_a_building_the_estate_does_not_have_is_questioned_not_filed(tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "99栋1单元101 厨房水管漏水")
    await tg.wait_for_text(OWNER, "没有「99」号楼", after_id=after)
    question = await with_button(tg, OWNER, "r:home:0", after)
    summary = await tap(tg, OWNER, question, "r:home:0", "3-2-1801")
    assert "99" not in summary.text.split("描述")[0]


async def test_a_reason_prompt_can_be_abandoned(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    await say(tg, PLUMBER, f"/claim {ticket}", f"#{ticket}", "抢单成功")  # not the offer that may come first
    await say(tg, PLUMBER, f"/decline {ticket}", "原因")
    await say(tg, PLUMBER, "取消", "没有对")
    jobs = await say(tg, PLUMBER, "/jobs", f"#{ticket}")
    assert "已派工" in jobs.text


async def test_replying_yes_to_the_summary_submits_it(tg: SandboxClient) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801厨房水管漏水了")
    await with_button(tg, OWNER, "r:submit", after)
    filed = await say(tg, OWNER, "确认", "已提交")
    assert ticket_number(filed.text) >= 1


async def test_urging_twice_within_the_cool_down_is_politely_refused(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    await say(tg, OWNER, f"/urge {ticket}", "已催单")
    again = await say(tg, OWNER, f"/urge #{ticket}", "分钟")  # the answer, not a push that may come meanwhile
    assert "分钟后可以再催" in again.text
    await tg.wait_for_text(None, "催单", chat_id=-1001)  # the staff hear through the outbox, in the background
    await asyncio.sleep(1.5)  # a second alert, were there one, would be out by now
    alerts = [m for m in await tg.messages(chat_id=-1001) if "催单" in m.content]
    assert len(alerts) == 1


async def test_a_technician_sees_the_owners_contact_only_once_the_job_is_theirs(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, OWNER, "3栋2单元1801厨房水管漏水了")
    before = await say(tg, PLUMBER, f"/job {ticket}", f"#{ticket}")
    assert "王伟" not in before.text and "13800001001" not in before.text
    await say(tg, PLUMBER, f"/claim {ticket}", "抢单成功")
    after = await say(tg, PLUMBER, f"/job {ticket}", f"#{ticket}")
    assert "王伟" in after.text and "13800001001" in after.text
