"""The bot killed (SIGKILL) around a push, then restarted: the owner gets the push, and how many times.

Between the outbox write and the send nothing is repeated: the claim's lease runs out and the restarted bot
sends it once. Between Telegram accepting the send and the mark "sent" being committed the push is repeated
once: Telegram has no idempotency key, so that window is what at-least-once costs (see bot/sender.py).
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import AsyncIterator, Iterator

import pytest
from sqlalchemy import create_engine, text

from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import tap, ticket_number, with_button

ROOT = Path(__file__).resolve().parents[3]
OWNER, PLUMBER, STAFF_GROUP = 1001, 2001, -1001
LEASE_SECONDS = 3


class BotProcess:
    """The bot in a subprocess on one database; start() again after kill() is the restart."""

    def __init__(self, sandbox: SandboxServer, db: Path, log: Path) -> None:
        self.sandbox, self.db, self.log = sandbox, db, log
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self, tg: SandboxClient) -> None:
        before = (await tg.stats())["calls"].get("getUpdates", 0)
        args = [sys.executable, "-m", "tests.e2e.outbox.bot_process", f"sqlite:///{self.db}",
                self.sandbox.bot_api_url, self.sandbox.file_api_url, self.sandbox.token, str(LEASE_SECONDS)]
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while (await tg.stats())["calls"].get("getUpdates", 0) <= before:  # polling: it is up
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the bot process did not start:\n" + self.log.read_text()[-3000:])
            await asyncio.sleep(0.2)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no post_stop, no finally, nothing marked
        self.process.wait(timeout=10)

    def outbox(self, like: str) -> list[tuple[str, int]]:
        engine = create_engine(f"sqlite:///{self.db}")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT status, attempts FROM outbox WHERE text LIKE :t"), {"t": like}).all()
        engine.dispose()
        return [(r[0], r[1]) for r in rows]


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def bot_process(sandbox: SandboxServer, tmp_path: Path) -> Iterator[BotProcess]:
    running = BotProcess(sandbox, tmp_path / "crash.db", tmp_path / "bot.log")
    yield running
    if running.process is not None and running.process.poll() is None:
        running.kill()


async def killed_while_the_owners_push_is_held(tg: SandboxClient, bot: BotProcess, delivery: str) -> int:
    """A ticket is filed; the owner's "assigned" push is held by the sandbox (delivered `delivery` the hold) when
    the technician claims; the bot is killed during the hold. Returns the ticket number."""
    await bot.start(tg)
    await tg.send_text(OWNER, "3栋2单元1801厨房水管漏水了")
    ticket = ticket_number((await tap(tg, OWNER, await with_button(tg, OWNER, "r:submit"), "r:submit", "#")).text)
    job = await with_button(tg, PLUMBER, f"t:claim:{ticket}")
    await tg.set_faults(1.0, ["timeout"], methods=["sendMessage"], chats=[OWNER], max_faults=1,
                        timeout_seconds=30, timeout_delivery=delivery)
    await tg.click(PLUMBER, job, next(b["callback_data"] for b in job.buttons
                                      if b["callback_data"].startswith(f"t:claim:{ticket}")))
    deadline = time.monotonic() + 20
    while (await tg.stats())["faults"]["total"] < 1:  # the push is on the wire, unanswered
        assert time.monotonic() < deadline, "the owner's push was never sent"
        await asyncio.sleep(0.02)
    bot.kill()
    await tg.clear_faults()
    return ticket


async def test_killed_between_the_outbox_write_and_the_send_the_restarted_bot_tells_the_owner_exactly_once(
        sandbox: SandboxServer, bot_process: BotProcess) -> None:
    async with SandboxClient(sandbox.url, timeout=20) as tg:
        ticket = await killed_while_the_owners_push_is_held(tg, bot_process, "never")
        assert await tg.delivery_counts(OWNER) == {k: 1 for k in await tg.delivery_counts(OWNER)}
        assert not any(f"#{ticket}" in t and "张师傅" in t for t in await tg.delivery_counts(OWNER))
        assert bot_process.outbox("%已派给%") == [("sending", 1)]  # claimed by the dead sender, never sent
        await bot_process.start(tg)
        pushed = await tg.wait_for_text(OWNER, f"#{ticket}", "张师傅", timeout=LEASE_SECONDS + 15)
        await asyncio.sleep(LEASE_SECONDS + 3)  # time for a wrong second copy to arrive
        counts = await tg.delivery_counts(OWNER)
    assert counts[pushed.content] == 1 and set(counts.values()) == {1}
    assert bot_process.outbox("%已派给%") == [("sent", 2)]


async def test_killed_after_telegram_accepted_the_push_but_before_it_was_marked_sent_it_is_repeated_once(
        sandbox: SandboxServer, bot_process: BotProcess) -> None:
    async with SandboxClient(sandbox.url, timeout=20) as tg:
        ticket = await killed_while_the_owners_push_is_held(tg, bot_process, "before")
        first = await tg.wait_for_text(OWNER, f"#{ticket}", "张师傅")  # Telegram has it; the bot never heard back
        assert bot_process.outbox("%已派给%") == [("sending", 1)]
        await bot_process.start(tg)
        await asyncio.sleep(LEASE_SECONDS + 5)
        counts = await tg.delivery_counts(OWNER)
    assert counts[first.content] == 2, "at least once: the unmarked push is sent again after the lease"
    assert {t: n for t, n in counts.items() if t != first.content} == {t: 1 for t in counts if t != first.content}
    assert bot_process.outbox("%已派给%") == [("sent", 2)]
