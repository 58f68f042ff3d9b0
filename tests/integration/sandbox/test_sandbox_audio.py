"""The sandbox makes any audio a tester has into the OGG/Opus voice note Telegram would send, with its duration."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.client import SandboxClient, SandboxError

pytestmark = pytest.mark.asyncio(loop_scope="session")


def tone(tmp_path: Path, extension: str, seconds: float = 3.0) -> bytes:
    """`seconds` of a 440 Hz tone in the container of `extension`, made by ffmpeg."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is missing; `make setup` installs it")
    out = tmp_path / f"tone.{extension}"
    codec = {"webm": ["-c:a", "libopus"], "m4a": ["-c:a", "aac"], "mp3": ["-c:a", "libmp3lame"],
             "ogg": ["-c:a", "libopus"], "wav": []}[extension]
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", *codec, str(out)], check=True, timeout=60)
    return out.read_bytes()


def codec_of(tmp_path: Path, data: bytes) -> str:
    probe = tmp_path / "probe.ogg"
    probe.write_bytes(data)
    found = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name",
                            "-of", "default=nw=1:nk=1", str(probe)], capture_output=True, text=True, check=True)
    return found.stdout.strip()


@pytest.mark.parametrize("extension", ["wav", "mp3", "m4a", "webm"])
async def test_an_uploaded_audio_file_arrives_as_an_opus_voice_note_with_its_duration(
        tg: SandboxClient, tmp_path: Path, extension: str) -> None:
    sent = await tg.send_audio_as_voice(1001, tone(tmp_path, extension, 3.0), f"note.{extension}")
    voice = sent.raw["voice"]
    assert voice["mime_type"] == "audio/ogg" and voice["duration"] == 3 and sent.raw.get("audio") is None
    data = await tg.download(voice["file_id"])
    assert data[:4] == b"OggS" and codec_of(tmp_path, data) == "opus"


async def test_an_opus_voice_note_is_passed_on_untouched(tg: SandboxClient, tmp_path: Path) -> None:
    original = tone(tmp_path, "ogg", 2.0)
    sent = await tg.send_audio_as_voice(1001, original, "note.ogg")
    assert await tg.download(sent.raw["voice"]["file_id"]) == original and sent.raw["voice"]["duration"] == 2


async def test_what_is_not_audio_is_refused_and_sends_nothing(tg: SandboxClient) -> None:
    before = await tg.messages(1001, include_user=True)
    with pytest.raises(SandboxError, match="could not be read"):
        await tg.send_audio_as_voice(1001, b"this is not audio at all", "note.wav")
    assert await tg.messages(1001, include_user=True) == before


async def test_the_bot_sends_a_voice_note_back_by_its_file_id(tg: SandboxClient, echo_bot: object,
                                                               tmp_path: Path) -> None:
    sent = await tg.send_audio_as_voice(1001, tone(tmp_path, "wav", 2.0), "note.wav")
    bot = echo_bot.bot  # type: ignore[attr-defined]
    back = await bot.send_voice(1001, sent.raw["voice"]["file_id"], caption="工单 #1 · 报修时业主发送")
    assert back.voice.file_id == sent.raw["voice"]["file_id"] and back.voice.duration == 2
    shown = await tg.wait_for_message(1001, lambda m: m.raw.get("voice") is not None, after_id=sent.message_id)
    assert shown.caption == "工单 #1 · 报修时业主发送" and shown.raw["file_url"].endswith(sent.raw["voice"]["file_id"])
