"""storage_fault names what the person waiting must hear: a locked SQLite, a full one, a PostgreSQL out of reach."""
from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import make_engine
from storage.faults import BUSY, FULL, UNAVAILABLE, storage_fault


def failure(run) -> BaseException:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception) as caught:
        run()
    return caught.value


def test_a_writer_that_waited_out_the_busy_timeout_is_told_busy(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/a.db?timeout=0.2")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
    holder = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))

    assert storage_fault(failure(write)) == BUSY
    holder.close()
    engine.dispose()


def test_a_write_that_would_grow_a_capped_file_is_told_full(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/b.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x)"))
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        conn.execute(text(f"PRAGMA max_page_count={pages}"))

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": "x" * 10_000})

    error = failure(write)
    engine.dispose()
    assert storage_fault(error) == FULL
    wrapped = RuntimeError("a use case gave up")
    wrapped.__cause__ = error
    assert storage_fault(wrapped) == FULL, "what caused an error is looked at too"


def test_a_postgresql_that_refuses_connections_is_told_unavailable() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # nothing listens on it once closed
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/none", connect_args={"connect_timeout": 2})
    error = failure(lambda: engine.connect().close())
    engine.dispose()
    assert storage_fault(error) == UNAVAILABLE


def test_an_error_that_is_not_the_databases_is_left_to_the_generic_answer() -> None:
    try:
        try:
            raise ValueError("bad input")
        except ValueError as inner:
            raise RuntimeError("while handling") from inner
    except RuntimeError as outer:
        assert storage_fault(outer) is None
    assert storage_fault(None) is None
