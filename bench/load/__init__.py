"""The load generator (issue #14): simulated residents, technicians and staff drive the real bot through the
sandbox at a fixed offered rate, and the reply latency, throughput, errors, CPU and memory are measured.

For driving any number of bot workers with the same load (they all poll one sandbox):

    from bench.load import measure, population
    result = await measure(sandbox_url, population(200), rate=40, messages=10_000, pids={"bot": pid})

`measure` returns a LoadResult (bench/load/result.py): every turn's latency from the update reaching the
sandbox to the bot's first answer (for a tap, its callback answer; `visible` is the first new or edited
message), both read from the sandbox's clock; the 4xx/5xx the bot's calls got; CPU % and RSS of each pid
in `pids`, sampled each second. The database must have been seeded with `population.seed` first.
`python -m bench.load` (make load-bench) builds the whole stand: database, sandbox, bot process, Rasa.
"""
from __future__ import annotations

import asyncio

import httpx

from bench.load.driver import drive
from bench.load.population import User, population, seed
from bench.load.result import LoadResult
from bench.load.sampler import sample

__all__ = ["LoadResult", "User", "drive", "measure", "population", "seed"]


async def measure(sandbox_url: str, people: list[User], rate: float, messages: int, *,
                  pids: dict[str, int] | None = None, seed: int = 14, progress: bool = False) -> LoadResult:
    """Drive the load and sample the processes meanwhile; see the module docstring."""
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(pids or {}, stop))
    try:
        turns, missed, duration, error_replies = await drive(sandbox_url, people, rate, messages, seed=seed,
                                                            progress=progress)
    finally:
        stop.set()
        samples = await sampler
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=10) as http:
        refused = (await http.get("/sandbox/stats")).json()["result"].get("refused", {})
    return LoadResult(rate, duration, turns, refused, error_replies, missed, samples)
