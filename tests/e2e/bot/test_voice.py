"""A voice note is transcribed, echoed back, and handled like the text it says."""
from __future__ import annotations

import pytest

from sandbox.client import SandboxClient
from speech import WhisperTranscriber
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import with_button
from tests.speech_clips import voice_note

pytestmark = pytest.mark.model


async def test_an_english_voice_report_reaches_the_summary_card(tg: SandboxClient, bot: BotUnderTest) -> None:
    bot.application.bot_data["services"].speech = WhisperTranscriber(language="en")
    after = await tg.last_message_id(1002)
    await tg.send_voice(1002, voice_note("The kitchen tap is leaking"), duration=3)
    heard = await tg.wait_for_text(1002, "I heard", after_id=after, timeout=60)
    assert "kitchen" in heard.text.lower()
    card = await with_button(tg, 1002, "r:submit", after)
    assert "B-1208 kitchen" in card.text  # the kitchen is the owner's, at their only home


async def test_without_speech_the_owner_is_asked_to_type(tg: SandboxClient) -> None:
    after = await tg.last_message_id(1001)
    await tg.send_voice(1001, b"OggS-not-really", duration=1)
    reply = await tg.wait_for_message(1001, after_id=after)
    assert "文字" in reply.text


async def test_an_undecodable_voice_note_gets_a_polite_answer(tg: SandboxClient, bot: BotUnderTest) -> None:
    bot.application.bot_data["services"].speech = WhisperTranscriber(language="en")
    after = await tg.last_message_id(1002)
    await tg.send_voice(1002, b"this is not audio at all", duration=1)
    reply = await tg.wait_for_message(1002, after_id=after, timeout=30)
    assert "couldn't make that out" in reply.text
