"""The outbox table's claims, on SQLite and PostgreSQL: heads of each chat's queue only, never one row twice."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from domain.outbox import GIVEN_UP, Delivery, OutboxMessage

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=60)


def add(uow_factory, chat_id: int, text: str, at: datetime = NOW, not_before: datetime | None = None) -> int:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        message = uow.outbox.add(OutboxMessage(chat_id=chat_id, text=text, created_at=at, not_before=not_before))
        uow.commit()
    assert message.id is not None
    return message.id


def claim(uow_factory, now: datetime = NOW, limit: int = 50) -> list[str]:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        claimed = uow.outbox.claim(now, LEASE, limit)
        uow.commit()
    return [m.text for m in claimed]


def settle(uow_factory, text_to_id: dict[str, int], texts: list[str], how: str = "sent") -> None:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        for text in texts:
            if how == "sent":
                uow.outbox.sent(text_to_id[text], NOW)
            else:
                uow.outbox.retry(text_to_id[text], NOW + timedelta(minutes=5), "429")
        uow.commit()


def test_a_claim_takes_the_oldest_open_message_of_each_chat_and_the_next_only_once_that_one_is_sent(uow_factory) -> None:  # type: ignore[no-untyped-def]
    ids = {t: add(uow_factory, chat, t) for chat, t in [(1, "a1"), (2, "b1"), (1, "a2"), (1, "a3"), (2, "b2")]}
    assert claim(uow_factory) == ["a1", "b1"]
    assert claim(uow_factory) == []  # a1 and b1 are leased; a2 and b2 wait behind them
    settle(uow_factory, ids, ["a1"])
    assert claim(uow_factory) == ["a2"]
    settle(uow_factory, ids, ["a2", "b1"])
    assert claim(uow_factory) == ["a3", "b2"]


def test_a_message_being_retried_holds_up_its_chat_until_it_is_sent(uow_factory) -> None:  # type: ignore[no-untyped-def]
    ids = {t: add(uow_factory, 1, t) for t in ("a1", "a2")}
    assert claim(uow_factory) == ["a1"]
    settle(uow_factory, ids, ["a1"], how="retry")
    assert claim(uow_factory, NOW + timedelta(minutes=4)) == []
    assert claim(uow_factory, NOW + timedelta(minutes=5)) == ["a1"]


def test_a_message_held_for_quiet_hours_does_not_hold_up_the_urgent_news_after_it(uow_factory) -> None:  # type: ignore[no-untyped-def]
    morning = NOW + timedelta(hours=8)
    add(uow_factory, 1, "assigned, at 08:00", not_before=morning)
    add(uow_factory, 1, "urgent: assigned")
    assert claim(uow_factory) == ["urgent: assigned"]
    assert claim(uow_factory, morning) == ["assigned, at 08:00"]


def test_a_claim_is_a_lease_that_runs_out_and_counts_the_attempt(uow_factory) -> None:  # type: ignore[no-untyped-def]
    mid = add(uow_factory, 1, "a1")
    assert claim(uow_factory) == ["a1"]
    assert claim(uow_factory, NOW + LEASE - timedelta(seconds=1)) == []
    with uow_factory() as uow:
        again = uow.outbox.claim(NOW + LEASE, LEASE, 10)
        uow.commit()
    assert [(m.id, m.attempts, m.status) for m in again] == [(mid, 2, Delivery.SENDING)]
    assert again[0].lease_until == NOW + 2 * LEASE


def test_a_renewed_claim_is_not_taken_again_when_its_first_lease_ends_and_a_settled_one_is_not_renewed(
        uow_factory) -> None:  # type: ignore[no-untyped-def]
    mid = add(uow_factory, 1, "a1")
    assert claim(uow_factory) == ["a1"]
    with uow_factory() as uow:
        uow.outbox.renew(mid, NOW + 3 * LEASE)  # still waiting its turn under the limits
        uow.commit()
    assert claim(uow_factory, NOW + 2 * LEASE) == []
    assert claim(uow_factory, NOW + 3 * LEASE) == ["a1"]  # a dead sender's claim still comes back
    settle(uow_factory, {"a1": mid}, ["a1"])
    with uow_factory() as uow:
        uow.outbox.renew(mid, NOW + 9 * LEASE)  # too late: sent, so nothing to renew
        uow.commit()
    with uow_factory() as uow:
        assert [(m.status, m.lease_until) for m in uow.outbox.find((Delivery.SENT,))] == [(Delivery.SENT, None)]


def test_nothing_is_claimed_before_it_is_due_and_the_limit_is_kept(uow_factory) -> None:  # type: ignore[no-untyped-def]
    add(uow_factory, 1, "later", not_before=NOW + timedelta(minutes=1))
    for chat in range(2, 7):
        add(uow_factory, chat, f"now {chat}")
    assert claim(uow_factory, limit=3) == ["now 2", "now 3", "now 4"]
    assert claim(uow_factory, limit=3) == ["now 5", "now 6"]


def test_a_groups_head_is_claimed_before_older_messages_to_people(uow_factory) -> None:  # type: ignore[no-untyped-def]
    for chat in range(1, 5):
        add(uow_factory, chat, f"old {chat}")
    add(uow_factory, -100, "to the staff group")
    assert claim(uow_factory, limit=3) == ["old 1", "old 2", "to the staff group"]  # handed back oldest first
    assert claim(uow_factory, limit=3) == ["old 3", "old 4"]


def test_senders_claiming_at_the_same_moment_never_take_the_same_message(uow_factory) -> None:  # type: ignore[no-untyped-def]
    """Eight senders claim over and over at once, marking each claim sent: every message is taken exactly once."""
    for n in range(120):
        add(uow_factory, n % 40, f"m{n}")
    senders, barrier = 8, threading.Barrier(8, timeout=30)

    def sender(_: int) -> list[int]:
        taken: list[int] = []
        barrier.wait()
        for _round in range(30):
            with uow_factory() as uow:
                batch = uow.outbox.claim(NOW, LEASE, 5)
                uow.commit()
            if not batch:
                continue
            with uow_factory() as uow:
                for message in batch:
                    uow.outbox.sent(message.id, NOW)
                uow.commit()
            taken += [m.id for m in batch]
        return taken

    with ThreadPoolExecutor(senders) as pool:
        claims = [i for got in pool.map(sender, range(senders), timeout=120) for i in got]
    assert len(claims) == len(set(claims)), "a message was claimed by two senders"
    assert len(claims) == 120


def test_given_up_messages_are_found_newest_first_in_pages_and_counted(uow_factory) -> None:  # type: ignore[no-untyped-def]
    ids = [add(uow_factory, n, f"m{n}") for n in range(5)]
    with uow_factory() as uow:
        for n, mid in enumerate(ids):
            if n != 2:
                uow.outbox.give_up(mid, Delivery.UNDELIVERABLE if n % 2 else Delivery.FAILED, f"why {n}")
        uow.commit()
    with uow_factory() as uow:
        first, second = uow.outbox.find(GIVEN_UP, 3, 0), uow.outbox.find(GIVEN_UP, 3, 3)
        assert [m.text for m in first] == ["m4", "m3", "m1"] and [m.text for m in second] == ["m0"]
        assert first[1].status is Delivery.UNDELIVERABLE and first[1].error == "why 3"
        assert uow.outbox.count(GIVEN_UP) == 4 and uow.outbox.count((Delivery.PENDING,)) == 1


def test_a_claim_finds_a_chats_open_messages_by_index_however_long_its_history(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The "no earlier open message in this chat" check once read every message the chat was ever sent: the staff
    group's claims grew with its history (17 ms after a 2,500-update load run). It must seek to the open ones."""
    from sqlalchemy import event

    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade
    from storage.uow import SqlUnitOfWork

    engine = make_engine(f"sqlite:///{tmp_path}/plan.db")
    upgrade(engine)
    sessions = make_session_factory(engine)

    def uow_factory() -> SqlUnitOfWork:
        return SqlUnitOfWork(sessions)

    for n in range(30):
        settle(uow_factory, {f"old{n}": add(uow_factory, -1001, f"old{n}")}, [f"old{n}"])
    add(uow_factory, -1001, "new")
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "EXISTS" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    assert claim(uow_factory) == ["new"]
    event.remove(engine, "before_cursor_execute", keep)
    (statement, parameters), = seen
    with engine.connect() as connection:
        plan = " | ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))
    subquery = plan.split("CORRELATED SCALAR SUBQUERY")[1]
    assert "ix_outbox_chat_open (chat_id=? AND status=? AND id<?)" in subquery, plan
    engine.dispose()
