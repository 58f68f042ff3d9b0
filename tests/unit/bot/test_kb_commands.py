"""The staff's knowledge-base commands, offline: a draft from a ticket, edited, previewed, refused, published."""
from __future__ import annotations

import pytest

from domain.usecases import tickets as uc
from domain.values import Category, Location, Priority
from knowledge_base.fake_drafts import InMemoryDraftStore
from knowledge_base.fake_encoder import fake_knowledge_base
from tests.unit.bot.conftest import OWNER, PLUMBER, STAFF, OfflineBot

DESCRIPTION = "3栋2单元1801 热水器显示E4故障代码，没有热水"


@pytest.fixture(scope="module")
def shared_kb():  # type: ignore[no-untyped-def]
    """The shipped articles with the fake encoder, built once; each test gives it a fresh draft store."""
    return fake_knowledge_base()


@pytest.fixture
def staff_bot(offline: OfflineBot, shared_kb) -> OfflineBot:  # type: ignore[no-untyped-def]
    shared_kb.use_drafts(InMemoryDraftStore())
    offline.svc.kb = shared_kb
    return offline


def person(offline: OfflineBot, chat_id: int) -> int:
    return next(p.id for p in offline.store.people.values() if p.chat_id == chat_id)


def completed_ticket(offline: OfflineBot, notes: str) -> int:
    svc, owner, tech, staff = offline.svc, person(offline, OWNER), person(offline, PLUMBER), person(offline, STAFF)
    new = uc.NewTicket(Location("3", "2", "1801"), Category.PLUMBING, Priority.NORMAL, DESCRIPTION)
    ticket_id = uc.open_ticket(svc.uow(), svc.clock, svc.policies, owner, new).ticket.id
    uc.triage(svc.uow(), svc.clock, staff, ticket_id)
    uc.assign(svc.uow(), svc.clock, staff, ticket_id, tech)
    uc.start(svc.uow(), svc.clock, tech, ticket_id)
    uc.complete(svc.uow(), svc.clock, tech, ticket_id, notes, (), 30)
    return ticket_id or 0


async def said(offline: OfflineBot, user: int, text: str) -> str:
    return "\n".join(s.text for s in offline.to(user, await offline.say(user, text)))


async def test_staff_draft_a_ticket_preview_it_are_refused_while_it_copies_the_owner_then_publish_it(
        staff_bot: OfflineBot) -> None:
    ticket = completed_ticket(staff_bot, "张师傅到1801清洗进水阀滤网\n重新上电复位")
    article = f"ticket-{ticket}"
    drafted = await said(staff_bot, STAFF, f"/kbdraft {ticket}")
    assert article in drafted and "王伟" not in drafted
    for edit in ("en title Water heater shows error E4", "en steps Clean the inlet filter; Switch it off and on",
                 "zh phrasings 热水器显示E4故障代码"):
        assert "已更新" in await said(staff_bot, STAFF, f"/kbedit {article} {edit}")
    preview = await said(staff_bot, STAFF, f"/kbdraft show {article}")
    assert "到清洗进水阀滤网" in preview and f"来自工单 #{ticket}" in preview
    assert f"仅员工可见，不会发布——业主的原话：{DESCRIPTION}" in preview and "照抄了业主的原话" in preview
    refused = await said(staff_bot, STAFF, f"/kbpublish {article}")
    assert "暂时不能发布" in refused and "zh phrasings 1" in refused and "已发布" not in refused
    assert all(h.id != article for h in staff_bot.svc.kb.search("热水器报E4故障", top_k=10))
    await said(staff_bot, STAFF, f"/kbedit {article} zh phrasings 热水器报E4故障; 热水器不出热水")
    assert "可以发布" in await said(staff_bot, STAFF, f"/kbdraft show {article}")
    assert "✅ 已发布" in await said(staff_bot, STAFF, f"/kbpublish {article}")
    assert staff_bot.svc.kb.search("热水器报E4故障")[0].id == article
    assert "没有等待发布的草稿" in await said(staff_bot, STAFF, "/kbdraft list")


async def test_a_safety_change_to_a_shipped_article_is_shown_and_must_be_previewed_before_it_is_published(
        staff_bot: OfflineBot) -> None:
    opened = await said(staff_bot, STAFF, "/kbedit toilet-running safety danger")
    assert "新建草稿" in opened and "「安全」改为「危险」" in opened
    assert "/kbdraft show toilet-running" in await said(staff_bot, STAFF, "/kbpublish toilet-running")
    assert staff_bot.svc.kb.article("toilet-running").safety.value == "safe"  # owners see no change yet
    assert "toilet-running" in await said(staff_bot, STAFF, "/kbdraft list")
    preview = await said(staff_bot, STAFF, "/kbdraft show toilet-running")
    assert "⚠️ 安全等级将从「安全」改为「危险」" in preview and "只在我们派人上门时显示为安全提示" in preview
    assert "改动了：safety" in preview
    published = await said(staff_bot, STAFF, "/kbpublish toilet-running")
    assert "已发布" in published and "安全等级现在是「危险」" in published
    assert staff_bot.svc.kb.article("toilet-running").is_danger


@pytest.mark.parametrize("command", ["/kbdraft 1", "/kbdraft show toilet-running",
                                     "/kbedit toilet-running safety danger", "/kbpublish toilet-running"])
async def test_an_owner_or_technician_gets_the_staff_only_answer_and_changes_nothing(
        staff_bot: OfflineBot, command: str) -> None:
    for user in (OWNER, PLUMBER):
        assert "仅限物业员工" in await said(staff_bot, user, command)
    assert staff_bot.svc.kb.drafts.pending() == []


async def test_unclear_commands_get_their_usage_and_bad_values_say_what_is_allowed(staff_bot: OfflineBot) -> None:
    assert "用法：/kbdraft" in await said(staff_bot, STAFF, "/kbdraft")
    assert "用法：/kbedit" in await said(staff_bot, STAFF, "/kbedit toilet-running fr title x")
    assert "safe, caution, danger" in await said(staff_bot, STAFF, "/kbedit toilet-running safety risky")
    assert "不是文章编号" in await said(staff_bot, STAFF, "/kbpublish ../etc/passwd")
    assert "没有未发布的修改" in await said(staff_bot, STAFF, "/kbpublish toilet-running")
    assert "找不到工单 #999" in await said(staff_bot, STAFF, "/kbdraft 999")


async def test_without_a_knowledge_base_the_commands_say_it_is_unavailable(offline: OfflineBot) -> None:
    assert "知识库暂不可用" in await said(offline, STAFF, "/kbdraft show toilet-running")
