"""Engines: SQLite with WAL, foreign keys and serialized writers; PostgreSQL through psycopg 3."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
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
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reports: one consistent snapshot per transaction, and no lock that would make a writer wait."""
    if engine.dialect.name == "sqlite":
        return sessionmaker(engine.execution_options(**{READ_ONLY: True}))
    return sessionmaker(engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True))
