"""make scale-bench: updates handled per second by 1, 2 and 3 webhook workers behind nginx on one PostgreSQL
database, at a saturating burst: OWNERS registered owners each send MESSAGES messages at once (a report, a
correction, /mytickets, /help...), so every worker always has work. Throughput = updates / (webhook set -> last
handled: the burst is queued at the sandbox first), read from inbound_updates; latency = stored -> handled.
Rules NLU (no Rasa), no knowledge base or voice. Writes the `scale` section of docs/benchmarks.md."""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from app.bootstrap import build_core
from app.config import load_config
from bench.doc_section import write_section
from domain.people import Person, Role
from domain.values import Language, Location
from sandbox import Persona, SandboxServer, demo_personas
from sandbox.client import SandboxClient
from storage.db import make_engine
from tests.e2e.scale.cluster import Cluster, fresh_database
from tests.fakes import without_quiet_hours

DB_URL = os.environ.get("SCALE_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test_scale")
FIRST_OWNER = 7001
SCRIPT = ["厨房水管漏水了", "/mytickets", "是卫生间，不是厨房", "/help", "水一直在滴", "/mytickets", "我家地址对的", "/help"]


def owners(count: int) -> list[int]:
    return list(range(FIRST_OWNER, FIRST_OWNER + count))


def seed(count: int) -> None:
    core = build_core(without_quiet_hours(load_config()), DB_URL, migrate=False)
    with core.uow() as uow:
        for i, uid in enumerate(owners(count)):
            home = core.estate.check_home(Location(str(1 + i % 12), "1", f"{1 + i // 12}0{1 + i % 4}"))
            uow.people.add(Person(f"业主{uid}", Role.OWNER, core.estate.id, chat_id=uid, language=Language.ZH,
                                  phone=f"139{uid:08d}", homes=[home]))
        uow.commit()
    core.close()


async def burst(tg: SandboxClient, count: int, messages: int) -> None:
    async def one(uid: int) -> None:
        for i in range(messages):
            await tg.send_text(uid, SCRIPT[i % len(SCRIPT)])
    await asyncio.gather(*(one(uid) for uid in owners(count)))


def run(workers: int, count: int, messages: int, workdir: Path) -> dict[str, float]:
    engine = make_engine(DB_URL)
    fresh_database(engine)
    seed(count)
    personas = [*demo_personas(), *(Persona(uid, f"业主{uid}", None, "zh", "owner") for uid in owners(count))]
    total = count * messages
    with SandboxServer(personas, staff_group_id=-1001, port=0).running_in_thread() as sandbox:
        cluster = Cluster(DB_URL, sandbox, workdir / f"w{workers}", workers=workers)
        (workdir / f"w{workers}").mkdir(parents=True, exist_ok=True)
        try:
            cluster.start_front()
            cluster.start_workers()
            asyncio.run(cluster.wait_leader(15))

            async def drive() -> None:
                async with SandboxClient(sandbox.url, timeout=30.0) as tg:
                    await burst(tg, count, messages)
            # The burst waits at "Telegram" first (no webhook yet), so the clock measures the workers, not how
            # fast one Python process can type 320 messages into the sandbox.
            asyncio.run(drive())
            load = os.getloadavg()[0]
            started = time.time()
            asyncio.run(cluster.set_webhook())
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                with engine.connect() as conn:
                    done = conn.execute(text("SELECT count(*) FROM inbound_updates WHERE status = 'done'")).scalar()
                if done >= total:
                    break
                time.sleep(0.1)
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT received_at, handled_at FROM inbound_updates "
                                         "WHERE status = 'done'")).all()
        finally:
            cluster.stop()
    engine.dispose()
    last = max(r.handled_at for r in rows).timestamp()
    waits = sorted((r.handled_at - r.received_at).total_seconds() for r in rows)
    return {"workers": workers, "updates": len(rows), "offered": total, "seconds": last - started,
            "per_second": len(rows) / (last - started), "p50": statistics.median(waits),
            "p95": waits[int(0.95 * (len(waits) - 1))], "load": load, "load_after": os.getloadavg()[0]}


def report(results: list[dict[str, float]], count: int, messages: int) -> str:
    base = results[0]["per_second"]
    lines = [
        "## Scale-out: webhook workers behind nginx (make scale-bench)",
        "",
        f"{count} owners each send {messages} messages at once ({count * messages} updates: reports, corrections,"
        " /mytickets, /help), through the sandbox's webhook -> nginx (least_conn) -> N workers -> PostgreSQL; "
        "rules NLU, no knowledge base or voice. Throughput is updates handled per second from setting the webhook "
        "to the last update handled (the burst waits at the sandbox until then, so typing it in is not timed); "
        "latency is stored -> handled (queueing included). All processes, the sandbox "
        "and the load driver share this machine's 2 cores with the other engineers' work.",
        "",
        "| workers | updates handled / offered | seconds | updates/s | vs 1 worker | stored -> handled p50 | p95 "
        "| load avg (before -> after) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['workers']:.0f} | {r['updates']:.0f} / {r['offered']:.0f} | {r['seconds']:.1f} | "
                     f"{r['per_second']:.1f} | {r['per_second'] / base:.2f}x | {r['p50']:.2f} s | {r['p95']:.2f} s | "
                     f"{r['load']:.2f} -> {r['load_after']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--owners", type=int, default=40)
    parser.add_argument("--messages", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        results = [run(n, args.owners, args.messages, Path(tmp)) for n in args.workers]
    markdown = report(results, args.owners, args.messages)
    print(markdown)
    if not args.no_doc:
        write_section("scale", markdown + "\n\n" + NOTES)


NOTES = """What the figures say, and what changes on real hardware:
- Here every worker, nginx, PostgreSQL, the sandbox (one Python process delivering every update and taking every
  reply) and the load driver compete for 2 cores that other work also uses, so a second and third worker add
  little: the machine, not the design, is the limit. Per-chat order is kept in the database, so a chat's
  updates never overtake each other whatever the worker count.
- On real hardware (a core or more per worker, PostgreSQL on its own machine with SSD): throughput should grow
  close to linearly with workers until PostgreSQL's commit rate is the limit; each update costs a few short
  transactions (store, claim, chat state, the use case, mark done). Telegram itself caps outgoing messages
  (30/s overall, 1/s per chat), which the outbox keeps; that, not the workers, bounds notifications.
- Rasa scales the same way behind the front (`/model/parse` upstream); a Rasa server parses in ~19 ms, so one
  Rasa per one or two workers keeps parsing off the critical path. Not measured here (Rasa needs ~630 MiB and
  26 s per server)."""


if __name__ == "__main__":
    main()
