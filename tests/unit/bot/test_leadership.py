"""A worker that follows an election sends nothing and sweeps nothing until elected, stops both when demoted,
and starts afresh (a new sender and dispatcher) when elected again."""
from __future__ import annotations

import asyncio
from typing import Callable

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.app import build_application
from nlu.rules import RulesParser
from tests.fakes import FakeChatStates, FakeClock, FakeKbOutcomes, FakeStatsReader, FakeStore, FakeUnitOfWork
from tests.unit.bot.offline import OfflineRequest


class FakeElection:
    """The port, driven by the test: elect(), demote()."""

    def __init__(self) -> None:
        self.stopped = False
        self.elect: Callable[[], None] = lambda: None
        self.demote: Callable[[], None] = lambda: None

    def start(self, elected: Callable[[], None], demoted: Callable[[], None], kicked: Callable[[], None]) -> None:
        self.elect, self.demote = elected, demoted

    def stop(self) -> None:
        self.stopped = True


async def settle(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """The callbacks run as tasks on this loop: give them until `condition`, within a time limit."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_follower_sends_and_sweeps_only_while_it_leads_and_gets_a_fresh_sender_each_term() -> None:
    store = FakeStore()
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(), uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes(),
                    stats=FakeStatsReader(store))
    election = FakeElection()
    application = build_application(svc, "123456:OFFLINE", request=OfflineRequest(), election=election)
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    duties, jobs = application.bot_data["duties"], application.job_queue.jobs()  # type: ignore[union-attr]
    assert jobs and not duties.leading and not any(job.enabled for job in jobs)

    election.elect()
    await settle(lambda: duties.leading)
    first = application.bot_data["sender"]
    assert duties.leading and all(job.enabled for job in jobs)
    assert [t.get_name() for t in duties._tasks if not t.done()] == ["outbox-sender", "dispatcher"]

    election.demote()
    await settle(lambda: not duties._tasks)
    assert not duties.leading and not any(job.enabled for job in jobs) and first._stopping

    election.elect()
    await settle(lambda: duties.leading)
    assert application.bot_data["sender"] is not first and all(job.enabled for job in jobs)

    await application.post_stop(application)  # type: ignore[misc]
    assert election.stopped and not duties.leading
    await application.shutdown()


async def test_without_an_election_the_only_process_leads_from_the_start() -> None:
    store = FakeStore()
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(), uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes(),
                    stats=FakeStatsReader(store))
    application = build_application(svc, "123456:OFFLINE", request=OfflineRequest())
    await application.initialize()
    await application.post_init(application)  # type: ignore[misc]
    assert application.bot_data["duties"].leading
    await application.post_stop(application)  # type: ignore[misc]
    assert not application.bot_data["duties"].leading
    await application.shutdown()
