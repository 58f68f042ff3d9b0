"""The chat-state store on SQLite and PostgreSQL: all of a chat in one read, and writes that check the version read."""
from __future__ import annotations

import pytest
from sqlalchemy import Engine

from domain.errors import StaleChatState
from storage.chat_state import ChatStateStore
from storage.db import make_session_factory
from tests.fakes import FakeChatStates


@pytest.fixture(params=["sql", "fake"])
def store(request: pytest.FixtureRequest, engine: Engine):  # type: ignore[no-untyped-def]
    """The SQL store, and the fake the offline tests use: both must behave the same."""
    return ChatStateStore(make_session_factory(engine)) if request.param == "sql" else FakeChatStates()


def test_one_read_returns_every_conversation_of_the_chat_and_none_of_another(store) -> None:  # type: ignore[no-untyped-def]
    store.put(1, "report", {"text": "漏水"})
    store.put(1, "reason", {"action": "reject"})
    store.put(2, "report", {"text": "other chat"})
    assert store.read(1) == {"report": ({"text": "漏水"}, 1), "reason": ({"action": "reject"}, 1)}


def test_a_write_that_read_an_older_version_is_refused_and_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    store.put(1, "report", {"photos": []})
    assert store.put(1, "report", {"photos": ["a"]}, 1) == 2
    with pytest.raises(StaleChatState):
        store.put(1, "report", {"photos": ["b"]}, 1)  # read version 1, but it is 2 now
    assert store.read(1)["report"] == ({"photos": ["a"]}, 2)


def test_creating_what_another_update_just_created_is_refused(store) -> None:  # type: ignore[no-untyped-def]
    store.put(1, "report", {"text": "first"})
    with pytest.raises(StaleChatState):
        store.put(1, "report", {"text": "second"}, None)
    assert store.get(1, "report") == {"text": "first"}


def test_starting_a_form_afresh_overwrites_whatever_was_left(store) -> None:  # type: ignore[no-untyped-def]
    store.put(1, "done", {"step": "minutes"})
    version = store.put(1, "done", {"step": "parts"}, force=True)
    assert store.read(1)["done"] == ({"step": "parts"}, version)


def test_dropping_ends_the_conversation(store) -> None:  # type: ignore[no-untyped-def]
    store.put(1, "report", {"text": "x"})
    store.drop(1, "report")
    store.drop(1, "report")  # twice is harmless
    assert store.read(1) == {}


def test_an_update_is_seen_once_and_a_replay_is_told_apart(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    now = datetime(2026, 12, 4, 9, tzinfo=timezone.utc)
    assert store.first_sight(1, 500, now) and store.first_sight(2, 500, now)  # per chat
    assert not store.first_sight(1, 500, now)  # Telegram sent it again
    store.unsee(1, 500)  # its worker died in the middle: it runs once more
    assert store.first_sight(1, 500, now) and not store.first_sight(1, 500, now)


def test_the_record_of_old_updates_is_forgotten_and_recent_ones_kept(store) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timedelta, timezone

    now = datetime(2026, 12, 4, 9, tzinfo=timezone.utc)
    store.first_sight(1, 1, now - timedelta(days=3))
    store.first_sight(1, 2, now)
    assert store.forget_sights(now - timedelta(days=2)) == 1
    assert store.first_sight(1, 1, now) and not store.first_sight(1, 2, now)
