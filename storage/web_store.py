"""The web channel's own tables (sessions, inbox, files): the channel's transport state, like chat_states.

Nothing here is business data: tickets, people and homes are reached only through the bot's use cases."""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import WebFileRow, WebMessageRow, WebSessionRow


PENDING = "tg-"  # a one-time /web link from Telegram not opened yet: never a cookie's session


@dataclass(frozen=True)
class WebSession:
    id: str
    chat_id: int
    expires_at: datetime
    revoked_at: datetime | None
    invite_code: str | None = None

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(frozen=True)
class StoredMessage:
    id: int
    chat_id: int
    from_bot: bool
    payload: dict[str, Any]
    seq: int
    created_seq: int
    edited: bool


class _Seq:
    """Increasing change stamps (microseconds, never repeating within the process): one process writes them."""

    def __init__(self) -> None:
        self._last, self._lock = 0, threading.Lock()

    def next(self) -> int:
        with self._lock:
            self._last = max(self._last + 1, time.time_ns() // 1000)
            return self._last


class WebStore:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions, self._seq = sessions, _Seq()

    # sessions
    def open_session(self, chat_id: int, now: datetime, expires_at: datetime, invite_code: str | None,
                     sid: str | None = None) -> WebSession:
        sid = sid or secrets.token_urlsafe(24)
        with self._sessions.begin() as s:
            s.add(WebSessionRow(id=sid, chat_id=chat_id, invite_code=invite_code, created_at=now, expires_at=expires_at))
        return WebSession(sid, chat_id, expires_at, None, invite_code)

    def session(self, sid: str) -> WebSession | None:
        with self._sessions() as s:
            row = s.get(WebSessionRow, sid)
            return None if row is None else WebSession(row.id, row.chat_id, row.expires_at, row.revoked_at,
                                                       row.invite_code)

    def end_sessions(self, now: datetime, *, sid: str | None = None, chat_id: int | None = None,
                     invite_code: str | None = None) -> int:
        """Revoke one session, every session of a chat (staff deactivated the person) or of an invite (revoked)."""
        query = update(WebSessionRow).where(WebSessionRow.revoked_at.is_(None))
        if sid is not None:
            query = query.where(WebSessionRow.id == sid)
        elif chat_id is not None:
            query = query.where(WebSessionRow.chat_id == chat_id)
        else:
            assert invite_code, "which sessions to end"
            query = query.where(WebSessionRow.invite_code == invite_code)
        with self._sessions.begin() as s:
            return s.execute(query.values(revoked_at=now)).rowcount or 0  # type: ignore[attr-defined]

    def open_chats_below(self, base: int, now: datetime) -> list[int]:
        """Chats under `base` (Telegram's) with a session still usable: both channels, for the router's copies."""
        with self._sessions() as s:
            return list(s.scalars(select(WebSessionRow.chat_id).distinct().where(
                WebSessionRow.chat_id <= base, WebSessionRow.revoked_at.is_(None), WebSessionRow.expires_at > now,
                WebSessionRow.id.not_like(f"{PENDING}%"))))

    def highest_web_chat(self, base: int) -> int:
        """The largest web chat id handed out (or `base`): new web chats take the next one."""
        with self._sessions() as s:
            return int(s.scalar(select(func.max(WebSessionRow.chat_id)).where(WebSessionRow.chat_id > base)) or base)

    # inbox
    def add_message(self, chat_id: int, from_bot: bool, payload: dict[str, Any], now: datetime) -> StoredMessage:
        seq = self._seq.next()
        with self._sessions.begin() as s:
            row = WebMessageRow(chat_id=chat_id, from_bot=from_bot, payload=payload, seq=seq, created_at=now)
            s.add(row)
            s.flush()
            row.payload = {**payload, "message_id": row.id}
            return _stored(row, seq)

    def edit_message(self, chat_id: int, message_id: int, changes: dict[str, Any], now: datetime) -> StoredMessage | None:
        with self._sessions.begin() as s:
            row = s.get(WebMessageRow, message_id)
            if row is None or row.chat_id != chat_id:
                return None
            created = int(row.payload.get("_created_seq", row.seq))
            row.payload = {**row.payload, **changes, "_created_seq": created, "edit_date": int(now.timestamp())}
            row.seq, row.edited_at = self._seq.next(), now
            return _stored(row, created)

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        with self._sessions() as s:
            row = s.get(WebMessageRow, message_id)
            return None if row is None or row.chat_id != chat_id else _stored(row)

    def messages_after(self, chat_id: int, after_id: int, limit: int = 200) -> list[StoredMessage]:
        with self._sessions() as s:
            rows = s.scalars(select(WebMessageRow).where(WebMessageRow.chat_id == chat_id, WebMessageRow.id > after_id)
                             .order_by(WebMessageRow.id).limit(limit)).all()
            return [_stored(r) for r in rows]

    def latest_seq(self, chat_id: int) -> int:
        with self._sessions() as s:
            return int(s.scalar(select(func.max(WebMessageRow.seq)).where(WebMessageRow.chat_id == chat_id)) or 0)

    def by_telegram_id(self, chat_id: int, telegram_message_id: int, recent: int = 300) -> StoredMessage | None:
        """The web copy of a message the bot sent to a Telegram chat (both channels), among the chat's recent ones."""
        with self._sessions() as s:
            rows = s.scalars(select(WebMessageRow).where(WebMessageRow.chat_id == chat_id)
                             .order_by(WebMessageRow.id.desc()).limit(recent)).all()
            return next((_stored(r) for r in rows
                         if r.payload.get("_web", {}).get("telegram_message_id") == telegram_message_id), None)

    def changed_after(self, chat_id: int, seq: int, limit: int = 200) -> list[StoredMessage]:
        with self._sessions() as s:
            rows = s.scalars(select(WebMessageRow).where(WebMessageRow.chat_id == chat_id, WebMessageRow.seq > seq)
                             .order_by(WebMessageRow.seq).limit(limit)).all()
            return [_stored(r) for r in rows]

    # files
    def put_file(self, chat_id: int, mime_type: str, data: bytes, now: datetime) -> str:
        file_id = "web-" + secrets.token_urlsafe(18)
        with self._sessions.begin() as s:
            s.add(WebFileRow(id=file_id, chat_id=chat_id, mime_type=mime_type, data=data, created_at=now))
        return file_id

    def file(self, file_id: str) -> tuple[int, str, bytes] | None:
        with self._sessions() as s:
            row = s.get(WebFileRow, file_id)
            return None if row is None else (row.chat_id, row.mime_type, row.data)


def _stored(row: WebMessageRow, created_seq: int | None = None) -> StoredMessage:
    payload = {k: v for k, v in row.payload.items() if k != "_created_seq"}
    created = created_seq if created_seq is not None else int(row.payload.get("_created_seq", row.seq))
    return StoredMessage(row.id, row.chat_id, row.from_bot, payload, row.seq, created, row.edited_at is not None)
