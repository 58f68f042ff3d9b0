"""Registration by invite and by phone, staff queries with filters and pages, and helpful refusals."""
from __future__ import annotations

import re

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.bot.test_guards import file_ticket

STAFF, MANAGER = 3001, 3002


async def test_a_staff_invite_link_registers_a_new_owner_who_can_then_report(tg: SandboxClient) -> None:
    invite = await say(tg, STAFF, "/invite owner 5-1-2201 周婷", "start=")
    code = re.search(r"start=([\w-]+)", invite.text).group(1)
    welcome = await say(tg, 7001, f"/start {code}", "", language_code="zh-hans")
    assert "周婷" in welcome.text and "注册成功" in welcome.text
    reused = await say(tg, 7002, f"/start {code}", "", language_code="zh")
    assert "已经被使用" in reused.text
    forged = await say(tg, 7003, "/start not-a-real-code", "")
    assert "not valid" in forged.text
    ticket = await file_ticket(tg, 7001, "5栋1单元2201阳台窗户关不上")
    assert ticket >= 1


async def test_sharing_a_phone_number_in_the_register_makes_an_owner(tg: SandboxClient) -> None:
    after = 0
    await tg.send_text(7100, "hi", language_code="zh")
    await tg.send_contact(7100, "+86 138-0000-0004", contact_user_id=7100)
    welcome = await tg.wait_for_text(7100, "1-1-101", after_id=after)
    assert "张伟" in welcome.text
    await tg.send_contact(7101, "13900000000", contact_user_id=7101)
    refused = await tg.wait_for_message(7101, after_id=0)
    assert "couldn't register you" in refused.text


async def test_staff_filter_tickets_and_page_through_long_lists(tg: SandboxClient) -> None:
    for i in range(11):
        await file_ticket(tg, 1001, f"3栋2单元1801 卫生间水龙头漏水 第{i}次")
    await file_ticket(tg, 1003, "7栋1单元903 客厅插座没电")
    first = await say(tg, STAFF, "/tickets open building=3 category=plumbing", "1–10")
    assert "11" in first.text and "903" not in first.text
    second = await tap(tg, STAFF, first, "pg:10", "11–11")
    assert "1801" in second.text
    only_electrical = await say(tg, STAFF, "/tickets category=electrical", "")
    assert "7-1-903" in only_electrical.text and "1801" not in only_electrical.text
    bad = await say(tg, STAFF, "/tickets colour=red", "")
    assert "colour=red" in bad.text and "category" in bad.text


async def test_staff_assign_and_the_technician_accepts_from_the_pushed_buttons(tg: SandboxClient) -> None:
    ticket = await file_ticket(tg, 1001, "3栋2单元1801 卫生间水龙头漏水")
    new_in_group = await with_button(tg, STAFF, f"t:assign:{ticket}", 0, chat_id=-1001)
    picker = await tap(tg, STAFF, new_in_group, f"t:assign:{ticket}", f"#{ticket}", chat_id=-1001)
    await tap(tg, STAFF, picker, f"t:assign:{ticket}:", f"#{ticket}", chat_id=-1001)
    offer = await with_button(tg, 2001, f"t:accept:{ticket}")
    await tap(tg, 2001, offer, f"t:accept:{ticket}", f"#{ticket}")
    jobs = await say(tg, 2001, "/jobs", f"#{ticket}")
    assert "已派工" in jobs.text


async def test_unknown_commands_oversize_text_and_stickers_get_a_helpful_reply(tg: SandboxClient) -> None:
    unknown = await say(tg, 1001, "/fly", "")
    assert "没有这个命令" in unknown.text and "/report" in unknown.text
    long = await say(tg, 1001, "漏水" * 1001, "")
    assert "2000" in long.text
    after = await tg.last_message_id(1001)
    await tg.send_location(1001, 31.2, 121.4)
    unsupported = await tg.wait_for_message(1001, after_id=after)
    assert "不支持" in unsupported.text


async def test_the_english_owner_gets_english_and_lang_switches_it(tg: SandboxClient) -> None:
    reply = await say(tg, 1002, "/mytickets", "")
    assert "no tickets" in reply.text
    await say(tg, 1002, "/lang zh", "中文")
    reply = await say(tg, 1002, "/mytickets", "")
    assert "还没有工单" in reply.text


async def test_staff_import_the_owner_register_from_csv_all_or_nothing(tg: SandboxClient) -> None:
    good = "楼栋,单元,房号,姓名,电话\n3,1,1001,钱多多,13911112222\nB,,0901,Ann Lee,+86 139 1111 3333\n"
    bad = good + "99,1,101,无名,13911114444\n3,1,1002,,12\n"
    after = await tg.last_message_id(STAFF)
    await tg.send_document(STAFF, bad.encode("utf-8-sig"), "owners.csv")
    refused = await tg.wait_for_message(STAFF, after_id=after)
    assert "没有导入" in refused.text and "第 4 行" in refused.text and "第 5 行" in refused.text
    assert "没有 99 号楼" in refused.text and "缺少 姓名" in refused.text
    await tg.send_contact(7200, "13911112222", contact_user_id=7200)
    assert "couldn't register you" in (await tg.wait_for_message(7200)).text

    after = await tg.last_message_id(STAFF)
    await tg.send_document(STAFF, good.encode("utf-8"), "owners.csv")
    assert "已导入 2 条" in (await tg.wait_for_message(STAFF, after_id=after)).text
    await tg.send_contact(7201, "13911112222", contact_user_id=7201)
    assert "3-1-1001" in (await tg.wait_for_message(7201)).text


async def test_staff_read_statistics_and_others_may_not(tg: SandboxClient) -> None:
    await file_ticket(tg, 1001, "3栋2单元1801 卫生间水龙头漏水")
    report = await say(tg, MANAGER, "/stats 7", "📊")
    assert "共 1 单" in report.text and "给排水 1" in report.text
    refused = await say(tg, 1001, "/stats", "")
    assert "仅限物业员工" in refused.text


async def test_a_phone_book_entry_of_a_registered_owner_registers_nobody_over_the_sandbox(tg: SandboxClient) -> None:
    await tg.send_contact(7300, "+86 138-0000-0004", contact_user_id=None)  # 张伟's number, not the sender's card
    refused = await tg.wait_for_message(7300, after_id=0)
    assert "张伟" not in refused.text and "1-1-101" not in refused.text
    await tg.send_contact(7300, "+86 138-0000-0004")  # the sender's own card (Telegram vouches for it): registered
    assert "1-1-101" in (await tg.wait_for_message(7300, after_id=refused.message_id)).text
