"""Fault tests: the real bot over HTTP against the sandbox, and what the database holds afterwards."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from tests.e2e.bot.conftest import BotUnderTest, sandbox  # noqa: F401  (the sandbox fixture, shared)

OWNER, PLUMBER, STAFF_GROUP = 1001, 2001, -1001  # 张师傅 is the one plumber covering building 3

# Whatever else a fault left, these must hold: no ticket without the event that opened it, no event or outbox
# row of a ticket that is not there (tickets.report_key is unique: no draft is filed twice).
CONSISTENCY = {
    "tickets without events": "SELECT count(*) FROM tickets t WHERE NOT EXISTS "
                              "(SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id)",
    "events without a ticket": "SELECT count(*) FROM ticket_events e WHERE NOT EXISTS "
                               "(SELECT 1 FROM tickets t WHERE t.id = e.ticket_id)",
    "news of a ticket that is not there": "SELECT count(*) FROM outbox o WHERE o.ticket_id IS NOT NULL AND NOT "
                                          "EXISTS (SELECT 1 FROM tickets t WHERE t.id = o.ticket_id)",
}


def broken_rules(db_url: str) -> dict[str, int]:
    """Each consistency rule that does not hold, with how many rows break it (empty: all hold)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            found = {rule: conn.execute(text(sql)).scalar_one() for rule, sql in CONSISTENCY.items()}
    finally:
        engine.dispose()
    return {rule: n for rule, n in found.items() if n}


def count(db_url: str, sql: str, **params: object) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def integrity(path: Path) -> str:
    """SQLite's own check of the file: 'ok', or what is wrong."""
    with sqlite3.connect(path) as conn:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


def engine_of(bot: BotUnderTest) -> Engine:
    engine = bot.core.engine
    assert engine is not None
    return engine
