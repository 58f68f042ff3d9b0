"""Logs hold no personal data or secrets: not the bot token, not a shared phone number, not message text."""
from __future__ import annotations

import logging
from typing import Iterator

import pytest

from app.logs import install_redaction, redact
from tests.unit.bot.conftest import OfflineBot

TOKEN = "123456789:AAFakeTokenForTheLogTest-abcdefghij"


@pytest.fixture
def redacting() -> Iterator[None]:
    restore = install_redaction([TOKEN])
    yield
    restore()


@pytest.mark.parametrize("text", ["call 13812345678 please", "+86 138-1234-5678", "+44 7700 900123",
                                  f"POST https://api.telegram.org/bot{TOKEN}/getMe"])
def test_phones_and_tokens_are_redacted(text: str) -> None:
    cleaned = redact(text, [TOKEN])
    assert "13812345678" not in cleaned and "1234-5678" not in cleaned and TOKEN not in cleaned
    assert "7700 900123" not in cleaned


async def test_a_handler_failure_with_a_shared_phone_logs_neither_the_phone_nor_the_token(
        offline: OfflineBot, caplog: pytest.LogCaptureFixture, redacting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database down while handling +86 138-0000-0004 via bot{TOKEN}")

    monkeypatch.setattr("bot.registration.register_by_phone", broken)
    caplog.set_level(logging.DEBUG)
    await offline.send(offline.updates.contact(7100, "+86 138-0000-0004"))
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "handler failed for update" in logged  # the failure itself is logged
    assert "138-0000-0004" not in logged and "13800000004" not in logged and TOKEN not in logged
