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


def tree(pid: int) -> list[int]:
    """The process and its children (Rasa's `rasa run` may fork workers)."""
    found = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            for child in children.read().split():
                found += tree(int(child))
    except OSError:
        pass
    return found


async def sample(pids: dict[str, int], stop: asyncio.Event, every: float = 1.0) -> dict[str, Samples]:
    """Until `stop` is set: per name, the CPU used by the process tree in each interval and its RSS."""
    out = {name: Samples() for name in pids}
    loop = asyncio.get_running_loop()
    last = {name: (loop.time(), sum(_cpu_seconds(p) or 0.0 for p in tree(pid))) for name, pid in pids.items()}
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
        for name, pid in pids.items():
            now, cpu = loop.time(), sum(_cpu_seconds(p) or 0.0 for p in tree(pid))
            then, before = last[name]
            last[name] = (now, cpu)
            rss = sum(_rss_mib(p) or 0.0 for p in tree(pid))
            if now > then and rss:
                out[name].cpu.append(100.0 * (cpu - before) / (now - then))
                out[name].rss_mib.append(rss)
    return out
