"""Each of a period's tickets once (its trend point, technician, hours to assign and to resolve, funnel stages), and
from that the figures that need its timeline: percentiles per trend point, overall and per technician, the funnel.

The timeline is read in one grouped pass, not once per figure. PostgreSQL then answers in one statement with its
ordered-set aggregates. SQLite has none, and ranking ~500,000 hours by window functions took it about a second on
100,000 tickets: there the hours go into temporary tables (the temp database, which takes no lock on the main one,
in the same read snapshot), whose index gives each rank by a seek."""
from __future__ import annotations

from typing import Any

from sqlalchemy import (Column, Float, Index, Integer, MetaData, Select, String, Table, case, func, insert, literal,
                        null, select, text, union_all)
from sqlalchemy.orm import Session

from domain.insight import FUNNEL, Spread
from domain.periods import Period
from storage.models import TicketEventRow, TicketRow
from storage.stats_sql import bucket, hours

REACHED_BY = {"assigned": ("assign", "claim"), "started": ("start",), "done": ("complete",), "confirmed": ("confirm",),
              "rated": ("rate",)}  # FUNNEL stage -> the timeline actions that show a ticket got there
assert tuple(REACHED_BY) == FUNNEL[1:]
OVERALL = -1  # the key of a figure over the whole period
RANKED_AT_ONCE = 300  # groups per statement: 3 seeks each, under SQLite's 2,000 result columns

_temp = MetaData()  # not Base.metadata: these live in SQLite's temp database for one report, never in a migration
PHASES = Table("stats_phases", _temp, Column("k", Integer), Column("tech", Integer), Column("a", Float),
               Column("r", Float), *(Column(stage, Integer) for stage in REACHED_BY), prefixes=["TEMPORARY"])
HOURS = Table("stats_hours", _temp, Column("g", String), Column("k", Integer), Column("h", Float),
              prefixes=["TEMPORARY"])
BY_RANK = Index("ix_stats_hours", HOURS.c.g, HOURS.c.k, HOURS.c.h)

Figures = dict[tuple[str, Any], Spread]


def phases(dialect: str, where: tuple[Any, ...], period: Period) -> Select[Any]:
    """The period's tickets, each once: trend point k, technician, hours to the first assignment (a) and to
    resolution (r), and 1/0 per funnel stage reached."""
    t, e = TicketRow, TicketEventRow
    actions = [a for group in REACHED_BY.values() for a in group]
    timeline = select(e.ticket_id, func.min(case((e.action.in_(REACHED_BY["assigned"]), e.at))).label("assigned_at"),
                      *(func.max(case((e.action.in_(group), 1), else_=0)).label(stage)
                        for stage, group in REACHED_BY.items()))\
        .where(e.action.in_(actions), e.at >= period.start)\
        .group_by(e.ticket_id).subquery()  # no event of the period's tickets is older than the period
    return select(bucket(t.created_at, period.buckets()).label("k"), t.technician_id.label("tech"),
                  hours(dialect, timeline.c.assigned_at, t.created_at).label("a"),
                  hours(dialect, t.completed_at, t.created_at).label("r"),
                  *(func.coalesce(timeline.c[stage], 0).label(stage) for stage in REACHED_BY))\
        .select_from(t).outerjoin(timeline, timeline.c.ticket_id == t.id).where(*where)


def phase_figures(session: Session, dialect: str, tickets: Select[Any]) -> Figures:
    """(figure, key) -> Spread: ("assign" | "resolve", k or OVERALL) and ("technician", id) with their percentiles;
    ("reported", k) and ("funnel:<stage>", 0) as bare counts."""
    if dialect == "postgresql":
        return _in_postgres(session, tickets.cte("phases").prefix_with("MATERIALIZED"))
    return _in_sqlite(session, tickets)


def _hours_and_counts(p: Any) -> tuple[list[Select[Any]], list[Select[Any]]]:
    """Over phases `p`: the (g, k, h) rows each percentile is taken of, and the (g, k, n) counts."""
    def keyed(name: str, key: Any, h: Any) -> Select[Any]:
        return select(literal(name).label("g"), key.label("k"), h.label("h")).select_from(p).where(h.is_not(None))
    hours_of = [keyed("assign", p.c.k, p.c.a), keyed("resolve", p.c.k, p.c.r),
                keyed("assign", literal(OVERALL), p.c.a), keyed("resolve", literal(OVERALL), p.c.r),
                keyed("technician", p.c.tech, p.c.r).where(p.c.tech.is_not(None))]
    counts = [select(literal("reported"), p.c.k, func.count()).group_by(p.c.k)]
    counts += [select(literal(f"funnel:{stage}"), literal(0), func.coalesce(func.sum(p.c[stage]), 0))
               for stage in REACHED_BY]
    return hours_of, counts


def _in_postgres(session: Session, p: Any) -> Figures:
    """One statement: percentile_cont(0.5) is the middle value or halfway between the middle two, and
    percentile_disc(0.9) the ceil(0.9 n)-th value, as domain.insight.spread defines them."""
    hours_of, counts = _hours_and_counts(p)
    keyed = union_all(*hours_of).subquery()
    g, k, h = keyed.c.g, keyed.c.k, keyed.c.h
    spreads = select(g, k, func.count(h), func.percentile_cont(0.5).within_group(h),
                     func.percentile_disc(0.9).within_group(h)).group_by(g, k)
    rows = session.execute(union_all(spreads, *(c.add_columns(null(), null()) for c in counts)))
    return {(g, k): Spread(int(n), _float(median), _float(p90)) for g, k, n, median, p90 in rows}


def _in_sqlite(session: Session, tickets: Select[Any]) -> Figures:
    """Phases and hours in temporary tables; each rank an index seek (ORDER BY h LIMIT 1 OFFSET rank - 1)."""
    bind = session.connection()
    _drop(session)
    PHASES.create(bind)
    session.execute(insert(PHASES).from_select([c.name for c in PHASES.c], tickets))
    hours_of, counts = _hours_and_counts(PHASES)
    session.execute(text(f"CREATE TEMP TABLE {HOURS.name} (g TEXT, k INTEGER, h REAL)"))
    session.execute(insert(HOURS).from_select(["g", "k", "h"], union_all(*hours_of)))
    BY_RANK.create(bind)  # after the rows: one sort, not 500,000 inserts into a B-tree
    found = {(g, k): Spread(int(n)) for g, k, n in session.execute(union_all(*counts))}
    sizes = session.execute(select(HOURS.c.g, HOURS.c.k, func.count()).group_by(HOURS.c.g, HOURS.c.k)).all()
    for start in range(0, len(sizes), RANKED_AT_ONCE):
        found.update(_ranked(session, [(g, k, int(n)) for g, k, n in sizes[start:start + RANKED_AT_ONCE]]))
    _drop(session)
    return found


def _drop(session: Session) -> None:
    for table in (HOURS, PHASES):
        session.execute(text(f"DROP TABLE IF EXISTS temp.{table.name}"))


def _ranked(session: Session, groups: list[tuple[str, Any, int]]) -> Figures:
    def at(g: str, k: Any, rank: int) -> Any:
        return select(HOURS.c.h).where(HOURS.c.g == g, HOURS.c.k == k).order_by(HOURS.c.h)\
            .limit(1).offset(rank - 1).scalar_subquery()
    ranks = [((n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10) for _, _, n in groups]
    row = session.execute(select(*(at(g, k, r) for (g, k, _), three in zip(groups, ranks) for r in three))).one()
    return {(g, k): Spread(n, (row[3 * i] + row[3 * i + 1]) / 2, row[3 * i + 2])
            for i, (g, k, n) in enumerate(groups)}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
