"""The SQL stats reader on SQLite and PostgreSQL: figures against those worked out by hand, exports, and no lock."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlalchemy import Engine

from domain.export import COLUMNS, rows
from domain.insight import Deflection
from domain.usecases.stats import export_tickets, ticket_stats
from storage.models import KbOutcomeRow
from storage.db import make_session_factory
from storage.stats import SqlStatsReader
from tests import stats_history as h
from tests.fakes import FakeClock
from tests.unit.domain.test_stats import figures


def _outcomes(engine: Engine) -> None:
    at = datetime(2025, 3, 4, 2, tzinfo=timezone.utc)
    rows_ = [("plumbing", "shown"), ("plumbing", "shown"), ("plumbing", "deflected"), ("plumbing", "needed_repair"),
             ("electrical", "shown"), (None, "shown")]
    with make_session_factory(engine).begin() as s:
        s.add_all(KbOutcomeRow(article_id="a", category=c, building="3", outcome=o, at=at) for c, o in rows_)
        s.add(KbOutcomeRow(article_id="a", category="plumbing", outcome="deflected", at=datetime(2025, 2, 1, tzinfo=timezone.utc)))


def test_sql_figures_match_those_worked_out_by_hand(engine: Engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    people = h.seed(uow_factory)
    _outcomes(engine)
    report = ticket_stats(uow_factory(), SqlStatsReader(engine), FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    assert figures(report) == h.EXPECTED
    assert report.deflection == [Deflection("electrical", 1, 0, 0), Deflection("other", 1, 0, 0),
                                 Deflection("plumbing", 2, 1, 1)]
    assert report.trend[0].assign.median == 1.0 and report.trend[2].reported == 1


def test_sql_export_has_every_field_durations_and_neutralised_cells(engine: Engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    people = h.seed(uow_factory)
    _, tickets = export_tickets(uow_factory(), SqlStatsReader(engine), FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    table = [dict(zip(COLUMNS, r)) for r in rows(tickets, h.TZ)]
    assert [r["id"] for r in table] == [2, 3, 4, 5, 6]
    assert (table[0]["hours_to_assign"], table[0]["hours_on_hold"], table[0]["rating"]) == (0.5, 0.5, 5)
    assert (table[0]["owner"], table[0]["owner_phone"], table[0]["technician"]) == ("王芳", "1380001", "张师傅")
    assert table[1]["rating_comment"] == "'=1+1" and table[2]["owner"].startswith("'=")


def test_a_report_holds_no_lock_that_makes_a_writer_wait(engine: Engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    people = h.seed(uow_factory)
    reader = SqlStatsReader(engine)
    with reader.sessions() as s:  # a report's transaction, open, having read
        s.execute(KbOutcomeRow.__table__.select()).all()
        done = threading.Event()

        def write() -> None:
            with uow_factory() as uow:
                person = uow.people.get(people.owner)
                uow.people.save(person)
                uow.commit()
            done.set()

        threading.Thread(target=write).start()
        assert done.wait(5), "a writer waited for the report's transaction"


def test_percentiles_per_trend_point_overall_and_technician_equal_the_reference_definition(engine: Engine) -> None:
    """Hundreds of seeded tickets (odd and even counts per group): the database's medians and p90s are
    domain.insight.spread's, to the second, for PostgreSQL's ordered-set aggregates and SQLite's ranked seeks."""
    from collections import defaultdict

    from sqlalchemy import select

    from bench.stats_seed import ESTATE, seed
    from domain.insight import spread
    from domain.periods import parse_period
    from storage.models import TicketEventRow, TicketRow

    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    seed(engine, 301, now)
    period = parse_period(["year"], now, h.TZ)
    report = SqlStatsReader(engine).report(ESTATE, period, now)
    with make_session_factory(engine)() as s:
        tickets = s.scalars(select(TicketRow).where(TicketRow.created_at >= period.start)).all()
        first: dict[int, datetime] = {}
        for e in s.scalars(select(TicketEventRow).where(TicketEventRow.action.in_(("assign", "claim")))):
            first[e.ticket_id] = min(first.get(e.ticket_id, e.at), e.at)
    hours = lambda end, start: round((end - start).total_seconds()) / 3600  # noqa: E731
    resolve = [hours(t.completed_at, t.created_at) for t in tickets if t.completed_at]
    assign = [hours(first[t.id], t.created_at) for t in tickets if t.id in first]
    by_tech: dict[int, list[float]] = defaultdict(list)
    for t in tickets:
        if t.completed_at and t.technician_id:
            by_tech[t.technician_id].append(hours(t.completed_at, t.created_at))
    edges = period.buckets()[1:] + [period.end]
    monthly = [[hours(t.completed_at, t.created_at) for t in tickets if t.completed_at
                and (i == 0 or t.created_at >= edges[i - 1]) and t.created_at < edges[i]] for i in range(len(edges))]
    assert report.total == len(tickets) and len(resolve) > 200
    assert report.resolve == spread(resolve) and report.assign == spread(assign)
    assert {line.technician_id: line.resolve for line in report.technicians} == \
        {tid: spread(found) for tid, found in by_tech.items()} | {line.technician_id: spread([])
                                                                   for line in report.technicians
                                                                   if line.technician_id not in by_tech}
    assert [point.resolve for point in report.trend] == [spread(found) for found in monthly]
    assert report.funnel["assigned"] == len(assign)
