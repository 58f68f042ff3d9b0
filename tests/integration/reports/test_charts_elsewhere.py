"""Charts drawn in their own process (reports/elsewhere.py) are the charts drawn here, in the reader's language,
and a chart process that died is started again at the next /stats instead of failing every one after."""
from __future__ import annotations

import asyncio
import os
import signal
from datetime import datetime, timezone

import pytest

from bot.i18n import Catalogs
from bot.insight import period_name
from domain.usecases.stats import ticket_stats
from domain.values import Language
from reports import elsewhere
from reports.charts import render
from tests import stats_history as h
from tests.fakes import FakeClock, FakeStatsReader, FakeUnitOfWork


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork()
    people = h.seed(lambda: FakeUnitOfWork(uow.store))
    at = datetime(2025, 3, 4, tzinfo=timezone.utc)
    reader = FakeStatsReader(uow.store, [("plumbing", "shown", at), ("plumbing", "deflected", at)])
    return ticket_stats(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)


def _size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_charts_drawn_in_the_chart_process_are_the_ones_drawn_here(report) -> None:  # type: ignore[no-untyped-def]
    catalogs = Catalogs()
    period = period_name(catalogs, Language.ZH, report.period)
    here = render(report, lambda key, **v: catalogs.text(Language.ZH, key, **v), period)
    there = asyncio.run(elsewhere.render(report, catalogs.phrases(Language.ZH), period))
    assert [name for name, _ in there] == [name for name, _ in here] == ["volume", "flow", "times", "technicians",
                                                                          "selfhelp"]
    assert [_size(png) for _, png in there] == [_size(png) for _, png in here]


def test_a_chart_process_that_died_is_started_again_at_the_next_call(report) -> None:  # type: ignore[no-untyped-def]
    catalogs = Catalogs()
    say, period = catalogs.phrases(Language.EN), period_name(catalogs, Language.EN, report.period)
    assert asyncio.run(elsewhere.render(report, say, period))
    pool = elsewhere._executor()
    for pid in list(pool._processes):  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(Exception):  # BrokenProcessPool: this /stats says the charts failed
        for _ in range(20):  # the pool may notice the death only at the next submit
            asyncio.run(elsewhere.render(report, say, period))
    assert [name for name, _ in asyncio.run(elsewhere.render(report, say, period))][:2] == ["volume", "flow"]
    assert elsewhere._executor() is not pool
