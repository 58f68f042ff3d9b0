"""Destructive actions confirm first, and questions are asked only when allowed and expire."""
from __future__ import annotations

from datetime import timedelta

from domain.lifecycle import Status
from tests.unit.bot.conftest import OTHER_OWNER, OWNER, OfflineBot


async def file_ticket(offline: OfflineBot) -> int:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了")  # urgent: filed at once
    return offline.tickets()[-1].id


async def test_the_cancel_button_asks_first_and_no_keeps_the_ticket(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    question = offline.to(OWNER, await offline.tap(OWNER, f"t:cancel:{ticket}"))[-1]
    assert f"t:cancel:{ticket}:yes" in question.buttons and offline.tickets()[-1].status is not Status.CANCELLED
    await offline.say(OWNER, "不")
    assert offline.tickets()[-1].status is not Status.CANCELLED


async def test_a_typed_yes_to_are_you_sure_cancels(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    await offline.tap(OWNER, f"t:cancel:{ticket}")
    await offline.say(OWNER, "是的")
    assert offline.tickets()[-1].status is Status.CANCELLED


async def test_a_cancel_read_from_words_asks_before_cancelling(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    reply = offline.to(OWNER, await offline.say(OWNER, "不用修了，我自己弄好了"))[-1]
    assert f"t:cancel:{ticket}:yes" in reply.buttons and offline.tickets()[-1].status is not Status.CANCELLED
    await offline.tap(OWNER, f"t:cancel:{ticket}:yes")
    assert offline.tickets()[-1].status is Status.CANCELLED


async def test_a_forged_cancel_button_leaves_no_question_behind(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    refusal = offline.to(OTHER_OWNER, await offline.tap(OTHER_OWNER, f"t:cancel:{ticket}"))[-1]
    assert "权限" in refusal.text
    assert not offline.svc.states.read(OTHER_OWNER)
    reply = offline.to(OTHER_OWNER, await offline.say(OTHER_OWNER, "是的"))[-1]  # a yes to nothing
    assert offline.tickets()[-1].status is not Status.CANCELLED and reply.text


async def test_a_reason_question_expires_and_the_next_text_is_a_new_message(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    await offline.work_done(ticket)
    await offline.tap(OWNER, f"t:reject:{ticket}")  # "why is it not fixed?"
    offline.svc.clock.advance(timedelta(minutes=offline.svc.settings.prompt_minutes + 1))
    await offline.say(OWNER, "卧室插座不通电了")
    assert offline.tickets()[-1].status is Status.AWAITING_CONFIRMATION  # the late text was no reason
    assert offline.svc.states.get(OWNER, "report") is not None  # it started a new report instead


async def test_a_reason_in_time_is_taken_even_when_it_begins_with_no(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    await offline.work_done(ticket)
    await offline.tap(OWNER, f"t:reject:{ticket}")
    await offline.say(OWNER, "不对，还在漏水")
    assert offline.tickets()[-1].status is Status.IN_PROGRESS


async def test_a_technician_who_backs_out_of_declining_keeps_the_job(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    await offline.say(2001, f"/claim {ticket}")
    for words in ("actually never mind", "oops, wrong button", "我点错了，不用了"):
        question = offline.to(2001, await offline.tap(2001, f"t:decline:{ticket}"))[-1]
        assert "算了" in question.text or "never mind" in question.text  # the way back is said
        answer = offline.to(2001, await offline.say(2001, words))[-1]
        assert f"#{ticket}" in answer.text and offline.tickets()[-1].technician_id is not None, words
    assert offline.tickets()[-1].status is Status.ASSIGNED


async def test_a_decline_reason_that_mentions_cancelling_is_still_a_reason(offline: OfflineBot) -> None:
    ticket = await file_ticket(offline)
    await offline.say(2001, f"/claim {ticket}")
    claimed_by = offline.tickets()[-1].technician_id
    await offline.tap(2001, f"t:decline:{ticket}")
    await offline.say(2001, "cancel the job, I am not licensed for gas work")
    assert claimed_by is not None and offline.tickets()[-1].technician_id != claimed_by
