"""Injected faults: reproducible from a seed, each kind as documented and as PTB sees it, the state never corrupted."""
from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from sandbox import Faults, SandboxServer, demo_personas
from sandbox.client import SandboxClient, SandboxError
from tests.integration.sandbox.media import tiny_png

pytestmark = [pytest.mark.asyncio(loop_scope="session"),
              pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")]
SENDS = ["sendMessage"]
DELIVERED, LOST = object(), object()


def bot_for(server: SandboxServer) -> Bot:
    return Bot(server.token, base_url=server.bot_api_url, base_file_url=server.file_api_url)


async def outcomes(server: SandboxServer, count: int) -> list[str]:
    """What each of `count` sendMessage calls got: its HTTP status, or "closed" for no answer."""
    seen = []
    async with httpx.AsyncClient(timeout=5) as http:
        for n in range(count):
            try:
                response = await http.post(f"{server.bot_api_url}{server.token}/sendMessage",
                                           json={"chat_id": 1001, "text": f"try {n}"})
                seen.append(str(response.status_code))
            except httpx.TransportError:
                seen.append("closed")
    return seen


async def test_faults_at_a_rate_with_a_seed_are_reproducible(sandbox: SandboxServer, tg: SandboxClient) -> None:
    settings = {"kinds": ["429", "5xx", "timeout", "drop"], "methods": SENDS, "timeout_seconds": 0.05,
                "timeout_delivery": "never"}
    await tg.set_faults(0.3, seed=7, **settings)
    first, first_stats = await outcomes(sandbox, 40), (await tg.stats())["faults"]
    await tg.reset()
    await tg.set_faults(0.3, seed=7, **settings)
    again, again_stats = await outcomes(sandbox, 40), (await tg.stats())["faults"]
    await tg.set_faults(0.3, seed=8, **settings)
    other = await outcomes(sandbox, 40)
    assert first == again and first_stats == again_stats and other != first
    assert 4 <= first_stats["total"] <= 24 and first.count("200") == 40 - first_stats["total"]
    assert {"429", "500", "502", "closed"} <= set(first)


async def test_a_429_fault_is_ptbs_retry_after_and_sends_nothing(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["429"], retry_after=3, methods=SENDS)
        with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
            await bot.send_message(1001, "hello")
    assert await tg.messages(1001) == []
    assert (await tg.stats())["faults"] == {"total": 1, "429": 1, "5xx": 0, "timeout": 0, "drop": 0,
                                           "by_method": {"sendMessage": 1}}


async def test_a_5xx_fault_is_a_500_or_an_html_502_which_ptb_raises_as_network_errors(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    errors = []
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["5xx"], seed=3, methods=SENDS)
        for n in range(6):
            with pytest.raises(NetworkError) as raised:
                await bot.send_message(1001, f"hello {n}")
            errors.append(str(raised.value))
    assert any("Internal Server Error" in e for e in errors) and any("Bad Gateway (502)" in e for e in errors)
    assert not any(isinstance(e, TimedOut) for e in errors)
    assert await tg.messages(1001) == []


async def test_a_dropped_connection_is_a_network_error_and_delivers_only_when_told(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["drop"], methods=SENDS)
        with pytest.raises(NetworkError, match="disconnected"):
            await bot.send_message(1001, "lost")
        await tg.set_faults(1.0, ["drop"], methods=SENDS, drop_delivered=True)
        with pytest.raises(NetworkError, match="disconnected"):
            await bot.send_message(1001, "delivered, unconfirmed")
    assert [m.text for m in await tg.messages(1001)] == ["delivered, unconfirmed"]


async def test_a_timeout_delivered_before_the_hold_is_in_the_chat_once_and_a_blind_retry_duplicates_it(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["timeout"], methods=SENDS, timeout_seconds=2, timeout_delivery="before")
        with pytest.raises(TimedOut):
            await bot.send_message(1002, "your ticket #7 is open", read_timeout=0.3)
        assert await tg.delivery_counts(1002) == {"your ticket #7 is open": 1}
        await tg.clear_faults()
        await bot.send_message(1002, "your ticket #7 is open")
    assert await tg.delivery_counts(1002) == {"your ticket #7 is open": 2}
    assert (await tg.stats())["chats"]["1002"]["messages"] == 2


async def test_a_timeout_never_delivered_leaves_the_chat_empty(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["timeout"], methods=SENDS, timeout_seconds=0.5, timeout_delivery="never")
        with pytest.raises(TimedOut):
            await bot.send_message(1002, "never", read_timeout=0.2)
        with pytest.raises(NetworkError, match="disconnected"):
            await bot.send_message(1002, "never either", read_timeout=3)  # a patient client sees the close
    await asyncio.sleep(0.6)
    assert await tg.messages(1002) == [] and await tg.delivery_counts(1002) == {}


async def test_a_timeout_delivered_after_the_hold_appears_late_and_answers_a_patient_client(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["timeout"], methods=SENDS, timeout_seconds=0.5, timeout_delivery="after")
        with pytest.raises(TimedOut):
            await bot.send_message(1003, "late", read_timeout=0.1)
        assert await tg.messages(1003) == []
        assert (await tg.wait_for_text(1003, "late", timeout=3)).text == "late"
        answered = await bot.send_message(1003, "slow but answered", read_timeout=3)
    assert answered.text == "slow but answered"
    assert await tg.delivery_counts(1003) == {"late": 1, "slow but answered": 1}


async def test_faults_touch_only_the_methods_named_and_never_get_updates_unless_named(
        sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["429"], methods=["sendPhoto"])
        await bot.send_message(1001, "text goes through")
        with pytest.raises(RetryAfter):
            await bot.send_photo(1001, tiny_png())
        await tg.set_faults(1.0, ["429"])
        assert await bot.get_updates(timeout=0) == ()
        with pytest.raises(RetryAfter):
            await bot.get_me()
        await tg.set_faults(1.0, ["429"], methods=["getUpdates"])
        with pytest.raises(RetryAfter):
            await bot.get_updates(timeout=0)


async def test_max_faults_fails_the_first_attempts_and_lets_the_retry_through(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["5xx"], methods=SENDS, max_faults=2)
        for _ in range(2):
            with pytest.raises(NetworkError):
                await bot.send_message(1001, "third time lucky")
        await bot.send_message(1001, "third time lucky")
    assert (await tg.faults())["injected"] == 2
    assert await tg.delivery_counts(1001) == {"third time lucky": 1}


async def attempt(call: Any) -> Any:
    """The call's result; DELIVERED when it timed out (held after delivery); LOST when it failed otherwise."""
    try:
        return await call
    except TimedOut:
        return DELIVERED
    except (RetryAfter, NetworkError):
        return LOST


async def test_the_sandboxs_state_stays_consistent_under_faults(sandbox: SandboxServer, tg: SandboxClient) -> None:
    """Every outcome tells whether a send or an edit took effect; the chat holds exactly those, each once."""
    expected: list[str] = []
    async with bot_for(sandbox) as bot:
        await tg.set_faults(0.5, seed=11, methods=SENDS + ["editMessageText"], timeout_seconds=0.8,
                            timeout_delivery="before")
        for n in range(30):
            sent = await attempt(bot.send_message(1001, f"notice {n}", read_timeout=0.5))
            if sent is LOST:
                continue
            expected.append(f"notice {n}")
            if sent is DELIVERED:
                continue
            edited = await attempt(bot.edit_message_text(f"notice {n} (edited)", chat_id=1001,
                                                         message_id=sent.message_id, read_timeout=0.5))
            if edited is not LOST:
                expected[-1] = f"notice {n} (edited)"
    shown, stats = await tg.messages(1001), await tg.stats()
    assert [m.text for m in shown] == expected and len(expected) < 30
    assert [m.message_id for m in shown] == list(range(1, len(shown) + 1))  # no id spent on an undelivered send
    chat, faults = stats["chats"]["1001"], stats["faults"]
    delivered_as = {text.removesuffix(" (edited)"): 1 for text in expected}  # counted as first delivered
    assert chat["messages"] == len(expected) and chat["texts"] == delivered_as
    assert chat["edits"] == sum(m.edited for m in shown)
    assert all(faults[kind] > 0 for kind in ("429", "5xx", "timeout", "drop"))
    assert faults["total"] == sum(faults["by_method"].values()) and stats["calls"]["sendMessage"] == 30


async def test_faults_from_the_constructor_return_on_reset_and_bad_settings_are_refused() -> None:
    faults = Faults(rate=1.0, kinds=("429",), methods=("sendMessage",))
    with SandboxServer(demo_personas(), faults=faults).running_in_thread() as server:
        async with bot_for(server) as bot, SandboxClient(server.url) as tg:
            with pytest.raises(RetryAfter):
                await bot.send_message(1001, "from the start")
            await tg.clear_faults()
            await bot.send_message(1001, "cleared")
            await tg.reset()
            assert (await tg.faults())["rate"] == 1.0 and (await tg.stats())["faults"]["total"] == 0
            with pytest.raises(SandboxError, match="probability"):
                await tg.set_faults(2)
            with pytest.raises(SandboxError, match="kinds"):
                await tg.set_faults(0.1, ["boom"])
            with pytest.raises(SandboxError, match="timeout_delivery"):
                await tg.set_faults(0.1, timeout_delivery="sometimes")
            with pytest.raises(SandboxError, match="no such Bot API methods"):
                await tg.set_faults(0.1, methods=["sendMesage"])
            assert (await tg.faults())["rate"] == 1.0  # a refused setting changes nothing


async def test_faults_for_some_chats_leave_the_other_chats_alone(sandbox: SandboxServer, tg: SandboxClient) -> None:
    async with bot_for(sandbox) as bot:
        await tg.set_faults(1.0, ["5xx"], methods=SENDS, chats=[1002])
        await bot.send_message(1001, "through")
        with pytest.raises(NetworkError):
            await bot.send_message(1002, "faulted")
    assert (await tg.faults())["chats"] == [1002] and (await tg.stats())["faults"]["total"] == 1
    assert await tg.delivery_counts(1001) == {"through": 1} and await tg.delivery_counts(1002) == {}
    with pytest.raises(SandboxError, match="chat ids"):
        await tg.set_faults(0.1, chats=["someone"])  # type: ignore[list-item]
