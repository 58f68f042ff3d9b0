"""CPU % and RSS of named processes, sampled once a second from /proc (psutil is not a dependency)."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Samples:
    """One process's samples: CPU % of one core over each second, and RSS in MiB."""

    cpu: list[float] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS   # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def _rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return None


async def sample(pids: dict[str, int], stop: asyncio.Event, every: float = 1.0) -> dict[str, Samples]:
    """Until `stop` is set: per name, the CPU the process used in each interval, and its RSS (the process alone:
    the generator's children are the sandbox, the bot and Rasa, each sampled under its own name)."""
    out = {name: Samples() for name in pids}
    loop = asyncio.get_running_loop()
    last = {name: (loop.time(), (_cpu_seconds(pid) or 0.0)) for name, pid in pids.items()}
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
        for name, pid in pids.items():
            now, cpu = loop.time(), (_cpu_seconds(pid) or 0.0)
            then, before = last[name]
            last[name] = (now, cpu)
            rss = _rss_mib(pid) or 0.0
            if now > then and rss:
                out[name].cpu.append(100.0 * (cpu - before) / (now - then))
                out[name].rss_mib.append(rss)
    return out
