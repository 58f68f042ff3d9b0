"""Telegram failing under the bot, by the sandbox's fault switch, for the kinds tests/e2e/bot/test_outbox_faults.py
(429 and 5xx at random) does not cover: timeouts, dropped connections, a push failing again and again, a 429's
retry_after, calls Telegram carried out but never answered, and the replies to the person acting.

Pushes go through the outbox: retried with backoff (doubling from 1 s) or after the 429's retry_after, and in the
end each arrives once, or, when Telegram took a call it never answered, exactly once more for each such call
(bot/sender.py: the Bot API has no idempotency key). The bot's clock is a FakeClock a ticker moves: in step with
real time where a test times the retries (the outbox's times are the bot's), ten times faster elsewhere.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import bot, tg  # noqa: F401  (the in-process bot on a FakeClock, and its client)
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.e2e.faults.conftest import OWNER, PLUMBER, STAFF_GROUP, BotUnderTest
from tests.e2e.faults.delivery import deliveries_of, drained

REPORT = "3栋2单元1801厨房水管漏水了"


async def moving(bot: BotUnderTest, per_tenth: float) -> AsyncIterator[None]:  # noqa: F811
    """The bot's clock moves `per_tenth` seconds every 0.1 s of real time (a little less: sleeps overshoot)."""
    async def tick() -> None:
        while True:
            await asyncio.sleep(0.1)
            bot.clock.advance(timedelta(seconds=per_tenth))
    task = asyncio.create_task(tick())
    yield
    task.cancel()


@pytest.fixture
async def ticking(bot: BotUnderTest) -> AsyncIterator[None]:  # noqa: F811
    """Ten times faster than real time: retries come due quickly."""
    async for _ in moving(bot, 1.0):
        yield


@pytest.fixture
async def in_step(bot: BotUnderTest) -> AsyncIterator[None]:  # noqa: F811
    """At most real time, so a wait in the bot's seconds is at least as long in real ones: retries sent at once
    (three 0.5 s faults, 1.5 s) cannot pass for a backoff of 1 + 2 + 4 s."""
    async for _ in moving(bot, 0.1):
        yield


def outbox_timing(db_url: str, chat: int, like: str) -> list[tuple[int, float]]:
    """(attempts, seconds from written to sent) of the chat's messages whose text is like `like`."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT attempts, created_at, sent_at FROM outbox "
                                 "WHERE chat_id = :c AND text LIKE :t"),
                            {"c": chat, "t": like}).all()
    engine.dispose()
    return [(int(a), (_at(sent) - _at(made)).total_seconds()) for a, made, sent in rows]


def _at(value: object) -> datetime:
    """SQLite hands the stored time back as text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


async def filed(tg: SandboxClient) -> int:  # noqa: F811
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, REPORT)
    card = await with_button(tg, OWNER, "r:submit", after)
    return ticket_number((await tap(tg, OWNER, card, "r:submit", "已提交")).text)


async def test_a_push_that_drops_times_out_or_gets_a_5xx_three_times_is_retried_with_doubling_waits_and_arrives_once(
        bot: BotUnderTest, tg: SandboxClient, in_step: None) -> None:  # noqa: F811
    await tg.set_faults(1.0, ["drop", "timeout", "5xx"], methods=["sendMessage"], chats=[STAFF_GROUP], max_faults=3,
                        timeout_seconds=0.5, timeout_delivery="never", seed=7)
    ticket = await filed(tg)
    news = await tg.wait_for_text(None, f"#{ticket}", chat_id=STAFF_GROUP, timeout=30)
    faults = (await tg.stats())["faults"]
    await tg.clear_faults()
    rows = await drained(bot.db_url)
    await asyncio.sleep(3)  # a wrong repeat would arrive by now

    assert faults["total"] == 3 and faults["drop"] + faults["timeout"] + faults["5xx"] == 3
    attempts, waited = next(t for t in outbox_timing(bot.db_url, STAFF_GROUP, f"%#{ticket}%") if t[0] > 1)
    assert attempts == 4, "three failures, then the one that went"
    assert waited >= 1 + 2 + 4, f"backoff doubles from 1 s: sent {waited} s after it was written"
    assert (await tg.delivery_counts(chat_id=STAFF_GROUP))[news.content] == 1
    assert all(got == want for want, got in (await deliveries_of(tg, rows)).values())


async def test_a_push_refused_with_429_waits_what_telegram_says_each_time_and_arrives_once(
        bot: BotUnderTest, tg: SandboxClient, in_step: None) -> None:  # noqa: F811
    ticket = await filed(tg)
    job = await with_button(tg, PLUMBER, f"t:claim:{ticket}")
    # retry_after 2, twice: 4 s, where the backoff alone (1 + 2 s) would have tried sooner.
    await tg.set_faults(1.0, ["429"], methods=["sendMessage"], chats=[OWNER], max_faults=2, retry_after=2)
    await tap(tg, PLUMBER, job, f"t:claim:{ticket}", f"#{ticket}")
    told = await tg.wait_for_text(OWNER, f"#{ticket}", "已派给", timeout=30)
    await tg.clear_faults()
    await drained(bot.db_url)
    await asyncio.sleep(3)

    (attempts, waited), = outbox_timing(bot.db_url, OWNER, "%已派给%")
    assert attempts == 3 and waited >= 2 + 2, f"{attempts} attempts, sent {waited} s after it was written"
    assert (await tg.delivery_counts(OWNER))[told.content] == 1


async def test_pushes_telegram_carried_out_but_never_answered_are_repeated_exactly_once_per_such_call(
        bot: BotUnderTest, tg: SandboxClient, ticking: None) -> None:  # noqa: F811
    await tg.set_faults(0.5, ["timeout", "drop"], methods=["sendMessage"], chats=[STAFF_GROUP], seed=3,
                        timeout_seconds=0.5, timeout_delivery="before", drop_delivered=True)
    first = await filed(tg)
    await say(tg, OWNER, "/urge " + str(first), "")
    second = await filed(tg)
    for ticket in (first, second):
        await tg.wait_for_text(None, f"#{ticket}", chat_id=STAFF_GROUP, timeout=30)
    rows = await drained(bot.db_url)
    faults = (await tg.stats())["faults"]
    await tg.clear_faults()
    await asyncio.sleep(3)
    seen = await deliveries_of(tg, rows)

    group = {shown: pair for (chat, shown), pair in seen.items() if chat == STAFF_GROUP}
    assert faults["total"] >= 2, f"the seed faults too little to show anything: {faults}"
    assert all(got >= want for want, got in group.values()), f"a push was lost: {group}"
    extra = sum(got - want for want, got in group.values())
    assert extra == faults["total"], f"{extra} repeats for {faults['total']} calls carried out but not answered"
    assert all(got == want for (chat, _), (want, got) in seen.items() if chat != STAFF_GROUP)


async def test_the_replies_to_the_person_acting_are_retried_through_a_429_5xx_or_drop_and_arrive_once(
        bot: BotUnderTest, tg: SandboxClient) -> None:  # noqa: F811
    await tg.set_faults(1.0, ["429", "5xx", "drop"], methods=["sendMessage"], chats=[OWNER], max_faults=2,
                        retry_after=1, seed=5)
    ticket = await filed(tg)  # the card's reply fails twice and goes on the third try
    faults = (await tg.stats())["faults"]
    counts = await tg.delivery_counts(OWNER)

    assert faults["total"] == 2 and ticket
    assert set(counts.values()) == {1}, counts
