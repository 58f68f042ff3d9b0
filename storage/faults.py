"""What a database failure means to the person waiting for an answer: busy, full, or out of reach.

The bot's one error handler asks this (through BotServices.storage_fault) so that a locked SQLite file, a full
disk or a restarting PostgreSQL get their own polite answer instead of the generic one, without the bot
importing SQLAlchemy. Each failing transaction was rolled back whole, so "send it again" is always safe.
"""
from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, OperationalError

BUSY, FULL, UNAVAILABLE = "busy", "full", "unavailable"
SQLITE_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"}


def storage_fault(error: BaseException | None) -> str | None:
    """BUSY, FULL or UNAVAILABLE when `error` (or what caused it) is one of those; None for anything else."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = _kind(error)
        if kind is not None:
            return kind
        error = error.__cause__ or error.__context__
    return None


def _kind(error: BaseException) -> str | None:
    if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
        return _sqlite_kind(error.orig)
    if isinstance(error, sqlite3.Error):
        return _sqlite_kind(error)
    if isinstance(error, DBAPIError) and (error.connection_invalidated or isinstance(error, OperationalError)):
        return UNAVAILABLE  # PostgreSQL gone, restarting or refusing connections: psycopg's OperationalError
    return None


def _sqlite_kind(error: sqlite3.Error) -> str | None:
    name = getattr(error, "sqlite_errorname", "") or ""
    message = str(error).lower()
    if name in SQLITE_BUSY or "database is locked" in message:
        return BUSY
    if name == "SQLITE_FULL" or "database or disk is full" in message:
        return FULL
    return None
