"""faster-whisper with the packaged tiny.en model turns a spoken report into text."""
from __future__ import annotations

import pytest

from speech import WhisperTranscriber
from tests.speech_clips import voice_note

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def transcriber() -> WhisperTranscriber:
    return WhisperTranscriber(language="en")


def test_a_spoken_repair_report_is_transcribed_from_ogg_opus(transcriber: WhisperTranscriber) -> None:
    text = transcriber.transcribe(voice_note("The kitchen tap is leaking, please send someone")).lower()
    assert "kitchen" in text and "leak" in text


def test_silence_gives_no_words(transcriber: WhisperTranscriber) -> None:
    assert len(transcriber.transcribe(voice_note("")).split()) <= 2
