"""`make outbox-bench` (issue #10): 5,000 notifications through the outbox, the sender and PTB into the sandbox,
with Telegram's limits on and 10 % of sendMessage calls faulted (429, 5xx, timeouts, dropped connections), in two
profiles: every fault one where Telegram did not take the message, and the same with each timeout carried out
before it timed out (taken, but the bot never heard: the case no Bot API client can get exactly once).

Checks every outbox row against what the sandbox delivered (exactly once, in each chat's order), that the
sandbox refused nothing for a limit (its 429s per limit), and the rate achieved against the 30/s ceiling.
Writes docs/benchmarks.md between the outbox-bench markers.
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import multiprocessing
import os
import random
import socket
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

from telegram.ext import AIORateLimiter, ExtBot

from bench.doc_section import write_section
from bot.sender import OutboxSender
from bot.transport import AiohttpRequest
from domain.outbox import OPEN, Backoff, Delivery, OutboxMessage
from domain.pacing import SendPace
from domain.ports import SystemClock
from sandbox import Faults, SandboxServer
from sandbox.client import SandboxClient
from storage.db import make_engine, make_session_factory
from storage.models import Base
from storage.uow import SqlUnitOfWork

T = TypeVar("T")
STAFF_GROUP = -1001
SEED = 10
FAULTS = Faults(rate=0.10, seed=SEED, methods=("sendMessage",), retry_after=1, timeout_seconds=3.0,
                timeout_delivery="never")
PROFILES = {  # the same faults drawn alike; only what a timeout did differs
    "not taken": FAULTS,  # 429, 5xx, a timeout or a dropped connection, each before anything was sent
    "taken, then timed out": dataclasses.replace(FAULTS, timeout_delivery="before"),  # can repeat
    "no faults": dataclasses.replace(FAULTS, rate=0.0),  # what bounds the sender when nothing fails
}
READ_TIMEOUT = 2.0  # the bot gives up on an answer after this (PTB's default is 5 s)
CEILING = 30.0


@dataclass
class Ports:
    """What the sender uses of BotServices: the unit of work, the clock, and a way off the event loop."""

    uow: Callable[[], SqlUnitOfWork]
    clock: SystemClock

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)


def mix(n: int, rng: random.Random) -> list[tuple[int, str, dict | None]]:
    """Who is told what: owners (most chats, a few messages each), technicians (few chats, many messages, with
    buttons) and the staff group (about 1 %: at 20 a minute it cannot take more in the run's ~3 minutes)."""
    owners = [100_000 + i for i in range(1500)]
    technicians = [200_000 + i for i in range(40)]
    out = []
    for k in range(n):
        roll = rng.random()
        if roll < 0.01:
            out.append((STAFF_GROUP, f"[{k}] 🚨 工单 #{k} 超时 / ticket #{k} is overdue", None))
        elif roll < 0.21:
            buttons = {"inline_keyboard": [[{"text": "接单 Accept", "callback_data": f"tkt:accept:{k}"}]]}
            out.append((rng.choice(technicians), f"[{k}] 新工单 #{k}: 3-2-1801 水管漏水 / new job", buttons))
        else:
            owner = owners[int(rng.random() ** 1.5 * len(owners))]  # some owners hear more than others
            out.append((owner, f"[{k}] 您的工单 #{k} 状态更新: 维修中 / your ticket is in progress", None))
    return out


def write_rows(uow: Callable[[], SqlUnitOfWork], rows: list[tuple[int, str, dict | None]]) -> list[int]:
    now = datetime.now(timezone.utc)
    with uow() as u:
        ids = [u.outbox.add(OutboxMessage(chat_id=c, text=t, created_at=now, reply_markup=m)).id or 0
               for c, t, m in rows]
        u.commit()
    return ids


def statuses(uow: Callable[[], SqlUnitOfWork]) -> Counter[str]:
    with uow() as u:
        found = u.outbox.find(tuple(Delivery), limit=10**6)
    return Counter(m.status.value for m in found)


def still_open(uow: Callable[[], SqlUnitOfWork]) -> bool:
    with uow() as u:
        return bool(u.outbox.find(OPEN, limit=1))


async def deliver(server: SandboxServer, ports: Ports, concurrency: int, pace: bool) -> tuple[float, int]:
    request = AiohttpRequest(connection_pool_size=max(8, 2 * concurrency), read_timeout=READ_TIMEOUT,
                             connect_timeout=READ_TIMEOUT)  # the bot's own client (bot/transport.py)
    bot = ExtBot(server.token, base_url=server.bot_api_url, base_file_url=server.file_api_url, request=request,
                 rate_limiter=AIORateLimiter(max_retries=0))  # Telegram's defaults, as bot/app.py builds it
    sender = OutboxSender(ports, bot, Backoff(), concurrency, SendPace() if pace else None)  # type: ignore[arg-type]
    sent = 0
    async with bot:
        started = time.perf_counter()
        while True:
            sent += await sender.flush()
            if not await ports.call(still_open, ports.uow):
                return time.perf_counter() - started, sent
            await asyncio.sleep(0.05)


def check(rows: list[tuple[int, str, dict | None]], stats: dict[str, Any]) -> dict[str, Any]:
    """Every row against the sandbox's delivery counts; each chat's first deliveries in the outbox's order."""
    chats = stats["chats"]
    counts = Counter()
    out_of_order = 0
    for chat in {c for c, _, _ in rows}:
        expected = [t for c, t, _ in rows if c == chat]
        texts = chats.get(str(chat), {}).get("texts", {})
        counts.update(min(texts.get(t, 0), 2) for t in expected)
        out_of_order += [t for t in texts if t in set(expected)] != [t for t in expected if t in texts]
    duplicates = sum(max(0, n - 1) for c in chats.values() for n in c.get("texts", {}).values())
    return {"missing": counts[0], "once": counts[1], "duplicated": counts[2], "extra": duplicates,
            "chats_out_of_order": out_of_order}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int, chats: list[int], faults: Faults, ready: Any, stop: Any) -> None:
    """The sandbox with limits and faults on, and a private chat for every user the outbox writes to."""
    server = SandboxServer([], port=port, limits=True, faults=faults)
    for chat in chats:
        server.world.ensure_user(chat)
        server.world.private_chat(chat)
    with server.running_in_thread():
        ready.set()
        stop.wait()


async def run(n: int, concurrency: int, pace: bool, profile: str) -> dict[str, Any]:
    rng = random.Random(SEED)
    rows = mix(n, rng)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'outbox.db'}")
        Base.metadata.create_all(engine)
        factory = make_session_factory(engine)
        ports = Ports(lambda: SqlUnitOfWork(factory), SystemClock())
        write_rows(ports.uow, rows)
        chats = sorted({c for c, _, _ in rows if c > 0})
        port, stop, ready = free_port(), multiprocessing.Event(), multiprocessing.Event()
        # In its own process: in this one, its clock would read the bot's requests late and in bunches whenever
        # the bot's own work holds the interpreter, and count windows the bot never sent.
        child = multiprocessing.get_context("fork").Process(target=serve, args=(port, chats, PROFILES[profile], ready, stop))
        child.start()
        try:
            assert ready.wait(30), "the sandbox did not start"
            server = SandboxServer([], port=port)
            load_before = os.getloadavg()[0]
            seconds, sent = await deliver(server, ports, concurrency, pace)
            load = (load_before, os.getloadavg()[0])
            async with SandboxClient(server.url) as tg:
                stats = await tg.stats()
        finally:
            stop.set()
            child.join(30)
        final = statuses(ports.uow)
        engine.dispose()
    return {"n": n, "seconds": seconds, "sent": sent, "statuses": dict(final), "stats": stats,
            "check": check(rows, stats), "chats": len({c for c, _, _ in rows}),
            "group": sum(c == STAFF_GROUP for c, _, _ in rows), "concurrency": concurrency, "pace": pace,
            "profile": profile, "load": load,
            "per_chat_max": max(Counter(c for c, _, _ in rows).values())}


def render(results: list[dict[str, Any]]) -> str:
    main = results[0]
    lines = ["## Outbox delivery (`make outbox-bench`, issue #10)", "",
             f"{main['n']} notifications written to the outbox (SQLite) at once and delivered by bot/sender.py's "
             "OutboxSender, paced by domain/pacing.py, through PTB (ExtBot on the bot's aiohttp client, with AIORateLimiter's defaults, "
             "max_retries=0) into the sandbox (its own process) with Telegram's limits on (30 in any second "
             "overall, 1/s per chat with bursts of 3, 20 in any minute per group) and "
             f"{FAULTS.rate:.0%} of sendMessage calls faulted, seed {SEED}, in equal parts: 429 (retry_after "
             f"{FAULTS.retry_after}), 500/502, timeouts (the sandbox holds the call {FAULTS.timeout_seconds:g} s; "
             f"the bot gives up after {READ_TIMEOUT:g} s) and dropped connections (nothing sent). Two fault profiles, "
             "the same draws: **not taken**, each timeout sends nothing; **taken, then timed out**, each timeout "
             "is carried out before the hold (the message is in the chat, the bot never hears); and a run with "
             "**no faults**, for what bounds the sender itself. The mix: "
             f"{main['chats']} chats: owners (a few messages each), 40 technicians (about 25 each, with a "
             f"button) and the staff group ({main['group']} messages, about 1 %); the busiest chat gets "
             f"{main['per_chat_max']}. Each chat's messages go in order, one in flight at a time, 16 chats at once.",
             "",
             "| profile | wall time (s) | delivered / s (distinct) | of the 30/s ceiling | calls our pacing counts "
             "/ s (all but 429s) | sandbox 429s for a limit (overall / chat / group) | faults injected (429 / 5xx / "
             "timeout / drop) | rows marked sent | delivered once / twice / never | chats out of order | load "
             "average (1 min, start → end) |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s, c = r["stats"], r["check"]
        lim, f = s["limited"], s["faults"]
        name = r["profile"] + ("" if r["pace"] and r["concurrency"] == 16 else
                               f", {r['concurrency']} at a time, {'paced' if r['pace'] else 'unpaced'}")
        rate, calls = r["n"] / r["seconds"], s["calls"].get("sendMessage", 0)
        counted = (calls - f["429"] - lim["total"]) / r["seconds"]
        lines.append(f"| {name} | {r['seconds']:.1f} | {rate:.1f} | {rate / CEILING:.0%} | {counted:.1f} "
                     f"({counted / CEILING:.0%}) | {lim['overall']} / {lim['chat']} / {lim['group']} | {f['429']} / "
                     f"{f['5xx']} / {f['timeout']} / {f['drop']} | {r['statuses'].get('sent', 0)} of {r['n']} | "
                     f"{c['once']} / {c['duplicated']} / {c['missing']} | {c['chats_out_of_order']} | "
                     f"{r['load'][0]:.1f} → {r['load'][1]:.1f} |")
    lines += ["", "**Targets.**"]
    for r in results:
        c, f, lim = r["check"], r["stats"]["faults"], r["stats"]["limited"]
        rate = r["n"] / r["seconds"]
        if r["profile"] != "taken, then timed out":
            verdict = "met" if c["missing"] == 0 and c["duplicated"] == 0 else "not met"
            lines.append(f"- *{r['profile']}*: every notification exactly once: {c['once']} once, "
                         f"{c['duplicated']} twice, {c['missing']} never: **{verdict}**.")
        else:
            verdict = "met" if c["missing"] == 0 and c["extra"] <= f["timeout"] else "not met"
            lines.append(f"- *{r['profile']}*: none lost and no more repeats than timeouts after delivery: "
                         f"{c['missing']} never, {c['extra']} extra deliveries for {f['timeout']} such timeouts: "
                         f"**{verdict}**.")
        lines.append(f"  No limit exceeded: {lim['total']} sandbox 429s for a limit: "
                     f"**{'met' if lim['total'] == 0 else 'not met'}**. Rate: {rate / CEILING:.0%} of 30/s: "
                     f"**{'met' if rate >= 0.9 * CEILING else 'not met'}** (target 90 %).")
    lines += ["", "**Why the second profile cannot be exactly once.** sendMessage has no idempotency key, and the "
              "Bot API offers no way to ask whether a message went out (the bot's own messages do not come back "
              "through getUpdates). When the answer never comes, a timeout or a dropped connection, the message "
              "may or may not be in the chat, and a client can only send again (a repeat, if it had gone) or give "
              "up (a loss, if it had not). No Bot API client can be exactly once there. The sender sends again: "
              "the row stays open, is retried with backoff and is marked sent once, when an answer comes; so each "
              "such fault can add one repeat and never a loss (at least once). Where Telegram did not take a message (the "
              "first profile) nothing forces a repeat, so there every message is to arrive exactly once; a crash "
              "of the bot itself repeats only a message whose answer was on the way back (tests/e2e/outbox)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--profile", choices=[*PROFILES, "all"], default="all")
    parser.add_argument("--compare", type=int, default=0, help="also run one at a time and unpaced on this many")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    logging.getLogger("telegram").setLevel(logging.CRITICAL)  # each 429, 5xx and timeout is counted below
    profiles = list(PROFILES) if args.profile == "all" else [args.profile]
    results = [asyncio.run(run(args.n, 16, True, profile)) for profile in profiles]
    if args.compare:
        results.append(asyncio.run(run(args.compare, 1, True, profiles[0])))
        results.append(asyncio.run(run(args.compare, 16, False, profiles[0])))
    markdown = render(results)
    print(markdown)
    if not args.no_write:
        write_section("outbox-bench", markdown)


if __name__ == "__main__":
    main()
