"""Column limits are checked before writing: odd answers never make a submit fail, on SQLite or PostgreSQL."""
from __future__ import annotations

from domain.values import Location
from tests.integration.bot.conftest import SqlOfflineBot

OWNER = 1001


async def test_a_300_character_place_answer_is_never_stored_and_the_report_still_files(offline_sql: SqlOfflineBot) -> None:
    await offline_sql.say(OWNER, "马桶堵了，冲不下去")
    again = offline_sql.to(OWNER, await offline_sql.say(OWNER, "就在那个" * 75))[-1]  # 300 characters, no place
    assert "没看懂" in again.text
    await offline_sql.say(OWNER, "是的")
    await offline_sql.say(OWNER, "确认")
    (ticket,) = offline_sql.tickets()
    assert ticket.location == Location("3", "2", "1801")


async def test_the_longest_description_the_bot_accepts_is_filed_whole(offline_sql: SqlOfflineBot) -> None:
    text = ("3栋2单元1801厨房水管漏水，" + "水一直在滴，地上都湿了，" * 200)[:offline_sql.svc.settings.max_text_length]
    reply = offline_sql.to(OWNER, await offline_sql.say(OWNER, text))[-1]
    assert "r:submit" in reply.buttons
    await offline_sql.tap(OWNER, "r:submit")
    (ticket,) = offline_sql.tickets()
    assert ticket.description == text.strip() and len(text) == 2000
