"""The inbound queue on SQLite and PostgreSQL: a re-sent update is stored once, a chat's updates are claimed
one at a time and oldest first, two workers never share one, and a dead worker's claim comes back after its lease."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine

from storage.db import make_session_factory
from storage.inbound import SqlInboundQueue

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=5)


def queue_on(engine: Engine) -> SqlInboundQueue:
    return SqlInboundQueue(make_session_factory(engine))


def test_an_update_sent_again_is_stored_once(engine: Engine) -> None:
    queue = queue_on(engine)
    assert queue.add(10, 1001, {"update_id": 10}, NOW) is True
    assert queue.add(10, 1001, {"update_id": 10}, NOW) is False
    assert queue.counts() == {"pending": 1}


def test_a_chats_next_update_is_claimable_only_once_the_one_before_it_is_done(engine: Engine) -> None:
    queue = queue_on(engine)
    for update_id, chat in [(1, 7), (2, 8), (3, 7), (4, None), (5, 7)]:
        queue.add(update_id, chat, {"update_id": update_id}, NOW)
    first = queue.claim(NOW, LEASE, 10, "w1")
    assert [c.update_id for c in first] == [1, 2, 4]
    assert queue.claim(NOW, LEASE, 10, "w2") == []  # chat 7's second waits for its first
    queue.done(first[0].id, NOW)
    assert [c.update_id for c in queue.claim(NOW, LEASE, 10, "w2")] == [3]


def test_two_workers_claiming_at_once_never_get_the_same_update(engine: Engine) -> None:
    queue = queue_on(engine)
    for update_id in range(1, 201):
        queue.add(update_id, update_id, {"update_id": update_id}, NOW)

    def worker(name: str) -> list[int]:
        mine: list[int] = []
        for _ in range(100):  # bounded: 200 updates in batches of 20 need far fewer turns
            batch = queue.claim(NOW, LEASE, 20, name)
            if not batch:
                break
            mine += [c.update_id for c in batch]
        return mine

    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(worker, ["w1", "w2", "w3", "w4"]))
    claimed = [u for batch in batches for u in batch]
    assert len(claimed) == len(set(claimed)) == 200


def test_a_dead_workers_update_is_claimed_again_once_its_lease_ends_and_a_renewed_one_is_not(engine: Engine) -> None:
    queue = queue_on(engine)
    queue.add(1, 7, {"update_id": 1}, NOW)
    queue.add(2, 8, {"update_id": 2}, NOW)
    dead, alive = queue.claim(NOW, LEASE, 10, "w1")
    queue.renew([alive.id], NOW + LEASE * 3)
    assert queue.claim(NOW + LEASE / 2, LEASE, 10, "w2") == []
    again = queue.claim(NOW + LEASE, LEASE, 10, "w2")
    assert [(c.update_id, c.attempts) for c in again] == [(dead.update_id, 2)]


def test_handled_updates_are_purged_after_a_while_and_open_ones_never(engine: Engine) -> None:
    queue = queue_on(engine)
    queue.add(1, 7, {"update_id": 1}, NOW)
    queue.add(2, 8, {"update_id": 2}, NOW)
    handled = queue.claim(NOW, LEASE, 1, "w1")[0]
    queue.done(handled.id, NOW)
    assert queue.purge(NOW + timedelta(days=1)) == 1
    assert queue.counts() == {"pending": 1}
