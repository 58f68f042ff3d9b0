"""Self-help in the chat with the real knowledge base and its packaged models."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from app.config import load_config
from knowledge_base import KnowledgeBase
from knowledge_base.service import ARTICLES_DIR
from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button

pytestmark = pytest.mark.model
OWNER, STAFF = 1001, 3001


@pytest.fixture(scope="session")
def real_kb(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real search over a copy of the articles, so drafts written by tests never touch the repo."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    articles = tmp_path_factory.mktemp("kb") / "articles"
    shutil.copytree(ARTICLES_DIR, articles)
    return KnowledgeBase.load(load_config().knowledge_base, articles_dir=articles)


@pytest.fixture
def kb(bot: BotUnderTest, real_kb: Any) -> Any:
    bot.application.bot_data["services"].kb = real_kb
    return real_kb


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


async def test_staff_draft_an_article_from_a_completed_ticket_and_publish_it(
        tg: SandboxClient, kb: Any, tmp_path: Path) -> None:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801 阳台晾衣架升降绳断了")
    summary = await tg.wait_for_message(OWNER, lambda m: any(b["callback_data"] == "r:submit"
                                                              for b in m.buttons), after_id=after)
    ticket = ticket_number((await tap(tg, OWNER, summary, "r:submit", "#")).text)
    await say(tg, STAFF, f"/assign {ticket} 张师傅", f"#{ticket}")
    await tg.wait_for_text(2001, f"#{ticket}", "派给您")
    await say(tg, 2001, f"/begin {ticket}", "已开始维修")
    prompt = await say(tg, 2001, f"/done {ticket} 更换晾衣架钢丝绳，调整滑轮", "配件")
    for step in ("parts", "minutes", "photos"):
        prompt = await tap(tg, 2001, prompt, f"d:skip:{step}", "")
    too_early = await say(tg, STAFF, "/kbdraft 999", "")
    assert "找不到" in too_early.text
    drafted = await say(tg, STAFF, f"/kbdraft {ticket}", f"ticket-{ticket}")
    assert kb.best_for("晾衣架升降绳断了", None, "zh") is None or kb.best_for("晾衣架升降绳断了", None, "zh").id != f"ticket-{ticket}"
    refused = await say(tg, STAFF, f"/kbpublish ticket-{ticket}", "")
    assert "missing" in refused.text and "已发布" not in refused.text
    await say(tg, STAFF, f"/kbedit ticket-{ticket} en title Clothes airer cord snapped", "已更新")
    await say(tg, STAFF, f"/kbedit ticket-{ticket} en steps Do not pull the cord; Lower the airer by hand; "
                         "Report it and we will replace the cord", "已更新")
    await say(tg, STAFF, f"/kbpublish ticket-{ticket}", "已发布")
    hit = kb.search("阳台晾衣架升降绳断了", top_k=3, language="zh")
    assert f"ticket-{ticket}" in [h.id for h in hit]
    assert drafted.text
