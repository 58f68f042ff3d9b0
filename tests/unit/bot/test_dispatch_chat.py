"""Dispatch and arrival through the real handlers, offline: who is told what when dispatch assigns or offers a
job, what staff see of why, and the check-in /begin asks for."""
from __future__ import annotations

from datetime import timedelta

from domain.lifecycle import Action, Status
from tests.unit.bot.conftest import OWNER, PLUMBER, STAFF, STAFF_GROUP, OfflineBot

BUILDER, LIFT_TECH = 2003, 2002
BUILDING_3 = (31.2300, 121.4718)  # config.yml


async def report(offline: OfflineBot, text: str) -> list:  # type: ignore[type-arg]
    """Report as the owner; a non-urgent report waits for their tap on the summary card."""
    sent = await offline.say(OWNER, text)
    if "r:submit" in sent[-1].buttons:
        sent = await offline.tap(OWNER, "r:submit")
    return sent


def actions(offline: OfflineBot, ticket_id: int = 1) -> list[Action]:
    return [e.action for e in offline.store.events.get(ticket_id, [])]


async def test_an_urgent_report_is_assigned_at_once_and_everyone_concerned_is_told(offline: OfflineBot) -> None:
    sent = await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    ticket = offline.tickets()[0]
    assert ticket.status is Status.ASSIGNED and ticket.technician_id is not None
    to_plumber = offline.to(PLUMBER, sent)
    assert any("t:accept:1" in m.buttons and "t:decline:1" in m.buttons for m in to_plumber)
    assert any("自动派工" in m.text and "张师傅" in m.text for m in offline.to(STAFF_GROUP, sent))
    assert any("#1" in m.text and "张师傅" in m.text for m in offline.to(OWNER, sent))


async def test_a_normal_report_is_offered_to_the_best_few_and_assigned_to_the_best_when_nobody_claims(
        offline: OfflineBot) -> None:
    sent = await report(offline, "3栋2单元1801厨房水龙头滴水")
    offers = [m for m in sent if "t:claim:1" in m.buttons]
    assert {m.chat_id for m in offers} == {PLUMBER, BUILDER}  # the plumbers; the lift technician has no plumbing
    assert all("抢单" in m.text for m in offers)
    assert offline.tickets()[0].status is Status.SUBMITTED
    offline.svc.clock.advance(timedelta(minutes=11))
    later = await offline.say(STAFF, "/overdue")  # any update runs a round
    assert offline.tickets()[0].technician_id is not None
    assert any("t:accept:1" in m.buttons for m in later)


async def test_staff_see_whom_dispatch_would_choose_and_why_on_the_card_and_the_assign_buttons(
        offline: OfflineBot) -> None:
    await report(offline, "3栋2单元1801厨房水龙头滴水")
    card = offline.to(STAFF, await offline.say(STAFF, "/ticket 1"))[-1]
    assert "派工建议" in card.text and "1. 张师傅" in card.text and "片区 +" in card.text and "在办" in card.text
    picker = offline.to(STAFF, await offline.say(STAFF, "/assign 1"))[-1]
    first = picker.params["reply_markup"]["inline_keyboard"][0][0]
    assert first["text"].startswith("张师傅 · ") and first["callback_data"] == f"t:assign:1:{_person(offline, PLUMBER)}"


async def test_a_declined_job_goes_to_someone_else_and_staff_are_told_who_declined_and_why(
        offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    sent = await offline.say(PLUMBER, "/decline 1 在别的小区")
    ticket = offline.tickets()[0]
    assert ticket.technician_id == _person(offline, BUILDER)
    assert Action.DECLINE in actions(offline) and actions(offline).count(Action.ASSIGN) == 2
    declined = [m.text for m in offline.to(STAFF_GROUP, sent) if "拒绝" in m.text]
    assert declined and "张师傅" in declined[0] and "在别的小区" in declined[0]
    assert any("t:accept:1" in m.buttons for m in offline.to(BUILDER, sent))


async def test_the_assign_buttons_say_why_the_technicians_after_the_ranking_were_passed_over(
        offline: OfflineBot) -> None:
    """Staff who insist on someone see that he declined it, is off duty or does other work."""
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    await offline.say(PLUMBER, "/decline 1 在别的小区")
    picker = offline.to(STAFF, await offline.say(STAFF, "/assign 1"))[-1]
    labels = [row[0]["text"] for row in picker.params["reply_markup"]["inline_keyboard"]]
    assert "张师傅 · 已拒绝此单" in labels
    assert "刘师傅 · 无此技能" in labels  # the lift technician: no plumbing
    assert labels.index("张师傅 · 已拒绝此单") > 0  # after the candidates, who come first with their scores


async def test_begin_asks_for_the_location_and_a_location_by_the_building_verifies_the_arrival(
        offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    await offline.say(PLUMBER, "/accept 1")
    begun = await offline.say(PLUMBER, "/begin 1")
    ask = offline.to(PLUMBER, begun)[-1]
    keyboard = ask.params["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_location"] is True and "共享位置" in ask.text
    assert any("已到场" in m.text for m in offline.to(OWNER, begun))  # the owner hears of the arrival
    done = await offline.send(offline.updates.location(PLUMBER, BUILDING_3[0] + 0.0003, BUILDING_3[1]))
    assert "已核实" in offline.to(PLUMBER, done)[-1].text and "33 米" in offline.to(PLUMBER, done)[-1].text
    card = offline.to(STAFF, await offline.say(STAFF, "/ticket 1"))[-1]
    assert "到场签到 · ✅ 已核实" in card.text


async def test_a_far_off_location_lets_the_work_go_on_marked_unverified(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    await offline.say(PLUMBER, "/begin 1")
    far = await offline.send(offline.updates.location(PLUMBER, BUILDING_3[0] + 0.02, BUILDING_3[1]))
    assert "未核实" in offline.to(PLUMBER, far)[-1].text and "公里" in offline.to(PLUMBER, far)[-1].text
    assert offline.tickets()[0].status is Status.IN_PROGRESS


async def test_skipping_the_check_in_lets_the_work_go_on_marked_unverified(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    await offline.say(PLUMBER, "/begin 1")
    skipped = await offline.say(PLUMBER, "不签到")
    assert "没有共享位置" in offline.to(PLUMBER, skipped)[-1].text
    assert offline.tickets()[0].status is Status.IN_PROGRESS
    after = await offline.say(PLUMBER, "不签到")  # once answered, the button's text is nothing special
    assert "没有共享位置" not in offline.to(PLUMBER, after)[-1].text


async def test_a_location_nobody_asked_for_gets_a_polite_word_and_changes_nothing(offline: OfflineBot) -> None:
    sent = await offline.send(offline.updates.location(PLUMBER, *BUILDING_3))
    assert "没有等待签到的工单" in offline.to(PLUMBER, sent)[-1].text
    owner = await offline.send(offline.updates.location(OWNER, *BUILDING_3))
    assert offline.to(OWNER, owner) and offline.store.events == {}


def _person(offline: OfflineBot, chat_id: int) -> int:
    return next(p.id for p in offline.store.people.values() if p.chat_id == chat_id)


async def test_the_assignment_push_says_what_and_where_the_job_is(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管漏水了")
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    pushed = [s for s in offline.to(2001, await offline.say(3001, f"/assign {ticket.id} 2001")) if "t:accept:" in
              " ".join(s.buttons)]
    assert pushed and "3-2-1801" in pushed[-1].text and "给排水" in pushed[-1].text and "漏水" in pushed[-1].text


async def test_the_dispatcher_is_told_whom_the_job_went_to(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管漏水了")
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    answer = offline.to(3001, await offline.say(3001, f"/assign {ticket.id} 2001"))
    assert any(f"#{ticket.id}" in s.text and "张师傅" in s.text for s in answer)


async def test_chasing_a_job_nobody_has_yet_says_the_office_was_reminded(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管漏水了")
    await offline.tap(OWNER, "r:submit")
    (ticket,) = offline.tickets()
    assert ticket.technician_id is None  # offered for claiming, nobody's yet
    answer = offline.to(OWNER, await offline.say(OWNER, f"/urge {ticket.id}"))[-1]
    assert "物业" in answer.text and "师傅已收到" not in answer.text
