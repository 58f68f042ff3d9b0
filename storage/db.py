"""Engines: SQLite with WAL, foreign keys and serialized writers; PostgreSQL through psycopg 3."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

READ_ONLY = "baoxiu_read_only"
BUSY_TIMEOUT_SECONDS = 30.0  # how long a writer waits for SQLite's lock before the user is told to send again


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, echo: bool = False) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        busy = float(parsed.query.get("timeout", BUSY_TIMEOUT_SECONDS))  # type: ignore[arg-type]
        return _sqlite_engine(url, parsed.database, echo, busy)
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _sqlite_engine(url: str, database: str | None, echo: bool, busy_seconds: float) -> Engine:
    """`busy_seconds` (the URL's ?timeout=, as pysqlite names it) bounds every wait for the write lock."""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_seconds, "check_same_thread": False})
    writers = WriterTurns(busy_seconds)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # BEGIN IMMEDIATE takes the write lock up front, so two claims never read the same
        # snapshot and then race to write: the second waits, then sees the ticket taken.
        # Readers (make_read_session_factory) begin deferred: a WAL snapshot that blocks no writer.
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        if read_only:
            connection.exec_driver_sql("BEGIN")
            return
        writers.take(connection.connection.dbapi_connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writers.give_back(connection.connection.dbapi_connection)
            raise

    dialect = engine.dialect
    dialect.do_commit = writers.after(dialect.do_commit)  # type: ignore[method-assign]
    dialect.do_rollback = writers.after(dialect.do_rollback)  # type: ignore[method-assign]
    dialect.do_close = writers.after(dialect.do_close)  # type: ignore[method-assign]
    return engine


class WriterTurns:
    """This process's writers take SQLite's one write lock in turn, handed straight from one to the next.

    Without it every waiting writer sits in SQLite's busy handler, which sleeps 1, 2, 5 ... up to 100 ms between
    tries: under load a dozen threads wait so, and the lock lies free while they sleep. Another process's
    writers (a migration, a second service) still meet the busy handler, as before. A wait longer than the busy
    timeout is refused as SQLite refuses it ("database is locked"), so callers see one error either way.
    """

    def __init__(self, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        self._holder: int | None = None  # id() of the DBAPI connection whose transaction holds the turn

    def take(self, dbapi_connection: Any) -> None:
        if not self._lock.acquire(timeout=self.timeout_seconds):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        self._holder = id(_raw(dbapi_connection))

    def give_back(self, dbapi_connection: Any) -> None:
        if self._holder is not None and self._holder == id(_raw(dbapi_connection)):
            self._holder = None
            self._lock.release()

    def after(self, end: Callable[[Any], None]) -> Callable[[Any], None]:
        """`end` (commit, rollback, close) and then, whatever it raised, the turn passes on."""
        def ended(dbapi_connection: Any) -> None:
            try:
                end(dbapi_connection)
            finally:
                self.give_back(dbapi_connection)
        return ended


def _raw(connection: Any) -> Any:
    """The sqlite3 connection itself, whether given bare or inside the pool's proxy."""
    return getattr(connection, "dbapi_connection", None) or connection


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reports: one consistent snapshot per transaction, and no lock that would make a writer wait."""
    if engine.dialect.name == "sqlite":
        return sessionmaker(engine.execution_options(**{READ_ONLY: True}))
    return sessionmaker(engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True))
