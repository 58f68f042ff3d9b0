"""Charts and spreadsheets from the hand-checked history: valid PNGs drawn with a font that has the Chinese glyphs,
an XLSX that round-trips through openpyxl with Chinese intact and no formulas, a CSV with a BOM."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from bot.i18n import Catalogs
from bot.insight import period_name, write_export
from domain.usecases.stats import export_tickets, ticket_stats
from domain.values import Language
from reports import fonts
from reports.charts import render
from tests import stats_history as h
from tests.fakes import FakeClock, FakeStatsReader, FakeUnitOfWork

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def seeded() -> tuple[FakeUnitOfWork, FakeStatsReader, h.People]:
    uow = FakeUnitOfWork()
    people = h.seed(lambda: FakeUnitOfWork(uow.store))
    at = datetime(2025, 3, 4, tzinfo=timezone.utc)
    return uow, FakeStatsReader(uow.store, [("plumbing", "shown", at), ("plumbing", "deflected", at)]), people


@pytest.mark.parametrize("language", list(Language))
def test_every_chart_is_a_png_of_phone_width(seeded, language: Language) -> None:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    report = ticket_stats(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    catalogs = Catalogs()
    charts = render(report, lambda key, **v: catalogs.text(language, key, **v), period_name(catalogs, language, report.period))
    assert [name for name, _ in charts] == ["volume", "flow", "times", "technicians", "selfhelp"]
    for _, png in charts:
        width = int.from_bytes(png[16:20], "big")
        assert png.startswith(PNG) and width == 1080


def test_the_chart_font_has_the_chinese_glyphs_it_is_chosen_for() -> None:
    name = fonts.cjk_font()
    paths = {f.fname for f in fonts.font_manager.fontManager.ttflist if f.name == name}
    assert paths and all(fonts.covers(p, "报修统计派工完工返工率师傅表现小区公共区域") for p in paths)
    assert not fonts.covers(fonts.font_manager.findfont("DejaVu Sans"), "报修")


def test_no_cjk_font_stops_the_charts_with_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.cjk_font.cache_clear()
    monkeypatch.setattr(fonts, "covers", lambda path, text=fonts.PROBE: False)
    with pytest.raises(fonts.MissingCjkFont, match="fonts-noto-cjk"):
        fonts.cjk_font()
    fonts.cjk_font.cache_clear()


def _export(seeded, fmt: str, language: Language = Language.ZH) -> bytes:  # type: ignore[no-untyped-def]
    uow, reader, people = seeded
    period, tickets = export_tickets(uow, reader, FakeClock(h.NOW), people.staff, h.WORDS, h.TZ)
    out = io.BytesIO()
    assert write_export(out, fmt, Catalogs(), language, period, tickets) == 5
    return out.getvalue()


def test_the_xlsx_round_trips_with_chinese_intact_and_no_formula(seeded) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(_export(seeded, "xlsx")))
    sheet = book.active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    header = table[0]
    assert header[:3] == ["编号", "状态", "类别"] and len(table) == 6
    by = {header[i]: i for i in range(len(header))}
    assert table[1][by["描述"]] == "厨房漏水" and table[1][by["状态"]] == "已关闭" and table[1][by["评分"]] == 5
    assert table[2][by["评价"]] == "'=1+1" and table[3][by["业主"]] == "'=HYPERLINK(\"x\")"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_csv_is_utf8_with_a_bom_and_neutralised_cells(seeded) -> None:  # type: ignore[no-untyped-def]
    data = _export(seeded, "csv", Language.EN)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Status", "Category"] and len(rows) == 6
    assert rows[2][rows[0].index("Description")] == "'-插座没电" and rows[1][rows[0].index("Hours on hold")] == "0.5"
