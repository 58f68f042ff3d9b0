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
