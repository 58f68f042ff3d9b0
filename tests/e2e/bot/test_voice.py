"""Voice notes end to end: espeak-ng speaks, ffmpeg encodes OGG/Opus, the sandbox delivers, the owner confirms."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from app.config import load_config
from app.main import load_speech
from domain.ticket import AttachmentKind, Stage
from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import BotUnderTest
from tests.e2e.bot.helpers import say, tap, ticket_number, with_button
from tests.speech_clips import voice_note

pytestmark = pytest.mark.model


def listening(bot: BotUnderTest) -> None:
    """Speech as `make run` builds it: the packaged base model in the bounded queue, with the estate's hints."""
    svc = bot.application.bot_data["services"]
    svc.speech = load_speech(load_config())
    svc.closers.append(svc.speech.close)


def attachments(bot: BotUnderTest, ticket_id: int) -> list[tuple[str, AttachmentKind]]:
    with bot.application.bot_data["services"].uow() as uow:
        return [(a.file_id, a.kind) for a in uow.tickets.get(ticket_id).attachments]


async def test_an_english_voice_report_is_confirmed_and_files_a_ticket_with_the_note(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    after = await tg.last_message_id(1002)
    await tg.send_voice(1002, voice_note("The kitchen tap is leaking"), duration=3)
    await tg.wait_for_text(1002, "Transcribing", after_id=after, timeout=30)
    heard = await with_button(tg, 1002, "v:ok", after)
    assert "I heard" in heard.text and "kitchen" in heard.text.lower()
    card = await tap(tg, 1002, heard, "v:ok", "B-1208 kitchen")  # the owner's only home, its kitchen
    done = await tap(tg, 1002, card, "r:submit", "#")
    assert [kind for _, kind in attachments(bot, ticket_number(done.text))] == [AttachmentKind.VOICE]


async def test_a_chinese_voice_note_is_heard_in_chinese_and_can_be_corrected_by_typing(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    after = await tg.last_message_id(1001)
    clip = voice_note("wo3 jia1 chu2 fang2 de5 shui3 guan3 lou4 shui3 le5", voice="cmn-latn-pinyin")
    await tg.send_voice(1001, clip, duration=4)
    heard = await with_button(tg, 1001, "v:edit", after)
    assert "我听到的是" in heard.text and any("\u4e00" <= c <= "\u9fff" for c in heard.text.split("「")[1])
    await tap(tg, 1001, heard, "v:edit", "打字")
    card = await with_button(tg, 1001, "r:submit", (await tg.send_text(1001, "厨房水管漏水了")).message_id)
    assert "3-2-1801" in card.text
    done = await tap(tg, 1001, card, "r:submit", "#")
    assert [kind for _, kind in attachments(bot, ticket_number(done.text))] == [AttachmentKind.VOICE]


async def test_without_speech_the_owner_is_asked_to_type(tg: SandboxClient) -> None:
    after = await tg.last_message_id(1001)
    await tg.send_voice(1001, b"OggS-not-really", duration=1)
    reply = await tg.wait_for_message(1001, after_id=after)
    assert "文字" in reply.text


async def test_an_undecodable_voice_note_gets_a_polite_answer(tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    after = await tg.last_message_id(1002)
    await tg.send_voice(1002, b"this is not audio at all", duration=1)
    reply = await tg.wait_for_text(1002, "couldn't make out", after_id=after, timeout=30)
    assert "please type" in reply.text


def spoken_wav(text: str) -> bytes:
    """A WAV of `text` as espeak-ng speaks it: what a tester uploads on the page, before any conversion."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is missing; `make setup` installs it")
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "x.wav"
        subprocess.run(["espeak-ng", "-s", "150", "-w", str(wav), text], check=True, timeout=30)
        return wav.read_bytes()


async def test_a_wav_upload_becomes_a_voice_note_whose_ticket_staff_can_hear_again(
        tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    after = await tg.last_message_id(1002)
    sent = await tg.send_audio_as_voice(1002, spoken_wav("The kitchen tap is leaking"), "report.wav")
    assert sent.raw["voice"]["mime_type"] == "audio/ogg" and sent.raw["voice"]["duration"] >= 1
    heard = await with_button(tg, 1002, "v:ok", after)
    assert "kitchen" in heard.text.lower()
    card = await tap(tg, 1002, heard, "v:ok", "B-1208 kitchen")
    ticket = ticket_number((await tap(tg, 1002, card, "r:submit", "#")).text)
    staff_card = await say(tg, 3001, f"/ticket {ticket}", "📎 附件：语音 1 条")
    button = next(b for b in staff_card.buttons if b["callback_data"] == f"f:{ticket}")
    assert button["text"].startswith("🎧")
    after = await tg.last_message_id(3001)
    await tg.click(3001, staff_card, f"f:{ticket}")
    again = await tg.wait_for_message(3001, lambda m: m.raw.get("voice") is not None, after_id=after)
    assert again.raw["voice"]["file_id"] == sent.raw["voice"]["file_id"] and "报修时业主发送" in (again.caption or "")


async def test_a_technician_dictates_the_done_notes_by_voice(tg: SandboxClient, bot: BotUnderTest) -> None:
    listening(bot)
    await say(tg, 2003, "/lang en", "English")  # 陈师傅 speaks English here: heard in his language
    after = await tg.last_message_id(1002)
    await tg.send_text(1002, "The kitchen tap in B-1208 is dripping")
    ticket = ticket_number((await tap(tg, 1002, await with_button(tg, 1002, "r:submit", after), "r:submit", "#")).text)
    await tap(tg, 2003, await with_button(tg, 2003, f"t:claim:{ticket}"), f"t:claim:{ticket}", f"#{ticket}")
    await say(tg, 2003, f"/begin {ticket}", f"#{ticket}")
    await say(tg, 2003, f"/done {ticket}", f"#{ticket}", "say it")  # the notes are asked for: typed, or said
    after = await tg.last_message_id(2003)
    await tg.send_audio_as_voice(2003, spoken_wav("I replaced the cartridge of the kitchen tap"), "notes.wav")
    heard = await with_button(tg, 2003, "v:ok", after)
    assert "I heard" in heard.text and "kitchen" in heard.text.lower()
    prompt = await tap(tg, 2003, heard, "v:ok", "parts")
    for step in ("parts", "minutes", "photos"):
        prompt = await tap(tg, 2003, prompt, f"d:skip:{step}", "")
    with bot.application.bot_data["services"].uow() as uow:
        done = uow.tickets.get(ticket)
    assert done.completion is not None and "kitchen" in done.completion.notes.lower()
    assert [(a.kind, a.stage) for a in done.attachments] == [(AttachmentKind.VOICE, Stage.WORK)]
