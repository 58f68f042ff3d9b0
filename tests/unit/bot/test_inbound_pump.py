"""The inbound pump runs claimed updates through the real handlers and marks each done; an update claimed again
after a worker died during it runs again (the replay guard lets it through), while a new one seen before does not."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.inbound import InboundPump
from storage.inbound import ClaimedUpdate
from tests.unit.bot.conftest import OWNER, OfflineBot


@dataclass
class FakeQueue:
    """Hands out its updates once, records what was marked done."""

    waiting: list[ClaimedUpdate]
    done_ids: list[int]

    def add(self, update_id: int, chat_id: int | None, payload: dict[str, Any], now: Any) -> bool:
        return True

    def claim(self, now: Any, lease: timedelta, limit: int, worker: str) -> list[ClaimedUpdate]:
        taken, self.waiting = self.waiting[:limit], self.waiting[limit:]
        return taken

    def renew(self, ids: list[int], lease_until: Any) -> None:
        """Nothing to renew in memory."""

    def done(self, row_id: int, now: Any) -> None:
        self.done_ids.append(row_id)

    def purge(self, before: Any) -> int:
        return 0


async def pump_through(offline: OfflineBot, claimed: list[ClaimedUpdate]) -> FakeQueue:
    queue = FakeQueue(list(claimed), [])
    pump = InboundPump(offline.application, queue, "test-worker")
    running = asyncio.create_task(pump.run())
    deadline = asyncio.get_running_loop().time() + 10
    while len(queue.done_ids) < len(claimed):
        assert asyncio.get_running_loop().time() < deadline, "the pump did not finish within 10 s"
        await asyncio.sleep(0.01)
    pump.stop()
    await asyncio.wait_for(running, timeout=10)
    return queue


async def test_claimed_updates_are_answered_and_marked_done(offline: OfflineBot) -> None:
    update = offline.updates.text(OWNER, "/help")
    queue = await pump_through(offline, [ClaimedUpdate(1, update["update_id"], OWNER, update, 1)])
    assert queue.done_ids == [1]
    assert offline.to(OWNER, offline.request.sent)


async def test_an_update_a_dead_worker_had_started_runs_again_but_a_seen_new_one_does_not(offline: OfflineBot) -> None:
    rerun, replay = offline.updates.text(OWNER, "/help"), offline.updates.text(OWNER, "/help")
    for seen in (rerun, replay):
        assert offline.svc.states.first_sight(OWNER, seen["update_id"], offline.svc.clock.now())
    await pump_through(offline, [ClaimedUpdate(1, rerun["update_id"], OWNER, rerun, 2)])
    answered = len(offline.to(OWNER, offline.request.sent))
    assert answered >= 1  # the second attempt ran although its id was recorded as seen
    await pump_through(offline, [ClaimedUpdate(2, replay["update_id"], OWNER, replay, 1)])
    assert len(offline.to(OWNER, offline.request.sent)) == answered  # a first attempt seen before: a replay
