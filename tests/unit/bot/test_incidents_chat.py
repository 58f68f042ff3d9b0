"""Incidents through the real handlers, offline: three reporters of one lift fault, the one-tap question, the
parent's news reaching each reporter once, staff's /link and /unlink, and /notice answering a report."""
from __future__ import annotations

from datetime import timedelta

from domain.lifecycle import Status
from domain.usecases import tickets as uc
from tests.unit.bot.conftest import EN_OWNER, OTHER_OWNER, OWNER, STAFF, STAFF_GROUP, OfflineBot

LIFT_TECH = 2002


async def report(offline: OfflineBot, user: int, text: str, language: str = "zh") -> list:  # type: ignore[type-arg]
    sent = await offline.say(user, text, language)
    for data in ("r:unit:2", "r:unsure"):  # which unit of the building; no flat: the lift is the unit's
        if sent and data in sent[-1].buttons:
            sent = await offline.tap(user, data)
    if sent and "r:submit" in sent[-1].buttons:
        sent = await offline.tap(user, "r:submit")
    return sent


async def three_lift_reports(offline: OfflineBot) -> list[list]:  # type: ignore[type-arg]
    return [await report(offline, OWNER, "3栋2单元电梯坏了，停在8楼不动"),
            await report(offline, EN_OWNER, "The lift in building 3 unit 2 is broken", "en"),
            await report(offline, OTHER_OWNER, "3栋2单元的电梯坏了")]


async def test_three_reporters_of_a_lift_fault_get_one_incident_and_each_is_told_it_is_known(
        offline: OfflineBot) -> None:
    sent = await three_lift_reports(offline)
    tickets = offline.tickets()
    assert [t.parent_id for t in tickets] == [None, 1, 1]
    zh, en = offline.to(OTHER_OWNER, sent[2])[-1], offline.to(EN_OWNER, sent[1])[-1]
    assert "物业已知悉3栋电梯故障（工单 #1），正在处理" in zh.text
    assert zh.buttons == ["g:same:3", "g:diff:3"] and "是同一个问题" in str(zh.params["reply_markup"])
    assert "already knows" in en.text and "#1" in en.text
    assert not any("t:claim:2" in m.buttons or "t:accept:2" in m.buttons for s in sent for m in s)  # not dispatched
    assert any("与工单 #1 是同一故障" in m.text for m in offline.to(STAFF_GROUP, sent[1]))


async def test_a_status_update_on_the_parent_reaches_every_linked_reporter_exactly_once(offline: OfflineBot) -> None:
    await three_lift_reports(offline)
    parent = offline.tickets()[0]
    tech = parent.technician_id
    assert tech is not None  # elevator jobs are auto-dispatched (config.yml)
    await offline.say(LIFT_TECH, "/accept 1")
    begun = await offline.say(LIFT_TECH, "/begin 1")
    news = [m for m in begun if "#1" in m.text and m.chat_id in (EN_OWNER, OTHER_OWNER)]
    assert sorted(m.chat_id for m in news) == [EN_OWNER, OTHER_OWNER]
    assert "No, a different problem" not in str(news) and any("#2" in m.text for m in news if m.chat_id == EN_OWNER)
    assert len([m for m in begun if m.chat_id == OWNER and "开始维修" in m.text]) == 1


async def test_the_parents_work_done_asks_each_reporter_to_confirm_their_own_ticket(offline: OfflineBot) -> None:
    await three_lift_reports(offline)
    await offline.say(LIFT_TECH, "/accept 1")
    await offline.say(LIFT_TECH, "/begin 1")
    offline.svc.clock.advance(timedelta(minutes=30))
    tech = offline.tickets()[0].technician_id or 0
    uc.complete(offline.svc.uow(), offline.svc.clock, tech, 1, "更换门机板")  # /done's form is tested elsewhere
    done = await offline.say(STAFF, "/overdue")  # any update delivers the outbox
    asks = [m for m in done if m.chat_id in (EN_OWNER, OTHER_OWNER)]
    assert sorted(m.chat_id for m in asks) == [EN_OWNER, OTHER_OWNER]
    assert all(any(b.startswith("t:confirm:") for b in m.buttons) for m in asks)
    assert [t.status for t in offline.tickets()] == [Status.AWAITING_CONFIRMATION] * 3
    await offline.tap(OTHER_OWNER, "t:confirm:3")
    assert offline.tickets()[2].status is Status.COMPLETED


async def test_the_other_problem_tap_sends_the_report_to_dispatch_on_its_own(offline: OfflineBot) -> None:
    await three_lift_reports(offline)
    sent = await offline.tap(OTHER_OWNER, "g:diff:3")
    assert offline.tickets()[2].parent_id is None
    assert any("单独" in m.text for m in offline.to(OTHER_OWNER, sent))
    assert any("不是同一个问题" in m.text for m in offline.to(STAFF_GROUP, sent))
    assert offline.tickets()[2].technician_id is not None  # dispatch took it up on its own
    again = await offline.tap(OTHER_OWNER, "g:diff:3")
    assert offline.to(OTHER_OWNER, again)  # answered, nothing changes
    forged = await offline.tap(EN_OWNER, "g:diff:3")
    assert offline.tickets()[2].owner_id != 0 and "g:" not in str(forged[-1].buttons)


async def test_staff_link_and_unlink_by_hand_with_clear_refusals(offline: OfflineBot) -> None:
    await report(offline, OWNER, "3栋2单元1801厨房水龙头滴水")
    await report(offline, OTHER_OWNER, "7栋1单元903卫生间水龙头滴水")
    assert [t.parent_id for t in offline.tickets()] == [None, None]  # two homes' taps: never grouped
    linked = offline.to(STAFF, await offline.say(STAFF, "/link 2 1"))
    assert "已并入工单 #1" in linked[-1].text and offline.tickets()[1].parent_id == 1
    for command, words in (("/link 2 2", "自己"), ("/link 1 2", "循环"), ("/link 2 99", "#99"),
                           ("/link 2", "用法")):
        answer = offline.to(STAFF, await offline.say(STAFF, command))[-1].text
        assert words in answer, (command, answer)
    assert "已分开" in offline.to(STAFF, await offline.say(STAFF, "/unlink 2"))[-1].text
    assert "没有并入" in offline.to(STAFF, await offline.say(STAFF, "/unlink 2"))[-1].text
    refused = offline.to(OWNER, await offline.say(OWNER, "/link 2 1"))[-1].text
    assert "物业" in refused or "权限" in refused


async def test_a_notice_reaches_the_buildings_residents_and_answers_a_matching_report(offline: OfflineBot) -> None:
    sent = await offline.say(STAFF, "/notice 3 6h 今天9点到12点3栋停水检修")
    assert any("停水检修" in m.text for m in offline.to(OWNER, sent))
    assert not offline.to(EN_OWNER, sent)  # B-1208 is not in building 3
    assert "1 位住户" in offline.to(STAFF, sent)[-1].text
    answered = await offline.say(OWNER, "3栋2单元1801厨房没水了")
    if "r:submit" in answered[-1].buttons:
        answered = await offline.tap(OWNER, "r:submit")
    card = offline.to(OWNER, answered)[-1]
    assert "物业已发布通知" in card.text and card.buttons == ["n:file", "n:drop"]
    assert offline.tickets() == []
    filed = await offline.tap(OWNER, "n:file")
    assert offline.tickets() and any("#1" in m.text for m in offline.to(OWNER, filed))
    listed = offline.to(STAFF, await offline.say(STAFF, "/notice"))[-1].text
    assert "停水检修" in listed
    await offline.say(STAFF, "/notice end 1")
    assert "没有有效通知" in offline.to(STAFF, await offline.say(STAFF, "/notice"))[-1].text


async def test_staff_assigning_a_linked_report_are_told_to_assign_its_parent_or_unlink_it(offline: OfflineBot) -> None:
    await three_lift_reports(offline)
    refused = offline.to(STAFF, await offline.say(STAFF, f"/assign 3 {LIFT_TECH}"))[-1].text
    assert "已并入工单 #1" in refused and "/unlink 3" in refused
    assert offline.tickets()[2].technician_id is None
    claimed = offline.to(LIFT_TECH, await offline.say(LIFT_TECH, "/claim 3"))[-1].text
    assert "#1" in claimed and offline.tickets()[2].technician_id is None
    await offline.say(STAFF, "/unlink 3")
    assigned = offline.to(STAFF, await offline.say(STAFF, f"/assign 3 {LIFT_TECH}"))[-1].text
    assert "#3" in assigned and offline.tickets()[2].technician_id is not None
