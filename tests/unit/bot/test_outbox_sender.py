"""The outbox sender: retries what Telegram asks to be retried, gives up only visibly, keeps each chat's order."""
from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.sender import LEASE, OutboxSender
from bot.services import BotServices
from domain.outbox import Backoff, Delivery, OutboxMessage
from domain.pacing import SendLimits, SendPace
from nlu.rules import RulesParser
from tests.fakes import T0, FakeChatStates, FakeClock, FakeKbOutcomes, FakeStore, FakeUnitOfWork

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
A, B = 501, 502  # two chats


class ScriptedBot:
    """send_message as Telegram would answer it: each text fails as its script says, then is accepted."""

    def __init__(self, **script: list[Exception]) -> None:
        self.script = script
        self.calls: list[str] = []
        self.delivered: list[str] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.calls.append(text)
        failures = self.script.get(text) or []
        if failures:
            raise failures.pop(0)
        self.delivered.append(text)


class Always(list):  # type: ignore[type-arg]
    """A script that fails the same way for ever."""

    def __init__(self, error: Exception) -> None:
        super().__init__([error])

    def pop(self, index: int = -1) -> Exception:  # type: ignore[override]
        return self[0]


@pytest.fixture
def world() -> tuple[BotServices, FakeStore, FakeClock]:
    store, clock = FakeStore(), FakeClock(T0)
    core = build_core(for_sandbox(load_config()), None, clock=clock, uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes())
    return svc, store, clock


def write(svc: BotServices, chat_id: int, *texts: str) -> list[int]:
    with svc.uow() as uow:
        ids = [uow.outbox.add(OutboxMessage(chat_id=chat_id, text=t, created_at=svc.clock.now())).id for t in texts]
        uow.commit()
    return [i for i in ids if i is not None]


def stored(store: FakeStore, message_id: int) -> OutboxMessage:
    return store.outbox[message_id]


async def test_a_429_is_retried_no_sooner_than_telegram_says_and_then_delivered_once(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(hello=[RetryAfter(7)])
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    assert await sender.flush() == 0
    assert stored(store, mid).status is Delivery.PENDING and stored(store, mid).not_before == T0 + timedelta(seconds=7)
    clock.advance(timedelta(seconds=6))
    assert await sender.flush() == 0 and bot.calls == ["hello"]
    clock.advance(timedelta(seconds=1))
    assert await sender.flush() == 1
    assert bot.delivered == ["hello"] and stored(store, mid).status is Delivery.SENT
    assert await sender.flush() == 0 and bot.calls == ["hello", "hello"]


async def test_server_errors_and_timeouts_are_retried_after_a_doubling_backoff(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(hello=[NetworkError("Bad Gateway (502)"), TimedOut(), NetworkError("Internal Server Error")])
    sender = OutboxSender(svc, bot, Backoff(first=timedelta(seconds=2)))  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    waits = []
    for _ in range(3):
        before = clock.now()
        assert await sender.flush() == 0
        due = stored(store, mid).not_before
        assert due is not None
        waits.append(due - before)
        clock.advance(due - before - timedelta(milliseconds=1))
        assert await sender.flush() == 0  # not a moment early
        clock.set(due)
    assert waits == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8)]
    assert "Internal Server Error" in (stored(store, mid).error or "")
    assert await sender.flush() == 1 and bot.delivered == ["hello"] and len(bot.calls) == 4


def test_the_backoff_doubles_up_to_its_longest_wait() -> None:
    backoff = Backoff(first=timedelta(seconds=1), longest=timedelta(seconds=30))
    assert [backoff.delay(n).total_seconds() for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


async def test_a_message_that_keeps_failing_is_given_up_as_failed_after_give_up_after_attempts(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(hello=Always(NetworkError("Bad Gateway (502)")))
    sender = OutboxSender(svc, bot, Backoff(first=timedelta(seconds=1), give_up_after=4))  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    for _ in range(10):
        await sender.flush()
        clock.advance(timedelta(minutes=10))
    message = stored(store, mid)
    assert len(bot.calls) == 4 and bot.delivered == []
    assert message.status is Delivery.FAILED and message.attempts == 4
    assert "gave up after 4 attempts" in (message.error or "") and "Bad Gateway" in (message.error or "")


async def test_a_chat_that_blocked_the_bot_is_undeliverable_at_once_and_never_tried_again(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(hello=Always(Forbidden("Forbidden: bot was blocked by the user")))
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    await sender.flush()
    clock.advance(timedelta(hours=1))
    await sender.flush()
    assert bot.calls == ["hello"]
    assert stored(store, mid).status is Delivery.UNDELIVERABLE and "blocked" in (stored(store, mid).error or "")


async def test_a_chat_not_found_is_undeliverable_and_a_malformed_message_is_failed_without_a_retry(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(gone=[BadRequest("Chat not found")], broken=[BadRequest("Can't parse entities")])
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    [gone], [broken] = write(svc, A, "gone"), write(svc, B, "broken")
    await sender.flush()
    clock.advance(timedelta(hours=1))
    await sender.flush()
    assert bot.calls == ["gone", "broken"]
    assert stored(store, gone).status is Delivery.UNDELIVERABLE and stored(store, broken).status is Delivery.FAILED


async def test_while_a_chats_first_message_waits_for_a_retry_its_later_ones_wait_and_other_chats_go_on(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot(a1=[RetryAfter(5)])
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    write(svc, A, "a1", "a2", "a3")
    write(svc, B, "b1", "b2")
    await sender.flush()
    assert bot.calls == ["a1", "b1", "b2"]
    clock.advance(timedelta(seconds=5))
    await sender.flush()
    assert [t for t in bot.delivered if t.startswith("a")] == ["a1", "a2", "a3"]
    assert sorted(bot.delivered) == ["a1", "a2", "a3", "b1", "b2"]


async def test_a_message_claimed_by_a_sender_that_died_comes_back_after_the_lease_and_is_sent_once(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    [mid] = write(svc, A, "hello")
    with svc.uow() as uow:  # a sender claims it, then dies before sending
        assert [m.id for m in uow.outbox.claim(clock.now(), LEASE, 10)] == [mid]
        uow.commit()
    bot = ScriptedBot()
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    clock.advance(LEASE - timedelta(seconds=1))
    assert await sender.flush() == 0 and bot.calls == []
    clock.advance(timedelta(seconds=1))
    assert await sender.flush() == 1 and bot.delivered == ["hello"]
    assert stored(store, mid).status is Delivery.SENT and stored(store, mid).attempts == 2
    clock.advance(LEASE * 2)
    assert await sender.flush() == 0 and bot.calls == ["hello"]


async def test_a_stopped_sender_sends_nothing_more(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot()
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    write(svc, A, "hello")
    sender.stop()
    assert await sender.flush() == 0 and bot.calls == []


async def test_a_paced_sender_gives_a_refused_messages_place_back_to_the_next_chat(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    write(svc, A, "refused")
    write(svc, B, "next")
    bot = ScriptedBot(refused=[RetryAfter(1)])
    pace = SendPace(SendLimits(overall=1, overall_seconds=60.0))  # one message a minute: a second would wait
    sender = OutboxSender(svc, bot, concurrency=1, pace=pace, monotonic=lambda: 0.0)  # type: ignore[arg-type]
    await asyncio.wait_for(sender.flush(), timeout=5)
    assert bot.delivered == ["next"] and bot.calls == ["refused", "next"]


async def test_the_running_sender_tries_again_when_a_short_429_wait_is_over_not_a_whole_idle_turn_later(
        world) -> None:  # type: ignore[no-untyped-def]
    from bot.sender import IDLE_SECONDS

    svc, store, clock = world

    bot = ScriptedBot(hello=[RetryAfter(0.2)])
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    loop = asyncio.get_running_loop()
    began = loop.time()
    task = asyncio.create_task(sender.run())
    try:
        while stored(store, mid).status is not Delivery.SENT and loop.time() - began < 3 * IDLE_SECONDS:
            await asyncio.sleep(0.02)
            clock.advance(timedelta(seconds=0.02))  # the fake clock keeps time with the loop's
    finally:
        sender.stop()
        await asyncio.wait_for(task, 5)
    assert bot.delivered == ["hello"] and loop.time() - began < IDLE_SECONDS


def failing_marks(sender: OutboxSender, *errors: Exception) -> None:
    """The sender's mark "sent" fails with these, in order, then works."""
    mark, pending = sender._mark_sent, list(errors)

    def flaky(message_id: int) -> None:
        if pending:
            raise pending.pop(0)
        mark(message_id)

    sender._mark_sent = flaky  # type: ignore[method-assign]


async def test_a_sent_message_whose_mark_meets_a_locked_database_is_marked_when_it_frees_and_never_sent_again(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, clock = world
    bot = ScriptedBot()
    sender = OutboxSender(svc, bot)  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    failing_marks(sender, sqlite3.OperationalError("database is locked"), sqlite3.OperationalError("database is locked"))
    assert await sender.flush() == 1
    assert stored(store, mid).status is Delivery.SENT
    clock.advance(LEASE * 2)  # a claim left open would be due again by now
    assert await sender.flush() == 0 and bot.calls == ["hello"]


async def test_a_mark_that_fails_for_a_reason_not_the_databases_is_not_tried_again(world) -> None:  # type: ignore[no-untyped-def]
    svc, store, _clock = world
    sender = OutboxSender(svc, ScriptedBot())  # type: ignore[arg-type]
    [mid] = write(svc, A, "hello")
    failing_marks(sender, ValueError("a bug"))
    with pytest.raises(ValueError):
        await sender.flush()
    assert stored(store, mid).status is Delivery.SENDING  # left to its lease, as after a crash
