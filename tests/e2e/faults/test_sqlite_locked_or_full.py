"""SQLite locked by another writer for longer than the busy timeout, or its disk full (PRAGMA max_page_count on
the bot's connections: the real SQLITE_FULL): the owner is told, in their language, that nothing was saved and
to send it again; the file passes integrity_check with nothing half-written; once the fault clears, the same
report goes through, once, with every word the owner typed."""
from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from sandbox import SandboxServer
from sandbox.client import SandboxClient, SandboxMessage
from tests.e2e.bot.helpers import tap, ticket_number, with_button
from tests.e2e.faults.conftest import OWNER, BotUnderTest, broken_rules, count, engine_of, integrity

BUSY_SECONDS = 1  # the bot's wait for the write lock (the URL's ?timeout=; 30 s in production)
REPORT = "3栋2单元1801厨房水管漏水了"
LONG_REPORT = REPORT + "，水一直顺着橱柜往下滴" * 150  # ~1,700 characters: the ticket needs new pages
TICKETS = "SELECT count(*) FROM tickets"
OWNER_EN = 1002


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "faults.db"


@pytest.fixture
async def bot(sandbox: SandboxServer, db: Path) -> AsyncIterator[BotUnderTest]:
    running = BotUnderTest(f"sqlite:///{db}?timeout={BUSY_SECONDS}", sandbox)
    await running.start()
    yield running
    if running.application is not None:
        await running.stop()


@pytest.fixture
async def tg(sandbox: SandboxServer, bot: BotUnderTest) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=10) as client:
        yield client


@contextmanager
def locked(db: Path) -> Iterator[None]:
    """Another process's writer holds the lock (BEGIN EXCLUSIVE) until the block ends."""
    holder = sqlite3.connect(db, isolation_level=None, timeout=5)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


@contextmanager
def disk_full(engine: Engine) -> Iterator[None]:
    """Every connection the bot opens may not grow the file by one page; its pool is emptied at both ends."""
    def cap(connection, _record):  # type: ignore[no-untyped-def]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()


async def card_for(tg: SandboxClient, text: str) -> SandboxMessage:
    after = await tg.last_message_id(OWNER)
    await tg.send_text(OWNER, text)
    return await with_button(tg, OWNER, "r:submit", after)


async def test_a_report_made_while_another_writer_holds_the_lock_is_refused_politely_and_goes_through_after(
        bot: BotUnderTest, tg: SandboxClient, db: Path) -> None:
    with locked(db):
        after = await tg.last_message_id(OWNER)
        await tg.send_text(OWNER, REPORT)
        await tg.send_text(OWNER_EN, "The kitchen tap is leaking")
        told = await tg.wait_for_text(OWNER, "系统正忙", "再发一次", after_id=after, timeout=BUSY_SECONDS + 15)
        told_en = await tg.wait_for_text(OWNER_EN, "the system is busy", "send it again", timeout=BUSY_SECONDS + 15)
    assert not told.buttons and not told_en.buttons
    assert integrity(db) == "ok" and count(bot.db_url, TICKETS) == 0

    card = await card_for(tg, REPORT)  # the owner sends it again: the dialog goes on as if nothing happened
    with locked(db):
        refused = await tap(tg, OWNER, card, "r:submit", "系统正忙")
    assert "点一次" in refused.text and count(bot.db_url, TICKETS) == 0 and integrity(db) == "ok"

    filed = await tap(tg, OWNER, card, "r:submit", "已提交")  # the same card, tapped again: the draft was kept
    assert count(bot.db_url, TICKETS) == 1 and ticket_number(filed.text) == 1
    assert broken_rules(bot.db_url) == {} and integrity(db) == "ok"


async def test_a_report_filed_while_the_disk_is_full_is_refused_politely_and_filed_whole_once_there_is_room(
        bot: BotUnderTest, tg: SandboxClient, db: Path) -> None:
    card = await card_for(tg, LONG_REPORT)
    with disk_full(engine_of(bot)):
        refused = await tap(tg, OWNER, card, "r:submit", "存储空间")
    assert "再发一次" in refused.text and "物业服务中心" in refused.text
    assert count(bot.db_url, TICKETS) == 0 and broken_rules(bot.db_url) == {} and integrity(db) == "ok"

    filed = await tap(tg, OWNER, card, "r:submit", "已提交")
    ticket = ticket_number(filed.text)
    assert count(bot.db_url, TICKETS) == 1
    kept = count(bot.db_url, "SELECT length(description) FROM tickets WHERE id = :id", id=ticket)
    assert kept == len(LONG_REPORT), "every word the owner typed is on the ticket"
    assert broken_rules(bot.db_url) == {} and integrity(db) == "ok"
