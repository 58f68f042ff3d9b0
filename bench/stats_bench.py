"""make stats-bench (issue #13): /stats for a year on 100,000 seeded tickets, on SQLite and PostgreSQL -> docs/benchmarks.md.

Each run is what /stats does: the figures (aggregate queries in a read-only snapshot), then the charts (matplotlib).
Meanwhile another thread keeps writing, as other people's replies do (a comment on a ticket, each its own short
write transaction), and its latencies are compared with the same writes while nothing else runs."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from bench.doc_section import write_section
from bench.stats_seed import ESTATE, seed, utc_now
from bot.i18n import Catalogs
from domain.lifecycle import Action, Status
from domain.periods import parse_period
from domain.values import Language
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.stats import SqlStatsReader
from storage.uow import SqlUnitOfWork

TZ = ZoneInfo("Asia/Shanghai")
PG_ADMIN = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_DB = "baoxiu_stats_bench"


def _postgres() -> Engine | None:
    admin = make_engine(PG_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {PG_DB}"))
            c.execute(text(f"CREATE DATABASE {PG_DB}"))
    except Exception as exc:  # no server: the table says so
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipped", file=sys.stderr)
        return None
    finally:
        admin.dispose()
    return make_engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_DB}")


def _write(sessions, ticket_id: int, actor: int) -> float:  # type: ignore[no-untyped-def]
    """One other person's reply: a short write transaction (a comment on a ticket's timeline)."""
    started = time.perf_counter()
    with SqlUnitOfWork(sessions) as uow:
        ticket = uow.tickets.get(ticket_id)
        assert ticket is not None
        ticket.apply(Action.COMMENT, actor, None, utc_now(), "bench")
        uow.tickets.append_events(ticket)
        uow.commit()
    return time.perf_counter() - started


def _writes_while(busy: threading.Event, sessions, staff: int) -> list[float]:  # type: ignore[no-untyped-def]
    found, n = [], 0
    while busy.is_set():
        found.append(_write(sessions, 1 + n % 1000, staff))
        n += 1
        time.sleep(0.02)
    return found


def measure(name: str, engine: Engine, tickets: int, runs: int) -> dict[str, object]:
    from reports.charts import render

    upgrade(engine)
    now = utc_now()
    t0 = time.perf_counter()
    staff = seed(engine, tickets, now)
    seeded = time.perf_counter() - t0
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.execute(text("ANALYZE"))
    reader, sessions, catalogs = SqlStatsReader(engine), make_session_factory(engine), Catalogs()
    period = parse_period(["year"], now, TZ)
    say = lambda key, **v: catalogs.text(Language.ZH, key, **v)  # noqa: E731
    render(reader.report(ESTATE, period, now), say, "近一年")  # warm: fonts, caches
    baseline = [_write(sessions, 1 + n, staff) for n in range(50)]
    figures, totals, during = [], [], []
    load_before = os.getloadavg()[0]
    for _ in range(runs):
        busy = threading.Event()
        busy.set()
        result: list[list[float]] = []
        writer = threading.Thread(target=lambda: result.append(_writes_while(busy, sessions, staff)))
        writer.start()
        started = time.perf_counter()
        report = reader.report(ESTATE, period, now)
        figures.append(time.perf_counter() - started)
        charts = render(report, say, "近一年")
        totals.append(time.perf_counter() - started)
        busy.clear()
        writer.join()
        during += result[0]
    return {"name": name, "tickets": report.total, "seeded": seeded, "figures": statistics.median(figures),
            "total": statistics.median(totals), "worst": max(totals), "charts": len(charts),
            "base_p50": statistics.median(baseline), "base_max": max(baseline),
            "during_p50": statistics.median(during), "during_max": max(during), "writes": len(during), "runs": runs,
            "report": report, "pngs": charts, "load": (load_before, os.getloadavg()[0])}


def markdown(results: list[dict[str, object]], tickets: int) -> str:
    ms = lambda s: f"{1000 * float(s):.0f} ms"  # noqa: E731
    lines = ["## Statistics for a year (`make stats-bench`, issue #13)", "",
             f"/stats year on {tickets:,} seeded tickets (about 6 timeline events each, a bill in the ledger for each done job, most approved and paid, and the parts it "
             "used; 20,000 self-help outcomes), "
             "as the bot runs it: the figures in aggregate queries, then the five charts. Median of the runs, "
             "target ≤ 2 s. Meanwhile a second thread keeps writing (a comment on a ticket, its own short "
             "transaction, as another person's reply does), and its latency is set against the same writes with "
             "nothing else running. One run on this 2-core machine, shared with other work; its 1-minute load average "
             "before and after each database's runs is in the table. The summary is the bot's first answer (sent "
             "when the figures are ready); the charts follow.", "",
             "| database | tickets in the year | figures = summary answered (median) | /stats with charts (median) | "
             "worst | a write alone p50 / max | a write during /stats p50 / max (n) | load average |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        lines.append(f"| {r['name']} | {r['tickets']:,} | {ms(r['figures'])} | {ms(r['total'])} | {ms(r['worst'])} | "
                     f"{ms(r['base_p50'])} / {ms(r['base_max'])} | {ms(r['during_p50'])} / {ms(r['during_max'])} "
                     f"({r['writes']}) | {r['load'][0]:.1f} → {r['load'][1]:.1f} |")  # type: ignore[index]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--charts", help="folder to save the last run's charts in, to look at them")
    parser.add_argument("--no-doc", action="store_true", help="print the table, leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = make_engine(f"sqlite:///{folder}/stats.db")
        results.append(measure("SQLite", sqlite, args.tickets, args.runs))
        sqlite.dispose()
    pg = _postgres()
    if pg is not None:
        results.append(measure("PostgreSQL", pg, args.tickets, args.runs))
        pg.dispose()
    if args.charts:
        os.makedirs(args.charts, exist_ok=True)
        for name, png in results[-1]["pngs"]:  # type: ignore[union-attr]
            with open(os.path.join(args.charts, f"{name}.png"), "wb") as f:
                f.write(png)
    table = markdown(results, args.tickets)
    print(table)
    if not args.no_doc:
        write_section("stats-bench", table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
