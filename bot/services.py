"""The adapters a handler can reach, built once in the composition root and kept in bot_data."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, TypeVar
from zoneinfo import ZoneInfo

from telegram.ext import ContextTypes

from app.bootstrap import Core
from bot.i18n import Catalogs
from domain.values import Language
from storage.chat_state import ChatStateStore, KbOutcomeStore

T = TypeVar("T")


@dataclass
class BotServices:
    core: Core
    nlu: Any  # nlu.NluParser: aparse(text) -> Parse
    catalogs: Catalogs
    states: ChatStateStore
    kb_outcomes: KbOutcomeStore
    staff_chat_id: int | None
    kb: Any = None  # knowledge_base.KnowledgeBase, when configured
    speech: Any = None  # speech.Transcriber: transcribe(audio bytes) -> text, when configured
    bot_username: str = "baoxiu_bot"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.core.config.timezone)

    def t(self, language: Language, key: str, **values: object) -> str:
        return self.catalogs.text(language, key, **values)

    async def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous use case off the event loop, with a fresh unit of work first."""
        return await asyncio.to_thread(partial(use_case, self.core.uow(), *args, **kwargs))

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run any blocking call (state store, queries) off the event loop."""
        return await asyncio.to_thread(partial(fn, *args, **kwargs))


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    return context.application.bot_data["services"]
