"""The SLA sweeps through the real bot, offline: each message reaches the right chat, in its reader's language."""
from __future__ import annotations

from datetime import timedelta

from telegram.ext import CallbackContext

from bot.scheduled import digest, sla_sweep
from domain.values import Category, Language, Location, Priority
from domain.usecases import tickets as uc
from tests.unit.bot.conftest import EN_OWNER, OWNER, PLUMBER, STAFF, STAFF_GROUP, OfflineBot
from tests.unit.bot.offline import Sent

MANAGER = 3002


def person_id(offline: OfflineBot, chat_id: int) -> int:
    return next(p.id for p in offline.store.people.values() if p.chat_id == chat_id)


async def run(offline: OfflineBot, job) -> list[Sent]:  # type: ignore[no-untyped-def]
    """Run a scheduled job as the job queue would, then deliver what it wrote to the outbox."""
    before = len(offline.request.sent)
    await job(CallbackContext(offline.application))
    await offline.application.bot_data["sender"].flush()
    return [s for s in offline.request.sent[before:] if s.method == "sendMessage"]


async def status(offline: OfflineBot, tid: int) -> str:
    """The owner's /status card (other news may arrive with it)."""
    [card] = [s.text for s in offline.to(EN_OWNER, await offline.say(EN_OWNER, f"/status {tid}", "en")) if "🕒" in s.text]
    return card


def assigned_urgent_ticket(offline: OfflineBot) -> int:
    svc = offline.svc
    new = uc.NewTicket(Location("B", None, "1208"), Category.PLUMBING, Priority.URGENT, "Kitchen pipe burst")
    tid = uc.open_ticket(svc.uow(), svc.clock, svc.policies, person_id(offline, EN_OWNER), new).ticket.id
    uc.assign(svc.uow(), svc.clock, person_id(offline, STAFF), tid, person_id(offline, PLUMBER))
    return tid or 0


async def test_reminder_then_escalation_then_the_manager_each_reach_their_own_chat_in_their_language(
        offline: OfflineBot) -> None:
    offline.store.people[person_id(offline, MANAGER)].language = Language.EN
    tid = assigned_urgent_ticket(offline)
    due = offline.store.tickets[tid].response_due_at
    await offline.application.bot_data["sender"].flush()
    offline.svc.clock.set(due - timedelta(minutes=10))  # type: ignore[attr-defined]
    reminded = await run(offline, sla_sweep)
    assert [(s.chat_id, f"#{tid}" in s.text and "接单" in s.text) for s in reminded] == [(PLUMBER, True)]
    offline.svc.clock.set(due + timedelta(minutes=1))  # type: ignore[attr-defined]
    breach = await run(offline, sla_sweep)
    assert any("超时未响应" in s.text and f"#{tid}" in s.text for s in offline.to(STAFF_GROUP, breach))
    assert any(f"#{tid}" in s.text for s in offline.to(PLUMBER, breach)) and offline.to(MANAGER, breach) == []
    assert offline.to(EN_OWNER, breach) == []  # the owner is not alarmed by the team's alerts
    assert await run(offline, sla_sweep) == []  # each level once
    offline.svc.clock.set(due + timedelta(minutes=61))  # type: ignore[attr-defined]
    second = await run(offline, sla_sweep)
    [to_manager] = offline.to(MANAGER, second)
    assert "Escalated to the manager" in to_manager.text and f"#{tid}" in to_manager.text
    assert any("升级至经理" in s.text for s in offline.to(STAFF_GROUP, second))


async def test_unanswered_work_is_confirmed_and_the_english_owner_is_told_in_english_and_asked_to_rate(
        offline: OfflineBot) -> None:
    svc, tid = offline.svc, assigned_urgent_ticket(offline)
    plumber = person_id(offline, PLUMBER)
    uc.start(svc.uow(), svc.clock, plumber, tid)
    uc.complete(svc.uow(), svc.clock, plumber, tid, "replaced the valve")
    await offline.application.bot_data["sender"].flush()
    svc.clock.advance(timedelta(hours=72, minutes=1))  # type: ignore[attr-defined]
    [told] = offline.to(EN_OWNER, await run(offline, sla_sweep))
    assert f"#{tid}" in told.text and "now confirmed" in told.text and len(told.buttons) == 5  # the stars


async def test_a_one_star_rating_is_followed_up_in_the_staff_chat_with_the_comment(offline: OfflineBot) -> None:
    svc, tid = offline.svc, assigned_urgent_ticket(offline)
    plumber, owner = person_id(offline, PLUMBER), person_id(offline, EN_OWNER)
    for step in (lambda: uc.start(svc.uow(), svc.clock, plumber, tid),
                 lambda: uc.complete(svc.uow(), svc.clock, plumber, tid, "done"),
                 lambda: uc.confirm(svc.uow(), svc.clock, owner, tid),
                 lambda: uc.rate(svc.uow(), svc.clock, owner, tid, 1, "still <leaking>")):
        step()
    await offline.application.bot_data["sender"].flush()
    sent = await run(offline, sla_sweep)
    [follow_up] = [s for s in offline.to(STAFF_GROUP, sent) if "差评" in s.text]
    assert f"#{tid}" in follow_up.text and "still &lt;leaking&gt;" in follow_up.text and "★" in follow_up.text


async def test_the_daily_digest_goes_to_the_staff_chat_in_its_language(offline: OfflineBot) -> None:
    assigned_urgent_ticket(offline)
    await offline.application.bot_data["sender"].flush()
    offline.svc.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    [post] = await run(offline, digest)
    assert post.chat_id == STAFF_GROUP and "每日简报" in post.text and "昨日新报修：1" in post.text


async def test_the_digest_is_scheduled_daily_at_eight_in_the_estates_time_zone(offline: OfflineBot) -> None:
    [job] = offline.application.job_queue.get_jobs_by_name("daily-digest")
    trigger = job.job.trigger
    assert str(trigger.timezone) == "Asia/Shanghai" and "hour='8'" in str(trigger) and "minute='0'" in str(trigger)


async def test_an_owners_status_shows_the_open_deadlines_in_english_on_track_then_overdue(
        offline: OfflineBot) -> None:
    tid = assigned_urgent_ticket(offline)
    await offline.application.bot_data["sender"].flush()
    card = await status(offline, tid)
    assert "Accept by: 03-03 09:30 · on track" in card and "Done by: 03-03 13:00 · on track" in card
    offline.svc.clock.advance(timedelta(minutes=45))  # type: ignore[attr-defined]
    card = await status(offline, tid)
    assert "Accept by: 03-03 09:30 · ⚠️ overdue" in card and "On site by: 03-03 11:00 · on track" in card


async def test_a_poor_rating_is_answered_with_an_apology_and_a_good_one_with_thanks(offline: OfflineBot) -> None:
    for stars, said in ((2, "很抱歉"), (5, "感谢")):
        await offline.say(OWNER, "3栋2单元1801厨房水管爆了")
        ticket = offline.tickets()[-1].id
        await offline.work_done(ticket)
        await offline.say(OWNER, f"/confirm {ticket}")
        answer = [s for s in offline.to(OWNER, await offline.tap(OWNER, f"t:rate:{ticket}:{stars}")) if s.text][-1]
        assert said in answer.text and f"{stars} 星" in answer.text and (("物业" in answer.text) is (stars == 2)), answer.text
