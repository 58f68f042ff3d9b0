"""/outbox: staff see what could never be delivered (whom, which ticket, when, why), a page at a time."""
from __future__ import annotations

from datetime import timedelta

from domain.outbox import Delivery, OutboxMessage
from tests.unit.bot.conftest import EN_OWNER, OWNER, PLUMBER, STAFF, STAFF_GROUP, OfflineBot


def person_id(offline: OfflineBot, chat_id: int) -> int:
    return next(p.id for p in offline.store.people.values() if p.chat_id == chat_id)


def given_up(offline: OfflineBot, chat_id: int, status: Delivery, error: str, ticket_id: int | None = 7,
             person: int | None = None, minutes: int = 0) -> None:
    svc = offline.svc
    with svc.uow() as uow:
        message = uow.outbox.add(OutboxMessage(chat_id=chat_id, text="news", ticket_id=ticket_id, person_id=person,
                                               created_at=svc.clock.now() + timedelta(minutes=minutes)))
        uow.outbox.give_up(message.id or 0, status, error)
        uow.commit()


async def test_staff_see_whom_a_message_never_reached_for_which_ticket_when_and_why(offline: OfflineBot) -> None:
    given_up(offline, OWNER, Delivery.UNDELIVERABLE, "Forbidden: bot was blocked by the user",
             person=person_id(offline, OWNER))
    given_up(offline, STAFF_GROUP, Delivery.FAILED, "Can't parse entities: <b> unclosed", ticket_id=None, minutes=5)
    shown = offline.to(STAFF, await offline.say(STAFF, "/outbox"))[-1]
    assert "共 2 条" in shown.text and "王伟 (业主)" in shown.text and "工单 #7" in shown.text
    assert "屏蔽" in shown.text and "bot was blocked by the user" in shown.text and "09:00" in shown.text
    assert "员工群" in shown.text and "&lt;b&gt;" in shown.text  # Telegram's words cannot break the HTML
    assert shown.text.index("员工群") < shown.text.index("王伟")  # newest first


async def test_a_long_list_of_undelivered_messages_comes_ten_a_page_with_the_next_page_named(offline: OfflineBot) -> None:
    for n in range(12):
        given_up(offline, 5000 + n, Delivery.UNDELIVERABLE, f"Forbidden {n}", minutes=n)
    first = offline.to(STAFF, await offline.say(STAFF, "/outbox"))[-1]
    assert "第 1–10 条，共 12 条" in first.text and "/outbox 2" in first.text
    assert "Forbidden 11" in first.text and "Forbidden 1)" not in first.text and "Forbidden 1）" not in first.text
    second = offline.to(STAFF, await offline.say(STAFF, "/outbox 2"))[-1]
    assert "第 11–12 条，共 12 条" in second.text and "/outbox 3" not in second.text and "Forbidden 0" in second.text
    beyond = offline.to(STAFF, await offline.say(STAFF, "/outbox 3"))[-1]
    assert "没有这一页" in beyond.text
    assert "用法" in offline.to(STAFF, await offline.say(STAFF, "/outbox all"))[-1].text


async def test_with_everything_delivered_the_outbox_says_so(offline: OfflineBot) -> None:
    await offline.say(OWNER, "3栋2单元1801厨房水管爆了，水到处都是")
    assert "都已送达" in offline.to(STAFF, await offline.say(STAFF, "/outbox"))[-1].text


async def test_owners_and_technicians_are_refused_the_outbox_politely(offline: OfflineBot) -> None:
    given_up(offline, OWNER, Delivery.UNDELIVERABLE, "Forbidden", person=person_id(offline, OWNER))
    for user in (OWNER, PLUMBER):
        answer = offline.to(user, await offline.say(user, "/outbox"))[-1]
        assert "仅限物业员工" in answer.text and "Forbidden" not in answer.text
    english = offline.to(EN_OWNER, await offline.say(EN_OWNER, "/outbox", language_code="en"))[-1]
    assert "staff" in english.text.lower() and "Forbidden" not in english.text


async def test_stats_count_the_messages_that_could_not_be_delivered(offline: OfflineBot) -> None:
    assert "/outbox" not in offline.to(STAFF, await offline.say(STAFF, "/stats"))[-1].text
    given_up(offline, OWNER, Delivery.UNDELIVERABLE, "Forbidden", person=person_id(offline, OWNER))
    given_up(offline, PLUMBER, Delivery.FAILED, "gave up", person=person_id(offline, PLUMBER))
    assert "2 条通知无法送达" in offline.to(STAFF, await offline.say(STAFF, "/stats"))[-1].text
