"""Webhook updates must come from Telegram: without the secret Telegram echoes back, nothing runs."""
from __future__ import annotations

import asyncio
import json
import socket

import httpx
import pytest

from app.bootstrap import bootstrap, build_core
from app.config import ConfigError, Secrets, load_config, webhook_options
from bot.app import build_application
from nlu.rules import RulesParser
from tests.fakes import FakeChatStates, FakeClock, FakeKbOutcomes, FakeStore, FakeUnitOfWork
from tests.unit.bot.offline import OfflineRequest, UpdateFactory

SECRET = "s3cret-token_for-the-webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def webhook_config(port: int):  # type: ignore[no-untyped-def]
    config = load_config()
    return config.model_copy(update={"admin_ids": [9001], "bot": config.bot.model_copy(update={
        "mode": "webhook", "webhook_url": "https://bot.example.org/hook", "webhook_listen": "127.0.0.1",
        "webhook_port": port})})


def test_webhook_mode_refuses_to_start_without_a_secret() -> None:
    config = webhook_config(8443)
    for secret in (None, "", "short", "has spaces in it, not allowed"):
        with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
            webhook_options(config, Secrets(telegram_bot_token="1:x", telegram_webhook_secret=secret))
    assert webhook_options(config, Secrets(telegram_bot_token="1:x", telegram_webhook_secret=SECRET))[
        "secret_token"] == SECRET


def test_a_previous_webhook_secret_kept_for_a_rotation_must_itself_be_a_valid_secret() -> None:
    config = webhook_config(8443)
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET_PREVIOUS"):
        webhook_options(config, Secrets(telegram_bot_token="1:x", telegram_webhook_secret=SECRET,
                                        telegram_webhook_secret_previous="old one"))
    assert webhook_options(config, Secrets(telegram_bot_token="1:x", telegram_webhook_secret=SECRET,
                                           telegram_webhook_secret_previous="o" * 32))["secret_token"] == SECRET


async def test_a_forged_post_gets_403_and_runs_no_handler_while_telegrams_own_is_served() -> None:
    port, store = free_port(), FakeStore()
    config = webhook_config(port)
    core = build_core(config, None, clock=FakeClock(), uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, RulesParser(), -1001, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes())
    request = OfflineRequest()
    application = build_application(svc, "123456:WEBHOOK", request=request)
    options = webhook_options(config, Secrets(telegram_bot_token="1:x", telegram_webhook_secret=SECRET))
    await application.initialize()
    await application.start()
    await application.updater.start_webhook(listen=options["listen"], port=options["port"],
                                            webhook_url=options["webhook_url"], secret_token=options["secret_token"])
    url = f"http://127.0.0.1:{port}/"
    as_admin = json.dumps(UpdateFactory().text(9001, "/invite staff manager Mallory"))  # 9001: an admin here
    try:
        async with httpx.AsyncClient(timeout=5) as http:
            forged = [await http.post(url, content=as_admin, headers=headers) for headers in (
                {"Content-Type": "application/json"},
                {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "guessed-wrong-token"})]
            await asyncio.sleep(0.5)
            assert [r.status_code for r in forged] == [403, 403]
            assert [s for s in request.sent if s.method == "sendMessage"] == []
            assert store.invites == {}
            real = await http.post(url, content=json.dumps(UpdateFactory().text(1001, "/help")),
                                   headers={"Content-Type": "application/json",
                                            "X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert real.status_code == 200
            for _ in range(50):
                if any(s.method == "sendMessage" and s.chat_id == 1001 for s in request.sent):
                    break
                await asyncio.sleep(0.1)
            assert any(s.method == "sendMessage" and s.chat_id == 1001 for s in request.sent)
        set_webhook = next(s for s in request.sent if s.method == "setWebhook")
        assert set_webhook.params.get("secret_token") == SECRET  # Telegram is told the secret to echo back
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
