"""Transcription off the event loop: its own threads, a bounded queue and a time limit per note."""
from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

logger = logging.getLogger(__name__)


class Busy(Exception):
    """More notes are waiting than the queue holds: the owner is asked to try again or type."""


class TooSlow(Exception):
    """The note was not transcribed within the time limit."""


class Blocking(Protocol):
    def transcribe(self, audio: bytes, language: str | None = None, deadline: float | None = None) -> str: ...


class VoiceQueue:
    """At most `workers` notes are decoded at once, in threads of their own (never asyncio's shared pool,
    which every database call of every chat uses); `waiting` more may queue; each gets `timeout` seconds
    from the moment it starts, and the decoder stops at the next window boundary once that has passed."""

    def __init__(self, transcriber: Blocking, workers: int = 1, waiting: int = 4, timeout: float = 30.0,
                 grace: float = 10.0) -> None:
        self.transcriber, self.timeout, self.grace = transcriber, timeout, grace  # grace: a window past the limit
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="whisper")
        self._places = workers + waiting
        self._taken = 0

    async def transcribe(self, audio: bytes, language: str | None = None) -> str:
        if self._taken >= self._places:
            raise Busy()
        self._taken += 1  # the event loop is one thread: this count needs no lock
        ahead = self._taken  # this note and those before it, each bounded by the time limit (plus a window)
        try:
            job = asyncio.get_running_loop().run_in_executor(self._pool, self._run, audio, language)
            try:
                return await asyncio.wait_for(asyncio.shield(job), ahead * (self.timeout + self.grace))
            except asyncio.TimeoutError as late:
                raise TooSlow() from late
        finally:
            self._taken -= 1

    def _run(self, audio: bytes, language: str | None) -> str:
        started = time.monotonic()
        text = self.transcriber.transcribe(audio, language, deadline=started + self.timeout)
        logger.info("voice note transcribed in %.1f s", time.monotonic() - started)
        return text

    def warm_up(self, language: str | None = None) -> None:
        """Load the model now, so the first owner to speak does not wait for it."""
        load = getattr(self.transcriber, "load", None)
        if load is not None:
            load(language)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
