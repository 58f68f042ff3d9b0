"""Per-chat conversation state, keyed by chat id and kind, with a version check on every write."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.errors import StaleChatState
from storage.models import ChatStateRow, KbOutcomeRow, SeenUpdateRow

SEEN = SeenUpdateRow.__table__

Entries = dict[str, tuple[dict[str, Any], int]]  # kind -> (data, version)


class ChatStateStore:
    """Each call is its own short transaction, so no state write waits on a person."""

    def __init__(self, sessions: sessionmaker[Session], reads: sessionmaker[Session] | None = None) -> None:
        self.sessions = sessions
        self.reads = reads or sessions  # a read needs no write lock: the version check guards the write

    def read(self, chat_id: int) -> Entries:
        """Everything the chat is in the middle of, in one query."""
        with self.reads() as s:
            rows = s.execute(select(ChatStateRow).where(ChatStateRow.chat_id == chat_id)).scalars()
            return {row.kind: (dict(row.data), row.version) for row in rows}

    def get(self, chat_id: int, kind: str) -> dict[str, Any] | None:
        entry = self.read(chat_id).get(kind)
        return entry[0] if entry else None

    def put(self, chat_id: int, kind: str, data: dict[str, Any], version: int | None = None,
            *, force: bool = False) -> int:
        """Write and return the new version. `version` is what the writer read (None: it read nothing);
        if the row changed since, StaleChatState. `force` overwrites whatever is there (a new form)."""
        now = datetime.now(timezone.utc)
        with self.sessions.begin() as s:
            if force:
                current = s.get(ChatStateRow, (chat_id, kind))
                version = current.version if current else None
            if version is None:
                try:
                    s.execute(insert(ChatStateRow).values(chat_id=chat_id, kind=kind, data=data, updated_at=now,
                                                          version=1))
                    s.flush()
                except IntegrityError as exc:
                    raise StaleChatState(chat_id=chat_id, kind=kind) from exc
                return 1
            changed = s.execute(update(ChatStateRow).where(
                ChatStateRow.chat_id == chat_id, ChatStateRow.kind == kind, ChatStateRow.version == version,
            ).values(data=data, updated_at=now, version=version + 1)).rowcount
            if changed != 1:
                raise StaleChatState(chat_id=chat_id, kind=kind)
            return version + 1

    def drop(self, chat_id: int, kind: str) -> None:
        with self.sessions.begin() as s:
            s.execute(delete(ChatStateRow).where(ChatStateRow.chat_id == chat_id, ChatStateRow.kind == kind))

    def first_sight(self, chat_id: int, update_id: int, now: datetime) -> bool:
        """Record that the chat is going through `update_id`; False when it had been recorded before.
        One INSERT (SQL Core, no ORM): the replay guard runs it on every update."""
        with self.sessions.begin() as s:
            connection = s.connection()
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            stored = connection.execute(dialect.insert(SEEN).values(chat_id=chat_id, update_id=update_id, seen_at=now)
                                        .on_conflict_do_nothing().returning(SEEN.c.update_id)).first()
            return stored is not None

    def unsee(self, chat_id: int, update_id: int) -> None:
        """Forget that `update_id` was seen, so that it runs once more (its worker died in the middle)."""
        with self.sessions.begin() as s:
            s.connection().execute(delete(SEEN).where(SEEN.c.chat_id == chat_id, SEEN.c.update_id == update_id))

    def forget_sights(self, before: datetime) -> int:
        """Drop the record of updates seen before `before`: Telegram re-sends for a day at most."""
        with self.sessions.begin() as s:
            return s.connection().execute(delete(SEEN).where(SEEN.c.seen_at < before)).rowcount


class KbOutcomeStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def record(self, article_id: str, category: str | None, building: str | None, outcome: str,
               person_id: int | None) -> None:
        with self.sessions.begin() as s:
            s.add(KbOutcomeRow(article_id=article_id, category=category, building=building, outcome=outcome,
                               person_id=person_id, at=datetime.now(timezone.utc)))

    def counts(self, by: str) -> dict[tuple[str, str], int]:
        """(group, outcome) -> count, grouped by 'article_id', 'category' or 'building'."""
        column = getattr(KbOutcomeRow, by)
        with self.sessions() as s:
            rows = s.execute(select(column, KbOutcomeRow.outcome, func.count()).group_by(column, KbOutcomeRow.outcome))
            return {(str(g), o): n for g, o, n in rows}
