"""The outbox against the sandbox's record of what each chat received: lost, repeated, or exactly once."""
from __future__ import annotations

import asyncio
import time
from collections import Counter

from sqlalchemy import create_engine, text

from sandbox.client import SandboxClient
from sandbox.entities import parse_html

DRAIN_SECONDS = 45


def outbox_rows(db_url: str) -> list[tuple[int, str, str | None, str]]:
    """(chat, text, parse_mode, status) for every outbox row."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT chat_id, text, parse_mode, status FROM outbox ORDER BY id")).all()
    finally:
        engine.dispose()
    return [(int(r[0]), str(r[1] or ""), r[2], str(r[3])) for r in rows]


async def drained(db_url: str, timeout: float = DRAIN_SECONDS) -> list[tuple[int, str, str | None, str]]:
    """The outbox once nothing is left to send (every row sent, or given up on), within `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        rows = outbox_rows(db_url)
        waiting = [r for r in rows if r[3] in ("pending", "sending")]
        if not waiting:
            return rows
        assert time.monotonic() < deadline, f"{len(waiting)} outbox messages still unsent: {waiting[:3]}"
        await asyncio.sleep(0.5)


def as_shown(body: str, parse_mode: str | None) -> str:
    """The text as the chat shows it (the sandbox counts deliveries by that)."""
    return parse_html(body)[0] if (parse_mode or "").upper() == "HTML" else body


Row = tuple[int, str, "str | None", str]  # chat, text, parse_mode, status


async def deliveries_of(tg: SandboxClient, rows: list[Row]) -> dict[tuple[int, str], tuple[int, int]]:
    """(chat, shown text) -> (outbox rows with it, times the chat received it)."""
    wanted = Counter((chat, as_shown(body, mode)) for chat, body, mode, _status in rows)
    stats = (await tg.stats())["chats"]
    return {(chat, shown): (n, int(stats.get(str(chat), {}).get("texts", {}).get(shown, 0)))
            for (chat, shown), n in wanted.items()}
