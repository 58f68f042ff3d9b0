"""/stats' fees and parts as staff read them, in each language, and nothing when there were none."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.insight import money_section
from domain.insight import Fees, PartUse, StatsReport
from domain.periods import parse_period
from domain.values import Language
from tests.unit.bot.conftest import OfflineBot

NOW = datetime(2025, 3, 8, 4, tzinfo=timezone.utc)
PARTS = [PartUse("VALVE15", "角阀", "angle valve", "个", "pc", 6, 15000),
         PartUse("TAPE", "生料带", "PTFE tape", "卷", "roll", 4, 800)]


def report(fees: Fees = Fees(), parts: list[PartUse] | None = None) -> StatsReport:
    return StatsReport(parse_period(["week"], NOW, ZoneInfo("Asia/Shanghai")), 3, fees=fees, parts=parts or [])


async def test_fees_and_parts_read_in_the_readers_language_and_money(offline: OfflineBot) -> None:
    r = report(Fees(billed=3, due_fen=29050, paid_fen=14000, disputed=1), PARTS)
    zh = money_section(offline.svc, Language.ZH, r)
    assert "💰 费用：3 单有账单，应收业主 290.50 元，已收 140.00 元，未收 150.50 元；业主有疑问 1 单。" in zh
    assert "🔩 配件用量：角阀 6 个（合计 150.00 元）、生料带 4 卷（合计 8.00 元）" in zh
    en = money_section(offline.svc, Language.EN, r)
    assert "3 tickets billed, ¥290.50 due from owners, ¥140.00 paid, ¥150.50 outstanding; 1 questioned" in en
    assert "Parts used: angle valve 6 pc (¥150.00), PTFE tape 4 roll (¥8.00)" in en


async def test_a_period_without_bills_or_parts_adds_nothing(offline: OfflineBot) -> None:
    assert money_section(offline.svc, Language.ZH, report()) == ""
