"""Leader election: the one process that runs the sweeps, the dispatcher and the outbox sender.

On PostgreSQL the leader is whoever holds a session advisory lock on a dedicated connection; the lock goes when
that connection does (a killed process's socket is closed by its kernel, so PostgreSQL frees the lock at once), and
a follower that retries every `retry_seconds` takes over. On SQLite there is one process, always the leader.
The leader also LISTENs for storage/inbound.py's kicks, so what a follower wrote is sent without waiting a poll.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

import psycopg
from sqlalchemy.engine import make_url

from storage.db import normalize_url
from storage.inbound import KICK_CHANNEL

logger = logging.getLogger(__name__)
LEADER_KEY = 0x6261_6F78_6975  # "baoxiu": one advisory lock key per database
Callback = Callable[[], None]


# Both classes fill bot/leadership.py's Election port: `elected`, `demoted` and `kicked` may come from any thread.
class AlwaysLeader:
    """SQLite, or a single process: leader from the start."""

    def start(self, elected: Callback, demoted: Callback, kicked: Callback) -> None:
        elected()

    def stop(self) -> None:
        """Nothing held."""


class PgAdvisoryElection:
    """pg_try_advisory_lock on its own autocommit connection, in a daemon thread; a heartbeat notices a lost link."""

    def __init__(self, url: str, key: int = LEADER_KEY, retry_seconds: float = 1.0, heartbeat_seconds: float = 1.0,
                 name: str = "worker") -> None:
        parsed = make_url(normalize_url(url)).set(drivername="postgresql")
        self.dsn = parsed.render_as_string(hide_password=False)
        self.key, self.retry, self.heartbeat, self.name = key, retry_seconds, heartbeat_seconds, name
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.leader = False

    def start(self, elected: Callback, demoted: Callback, kicked: Callback) -> None:
        self._thread = threading.Thread(target=self._run, args=(elected, demoted, kicked), name="leader-election",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self.heartbeat + 5)

    def _run(self, elected: Callback, demoted: Callback, kicked: Callback) -> None:
        while not self._stopping.is_set():
            try:
                # keepalives: a leader whose network silently went away loses its link (and its duties) in ~10 s
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=3, keepalives=1, keepalives_idle=5,
                                     keepalives_interval=2, keepalives_count=2,
                                     application_name=f"baoxiu-{self.name}") as conn:
                    self._hold(conn, elected, kicked)
            except psycopg.Error as exc:
                logger.warning("leader election: database link lost (%s); retrying", exc)
            finally:
                if self.leader:
                    self.leader = False
                    logger.warning("%s is no longer the leader", self.name)
                    demoted()
            self._stopping.wait(self.retry)

    def _hold(self, conn: psycopg.Connection, elected: Callback, kicked: Callback) -> None:
        while not self._stopping.is_set():
            if not self.leader:
                row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
                if not (row and row[0]):
                    self._stopping.wait(self.retry)
                    continue
                conn.execute(f"LISTEN {KICK_CHANNEL}")
                self.leader = True
                logger.info("%s is the leader", self.name)
                elected()
            for _ in conn.notifies(timeout=self.heartbeat, stop_after=1):
                kicked()
            conn.execute("SELECT 1")  # the heartbeat: a dead link raises here
