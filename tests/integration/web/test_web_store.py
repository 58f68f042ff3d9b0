"""The web channel's tables on SQLite and PostgreSQL: sessions end, the inbox orders changes, files keep bytes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine

from storage.db import make_session_factory
from storage.web_store import PENDING, WebStore
from web.ids import WEB_CHAT_BASE

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)
CHAT = WEB_CHAT_BASE + 1


def test_a_session_is_usable_until_it_expires_or_is_ended(engine: Engine) -> None:
    store = WebStore(make_session_factory(engine))
    one = store.open_session(CHAT, NOW, NOW + timedelta(days=30), "code1")
    two = store.open_session(CHAT, NOW, NOW + timedelta(days=30), None)
    assert store.session(one.id).usable(NOW) and not store.session(one.id).usable(NOW + timedelta(days=30))  # type: ignore[union-attr]
    assert store.end_sessions(NOW, sid=one.id) == 1 and store.end_sessions(NOW, sid=one.id) == 0  # once only
    assert not store.session(one.id).usable(NOW) and store.session(two.id).usable(NOW)  # type: ignore[union-attr]
    assert store.end_sessions(NOW, chat_id=CHAT) == 1 and not store.session(two.id).usable(NOW)  # type: ignore[union-attr]
    assert store.session("nope") is None and store.highest_web_chat(WEB_CHAT_BASE) == CHAT


def test_telegram_chats_with_a_live_session_are_mirrored_and_pending_links_are_not(engine: Engine) -> None:
    store = WebStore(make_session_factory(engine))
    store.open_session(1001, NOW, NOW + timedelta(days=1), None)
    store.open_session(1002, NOW, NOW + timedelta(minutes=15), "telegram", sid=PENDING + "abc")
    store.open_session(1003, NOW, NOW + timedelta(minutes=1), None)
    assert sorted(store.open_chats_below(WEB_CHAT_BASE, NOW + timedelta(minutes=5))) == [1001]


def test_the_inbox_keeps_messages_in_order_and_edits_come_after_in_change_order(engine: Engine) -> None:
    store = WebStore(make_session_factory(engine))
    first = store.add_message(CHAT, True, {"text": "待派工", "_web": {"telegram_message_id": 77}}, NOW)
    second = store.add_message(CHAT, False, {"text": "谢谢"}, NOW)
    store.add_message(CHAT + 1, True, {"text": "someone else's"}, NOW)
    assert first.payload["message_id"] == first.id and second.id > first.id
    edited = store.edit_message(CHAT, first.id, {"text": "维修中"}, NOW)
    assert edited is not None and edited.edited and edited.seq > second.seq and edited.created_seq == first.seq
    assert [m.id for m in store.messages_after(CHAT, 0)] == [first.id, second.id]
    assert [m.payload["text"] for m in store.changed_after(CHAT, first.seq)] == ["谢谢", "维修中"]
    assert store.latest_seq(CHAT) == edited.seq and store.edit_message(CHAT + 1, first.id, {}, NOW) is None
    assert store.by_telegram_id(CHAT, 77).id == first.id and store.by_telegram_id(CHAT, 78) is None  # type: ignore[union-attr]
    assert store.message(CHAT + 1, first.id) is None


def test_a_file_keeps_its_bytes_and_type(engine: Engine) -> None:
    store = WebStore(make_session_factory(engine))
    data = bytes(range(256)) * 1000
    file_id = store.put_file(CHAT, "image/jpeg", data, NOW)
    assert file_id.startswith("web-") and store.file(file_id) == (CHAT, "image/jpeg", data)
    assert store.file("web-missing") is None
