"""The outbox sender sends to several chats at once, never two messages of one chat at once, and keeps pace."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.sender import OutboxSender
from bot.services import BotServices
from domain.outbox import Delivery, OutboxMessage
from domain.pacing import SendLimits, SendPace
from nlu.rules import RulesParser
from tests.fakes import T0, FakeChatStates, FakeClock, FakeKbOutcomes, FakeStore, FakeUnitOfWork


class SlowBot:
    """Each send takes a while; records how many are in flight, in all and per chat."""

    def __init__(self, seconds: float = 0.02) -> None:
        self.seconds, self.flying, self.most, self.order = seconds, {}, 0, []
        self.per_chat_overlap = False

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.per_chat_overlap |= self.flying.get(chat_id, 0) > 0
        self.flying[chat_id] = self.flying.get(chat_id, 0) + 1
        self.most = max(self.most, sum(self.flying.values()))
        await asyncio.sleep(self.seconds)
        self.flying[chat_id] -= 1
        self.order.append((chat_id, text))


@pytest.fixture
def world() -> tuple[BotServices, FakeStore]:
    store = FakeStore()
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(T0), uow=lambda: FakeUnitOfWork(store))
    return bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes()), store


def write(svc: BotServices, messages: list[tuple[int, str]]) -> None:
    with svc.uow() as uow:
        for chat_id, text in messages:
            uow.outbox.add(OutboxMessage(chat_id=chat_id, text=text, created_at=svc.clock.now()))
        uow.commit()


async def test_messages_to_different_chats_are_in_flight_together_up_to_the_concurrency(world) -> None:  # type: ignore[no-untyped-def]
    svc, store = world
    write(svc, [(600 + n, f"m{n}") for n in range(12)])
    bot = SlowBot()
    assert await OutboxSender(svc, bot, concurrency=4).flush() == 12  # type: ignore[arg-type]
    assert bot.most == 4 and all(m.status is Delivery.SENT for m in store.outbox.values())


async def test_a_chats_messages_are_never_in_flight_together_and_arrive_in_order(world) -> None:  # type: ignore[no-untyped-def]
    svc, store = world
    write(svc, [(chat, f"{chat}-{n}") for n in range(5) for chat in (701, 702, 703)])
    bot = SlowBot()
    assert await OutboxSender(svc, bot, concurrency=8).flush() == 15  # type: ignore[arg-type]
    assert not bot.per_chat_overlap
    for chat in (701, 702, 703):
        assert [t for c, t in bot.order if c == chat] == [f"{chat}-{n}" for n in range(5)]


async def test_a_paced_sender_leaves_a_second_between_two_messages_to_one_chat(world) -> None:  # type: ignore[no-untyped-def]
    svc, store = world
    write(svc, [(801, "first"), (801, "second"), (802, "other")])
    sent_at: dict[str, float] = {}
    loop = asyncio.get_running_loop()

    class Clocked(SlowBot):
        async def send_message(self, chat_id: int, text: str, **kw: Any) -> None:
            sent_at[text] = loop.time()
            await super().send_message(chat_id, text, **kw)

    pace = SendPace(SendLimits(chat_seconds=0.3, margin_seconds=0.0))
    sender = OutboxSender(svc, Clocked(0.0), pace=pace, monotonic=loop.time)  # type: ignore[arg-type]
    assert await sender.flush() == 3
    assert sent_at["second"] - sent_at["first"] >= 0.3 - 1e-3
    assert sent_at["other"] - sent_at["first"] < 0.1


async def test_a_paced_sender_counts_a_slow_call_until_a_window_after_it_ended(world) -> None:  # type: ignore[no-untyped-def]
    svc, store = world
    write(svc, [(901, "slow"), (902, "next")])
    sent_at: dict[str, float] = {}
    loop = asyncio.get_running_loop()

    class Clocked(SlowBot):
        async def send_message(self, chat_id: int, text: str, **kw: Any) -> None:
            sent_at[text] = loop.time()
            await super().send_message(chat_id, text, **kw)

    pace = SendPace(SendLimits(overall=1, overall_seconds=0.3))  # Telegram may see "slow" as it ends, 0.2 s on
    sender = OutboxSender(svc, Clocked(0.2), pace=pace, monotonic=loop.time)  # type: ignore[arg-type]
    assert await sender.flush() == 2
    assert sent_at["next"] - sent_at["slow"] >= 0.5 - 1e-3


async def test_a_message_waiting_a_long_turn_under_the_limits_keeps_its_claim(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Else its lease could run out while it waits (a group's 20 a minute) and another flush send it too."""
    import bot.sender as sender_module

    svc, store = world
    write(svc, [(901, "first"), (901, "second")])
    leases: dict[str, Any] = {}
    loop = asyncio.get_running_loop()

    class Watching(SlowBot):
        async def send_message(self, chat_id: int, text: str, **kw: Any) -> None:
            leases[text] = next(m.lease_until for m in store.outbox.values() if m.text == text)
            await super().send_message(chat_id, text, **kw)

    monkeypatch.setattr(sender_module, "RENEW_AFTER_SECONDS", 0.05)  # the turn below counts as a long one
    pace = SendPace(SendLimits(chat_seconds=0.3, margin_seconds=0.0))
    sender = OutboxSender(svc, Watching(0.0), pace=pace, monotonic=loop.time)  # type: ignore[arg-type]
    assert await sender.flush() == 2
    claimed_until = svc.clock.now() + sender_module.LEASE
    assert leases["first"] == claimed_until  # no wait, no renewal
    assert leases["second"] > claimed_until  # renewed for the wait, then the usual lease on top
    assert all(m.status is Delivery.SENT for m in store.outbox.values())


async def test_a_hanging_call_gives_its_place_in_the_window_back_once_its_request_is_surely_in(world) -> None:  # type: ignore[no-untyped-def]
    """A timeout would otherwise hold a place for its whole wait and a window after it (domain/pacing.py)."""
    from telegram.error import TimedOut

    import bot.transport as transport

    svc, store = world
    write(svc, [(951, "answered"), (952, "hangs"), (953, "next")])
    sent_at: dict[str, float] = {}
    loop = asyncio.get_running_loop()

    class Hanging(SlowBot):
        async def send_message(self, chat_id: int, text: str, **kw: Any) -> None:
            first = text not in sent_at
            sent_at.setdefault(text, loop.time())
            if text == "hangs" and first:
                written = transport._WATCH.get()
                assert written is not None  # the sender watches each call's write
                written.at = loop.time()  # what bot/transport.py notes as aiohttp writes the request
                await asyncio.sleep(2.0)
                raise TimedOut()
            await super().send_message(chat_id, text, **kw)

    pace = SendPace(SendLimits(overall=1, overall_seconds=0.3))
    sender = OutboxSender(svc, Hanging(0.02), pace=pace, monotonic=loop.time)  # type: ignore[arg-type]
    await sender.flush()
    # "next" goes a window (0.3 s) after the hanging call settled (half a second after its write, the floor),
    # long before the timeout; held for the whole hang it would wait 2.3 s.
    assert 0.8 - 1e-3 <= sent_at["next"] - sent_at["hangs"] < 1.3
