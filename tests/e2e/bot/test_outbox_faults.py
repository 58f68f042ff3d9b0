"""The whole repair loop while the sandbox fails about every second push with a 429 or a 5xx: every push still
arrives, exactly once.

Faults are aimed at the chats that are only being told (pushes) while someone else acts, because replies to the
person acting are not sent through the outbox: bot.common.reply tries them a few times itself
(tests/e2e/faults/test_telegram_faults.py covers those, and timeouts and drops).
The bot's clock is a FakeClock: a ticker moves it a second every 0.1 s so retries scheduled "later" come due.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button

OWNER, PLUMBER = 1001, 2001  # 张师傅 is the one plumber covering building 3
FAULTS = dict(kinds=["429", "5xx"], methods=["sendMessage"], retry_after=1)


@pytest.fixture
async def ticking(bot: BotUnderTest) -> AsyncIterator[None]:
    async def tick() -> None:
        while True:
            await asyncio.sleep(0.1)
            bot.clock.advance(timedelta(seconds=1))
    task = asyncio.create_task(tick())
    yield
    task.cancel()


async def faulting(tg: SandboxClient, seed: int, *chats: int) -> None:
    await tg.set_faults(0.5, seed=seed, chats=list(chats), **FAULTS)  # type: ignore[arg-type]


async def test_under_429s_and_5xx_on_every_second_push_the_whole_loop_delivers_each_push_exactly_once(
        bot: BotUnderTest, tg: SandboxClient, ticking: None) -> None:
    await faulting(tg, 1, STAFF_GROUP, PLUMBER)  # the owner reports: staff and technicians told
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, "3栋2单元1801厨房水管漏水了")
    submitted = await tap(tg, OWNER, await with_button(tg, OWNER, "r:submit", after), "r:submit", "#")
    ticket = ticket_number(submitted.text)
    job = await with_button(tg, PLUMBER, f"t:claim:{ticket}")
    await tg.wait_for_text(None, f"#{ticket}", chat_id=STAFF_GROUP)

    await faulting(tg, 2, OWNER, STAFF_GROUP)  # the technician works: the owner and staff are told
    await tap(tg, PLUMBER, job, f"t:claim:{ticket}", f"#{ticket}")
    await tg.wait_for_text(OWNER, f"#{ticket}", "已派给")
    await say(tg, PLUMBER, f"/begin #{ticket}", f"#{ticket}", "签到")  # the check-in question comes last
    await tg.wait_for_text(OWNER, f"#{ticket}", "开始")
    prompt = await say(tg, PLUMBER, f"/done {ticket} 更换了角阀", "")
    for step in ("parts", "minutes", "photos"):
        prompt = await tap(tg, PLUMBER, prompt, f"d:skip:{step}", "")
    to_confirm = await with_button(tg, OWNER, f"t:confirm:{ticket}", 0, "更换了角阀")

    await faulting(tg, 3, PLUMBER, STAFF_GROUP)  # the owner confirms and rates: the technician is told
    await tap(tg, OWNER, to_confirm, f"t:confirm:{ticket}", f"#{ticket}")
    stars = await with_button(tg, OWNER, f"t:rate:{ticket}:5")
    await tap(tg, OWNER, stars, f"t:rate:{ticket}:5", f"#{ticket}")
    await tg.wait_for_text(PLUMBER, f"#{ticket}", "★★★★★")
    faults = (await tg.stats())["faults"]  # counted since the sandbox started
    await tg.clear_faults()
    await asyncio.sleep(3)  # the sender's idle turn: a wrongly repeated push would arrive by now

    assert faults["429"] >= 2 and faults["5xx"] >= 2 and faults["total"] == faults["429"] + faults["5xx"]
    for chat in (OWNER, PLUMBER, STAFF_GROUP):
        counts = await tg.delivery_counts(chat_id=chat)
        assert counts and set(counts.values()) == {1}, f"chat {chat} got {counts}"
    engine = create_engine(bot.db_url)
    with engine.connect() as conn:
        states = dict(conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all())
    engine.dispose()
    assert set(states) == {"sent"}, states
