"""`make concurrency-bench`: with one chat's NLU call slowed to 2 s, how long does another chat wait for its reply?

The real bot runs in this process against the sandbox, on a fresh SQLite database with the demo data and the
rules NLU. The parser is wrapped so that any message containing SLOW_MARK takes 2 s to parse (a stalled NLU
call; asyncio.sleep, so it blocks nothing but its own update). Owner 1001 keeps sending such messages while
owner 1003 sends ordinary ones ("你好" / "谢谢") and we time each from send to the bot's first answer. The
same is measured with nobody else talking (unloaded), for the per-chat processor (what ships) and for
PTB's sequential processing (concurrent_updates(False), what shipped before issue #8). Results go to
docs/benchmarks.md between the concurrency-bench markers.
"""
from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.bootstrap import bootstrap, build_core
from app.config import load_config
from bench.doc_section import write_section
from bot.app import build_application
from bot.concurrency import PerChatUpdateProcessor
from nlu.rules import RulesParser
from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient

SLOW_MARK, SLOW_SECONDS = "慢慢来", 2.0
SLOW_CHAT, OTHER_CHAT, STAFF_GROUP = 1001, 1003, -1001
SAMPLES = 30
TARGET_RATIO = 1.5


class SlowParser:
    """The rules parser, except that messages carrying SLOW_MARK take SLOW_SECONDS to parse."""

    def __init__(self) -> None:
        self.inner = RulesParser()

    def parse(self, text: str) -> Any:
        return self.inner.parse(text)

    async def aparse(self, text: str) -> Any:
        if SLOW_MARK in text:
            await asyncio.sleep(SLOW_SECONDS)
        return self.inner.parse(text)


async def _reply_time(tg: SandboxClient, user: int, text: str) -> float:
    after = await tg.last_message_id(user)
    sent = time.perf_counter()
    await tg.send_text(user, text)
    await tg.wait_for_message(user, after_id=after, timeout=30)
    return time.perf_counter() - sent


async def _flood(tg: SandboxClient, stop: asyncio.Event) -> int:
    """1001 sends a slow message, waits for the answer, sends the next: its chat is never idle."""
    sent = 0
    while not stop.is_set():
        await _reply_time(tg, SLOW_CHAT, f"{SLOW_MARK}，你好")
        sent += 1
    return sent


async def measure(sequential: bool, loaded: bool) -> list[float]:
    sandbox = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await sandbox.start()
    with tempfile.TemporaryDirectory() as folder:
        svc = bootstrap(build_core(load_config(), f"sqlite:///{Path(folder)}/bench.db"), SlowParser(), STAFF_GROUP)
        processor = False if sequential else PerChatUpdateProcessor()
        application = build_application(svc, sandbox.token, sandbox.bot_api_url, sandbox.file_api_url, sandbox=True,
                                        updates=processor)
        await application.initialize()
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=2)
        try:
            async with SandboxClient(sandbox.url, timeout=30) as tg:
                for warm in ("你好", "谢谢"):
                    await _reply_time(tg, OTHER_CHAT, warm)
                stop = asyncio.Event()
                flood = asyncio.create_task(_flood(tg, stop)) if loaded else None
                await asyncio.sleep(0.2 if loaded else 0)
                times = []
                for i in range(SAMPLES):
                    times.append(await _reply_time(tg, OTHER_CHAT, ("你好", "谢谢")[i % 2]))
                    await asyncio.sleep(0.1)
                stop.set()
                if flood is not None:
                    await asyncio.wait_for(flood, timeout=SLOW_SECONDS * 3 + 30)
                return times
        finally:
            await application.updater.stop()
            await application.stop()
            await application.post_stop(application)
            await application.shutdown()
            svc.close()
            await sandbox.stop()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    rows, summary = [], {}
    for sequential in (False, True):
        name = "sequential (concurrent_updates(False), before #8)" if sequential else "per chat (PerChatUpdateProcessor)"
        unloaded = asyncio.run(measure(sequential, loaded=False))
        loaded = asyncio.run(measure(sequential, loaded=True))
        ratio = p95(loaded) / p95(unloaded)
        summary[sequential] = ratio
        rows.append(f"| {name} | {statistics.median(unloaded) * 1000:.0f} | {p95(unloaded) * 1000:.0f} | "
                    f"{statistics.median(loaded) * 1000:.0f} | {p95(loaded) * 1000:.0f} | {ratio:.2f} |")
        print(rows[-1], file=sys.stderr)
    met = "met" if summary[False] <= TARGET_RATIO else "MISSED"
    write_section("concurrency-bench", "\n".join([
        "## Nobody waits on somebody else (`make concurrency-bench`)",
        "",
        f"Owner 1001's every message takes {SLOW_SECONDS:.0f} s to parse (a stalled NLU call) and 1001 keeps sending;",
        f"owner 1003 sends {SAMPLES} ordinary messages and we time each from send to the bot's first answer,",
        "over the sandbox's real HTTP, with the real bot on SQLite. Unloaded: 1001 silent. Same run, same machine",
        f"(2 cores). Target: loaded p95 <= {TARGET_RATIO}x unloaded p95 for the processor that ships: **{met}**.",
        "",
        "| update processing | unloaded median ms | unloaded p95 ms | loaded median ms | loaded p95 ms | p95 ratio |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Within one chat, updates still run one at a time and in arrival order (tests/unit/bot/test_concurrency.py).",
    ]))
    return 0 if summary[False] <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
