"""The inbound queue: webhook updates stored as they arrive, then claimed so that each chat's updates are
handled one at a time, oldest first, by whichever worker is free (the same head-of-chat claim as storage/outbox.py).

A claim is a lease: a worker that dies mid-update leaves it `handling`, and once the lease ends another takes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased, sessionmaker

from storage.models import InboundUpdateRow

PENDING, HANDLING, DONE = "pending", "handling", "done"
KICK_CHANNEL = "baoxiu_kick"  # the leader LISTENs here (storage/leader.py): an update was handled, look for work


@dataclass(frozen=True)
class ClaimedUpdate:
    id: int
    update_id: int
    chat_id: int | None
    payload: dict[str, Any]
    attempts: int


class SqlInboundQueue:
    """Each method is one short transaction of its own."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def add(self, update_id: int, chat_id: int | None, payload: dict[str, Any], now: datetime) -> bool:
        """Store an update; False when it was stored before (Telegram sends again when an answer was missed)."""
        values = dict(update_id=update_id, chat_id=chat_id, payload=payload, status=PENDING, attempts=0,
                      received_at=now)
        with self.sessions() as session:
            insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)
            stored = session.execute(insert(InboundUpdateRow).values(**values)
                                     .on_conflict_do_nothing(index_elements=["update_id"])
                                     .returning(InboundUpdateRow.id)).scalar()
            session.commit()
        return stored is not None

    def claim(self, now: datetime, lease: timedelta, limit: int, worker: str) -> list[ClaimedUpdate]:
        """Up to `limit` updates, each the oldest open one of its chat, leased to `worker`."""
        row, earlier = InboundUpdateRow, aliased(InboundUpdateRow)
        due = or_(row.status == PENDING, and_(row.status == HANDLING, row.lease_until <= now))
        # status IN (...) rather than != done: ix_inbound_updates_open (status, chat_id, update_id) then answers
        # it without reading the chat's handled history, which is kept for days
        head_of_chat = or_(row.chat_id.is_(None), ~exists().where(
            earlier.chat_id == row.chat_id, earlier.update_id < row.update_id, earlier.status.in_([PENDING, HANDLING])))
        with self.sessions() as session:
            # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): workers claiming at once get different rows
            candidates = session.scalars(select(row.id).where(due, head_of_chat).order_by(row.update_id)
                                         .limit(limit).with_for_update(skip_locked=True)).all()
            won = []
            for candidate in candidates:  # conditional, so of two workers only one wins each update
                if session.execute(update(row).where(row.id == candidate, due).values(
                        status=HANDLING, lease_until=now + lease, worker=worker, attempts=row.attempts + 1)
                        .execution_options(synchronize_session=False)).rowcount == 1:
                    won.append(candidate)
            session.commit()
            rows = session.scalars(select(row).where(row.id.in_(won)).order_by(row.update_id)).all()
            return [ClaimedUpdate(r.id, r.update_id, r.chat_id, r.payload, r.attempts) for r in rows]

    def renew(self, ids: list[int], lease_until: datetime) -> None:
        """A long update (a voice note) keeps its claim while it runs."""
        if not ids:
            return
        with self.sessions() as session:
            session.execute(update(InboundUpdateRow).where(InboundUpdateRow.id.in_(ids),
                                                           InboundUpdateRow.status == HANDLING)
                            .values(lease_until=lease_until).execution_options(synchronize_session=False))
            session.commit()

    def done(self, row_id: int, now: datetime) -> None:
        """Handled; on PostgreSQL the leader is woken in the same transaction, to send what the update wrote."""
        with self.sessions() as session:
            session.execute(update(InboundUpdateRow).where(InboundUpdateRow.id == row_id)
                            .values(status=DONE, handled_at=now, lease_until=None)
                            .execution_options(synchronize_session=False))
            if session.bind.dialect.name == "postgresql":
                session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": KICK_CHANNEL})
            session.commit()

    def purge(self, before: datetime) -> int:
        """Forget handled updates older than `before` (kept a while to recognise Telegram's re-sends)."""
        with self.sessions() as session:
            gone = session.execute(delete(InboundUpdateRow).where(InboundUpdateRow.status == DONE,
                                                                  InboundUpdateRow.handled_at < before)).rowcount
            session.commit()
            return gone

    def counts(self) -> dict[str, int]:
        with self.sessions() as session:
            return {status: n for status, n in session.execute(
                select(InboundUpdateRow.status, func.count()).group_by(InboundUpdateRow.status)).all()}
