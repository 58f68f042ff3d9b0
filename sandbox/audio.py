"""Audio a tester uploads or records (wav, mp3, m4a, webm...) made into what Telegram sends: an OGG/Opus voice note."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from sandbox.files import ogg_duration

CONVERT_SECONDS = 60
MAX_SECONDS = 600  # longer than any voice note a person holds the button for; the bot refuses over 60 s itself


class AudioError(ValueError):
    """The audio could not be read or converted; the message says why, for the tester."""


def is_voice_note(data: bytes) -> bool:
    """Already OGG/Opus, as Telegram's clients record: sent on untouched."""
    return data[:4] == b"OggS" and b"OpusHead" in data[:200]


async def to_voice_note(data: bytes, file_name: str | None = None) -> tuple[bytes, int]:
    """OGG/Opus (mono, 48 kHz, 32 kbit/s, as Telegram's clients record) and its whole seconds, by ffmpeg.

    ffmpeg reads from a file rather than a pipe: MP4/M4A keep their index at the end, which a pipe cannot seek to.
    Run as a subprocess, so the sandbox's loop (the bot's too, in the tests) keeps answering meanwhile.
    """
    if is_voice_note(data):
        return data, ogg_duration(data)
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise AudioError("ffmpeg is not installed: only OGG/Opus voice notes can be sent (`make setup` installs it)")
    if not data:
        raise AudioError("the audio file is empty")
    suffix = Path(file_name or "audio").suffix[:8] or ".bin"
    with tempfile.TemporaryDirectory(prefix="sandbox-audio-") as folder:
        source, target = Path(folder) / f"in{suffix}", Path(folder) / "voice.ogg"
        source.write_bytes(data)
        process = await asyncio.create_subprocess_exec(
            ffmpeg, "-nostdin", "-y", "-loglevel", "error", "-i", str(source), "-vn", "-t", str(MAX_SECONDS),
            "-ac", "1", "-ar", "48000", "-c:a", "libopus", "-b:a", "32k", "-application", "voip", str(target),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        try:
            _, errors = await asyncio.wait_for(process.communicate(), CONVERT_SECONDS)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
            raise AudioError(f"converting the audio took over {CONVERT_SECONDS} s") from None
        if process.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            reason = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no audio in it"]
            raise AudioError(f"the audio could not be read: {reason[0][:200]}")
        voice = target.read_bytes()
    return voice, ogg_duration(voice)
