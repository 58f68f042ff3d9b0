"""What only one process may run, the leader's duties: the outbox sender, the dispatcher and the scheduled sweeps.

Every worker handles updates; the election (a port: storage/leader.py on PostgreSQL, always-leader on SQLite)
decides which one also delivers and sweeps. Two leaders for a moment (an old one noticing late that its link is
gone) would still send nothing twice: outbox claims and dispatch rounds are compare-and-set in the database.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Callable, Protocol

from telegram.ext import Application

logger = logging.getLogger(__name__)
STOP_SECONDS = 15  # longer than one send with its timeouts
Callback = Callable[[], None]


class Election(Protocol):
    def start(self, elected: Callback, demoted: Callback, kicked: Callback) -> None: ...
    def stop(self) -> None: ...


class LeaderDuties:
    """take_up() and lay_down() from the loop, one at a time; fresh sender and dispatcher on each election."""

    def __init__(self, application: Application, renew: Callable[[Application], None]) -> None:
        self.application, self.renew = application, renew  # renew: put a new sender and dispatcher in bot_data
        self.leading = False
        self._lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._terms = 0

    async def take_up(self) -> None:
        async with self._lock:
            if self.leading:
                return
            if self._terms:  # a stopped sender or dispatcher does not start again
                self.renew(self.application)
            self._terms += 1
            data = self.application.bot_data
            self._tasks = [asyncio.create_task(data["sender"].run(), name="outbox-sender"),
                           asyncio.create_task(data["dispatcher"].run(), name="dispatcher")]
            self._enable_jobs(True)
            self.leading = True
            data["sender"].kick()
            data["dispatcher"].kick()

    async def lay_down(self) -> None:
        """A message being sent finishes (and is marked); the rest waits in the outbox for the next leader."""
        async with self._lock:
            if not self.leading:
                return
            self.leading = False
            self._enable_jobs(False)
            self.application.bot_data["dispatcher"].stop()
            self.application.bot_data["sender"].stop()
            for task in self._tasks:
                try:
                    await asyncio.wait_for(task, timeout=STOP_SECONDS)
                except asyncio.TimeoutError:  # a send hanging on the network: its lease runs out and it is retried
                    logger.warning("%s did not stop within %ss", task.get_name(), STOP_SECONDS)
            self._tasks = []

    def kick(self) -> None:
        """Someone wrote news or work (another worker's update): look at once rather than at the next poll."""
        if self.leading:
            self.application.bot_data["sender"].kick()
            self.application.bot_data["dispatcher"].kick()

    def _enable_jobs(self, on: bool) -> None:
        queue = self.application.job_queue
        for job in queue.jobs() if queue is not None else ():
            job.enabled = on

    def follow(self, election: Election) -> None:
        """Start the election; its callbacks come from its own thread and are run in this loop."""
        loop = asyncio.get_running_loop()
        self._enable_jobs(False)
        election.start(lambda: loop.call_soon_threadsafe(lambda: loop.create_task(self.take_up())),
                       lambda: loop.call_soon_threadsafe(lambda: loop.create_task(self.lay_down())),
                       lambda: loop.call_soon_threadsafe(self.kick))
