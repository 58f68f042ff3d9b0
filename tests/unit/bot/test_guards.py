"""Before any handler: only the staff group (and only for staff), no edits re-run, floods and replays do no work."""
from __future__ import annotations

from tests.unit.bot.conftest import OWNER, PLUMBER, STAFF, STAFF_GROUP, OfflineBot

STRANGE_GROUP = -100777


async def test_any_other_group_is_told_and_left_and_nothing_else_happens(offline: OfflineBot) -> None:
    sent = await offline.send(offline.updates.text(OWNER, "3栋2单元1801厨房水管爆了", chat_id=STRANGE_GROUP))
    assert [s.method for s in sent] == ["sendMessage", "leaveChat"]
    assert offline.tickets() == [] and offline.svc.states.read(OWNER) == {}


async def test_in_the_staff_group_only_staff_are_served(offline: OfflineBot) -> None:
    ignored = await offline.send(offline.updates.text(OWNER, "/tickets", chat_id=STAFF_GROUP))
    assert ignored == []
    served = await offline.send(offline.updates.text(STAFF, "/tickets", chat_id=STAFF_GROUP))
    assert served and served[0].chat_id == STAFF_GROUP


async def test_a_button_in_the_staff_group_pressed_by_a_technician_is_refused_with_an_alert(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")  # urgent: filed at once, posted to the staff group
    before = len(offline.request.sent)
    await offline.send(offline.updates.tap(PLUMBER, "t:assign:1", chat_id=STAFF_GROUP))
    answers = [s for s in offline.request.sent[before:] if s.method == "answerCallbackQuery"]
    assert answers and answers[0].params.get("show_alert") is True
    assert [s for s in offline.request.sent[before:] if s.method == "sendMessage"] == []


async def test_an_edited_message_re_runs_nothing_and_says_so(offline: OfflineBot) -> None:
    sent = await offline.send(offline.updates.text(OWNER, "3栋2单元1801厨房水管漏水了", edited=True))
    assert len(sent) == 1 and "修改" in sent[0].text
    assert offline.svc.states.get(OWNER, "report") is None


async def test_a_flood_is_cut_off_its_excess_does_no_work_and_one_warning_is_sent(offline: OfflineBot) -> None:
    limit = offline.svc.throttle.limit
    replies = [await offline.say(OWNER, "你好") for _ in range(limit + 10)]
    assert all(len(r) == 1 for r in replies[:limit])
    warnings = [r for r in replies[limit:] if r]
    assert len(warnings) == 1 and "太快" in warnings[0][0].text


async def test_a_replayed_update_has_no_second_effect(offline: OfflineBot) -> None:
    update = offline.updates.text(OWNER, "3栋2单元1801厨房水管爆了")  # urgent: files a ticket at once
    first = await offline.send(update)
    again = await offline.send(update)
    assert first and again == [] and len(offline.tickets()) == 1
