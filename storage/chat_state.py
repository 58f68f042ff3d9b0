"""A small persistent store of per-chat conversation state, keyed by chat id and kind."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ChatStateRow, KbOutcomeRow


class ChatStateStore:
    """Each call is its own short transaction, so no state write waits on a person."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, chat_id: int, kind: str) -> dict[str, Any] | None:
        with self.sessions() as s:
            row = s.get(ChatStateRow, (chat_id, kind))
            return dict(row.data) if row else None

    def put(self, chat_id: int, kind: str, data: dict[str, Any]) -> None:
        with self.sessions.begin() as s:
            s.merge(ChatStateRow(chat_id=chat_id, kind=kind, data=data, updated_at=datetime.now(timezone.utc)))

    def drop(self, chat_id: int, kind: str) -> None:
        with self.sessions.begin() as s:
            s.execute(delete(ChatStateRow).where(ChatStateRow.chat_id == chat_id, ChatStateRow.kind == kind))


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
