"""Spoken test clips: espeak-ng speaks, ffmpeg encodes OGG/Opus like a Telegram voice note."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def voice_note(text: str, voice: str = "en-us") -> bytes:
    """OGG/Opus bytes of `text` spoken; skips (or fails under CI) when the tools are missing."""
    missing = [tool for tool in ("espeak-ng", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing; `make setup` installs them"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        wav, ogg = Path(folder) / "v.wav", Path(folder) / "v.ogg"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True, timeout=30)
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(wav), "-c:a", "libopus", "-b:a", "24k",
                        str(ogg)], check=True, timeout=60)
        return ogg.read_bytes()
