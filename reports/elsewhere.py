"""Charts drawn in a process of their own. matplotlib holds the interpreter lock while it draws, about a second
for a /stats on this machine; drawn in the bot's process (even in a worker thread) that second stopped every
other chat's answer. One child process per bot process, started at the first /stats and reused; if it dies it
is started again at the next one.
"""
from __future__ import annotations

import asyncio
import atexit
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from domain.insight import StatsReport

Say = Callable[..., str]  # as reports.charts has it; importing that here would load matplotlib in the bot

TIMEOUT_SECONDS = 120.0  # a first call also starts the child and imports matplotlib there (a few seconds)

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


async def render(report: StatsReport, say: Say, period: str) -> list[tuple[str, bytes]]:
    """reports.charts.render in the chart process, awaited on the event loop: the second or more it draws holds
    none of the bot's few worker threads (bot.services). `say` must pickle (bot.i18n.Phrases does). Raises what
    render raises (MissingCjkFont), or BrokenProcessPool if the child died."""
    future = _executor().submit(_draw, report, say, period)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT_SECONDS)
    except BrokenProcessPool:
        _forget()
        raise


def _draw(report: StatsReport, say: Say, period: str) -> list[tuple[str, bytes]]:
    from reports.charts import render as draw  # in the child: matplotlib is imported there, not in the bot

    return draw(report, say, period)


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:  # spawn: a fork of a threaded bot (its pools, its event loop) is not safe
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def _forget() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


atexit.register(_forget)
