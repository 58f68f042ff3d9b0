"""`make load-bench`: the load generator against the real bot on SQLite and PostgreSQL with Rasa in the loop, at
each offered rate; prints the figures and writes them to docs/benchmarks.md between the load-bench markers."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.load import measure, population
from bench.load.report import row, section
from bench.load.result import LoadResult
from bench.load.stand import stand

RASA_PORT = 5091


@contextlib.contextmanager
def rasa(wanted: bool, port: int) -> Iterator[tuple[int | None, int | None]]:
    """Rasa serving the trained model on `port` for every run (started and stopped here): (port, pid)."""
    if not wanted:
        yield None, None
        return
    from app.config import load_config
    from nlu.server import RasaServer

    server = RasaServer(load_config().nlu.model_copy(update={"port": port}))
    with server:
        yield port, server._process.pid if server._process else None


async def one_run(kind: str, rate: float, args: argparse.Namespace, folder: Path, rasa_port: int | None,
                  rasa_pid: int | None) -> LoadResult:
    people = population(args.users)
    async with stand(kind, people, folder / f"{kind}-{rate:g}", rasa_port) as running:
        pids = {**running.pids, "generator": os.getpid(), **({"rasa": rasa_pid} if rasa_pid else {})}
        result = await measure(running.url, people, rate, args.messages, pids=pids, progress=args.progress)
        result.rasa_fallbacks = running.bot_log.read_text(errors="replace").count("Rasa unavailable")
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", default="20,30,40", help="offered updates per second, comma-separated")
    parser.add_argument("--messages", type=int, default=10_000, help="updates per run (1500 for a quick look)")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--no-rasa", action="store_true", help="the rules parser instead of Rasa")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--progress", action="store_true")
    parser.add_argument("--section", default="load-bench", help="the docs/benchmarks.md section to (re)write")
    parser.add_argument("--title", default="one worker, 20 to 40 updates/s", help="the section's heading")
    parser.add_argument("--dump", help="write the last run's turns to this JSON file")
    args = parser.parse_args(argv)
    runs: list[tuple[str, LoadResult, str]] = []
    with tempfile.TemporaryDirectory(prefix="load-bench-") as folder, rasa(not args.no_rasa, RASA_PORT) as (port, pid):
        for kind in args.db.split(","):
            for rate in (float(r) for r in args.rate.split(",")):
                result = asyncio.run(one_run(kind, rate, args, Path(folder), port, pid))
                load = Path("/proc/loadavg").read_text().split()[0]
                runs.append((kind, result, load))
                print(row(kind, result, load), flush=True)
                if args.dump:
                    Path(args.dump).write_text(json.dumps([t.__dict__ for t in result.turns]))
    markdown = section(runs, args)
    print(markdown)
    if not args.no_write:
        from bench.doc_section import write_section

        write_section(args.section, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
