"""The router answers web chats' Bot API calls into the inbox and passes every other chat's call through."""
from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from telegram.error import BadRequest

import pytest

from tests.fakes import FakeClock
from tests.unit.web.fakes import FakeWebStore, RecordingRequest
from web.gateway import ChannelRouter
from web.ids import WEB_CHAT_BASE
from web.inbox import Inbox
from web.live import LiveHub

WEB = WEB_CHAT_BASE + 1
TELEGRAM = 1001


async def _notes(chat_id: int, key: str) -> str:
    return f"[{key}]"


@pytest.fixture
async def world():  # type: ignore[no-untyped-def]
    store, hub, inner = FakeWebStore(), LiveHub(), RecordingRequest()
    router = ChannelRouter(inner, Inbox(store, hub, FakeClock()), _notes)  # type: ignore[arg-type]
    bot = Bot("123:abc", request=router, get_updates_request=RecordingRequest())
    return store, hub, inner, bot


async def test_a_message_to_a_web_chat_is_stored_and_pushed_and_never_reaches_telegram(world) -> None:  # type: ignore[no-untyped-def]
    store, hub, inner, bot = world
    live = hub.subscribe(WEB)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ 提交", callback_data="r:submit")]])
    sent = await bot.send_message(WEB, "<b>卡片</b>", parse_mode="HTML", reply_markup=markup)
    assert inner.calls == [] and sent.chat.id == WEB and sent.message_id in store.rows
    event, _, shown = live.get_nowait()
    assert event == "message" and shown["html"] == "<b>卡片</b>" and shown["buttons"][0][0]["data"] == "r:submit"


async def test_an_edit_changes_the_stored_copy_and_a_missing_message_is_telegrams_bad_request(world) -> None:  # type: ignore[no-untyped-def]
    store, hub, inner, bot = world
    first = await bot.send_message(WEB, "待派工")
    live = hub.subscribe(WEB)
    await bot.edit_message_text("维修中", chat_id=WEB, message_id=first.message_id)
    event, _, shown = live.get_nowait()
    assert event == "edit" and shown["html"] == "维修中" and shown["edited"] and shown["buttons"] == []
    with pytest.raises(BadRequest):
        await bot.edit_message_text("x", chat_id=WEB, message_id=12345)
    assert inner.calls == []


async def test_other_chats_go_through_to_telegram_unchanged(world) -> None:  # type: ignore[no-untyped-def]
    store, _, inner, bot = world
    await bot.send_message(TELEGRAM, "hello")
    assert [name for name, _ in inner.calls] == ["sendMessage"] and store.rows == {}


async def test_a_web_photo_sent_to_a_telegram_chat_is_uploaded_because_telegram_never_saw_its_id(world) -> None:  # type: ignore[no-untyped-def]
    store, _, inner, bot = world
    store.files["web-f1"] = (WEB, "image/jpeg", b"\xff\xd8jpeg")
    await bot.send_photo(TELEGRAM, "web-f1", caption="业主的照片")
    name, data = inner.calls[0]
    assert name == "sendPhoto" and data is not None and data.contains_files
    assert any(part[1] == b"\xff\xd8jpeg" for part in data.multipart_data.values())


async def test_a_web_file_is_fetched_locally_by_get_file_and_download(world) -> None:  # type: ignore[no-untyped-def]
    store, _, inner, bot = world
    store.files["web-f1"] = (WEB, "audio/ogg", b"OggS...")
    found = await bot.get_file("web-f1")
    assert bytes(await found.download_as_bytearray()) == b"OggS..." and inner.calls == []


async def test_telegram_only_features_degrade_to_a_polite_line(world) -> None:  # type: ignore[no-untyped-def]
    store, _, inner, bot = world
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("📍 发送位置", request_location=True)]])
    await bot.send_message(WEB, "请到现场后签到", reply_markup=keyboard)
    await bot.send_invoice(WEB, "维修费", "#3 换角阀", "bill:3", "CNY", [{"label": "角阀", "amount": 5000}],
                           provider_token="x")
    texts = [m.payload["text"] for m in store.rows.values()]
    assert texts[0].endswith("[web.type_location]") and "[web.pay_at_office]" in texts[1] and "维修费" in texts[1]
    assert inner.calls == []


async def test_a_tap_answer_with_text_shows_in_the_chat_and_chat_actions_are_accepted(world) -> None:  # type: ignore[no-untyped-def]
    store, _, inner, bot = world
    await bot.answer_callback_query(f"web-{WEB}-3", text="这张单已被别人接了", show_alert=True)
    await bot.send_chat_action(WEB, "typing")
    assert [m.payload["text"] for m in store.rows.values()] == ["这张单已被别人接了"] and inner.calls == []
