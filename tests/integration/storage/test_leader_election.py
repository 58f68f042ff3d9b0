"""Leader election on PostgreSQL: one leader among three, a follower takes over within seconds when the leader's
link goes, and the leader hears a follower's kick."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, text

from storage.leader import PgAdvisoryElection

pytestmark = pytest.mark.postgres
KEY = 4242_0001  # not the production key: a worker started by hand on this database is not disturbed


class Watch:
    def __init__(self) -> None:
        self.elected, self.demoted, self.kicked = threading.Event(), threading.Event(), threading.Event()

    def start(self, election: PgAdvisoryElection) -> None:
        election.start(self.elected.set, self.demoted.set, self.kicked.set)


def wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_one_of_three_leads_and_another_takes_over_within_seconds_when_its_link_goes(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    url = engine.url.render_as_string(hide_password=False)
    elections = [PgAdvisoryElection(url, key=KEY, retry_seconds=0.3, heartbeat_seconds=0.3, name=f"w{i}")
                 for i in range(3)]
    watches = [Watch() for _ in elections]
    try:
        for election, watch in zip(elections, watches):
            watch.start(election)
        assert wait_for(lambda: sum(e.leader for e in elections) == 1, 10)
        time.sleep(1.0)  # the others keep trying and stay followers
        assert sum(e.leader for e in elections) == 1
        leader = next(i for i, e in enumerate(elections) if e.leader)
        with engine.connect() as conn:  # a kick from anyone reaches the leader
            conn.execute(text("SELECT pg_notify('baoxiu_kick', '')"))
            conn.commit()
        assert watches[leader].kicked.wait(5)
        with engine.connect() as conn:  # the leader's link is cut, as if its process died
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = :name"), {"name": f"baoxiu-w{leader}"})
            conn.commit()
        cut = time.monotonic()
        assert watches[leader].demoted.wait(5)
        others = [e for i, e in enumerate(elections) if i != leader]
        assert wait_for(lambda: any(e.leader for e in others), 5)
        assert time.monotonic() - cut < 3
        time.sleep(1.0)
        assert sum(e.leader for e in elections) == 1  # the old leader, reconnected, is a follower now
    finally:
        for election in elections:
            election.stop()
