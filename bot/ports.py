"""What the bot needs from the outside, as protocols; app/ builds the real ones, tests build fakes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Callable, Protocol

from domain.ports import UnitOfWork
from domain.reporting.answers import Reading
from domain.values import Category, Language

UnitOfWorkFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class BotSettings:
    """The config values handlers read; everything else stays in app/."""

    timezone: str = "Asia/Shanghai"
    default_language: Language = Language.ZH
    max_text_length: int = 2000
    sla_check_minutes: int = 5
    plan_check_minutes: int = 10  # how often planned maintenance due today is opened
    auto_close_days: int = 3
    staff_chat_id: int | None = None
    report_sure: float = 0.8  # a report the NLU is less sure of than this is asked about first (nlu.REPORT_SURE)
    registration_attempts: int = 5  # failed phone registrations per user per day
    prompt_minutes: int = 10  # a question (a reason, "are you sure?") older than this no longer takes the reply
    max_voice_seconds: int = 60
    max_voice_bytes: int = 2 * 1024 * 1024
    digest_time: time = time(8, 0)  # the staff chat's daily digest, in `timezone`
    payment_provider_token: str = ""  # set: an approved bill also gets a Telegram invoice


class Parser(Protocol):
    """Text to a typed reading: the NLU (Rasa with its rules fallback) and the dialog's cue words."""

    async def aparse(self, text: str) -> Any: ...

    def parse(self, text: str) -> Any: ...


class AnswerReader(Protocol):
    def reading(self, parse: Any) -> Reading: ...


class Search(Protocol):
    """The knowledge base, as far as the bot uses it."""

    def best_for(self, text: str, category: Category | str | None = None, language: str | None = None) -> Any: ...

    def answer_question(self, text: str, language: str | None = None) -> Any: ...

    def article(self, article_id: str) -> Any: ...

    def search(self, query: str, top_k: int = 3, language: str | None = None) -> list[Any]: ...


class Transcriber(Protocol):
    """Voice to text off the event loop (speech.queue.VoiceQueue): raises Busy or TooSlow, or any decoding error."""

    async def transcribe(self, audio: bytes, language: str | None = None) -> str: ...


class ChatStates(Protocol):
    """Half-finished conversations per chat; put() raises StaleChatState when the version read is outdated."""

    def read(self, chat_id: int) -> dict[str, tuple[dict[str, Any], int]]: ...

    def get(self, chat_id: int, kind: str) -> dict[str, Any] | None: ...

    def put(self, chat_id: int, kind: str, data: dict[str, Any], version: int | None = None,
            *, force: bool = False) -> int: ...

    def drop(self, chat_id: int, kind: str) -> None: ...

    def first_sight(self, chat_id: int, update_id: int, now: datetime) -> bool:
        """Record the update as seen in the chat; False when it was seen before (a replay)."""
        ...

    def unsee(self, chat_id: int, update_id: int) -> None: ...

    def forget_sights(self, before: datetime) -> int: ...


class KbOutcomes(Protocol):
    def record(self, article_id: str, category: str | None, building: str | None, outcome: str,
               person_id: int | None) -> None: ...

    def counts(self, by: str) -> dict[tuple[str, str], int]: ...
