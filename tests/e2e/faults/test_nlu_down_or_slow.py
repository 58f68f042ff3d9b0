"""Rasa down, or too slow to answer, under the real bot with the production parser (nlu.build_parser): the rules
parser answers within the NLU timeout and the owner's report still files. The client's own cases are in
tests/unit/nlu/test_fallback.py (a stand-in Rasa from there serves here too)."""
from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.config import NluConfig
from nlu import build_parser
from sandbox import SandboxServer
from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import tap, ticket_number, with_button
from tests.e2e.faults.conftest import OWNER, BotUnderTest, count
from tests.unit.nlu.test_fallback import fake_rasa, free_port

NLU_TIMEOUT = 0.3
RASA_DELAY = 5.0  # the stand-in answers long after the bot stopped waiting


@pytest.fixture(params=["down", "slow"])
async def bot(request: pytest.FixtureRequest, sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    slow = fake_rasa(delay=RASA_DELAY) if request.param == "slow" else None
    port = slow.server_address[1] if slow else free_port()  # down: nothing listens there
    running = BotUnderTest(f"sqlite:///{tmp_path}/nlu.db", sandbox,
                           nlu=build_parser(NluConfig(port=port, timeout_seconds=NLU_TIMEOUT)))
    await running.start()
    yield running
    await running.stop()
    if slow is not None:
        slow.shutdown()
        slow.server_close()


async def test_with_rasa_down_or_slow_the_rules_parser_reads_the_report_and_it_files(
        bot: BotUnderTest, sandbox: SandboxServer) -> None:
    async with SandboxClient(sandbox.url, timeout=10) as tg:
        started = time.monotonic()
        await tg.send_text(OWNER, "3栋2单元1801厨房水管漏水了")
        card = await with_button(tg, OWNER, "r:submit")
        answered = time.monotonic() - started
        filed = await tap(tg, OWNER, card, "r:submit", "已提交")

    assert "3" in card.text and "1801" in card.text and "厨房" in card.text, card.text
    assert answered < RASA_DELAY, f"the card took {answered:.1f} s: the bot waited for Rasa"
    ticket = ticket_number(filed.text)
    assert count(bot.db_url, "SELECT count(*) FROM tickets WHERE id = :t AND category = 'plumbing' AND "
                             "building = '3' AND room = '1801'", t=ticket) == 1
