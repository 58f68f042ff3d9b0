"""The Bot API side answers like Telegram: its errors, long polling, conflicts, and starting in a loop."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from telegram import Bot, InputMediaPhoto, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken

from sandbox import Persona, SandboxServer
from sandbox.client import SandboxClient
from tests.integration.sandbox.media import tiny_png

pytestmark = pytest.mark.asyncio(loop_scope="session")


def bot_for(server: SandboxServer, token: str | None = None) -> Bot:
    return Bot(token or server.token, base_url=server.bot_api_url, base_file_url=server.file_api_url)


async def test_telegrams_errors_come_back_as_ptbs_exceptions(sandbox: SandboxServer) -> None:
    async with bot_for(sandbox) as bot:
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(424242, "hi")
        with pytest.raises(BadRequest, match="(?i)unsupported start tag"):
            await bot.send_message(1001, "/status <id>", parse_mode="HTML")
        sent = await bot.send_message(1001, "same")
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text("same", chat_id=1001, message_id=sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("new", chat_id=1001, message_id=999)
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query("123")
    with pytest.raises(InvalidToken):
        async with bot_for(sandbox, token="1:wrong") as bot:
            await bot.get_me()


async def test_an_unknown_method_is_404_with_telegrams_body(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{sandbox.bot_api_url}{sandbox.token}/sendDice", json={"chat_id": 1001})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_a_form_encoded_call_with_a_json_string_markup_is_understood(sandbox: SandboxServer, tg: SandboxClient) -> None:
    markup = '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}'
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{sandbox.bot_api_url}{sandbox.token}/sendMessage",
                                   data={"chat_id": "1001", "text": "form", "reply_markup": markup})
    assert response.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert (await tg.messages(1001))[-1].buttons == [{"text": "A", "callback_data": "a"}]


async def test_a_bot_blocked_by_the_user_gets_forbidden(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.block(1003)
    async with bot_for(sandbox) as bot:
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(1003, "hello")


async def test_a_long_poll_returns_as_soon_as_a_user_writes(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
        await asyncio.sleep(0.2)
        assert not poll.done()
        await tg.send_text(1001, "水管漏水")
        updates = await asyncio.wait_for(poll, timeout=10)
        assert [u.message.text for u in updates] == ["水管漏水"]
        assert updates[0].message.from_user.language_code == "zh"
        again = await bot.get_updates(offset=updates[0].update_id + 1, timeout=0)
        assert again == ()


async def test_a_newer_poller_takes_over_and_the_older_one_gets_a_conflict(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as old, bot_for(sandbox) as new:
        first = asyncio.create_task(old.get_updates(timeout=20, read_timeout=30))
        await asyncio.sleep(0.2)
        second = asyncio.create_task(new.get_updates(timeout=20, read_timeout=30))
        with pytest.raises(Conflict):
            await asyncio.wait_for(first, timeout=10)
        await tg.send_text(1002, "hello")
        assert len(await asyncio.wait_for(second, timeout=10)) == 1


async def test_the_server_starts_and_stops_in_the_running_loop_with_given_personas() -> None:
    people = [Persona(7, "Ana", None, "en", "owner", "tester"), Persona(8, "Bo", None, "zh", "staff", "boss")]
    async with SandboxServer(people, staff_group_id=-1009, port=0) as server:
        async with SandboxClient(server.url) as tg:
            assert [p["user_id"] for p in await tg.personas()] == [7, 8]
            async with bot_for(server) as bot:
                group = await bot.get_chat(-1009)
                assert (await bot.get_chat_member(-1009, 8)).status == "member"
                assert (await bot.get_chat_member(-1009, 7)).status == "left"
            assert group.type == "group"
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"{server.url}/sandbox/personas")



async def test_an_album_of_a_users_photos_is_sent_as_one_media_group(sandbox: SandboxServer, tg: SandboxClient) -> None:
    first = await tg.send_photo(1001, tiny_png(8, 6))
    second = await tg.send_photo(1001, tiny_png(6, 8))
    async with bot_for(sandbox) as bot:
        album = await bot.send_media_group(2001, [InputMediaPhoto(first.photo[-1]["file_id"], caption="#42"),
                                                  InputMediaPhoto(tiny_png(5, 5))])
    assert len({m.media_group_id for m in album}) == 1
    shown = await tg.messages(2001)
    assert [m.photo[-1]["width"] for m in shown] == [8, 5] and shown[0].caption == "#42"


async def test_a_reply_keyboard_asking_for_the_contact_is_kept_until_removed(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        ask = ReplyKeyboardMarkup([[KeyboardButton("分享手机号 Share phone", request_contact=True)]], one_time_keyboard=True)
        await bot.send_message(1003, "请分享手机号", reply_markup=ask)
        assert (await tg.messages(1003))[-1].keyboard == ["分享手机号 Share phone"]
        await tg.send_contact(1003, "+8613700000000")
        await bot.send_message(1003, "谢谢", reply_markup=ReplyKeyboardRemove())
    async with httpx.AsyncClient() as http:
        state = (await http.get(f"{sandbox.url}/sandbox/messages", params={"user_id": 1003})).json()
    assert state["reply_keyboard"] is None


async def test_reset_forgets_messages_but_keeps_the_personas(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.send_text(1001, "hello")
    await tg.reset()
    assert await tg.messages(1001, include_user=True) == []
    assert len(await tg.personas()) == 8


async def test_every_kind_of_user_message_parses_as_a_ptb_update(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.send_sticker(1002, "🔧")
    await tg.send_location(1002, 31.23, 121.47)
    await tg.send_video(1002, b"\x00\x00\x00\x18ftypmp42", "video", file_name="leak.mp4")
    await tg.send_photo(3001, tiny_png(), "staff photo", chat_id=-1001)
    async with bot_for(sandbox) as bot:
        updates = await bot.get_updates(timeout=0)
    sticker, location, video, photo = (u.message for u in updates)
    assert sticker.sticker.emoji == "🔧" and location.location.latitude == 31.23
    assert video.video.file_name == "leak.mp4" and video.caption == "video"
    assert photo.chat.type == "group" and photo.from_user.id == 3001 and photo.photo[-1].width == 4


async def test_a_shared_contact_can_be_the_senders_another_users_or_a_phone_book_entry(tg: SandboxClient) -> None:
    own = await tg.send_contact(1003, "+8613700000001")
    other = await tg.send_contact(1003, "+8613700000002", contact_user_id=1001)
    book = await tg.send_contact(1003, "+8613700000003", contact_user_id=None)
    assert own.raw["contact"]["user_id"] == 1003
    assert other.raw["contact"]["user_id"] == 1001
    assert "user_id" not in book.raw["contact"]


async def test_the_control_api_refuses_other_web_sites_and_non_json_bodies(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=5) as http:
        as_form = await http.post("/sandbox/send", content="user_id=1001&text=hi",
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        cross_site = await http.post("/sandbox/send", json={"user_id": 1001, "text": "hi"},
                                     headers={"Origin": "https://evil.example"})
        rebound = await http.get("/sandbox/personas", headers={"Host": "evil.example"})
        fine = await http.post("/sandbox/send", json={"user_id": 1001, "text": "hi"})
    assert [r.status_code for r in (as_form, cross_site, rebound)] == [403, 403, 403]
    assert fine.status_code == 200
