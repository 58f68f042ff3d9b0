"""Telegram's limits are respected: long texts are cut at a line with a pointer, long timelines are paged."""
from __future__ import annotations

import re

from datetime import timedelta

from bot.render import TELEGRAM_TEXT_LIMIT, fit
from tests.unit.bot.conftest import OWNER, STAFF, OfflineBot


def test_a_long_text_is_cut_at_a_line_break_with_a_pointer() -> None:
    text = "\n".join(f"<b>#{n}</b> line {n}" for n in range(1000))
    cut = fit(text)
    assert len(cut) <= TELEGRAM_TEXT_LIMIT and cut.endswith("…") and "<b>#" in cut.splitlines()[-2]
    assert fit("short") == "short"


async def test_a_ticket_with_a_long_timeline_is_paged_and_every_message_fits(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")  # urgent: filed at once
    for _ in range(30):  # thirty 催单 over the days: thirty timeline entries
        offline.svc.clock.advance(timedelta(hours=1))
        await offline.say(OWNER, "/urge 1")
    card = offline.to(STAFF, await offline.say(STAFF, "/ticket 1"))[-1]
    # 31 entries of the owner's, and the system's own (dispatch, SLA reminders and escalations)
    total = re.search(r"共 (\d+) 条", card.text)
    assert len(card.text) <= TELEGRAM_TEXT_LIMIT and "tl:1:1" in card.buttons and total and int(total[1]) >= 31
    older = offline.to(STAFF, await offline.tap(STAFF, "tl:1:1"))[-1]
    n = int(total[1])
    assert f"第 {n - 19}–{n - 10} 条" in older.text and "tl:1:2" in older.buttons and "tl:1:0" in older.buttons


async def test_nobody_pages_through_a_ticket_they_may_not_see(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
    refused = offline.to(1003, await offline.tap(1003, "tl:1:0"))[-1]
    assert "权限" in refused.text


async def test_an_overlong_invite_name_gets_a_clear_answer(offline: OfflineBot) -> None:
    reply = offline.to(STAFF, await offline.say(STAFF, "/invite owner 3-2-1801 " + "王" * 150))[-1]
    assert "太长" in reply.text and offline.store.invites == {}


class CountingTranscriber:
    calls = 0

    def transcribe(self, audio: bytes) -> str:
        CountingTranscriber.calls += 1
        return "厨房漏水"


async def test_a_voice_note_too_long_or_too_big_is_refused_before_it_is_downloaded(offline: OfflineBot) -> None:
    offline.svc.speech = CountingTranscriber()
    for duration, size in ((600, 100_000), (10, 50 * 1024 * 1024)):
        sent = await offline.send(offline.updates.voice(OWNER, duration, size))
        assert [s.method for s in sent] == ["sendMessage"] and "太长" in sent[0].text
    assert not any(s.method == "getFile" for s in offline.request.sent) and CountingTranscriber.calls == 0


def test_a_long_line_is_cut_without_splitting_an_entity_or_leaving_a_tag_open() -> None:
    for pad in range(5):  # every place the cut can fall inside '&amp;' (a note of '&' typed 2000 times)
        cut = fit("⏸ <b>#3</b> " + "x" * pad + "&amp;" * 2000)
        assert len(cut) <= TELEGRAM_TEXT_LIMIT and cut.endswith("&amp;\n…"), (pad, cut[-20:])
    cut = fit("<b>" + "&lt;" * 2000 + "</b>")
    assert len(cut) <= TELEGRAM_TEXT_LIMIT and cut.endswith("&lt;</b>\n…"), cut[-20:]
