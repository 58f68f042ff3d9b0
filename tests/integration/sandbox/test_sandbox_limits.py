"""Telegram's sending limits in the sandbox: 429 with retry_after per chat, per group and overall, and recovery."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from telegram import Bot, InputMediaPhoto
from telegram.error import BadRequest, RetryAfter
from telegram.ext import AIORateLimiter, ExtBot

from sandbox import RateLimits, SandboxServer, demo_personas
from sandbox.client import SandboxClient, SandboxError
from tests.integration.sandbox.media import tiny_png

pytestmark = [pytest.mark.asyncio(loop_scope="session"),
              pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")]
STAFF_GROUP = -1001


def bot_for(server: SandboxServer) -> Bot:
    return Bot(server.token, base_url=server.bot_api_url, base_file_url=server.file_api_url)


async def send_raw(server: SandboxServer, chat_id: int, text: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(f"{server.bot_api_url}{server.token}/sendMessage", json={"chat_id": chat_id, "text": text})


async def test_the_limits_are_off_unless_switched_on(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        for n in range(8):
            await bot.send_message(1001, f"quick {n}")
    assert (await tg.limits())["enabled"] is False
    assert len(await tg.messages(1001)) == 8


async def test_a_fourth_message_to_a_chat_within_a_second_gets_429_and_goes_through_after_retry_after() -> None:
    with SandboxServer(demo_personas(), limits=True).running_in_thread() as server:
        async with bot_for(server) as bot, SandboxClient(server.url) as tg:
            for n in range(3):
                await bot.send_message(1001, f"burst {n}")
            refused = await send_raw(server, 1001, "one too many")
            assert refused.status_code == 429
            assert refused.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}
            with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
                await bot.send_message(1001, "still too many")
            await asyncio.sleep(1)
            await bot.send_message(1001, "after the wait")
            assert [m.text for m in await tg.messages(1001)] == ["burst 0", "burst 1", "burst 2", "after the wait"]
            assert (await tg.stats())["limited"] == {"total": 2, "overall": 0, "chat": 2, "group": 0}


async def test_each_chat_has_its_own_allowance(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits()
    async with bot_for(sandbox) as bot:
        for n in range(3):
            await bot.send_message(1001, f"to 1001 #{n}")
        with pytest.raises(RetryAfter):
            await bot.send_message(1001, "to 1001 again")
        for n in range(3):
            await bot.send_message(1002, f"to 1002 #{n}")
    assert len(await tg.messages(1002)) == 3


async def test_a_group_gets_at_most_twenty_messages_a_minute_however_large_the_chat_burst(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits(chat_burst=25)
    async with bot_for(sandbox) as bot:
        for n in range(20):
            await bot.send_message(STAFF_GROUP, f"group #{n}")
        refused = await send_raw(sandbox, STAFF_GROUP, "the twenty-first")
        for n in range(4):
            await bot.send_message(1001, f"private #{n}")  # a private chat has no per-minute limit
    assert refused.status_code == 429 and 55 <= refused.json()["parameters"]["retry_after"] <= 60
    assert len(await tg.messages(chat_id=STAFF_GROUP)) == 20
    assert (await tg.stats())["limited"]["group"] == 1


async def test_a_group_recovers_once_its_window_has_passed(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits(group_max_rate=2, group_time_period=2, chat_burst=10)
    async with bot_for(sandbox) as bot:
        await bot.send_message(STAFF_GROUP, "one")
        await bot.send_message(STAFF_GROUP, "two")
        with pytest.raises(RetryAfter, match="Retry in 2 seconds"):
            await bot.send_message(STAFF_GROUP, "three")
        await asyncio.sleep(2)
        await bot.send_message(STAFF_GROUP, "three, later")
    assert [m.text for m in await tg.messages(chat_id=STAFF_GROUP)] == ["one", "two", "three, later"]


async def test_the_overall_limit_counts_every_chat_together(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits(overall_max_rate=5, overall_time_period=60)
    async with bot_for(sandbox) as bot:
        for chat in (1001, 1002, 1003, 2001, STAFF_GROUP):
            await bot.send_message(chat, "hello")
        with pytest.raises(RetryAfter):
            await bot.send_message(2002, "hello")
    assert (await tg.stats())["limited"]["overall"] == 1


async def test_edits_copies_and_forwards_count_as_sending_but_an_album_counts_once(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits()
    async with bot_for(sandbox) as bot:
        sent = await bot.send_message(1001, "card")
        await bot.edit_message_text("card, edited", chat_id=1001, message_id=sent.message_id)
        await bot.copy_message(1001, 1001, sent.message_id)
        with pytest.raises(RetryAfter):
            await bot.forward_message(1001, 1001, sent.message_id)
        await bot.send_media_group(1002, [InputMediaPhoto(tiny_png(2 + n, 2)) for n in range(4)])
        await bot.send_message(1002, "after the album")
        await bot.send_message(1002, "and one more")
        with pytest.raises(RetryAfter):
            await bot.send_message(1002, "over")


async def test_a_failed_call_and_what_sends_no_message_count_against_no_limit(sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits()
    async with bot_for(sandbox) as bot:
        sent = await bot.send_message(1001, "same")
        for _ in range(3):
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text("same", chat_id=1001, message_id=sent.message_id)
        await bot.send_message(1001, "second")
        await bot.send_message(1001, "third")
        with pytest.raises(RetryAfter):
            await bot.send_message(1001, "fourth")
        for _ in range(5):
            await bot.send_chat_action(1001, "typing")
            await bot.get_chat(1001)
        assert await bot.delete_message(1001, sent.message_id)


async def test_ptbs_rate_limiter_waits_out_each_429_and_delivers_every_message_once(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    await tg.set_limits()
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=5)
    async with ExtBot(sandbox.token, base_url=sandbox.bot_api_url, rate_limiter=limiter) as bot:
        for n in range(5):
            await bot.send_message(1003, f"paced #{n}")
    assert await tg.delivery_counts(1003) == {f"paced #{n}": 1 for n in range(5)}
    assert (await tg.stats())["limited"]["chat"] >= 1


async def test_limits_switch_through_the_control_api_and_reset_returns_to_the_servers_own(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    shown = await tg.set_limits(chat_burst=1)
    assert shown == {"enabled": True, **RateLimits(chat_burst=1).to_json()}
    async with bot_for(sandbox) as bot:
        await bot.send_message(1001, "one")
        with pytest.raises(RetryAfter):
            await bot.send_message(1001, "two")
        await tg.set_limits(enabled=False)
        await bot.send_message(1001, "two, limits off")
        await tg.set_limits(chat_burst=1)
        await tg.reset()
        assert (await tg.limits())["enabled"] is False and (await tg.stats())["limited"]["total"] == 0
    with pytest.raises(SandboxError, match="positive"):
        await tg.set_limits(chat_rate=0)
    with pytest.raises(SandboxError, match="unknown limit settings"):
        await tg.set_limits(per_chat=1)
