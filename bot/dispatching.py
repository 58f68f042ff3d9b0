"""Runs dispatch rounds (domain/usecases/dispatching.py): right after any update, and every so often for the
offers and acceptances that run out. A round's news goes into the outbox with its changes; the sender is woken."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, time, timezone

from bot.services import BotServices
from domain.usecases.common import TicketChange
from domain.usecases.dispatching import dispatch_round

logger = logging.getLogger(__name__)
# Kicks closer together than this share one round. A round reads every waiting job, each technician's jobs and
# timelines, so it costs more as the backlog grows; kicked after each of 40 updates a second it ran back to
# back. An offer after a burst may wait up to this long; after a quiet spell the first kick runs at once.
MIN_GAP_SECONDS = 2.0
# And rounds take at most this share of the time: a round's cost grows with the backlog (after a storm, thousands
# waiting: 0.6 s a round at 2,500), and every 2 s that was a quarter of the interpreter, taken from the chats'
# answers (earliest_next).
ROUND_SHARE = 0.1
# But never longer than this between rounds: a round that hung on a locked database (up to its 30 s busy
# timeout) must not put dispatch off for five minutes.
MAX_GAP_SECONDS = 30.0


class Dispatcher:
    """run() in the background; kick() after anything that may have made a job wait (a report, a decline)."""

    def __init__(self, svc: BotServices, on_changes=None) -> None:  # type: ignore[no-untyped-def]
        self.svc, self.on_changes = svc, on_changes
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self.min_gap = MIN_GAP_SECONDS

    def kick(self) -> None:
        self._wake.set()

    async def round(self) -> list[TicketChange]:
        """One round now (one at a time): what it offered, assigned, took back or escalated."""
        settings = self.svc.dispatch
        if settings is None:
            return []
        async with self._lock:
            now = self.svc.clock.now()
            midnight = datetime.combine(now.astimezone(self.svc.tz).date(), time(0), self.svc.tz)
            changes = await self.svc.run(dispatch_round, self.svc.clock, settings, self.svc.estate,
                                         midnight.astimezone(timezone.utc))
        if changes and self.on_changes is not None:
            self.on_changes()
        return changes

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        next_at = float("-inf")
        while not self._stopping:
            rest = next_at - loop.time()
            if rest > 0:  # kicks that arrive meanwhile wait for the round after this pause
                await asyncio.sleep(rest)
            try:
                idle = self.svc.dispatch.round_every.total_seconds() if self.svc.dispatch else 60.0
                await asyncio.wait_for(self._wake.wait(), timeout=idle)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
            if self._stopping:
                break
            began = loop.time()
            try:
                changes = await self.round()
                if changes:
                    logger.info("dispatch: %d offers, assignments or escalations", len(changes))
            except Exception:  # the loop must survive a database hiccup; the next round tries again
                logger.exception("dispatch round failed")
            next_at = earliest_next(began, loop.time(), self.min_gap)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()


def earliest_next(began: float, ended: float, min_gap: float) -> float:
    """When the round after one that ran from `began` to `ended` may start: `min_gap` after it began, or later,
    so that rounds take at most ROUND_SHARE of the time, though never more than MAX_GAP_SECONDS after it ended."""
    return began + max(min_gap, min((ended - began) / ROUND_SHARE, ended - began + MAX_GAP_SECONDS))
