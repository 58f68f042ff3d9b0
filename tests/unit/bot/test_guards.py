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


async def test_a_card_in_the_staff_group_leaves_out_the_owners_phone_a_private_one_shows_it(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
    in_group = await offline.send(offline.updates.text(STAFF, "/ticket 1", chat_id=STAFF_GROUP))
    private = await offline.say(STAFF, "/ticket 1")
    phone = offline.store.people[next(i for i, p in offline.store.people.items() if p.chat_id == OWNER)].phone
    assert phone and phone not in in_group[0].text and phone in private[0].text


async def test_invite_codes_are_only_sent_in_private(offline: OfflineBot) -> None:
    sent = await offline.send(offline.updates.text(STAFF, "/invite owner 3-2-1801 王", chat_id=STAFF_GROUP))
    assert "私聊" in sent[0].text and offline.store.invites == {}


async def test_the_technician_list_of_an_assign_button_is_for_staff_only(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
    shown = await offline.tap(OWNER, "t:assign:1")
    assert "张师傅" not in " ".join(s.text for s in shown) and not any(b.startswith("t:assign:1:") for s in shown
                                                                     for b in s.buttons)
