"""Phone registration accepts only the sender's own card, says nothing about the register, and stops guessing."""
from __future__ import annotations

import pytest

from domain.people import Role
from tests.unit.bot.conftest import OfflineBot

NEWCOMER, OTHER = 7100, 7200
REGISTERED = "13800000004"  # 张伟, 1-1-101, in the demo register but not yet in chat


def people_by_chat(offline: OfflineBot, chat_id: int) -> list:
    return [p for p in offline.store.people.values() if p.chat_id == chat_id]


async def test_the_senders_own_card_with_a_registered_number_registers_them_as_its_owner(offline: OfflineBot) -> None:
    reply = offline.to(NEWCOMER, await offline.send(offline.updates.contact(NEWCOMER, "+86 138-0000-0004")))[-1]
    (person,) = people_by_chat(offline, NEWCOMER)
    assert person.role is Role.OWNER and "1-1-101" in reply.text


@pytest.mark.parametrize("card_of", [None, OTHER], ids=["phone-book entry", "another user's card"])
async def test_someone_elses_card_registers_nobody_and_reveals_nothing(offline: OfflineBot, card_of) -> None:
    sent = await offline.send(offline.updates.contact(NEWCOMER, REGISTERED, card_of))
    assert people_by_chat(offline, NEWCOMER) == []
    text = " ".join(s.text for s in sent)
    assert "张伟" not in text and "1-1-101" not in text and "101" not in text


async def test_a_number_not_in_the_register_gets_the_same_answer_as_any_other_failure(offline: OfflineBot) -> None:
    unknown = offline.to(NEWCOMER, await offline.send(offline.updates.contact(NEWCOMER, "13912345678")))[-1]
    garbage = offline.to(NEWCOMER, await offline.send(offline.updates.contact(NEWCOMER, "12")))[-1]
    assert unknown.text == garbage.text and people_by_chat(offline, NEWCOMER) == []


async def test_after_five_failures_in_a_day_even_a_right_number_waits(offline: OfflineBot) -> None:
    for n in range(5):
        await offline.send(offline.updates.contact(NEWCOMER, f"1391234567{n}"))
    reply = offline.to(NEWCOMER, await offline.send(offline.updates.contact(NEWCOMER, REGISTERED)))[-1]
    assert "次数过多" in reply.text and people_by_chat(offline, NEWCOMER) == []


async def test_the_limit_counts_per_user(offline: OfflineBot) -> None:
    for n in range(5):
        await offline.send(offline.updates.contact(NEWCOMER, f"1391234567{n}"))
    await offline.send(offline.updates.contact(OTHER, REGISTERED))
    assert people_by_chat(offline, OTHER) != []
