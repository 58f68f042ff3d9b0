"""PostgreSQL stopped in the middle of a burst and started again, under the real bot process (a private cluster:
the machine's own is never touched).

What was in flight is handled or answered with a polite "please try again" in the person's language; what is
sent while the server is down gets that answer too; everything sent once it is back is handled (the pool's
pre-ping replaces the dead connections); and the database holds no half ticket: every ticket has its events,
and the outbox delivers what was committed, once: a push Telegram took while the server was down is marked sent
when it is back (bot/sender.py), not sent again after its lease.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from sandbox import SandboxServer
from sandbox.client import SandboxClient, SandboxMessage
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.faults.conftest import broken_rules, count
from tests.e2e.faults.delivery import deliveries_of, drained
from tests.e2e.faults.postgres import PrivatePostgres, private_postgres_or_skip
from tests.e2e.faults.process import BotProcess

OWNER_ZH, OWNER_EN, OWNER_STAIRS, PLUMBER, STAFF_GROUP = 1001, 1002, 1003, 2001, -1001
TRY_AGAIN = {OWNER_ZH: "暂时无法处理", OWNER_STAIRS: "暂时无法处理", OWNER_EN: "cannot handle requests"}
ANSWER_SECONDS = 20
HOLD_SECONDS = 3  # under PTB's 5 s read timeout, and longer than stopping the server takes (~0.3 s)
LEASE_SECONDS = 60  # the production lease: no claim runs out during the test


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    server = private_postgres_or_skip()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def bot(sandbox: SandboxServer, postgres: PrivatePostgres, tmp_path: Path) -> Iterator[BotProcess]:
    running = BotProcess(sandbox, postgres.url, tmp_path / "bot.log", lease_seconds=LEASE_SECONDS)
    yield running
    running.stop()


@pytest.fixture
async def tg(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=ANSWER_SECONDS) as client:
        yield client


async def on_the_wire(tg: SandboxClient) -> None:
    """Until the held push has reached the sandbox."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ANSWER_SECONDS
    while (await tg.stats())["faults"]["total"] < 1:
        assert loop.time() < deadline, "the staff group's push was never sent"
        await asyncio.sleep(0.02)


async def card(tg: SandboxClient, owner: int, words: str) -> SandboxMessage:
    after = await tg.last_message_id(owner)
    await tg.send_text(owner, words)
    return await with_button(tg, owner, "r:submit", after)


async def submit(tg: SandboxClient, owner: int, at: SandboxMessage) -> int:
    """Tap submit; returns the id of the bot's next message, the answer to wait for."""
    after = await tg.last_message_id(owner)
    await tg.click(owner, at, next(b["callback_data"] for b in at.buttons if b["callback_data"].startswith("r:submit")),
                   wait_answer=0)
    return after


async def answer_after(tg: SandboxClient, chat: int, after: int) -> SandboxMessage:
    """The first message after `after` that answers (not a push about someone else's ticket)."""
    return await tg.wait_for_message(chat, lambda m: "#" in m.text or TRY_AGAIN[chat] in m.text or bool(m.buttons),
                                     after_id=after, timeout=ANSWER_SECONDS)


async def test_a_postgresql_restart_mid_burst_fails_only_what_was_in_flight_politely_and_leaves_no_half_ticket(
        bot: BotProcess, tg: SandboxClient, postgres: PrivatePostgres) -> None:
    await bot.start(tg)
    kitchen = await card(tg, OWNER_ZH, "3栋2单元1801厨房水管漏水了")
    sink = await card(tg, OWNER_EN, "The bathroom sink is blocked")

    # The staff group's news of the kitchen ticket is held on the wire, and answered, while the server is down.
    await tg.set_faults(1.0, ["timeout"], methods=["sendMessage"], chats=[STAFF_GROUP], max_faults=1,
                        timeout_seconds=HOLD_SECONDS, timeout_delivery="after")
    in_flight = {OWNER_ZH: await submit(tg, OWNER_ZH, kitchen), OWNER_STAIRS: 0}  # 1003 has no messages yet
    await on_the_wire(tg)
    await tg.send_text(OWNER_STAIRS, "楼道的灯坏了")
    await asyncio.to_thread(postgres.stop)  # mid-burst: the server goes, every session cut off
    while_down = await submit(tg, OWNER_EN, sink)
    refused = await answer_after(tg, OWNER_EN, while_down)
    in_flight_answers = {chat: await answer_after(tg, chat, after) for chat, after in in_flight.items()}
    await tg.wait_for_text(None, "#", chat_id=STAFF_GROUP, timeout=ANSWER_SECONDS)  # Telegram has it; unmarked
    await asyncio.sleep(1)
    await tg.clear_faults()
    await asyncio.to_thread(postgres.start)

    again = await submit(tg, OWNER_EN, sink)  # after the restart: everything goes through
    filed_en = await tg.wait_for_text(OWNER_EN, "#", after_id=again)
    filed_zh = in_flight_answers[OWNER_ZH]
    if TRY_AGAIN[OWNER_ZH] in filed_zh.text:  # told to tap again: the owner does
        filed_zh = await tg.wait_for_text(OWNER_ZH, "已提交", after_id=await submit(tg, OWNER_ZH, kitchen))
    asked = await say(tg, OWNER_STAIRS, "楼道的灯坏了", "")
    jobs = await say(tg, PLUMBER, "/jobs", "我的任务", "可抢单")  # both tickets are in the technician's pool
    rows = await drained(postgres.url)
    seen = await deliveries_of(tg, rows)

    assert TRY_AGAIN[OWNER_EN] in refused.text, refused.text
    for chat, answer in in_flight_answers.items():
        assert TRY_AGAIN[chat] in answer.text or "#" in answer.text or answer.buttons, (chat, answer.text)
    assert "Submitted" in filed_en.text and ticket_number(filed_zh.text) != ticket_number(filed_en.text)
    assert TRY_AGAIN[OWNER_ZH] not in asked.text
    assert f"#{ticket_number(filed_zh.text)}" in jobs.text, jobs.text
    assert asked.buttons, "the stairwell report is asked where, as on any day"
    assert count(postgres.url, "SELECT count(*) FROM tickets") == 2
    assert broken_rules(postgres.url) == {}
    assert {status for *_, status in rows} == {"sent"}
    assert "sent but not marked" in bot.tail(100_000), "the held push was marked before the server went"
    assert {key: (want, got) for key, (want, got) in seen.items() if got != want} == {}, \
        "every committed push arrives, once: the one answered while the server was down too"
