"""SQLite's writers in one process wait for the one write lock: none is lost, and one that waits past the busy
timeout is refused as busy, so the user gets the polite answer for it."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine
from storage.faults import BUSY, storage_fault


def test_many_threads_writing_at_once_all_commit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path}/w.db")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE t (n INTEGER)"))
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(25):
                with engine.begin() as c:
                    c.execute(text("INSERT INTO t VALUES (:n)"), {"n": n * 100 + i})
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(DISTINCT n) FROM t")).scalar() == 200


def test_a_writer_waiting_past_the_busy_timeout_is_refused_as_busy_and_the_next_one_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path}/w.db?timeout=0.3")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE t (n INTEGER)"))
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.begin() as c:
            c.execute(text("INSERT INTO t VALUES (1)"))
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    started = time.monotonic()
    with pytest.raises(OperationalError) as refused:
        with engine.begin() as c:
            c.execute(text("INSERT INTO t VALUES (2)"))
    assert storage_fault(refused.value) == BUSY and 0.25 <= time.monotonic() - started < 5
    release.set()
    holder.join(10)
    with engine.begin() as c:  # once the holder commits, the next writer gets in
        c.execute(text("INSERT INTO t VALUES (3)"))
    with engine.connect() as c:
        assert sorted(c.execute(text("SELECT n FROM t")).scalars()) == [1, 3]
