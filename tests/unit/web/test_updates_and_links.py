"""Page actions become the updates a phone would send; `/invite owner … web` is read from its last word."""
from __future__ import annotations

from telegram import Bot, Update

from bot.web_links import take_web_flag
from web.ids import WEB_CHAT_BASE, is_web_chat
from web.settings import WebSettings, megabytes
from web.updates import UpdateMaker, chip_text

CHAT = WEB_CHAT_BASE + 7


def test_a_typed_command_carries_a_bot_command_entity_so_command_handlers_see_it() -> None:
    sent = {"message_id": 5, "date": 0, "chat": {"id": CHAT, "type": "private"}, "text": "/status 12",
            "_web": {"hidden": True}}
    update = Update.de_json(UpdateMaker().message(sent, "王阿姨", "zh"), Bot("1:a"))
    assert update.effective_chat.id == CHAT and update.effective_user.id == CHAT  # type: ignore[union-attr]
    assert update.message.text == "/status 12" and update.message.entities[0].type == "bot_command"  # type: ignore[union-attr]
    assert update.effective_user.language_code == "zh" and "_web" not in update.message.api_kwargs  # type: ignore[union-attr]


def test_a_tap_is_a_callback_query_on_the_message_with_a_web_query_id() -> None:
    maker = UpdateMaker()
    message = {"message_id": 9, "date": 0, "chat": {"id": CHAT, "type": "private"}, "text": "卡片",
               "from": {"id": 0, "is_bot": True, "first_name": "B"}}
    first, second = maker.tap(CHAT, message, "r:submit", "王阿姨", "zh"), maker.tap(CHAT, message, "r:edit", "x", "zh")
    update = Update.de_json(first, Bot("1:a"))
    assert update.callback_query.data == "r:submit" and update.callback_query.message.message_id == 9  # type: ignore[union-attr]
    assert update.callback_query.id.startswith(f"web-{CHAT}-")  # type: ignore[union-attr]
    assert second["update_id"] > first["update_id"] and second["callback_query"]["id"] != first["callback_query"]["id"]


def test_update_ids_of_a_new_run_are_above_those_of_an_earlier_one() -> None:
    earlier = UpdateMaker().message({"message_id": 1, "date": 0, "chat": {"id": CHAT, "type": "private"}}, "a", "zh")
    later = UpdateMaker().message({"message_id": 1, "date": 0, "chat": {"id": CHAT, "type": "private"}}, "a", "zh")
    assert later["update_id"] > earlier["update_id"] > 10 ** 12  # above Telegram's too: never seen as a replay


def test_a_reply_keyboard_chip_sends_its_label() -> None:
    assert chip_text("text:是的") == "是的" and chip_text("r:submit") is None


def test_web_chats_are_above_every_telegram_id() -> None:
    assert is_web_chat(WEB_CHAT_BASE + 1) and not is_web_chat(7_000_000_000) and not is_web_chat(-1001)
    assert not is_web_chat(None) and not is_web_chat("x")


def test_the_web_flag_follows_the_home_or_ends_an_owner_invite_and_never_joins_the_name() -> None:
    assert take_web_flag(["owner", "3-2-1801", "web"]) == (["owner", "3-2-1801"], True)
    assert take_web_flag(["owner", "3-2-1801", "王阿姨", "WEB"]) == (["owner", "3-2-1801", "王阿姨"], True)
    assert take_web_flag(["owner", "5-1-602", "web", "孙奶奶"]) == (["owner", "5-1-602", "孙奶奶"], True)
    assert take_web_flag(["owner", "3-2-1801"]) == (["owner", "3-2-1801"], False)
    assert take_web_flag(["staff", "dispatcher", "web"]) == (["staff", "dispatcher", "web"], False)


def test_cookies_are_secure_on_https_and_limits_are_said_in_plain_megabytes() -> None:
    assert WebSettings(public_url="https://baoxiu.example").secure and not WebSettings().secure
    assert WebSettings(public_url="https://b.example/").invite_url("c") == "https://b.example/web/i/c"
    assert megabytes(10 * 1024 * 1024) == "10" and megabytes(300_000) == "0.3"
