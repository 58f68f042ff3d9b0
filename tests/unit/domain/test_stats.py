"""Staff statistics and exports through the use cases, over the in-memory stats reader and a hand-checked history."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from domain.errors import InvalidInput, PermissionDenied
from domain.export import COLUMNS, hold_seconds, neutralise, rows
from domain.insight import spread
from domain.lifecycle import Action
from domain.usecases.stats import export_tickets, ticket_stats
from tests import stats_history as h
from tests.fakes import FakeClock, FakeStatsReader, FakeUnitOfWork


@pytest.fixture
def seeded() -> tuple[FakeUnitOfWork, FakeStatsReader, h.People]:
    uow = FakeUnitOfWork()
    people = h.seed(lambda: FakeUnitOfWork(uow.store))
    return uow, FakeStatsReader(uow.store), people


def figures(report) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The report in EXPECTED's shape."""
    return {
        "total": report.total, "by_status": report.by_status, "by_category": report.by_category,
        "by_building": report.by_building, "funnel": report.funnel,
        "sla": {k: (c.met, c.missed) for k, c in report.sla.items()},
        "assign": (report.assign.count, report.assign.median, report.assign.p90),
        "resolve": (report.resolve.count, report.resolve.median, report.resolve.p90),
        "average_rating": report.average_rating, "rated": report.rated, "reworked": report.reworked,
        "overdue_now": report.overdue_now, "cancelled": report.cancelled,
        "trend_reported": [p.reported for p in report.trend],
        "technicians": [(t.name, t.jobs, t.resolved, t.resolve.median, t.average_rating, t.rework_rate)
                        for t in report.technicians],
    }


def test_the_in_memory_reader_matches_the_figures_worked_out_by_hand(seeded) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    report = ticket_stats(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    assert figures(report) == h.EXPECTED


def test_only_staff_read_statistics_or_export(seeded) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    with pytest.raises(PermissionDenied):
        ticket_stats(uow, reader, FakeClock(h.NOW), people.owner, [], h.TZ)
    with pytest.raises(PermissionDenied):
        export_tickets(uow, reader, FakeClock(h.NOW), people.tech_a, [], h.TZ)


def test_a_period_nobody_can_read_is_refused_as_invalid_input(seeded) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    with pytest.raises(InvalidInput):
        ticket_stats(uow, reader, FakeClock(h.NOW), people.staff, ["lastweek"], h.TZ)


def test_median_is_the_middle_of_two_and_p90_the_nearest_rank() -> None:
    assert spread([4.0, 1.0, 3.0, 2.0]) == spread([1.0, 2.0, 3.0, 4.0])
    assert (spread([1, 2, 3, 4]).median, spread([1, 2, 3, 4]).p90) == (2.5, 4)
    assert (spread([5.0]).median, spread([5.0]).p90) == (5.0, 5.0)
    assert spread(list(range(1, 11))).p90 == 9 and spread(list(range(1, 12))).p90 == 10
    assert spread([]).count == 0 and spread([]).median is None


def test_export_rows_carry_every_column_durations_and_the_rating(seeded) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    period, tickets = export_tickets(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    table = [dict(zip(COLUMNS, r)) for r in rows(tickets, h.TZ)]
    assert len(table) == 5 and all(len(r) == len(COLUMNS) for r in table)
    first, second = table[0], table[1]
    assert first["created_at"] == "2025-03-03 09:00" and first["hours_to_assign"] == 0.5
    assert (first["hours_to_resolve"], first["hours_on_hold"], first["rating"]) == (4.5, 0.5, 5)
    assert (first["response_in_time"], first["resolution_in_time"], first["parts"]) == ("yes", "yes", "角阀")
    assert (second["rework_count"], second["rating"], second["resolution_in_time"]) == (1, 3, "no")


def test_export_neutralises_cells_a_spreadsheet_would_run(seeded) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    _, tickets = export_tickets(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    table = [dict(zip(COLUMNS, r)) for r in rows(tickets, h.TZ)]
    assert table[1]["description"] == "'-插座没电" and table[1]["rating_comment"] == "'=1+1"
    assert table[2]["description"] == "'@漏水" and table[2]["owner"] == "'=HYPERLINK(\"x\")"
    assert [neutralise(v) for v in ("+86", "\tx", "a=b", 5, None, -3)] == ["'+86", "'\tx", "a=b", 5, None, -3]


def test_time_on_hold_adds_each_hold_to_its_resume() -> None:
    t = datetime(2025, 3, 3, tzinfo=timezone.utc)
    moments = ((Action.HOLD, t), (Action.RESUME, t + timedelta(hours=1)), (Action.HOLD, t + timedelta(hours=2)),
               (Action.RESUME, t + timedelta(hours=2, minutes=30)), (Action.HOLD, t + timedelta(hours=5)))
    assert hold_seconds(moments) == 1.5 * 3600
