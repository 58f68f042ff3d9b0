"""Self-help in the chat with the real knowledge base and its packaged models."""
from __future__ import annotations

import os
from typing import Any, Iterator

import pytest

from app.config import load_config
from knowledge_base import KnowledgeBase
from sandbox.client import SandboxClient
from storage.db import make_engine, make_session_factory
from storage.kb_drafts import SqlDraftStore
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button

pytestmark = pytest.mark.model
OWNER, STAFF = 1001, 3001


@pytest.fixture(scope="session")
def real_kb() -> Any:
    """The real search over the shipped articles (read-only); drafts go to each test's database."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return KnowledgeBase.load(load_config().knowledge_base)


@pytest.fixture
def kb(bot: BotUnderTest, real_kb: Any) -> Iterator[Any]:
    engine = make_engine(bot.db_url)  # the bot's own database, as app/bootstrap.py wires it
    real_kb.use_drafts(SqlDraftStore(make_session_factory(engine)))
    bot.application.bot_data["services"].kb = real_kb
    yield real_kb
    real_kb.use_drafts(None)
    engine.dispose()


async def test_a_non_urgent_report_gets_a_suggestion_and_still_need_a_repair_files_it(
        tg: SandboxClient, kb: Any) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 马桶冲完水一直流个不停")
    card = await with_button(tg, OWNER, "r:kb:fixed", after, "先试试", "马桶冲完水一直流个不停", "3-2-1801")
    assert "**" not in card.content  # the articles' Markdown is rendered, not shown
    ticket = ticket_number((await tap(tg, OWNER, card, "r:submit", "#")).text)  # one tap: the card is the summary
    stats = await say(tg, STAFF, "/kbstats", "toilet-running")
    assert "展示 1" in stats.text and ticket >= 1


async def test_this_fixed_it_records_a_deflection_and_files_nothing(tg: SandboxClient, kb: Any) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 马桶冲完水一直流个不停")
    suggestion = await with_button(tg, OWNER, "r:kb:fixed", after)
    await tap(tg, OWNER, suggestion, "r:kb:fixed", "解决")
    assert "还没有工单" in (await say(tg, OWNER, "/mytickets", "")).text
    assert "100%" in (await say(tg, STAFF, "/kbstats", "toilet-running")).text


async def test_a_gas_smell_files_an_urgent_ticket_at_once_and_shows_the_safety_steps(
        tg: SandboxClient, kb: Any) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 厨房有很重的煤气味")
    safety = await tg.wait_for_text(OWNER, "⚠️", after_id=after)
    assert "燃气" in safety.text or "煤气" in safety.text
    filed = await tg.wait_for_text(OWNER, "已提交", after_id=after)
    card = await say(tg, STAFF, f"/ticket {ticket_number(filed.text)}", "紧急")
    assert "燃气" in card.text


async def test_a_how_to_question_is_answered_from_the_knowledge_base(tg: SandboxClient, kb: Any) -> None:
    answer = await say(tg, OWNER, "烟感报警器一直滴滴响怎么办？", "📖")
    assert "烟" in answer.text
    assert any(b["callback_data"] == "i:report" for b in answer.buttons)
    english = await say(tg, 1002, "/help how do I reset a tripped breaker", "📖")
    assert "breaker" in english.text.lower() or "RCD" in english.text


async def test_staff_draft_an_article_from_a_completed_ticket_and_publish_it_without_the_owners_words(
        tg: SandboxClient, kb: Any) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 阳台晾衣架升降绳断了")
    summary = await tg.wait_for_message(OWNER, lambda m: any(b["callback_data"].startswith("r:submit")
                                                              for b in m.buttons), after_id=after)
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    await say(tg, STAFF, f"/assign {ticket} 张师傅", f"#{ticket}")
    await tg.wait_for_text(2001, f"#{ticket}", "派给您")
    await say(tg, 2001, f"/begin {ticket}", "已开始维修")
    prompt = await say(tg, 2001, f"/done {ticket} 张师傅到1801更换晾衣架钢丝绳，调整滑轮", "配件")
    for step in ("parts", "minutes", "photos"):
        prompt = await tap(tg, 2001, prompt, f"d:skip:{step}", "")
    assert "找不到" in (await say(tg, STAFF, "/kbdraft 999", "")).text
    article = f"ticket-{ticket}"
    drafted = await say(tg, STAFF, f"/kbdraft {ticket}", article)
    assert "1801" not in drafted.text and "张师傅" not in drafted.text
    assert article not in [h.id for h in kb.search("晾衣架钢丝绳断了", top_k=10, language="zh")]
    missing = await say(tg, STAFF, f"/kbpublish {article}", "暂时不能发布")
    assert "en title" in missing.text and "en steps" in missing.text
    for edit in ("en title Clothes airer cord snapped", "zh title 晾衣架的升降绳断了",
                 "en steps Do not pull the cord; Lower the airer by hand; Report it and we will replace the cord",
                 "zh phrasings 阳台晾衣架升降绳断了"):
        await say(tg, STAFF, f"/kbedit {article} {edit}", "已更新")
    preview = await say(tg, STAFF, f"/kbdraft show {article}", f"草稿 {article}")
    assert "仅员工可见" in preview.text and "更换晾衣架钢丝绳" in preview.text and "照抄了业主的原话" in preview.text
    refused = await say(tg, STAFF, f"/kbpublish {article}", "暂时不能发布")
    assert "zh phrasings 1" in refused.text and "阳台晾衣架升降绳断了" in refused.text
    await say(tg, STAFF, f"/kbedit {article} zh phrasings 晾衣架的绳子断了; 晾衣架摇不下来了", "已更新")
    await say(tg, STAFF, f"/kbpublish {article}", "已发布")
    assert article in [h.id for h in kb.search("晾衣架的绳子断了怎么办", top_k=3, language="zh")]
