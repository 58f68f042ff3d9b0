"""Three webhook workers behind nginx on one PostgreSQL database; the leader is SIGKILLed mid-load, and later the
new leader is stopped with SIGTERM (as a rolling upgrade does), leaving one worker.

A new leader takes over within seconds each time; no update is lost (every one sent is stored once and handled); every
notification in the outbox reaches Telegram once (at most the few the dead leader had in flight go twice: the
Bot API has no idempotency key, bot/sender.py); no ticket is claimed by two technicians; each chat's updates
were handled in order. The NLU is the rules parser here (the test is about workers, not parsing).
"""
from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Engine, text

from app.bootstrap import build_core
from app.config import load_config
from domain.people import ALL_ZONES, Person, Role
from domain.values import Category, Language
from sandbox import SandboxServer
from sandbox.client import SandboxClient
from storage.db import make_engine
from tests.e2e.scale.cluster import NGINX, Cluster, fresh_database
from tests.e2e.scale.load import GUESTS, OWNER_REPORTS, RIVALS, STAFF, Tally, chatter, owner_files, personas, \
    technician_claims
from tests.fakes import without_quiet_hours

pytestmark = pytest.mark.postgres
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
STAFF_GROUP = -1001
TAKEOVER_SECONDS = 5.0
HANDOVER_SECONDS = 10.0  # SIGTERM: the worker first finishes the updates and sends it has in hand


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = make_engine(PG_URL)
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        engine.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL}: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}")
    fresh_database(engine)
    yield engine
    engine.dispose()


def seed(engine: Engine) -> None:
    """The demo people (as every worker would seed them) and the two rival technicians."""
    core = build_core(without_quiet_hours(load_config()), PG_URL, migrate=False)
    with core.uow() as uow:
        for uid, family in RIVALS:
            uow.people.add(Person(f"{family}师傅", Role.TECHNICIAN, core.estate.id, chat_id=uid, language=Language.ZH,
                                  skills=frozenset(Category), zones=frozenset({ALL_ZONES})))
        uow.commit()
    core.close()


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """In its own thread: the cluster's start-up waits block this loop, and the workers must reach it meanwhile."""
    with SandboxServer(personas(), staff_group_id=STAFF_GROUP, port=0).running_in_thread() as server:
        yield server


@pytest.fixture
def cluster(engine: Engine, sandbox: SandboxServer, tmp_path: Path) -> Iterator[Cluster]:
    if not Path(NGINX).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: make setup installs it (mk/scale.mk)", pytrace=False)
        pytest.skip("nginx is missing: make setup installs it (mk/scale.mk)")
    seed(engine)
    running = Cluster(PG_URL, sandbox, tmp_path, workers=3, lease_seconds=3.0)
    try:
        running.start_front()
        running.start_workers()
        yield running
    finally:
        running.stop()


def sent_by_the_bot(sandbox: SandboxServer) -> Counter[tuple[int, str]]:
    """What reached the sandbox, keyed as the outbox keeps it: the text as sent (before parse_mode rendering)."""
    return Counter((chat.id, record.source_text or record.message.get("text") or record.message.get("caption") or "")
                   for chat in list(sandbox.world.chats.values()) for record in list(chat.records.values())
                   if record.from_bot)


async def settled(engine: Engine, sandbox: SandboxServer, seconds: float) -> None:
    """Every update delivered and handled, every outbox message ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            open_updates = conn.execute(text("SELECT count(*) FROM inbound_updates WHERE status <> 'done'")).scalar()
            open_news = conn.execute(text("SELECT count(*) FROM outbox "
                                          "WHERE status IN ('pending', 'sending')")).scalar()
        if not sandbox.world.updates and not open_updates and not open_news:
            return
        await asyncio.sleep(0.3)
    raise AssertionError(f"not settled in {seconds} s: {len(sandbox.world.updates)} undelivered, "
                         f"{open_updates} unhandled, {open_news} unsent")


async def test_killing_the_leader_mid_load_loses_no_update_repeats_no_notification_and_double_claims_nothing(
        cluster: Cluster, sandbox: SandboxServer, engine: Engine) -> None:
    await cluster.set_webhook()
    first = await cluster.wait_leader(15)
    tally, stop = Tally(), asyncio.Event()
    async with SandboxClient(sandbox.url, timeout=30.0) as tg:
        background = [asyncio.create_task(technician_claims(tg, tally, tech, stop))
                      for tech in (2001, 2003, 2004, 2005)]
        background += [asyncio.create_task(chatter(tg, tally, user, "/tickets", stop)) for user in STAFF]
        background += [asyncio.create_task(chatter(tg, tally, user, "你好", stop)) for user in GUESTS]
        owners = [asyncio.create_task(owner_files(tg, tally, owner)) for owner in OWNER_REPORTS]
        mid_load = time.monotonic() + 90
        while len(tally.tickets) < 2:  # mid-load: reports filed, offers going out, claims racing
            assert time.monotonic() < mid_load, "no two reports filed within 90 s"
            await asyncio.sleep(0.05)
            assert not any(o.done() and o.exception() for o in owners), [o.exception() for o in owners if o.done()]
        cluster.kill(first)
        killed_at = time.monotonic()
        second = await cluster.wait_leader(TAKEOVER_SECONDS)
        takeover = time.monotonic() - killed_at
        while len(tally.tickets) < 6:  # then the new leader is stopped the polite way, as an upgrade does
            assert time.monotonic() < mid_load + 90, "no six reports filed within 3 minutes"
            await asyncio.sleep(0.05)
        stopping = asyncio.create_task(asyncio.to_thread(cluster.terminate, second))
        stopped_at = time.monotonic()
        third = await cluster.wait_leader(HANDOVER_SECONDS, without=second)
        handover = time.monotonic() - stopped_at
        await asyncio.wait_for(stopping, timeout=40)
        await asyncio.wait_for(asyncio.gather(*owners), timeout=120)
        deadline = time.monotonic() + 60  # every ticket offered and claimed, by the new leader's dispatcher too
        while len(tally.claims_won) < len(tally.tickets) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*background), timeout=60)
    await settled(engine, sandbox, 60)

    assert second != first and takeover < TAKEOVER_SECONDS
    assert third not in (first, second) and handover < HANDOVER_SECONDS
    with engine.connect() as conn:
        inbound = conn.execute(text("SELECT chat_id, update_id, handled_at, attempts FROM inbound_updates "
                                    "ORDER BY update_id")).all()
        sent = conn.execute(text("SELECT chat_id, text, attempts FROM outbox WHERE status = 'sent'")).all()
        unsent = conn.execute(text("SELECT count(*) FROM outbox WHERE status <> 'sent'")).scalar()
        claims = conn.execute(text("SELECT ticket_id, count(*) FROM ticket_events WHERE action IN ('claim', 'assign') "
                                   "GROUP BY ticket_id")).all()
    # No lost update: each one sent is stored once, and handled.
    assert len(inbound) == tally.updates and len({r.update_id for r in inbound}) == tally.updates
    for chat in {r.chat_id for r in inbound}:  # a chat's updates were handled in the order they were sent
        times = [r.handled_at for r in inbound if r.chat_id == chat]
        assert times == sorted(times), f"chat {chat} handled out of order"
    # Every notification once; a repeat only for a message the dead leader had in flight (claimed again).
    assert unsent == 0 and len(sent) > 0
    rows: Counter[tuple[int, str]] = Counter((r.chat_id, r.text) for r in sent)
    retried = {(r.chat_id, r.text) for r in sent if r.attempts > 1}
    delivered = sent_by_the_bot(sandbox)
    repeats = {key: delivered[key] - n for key, n in rows.items()}
    assert all(repeats[key] >= 0 for key in rows), "a notification in the outbox never reached Telegram"
    assert {key for key, extra in repeats.items() if extra > 0} <= retried
    assert sum(repeats.values()) <= 16  # the sender's concurrency: what one leader can have in flight
    # No ticket claimed twice: one claim or assignment per ticket, and one technician told it is theirs.
    assert len(tally.tickets) == sum(len(r) for r in OWNER_REPORTS.values())
    assert all(n == 1 for _, n in claims) and len(claims) == len(tally.tickets)
    assert all(len(winners) == 1 for winners in tally.claims_won.values()), tally.claims_won
    print(f"\nscale test: {tally.updates} updates, {len(sent)} notifications, {len(tally.tickets)} tickets, "
          f"takeover {takeover:.2f} s after SIGKILL, {handover:.2f} s after SIGTERM, repeats {sum(repeats.values())}, re-run updates "
          f"{sum(1 for r in inbound if r.attempts > 1)}")
