"""The adapters a handler can reach, built once by app/ and kept in bot_data."""
from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, Callable, Protocol, TypeVar
from zoneinfo import ZoneInfo

from telegram.ext import ContextTypes

from bot.i18n import Catalogs
from bot.ports import AnswerReader, BotSettings, ChatStates, KbOutcomes, Parser, Search, Transcriber, UnitOfWorkFactory
from domain.estate import Estate
from domain.ports import Clock, StatsReader
from domain.outbox import QuietHours
from domain.usecases.dispatching import DispatchSettings
from domain.throttle import Throttle
from domain.usecases.common import Policies
from domain.values import Language

T = TypeVar("T")


class CommitCounts(Protocol):
    news: int
    ticket_changes: int


@dataclass
class BotServices:
    uow: UnitOfWorkFactory
    clock: Clock
    policies: Policies
    estate: Estate
    settings: BotSettings
    nlu: Parser
    answers: AnswerReader
    catalogs: Catalogs
    states: ChatStates
    kb_outcomes: KbOutcomes
    kb: Search | None = None
    speech: Transcriber | None = None
    throttle: Throttle = field(default_factory=lambda: Throttle(30, timedelta(seconds=10)))
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    dispatch: DispatchSettings | None = None  # None: nobody is dispatched automatically, staff assign
    stats: StatsReader | None = None  # read-only figures for /stats and /export; None: not offered
    bot_username: str = "baoxiu_bot"
    closers: list[Callable[[], None]] = field(default_factory=list)  # what app/ opened for these services
    # An exception -> "busy", "full" or "unavailable" when the database caused it (storage/faults.py), else None.
    storage_fault: Callable[[BaseException | None], str | None] = lambda _error: None
    # Threads for blocking calls: config.yml bot.worker_threads (app/config.py says why few). Nothing that waits
    # long without working may hold one: the charts' child process is awaited on the loop (reports/elsewhere.py).
    threads: int = 4
    read_uow: UnitOfWorkFactory | None = None  # for lookups only (app.bootstrap: no write lock on SQLite)
    # Counts of commits that wrote news or changed tickets (storage.uow.Commits); None: unknown, so the sender
    # and the dispatcher are woken after every update.
    commits: CommitCounts | None = None
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def staff_chat_id(self) -> int | None:
        return self.settings.staff_chat_id

    @property
    def default_language(self) -> Language:
        return self.settings.default_language

    def quiet_hours_until(self, at: datetime) -> datetime | None:
        """When a non-urgent owner message made at `at` (UTC) may go, or None for now."""
        hold = self.quiet_hours.hold_until(at.astimezone(self.tz))
        return hold.astimezone(timezone.utc) if hold else None

    def t(self, language: Language, key: str, **values: object) -> str:
        return self.catalogs.text(language, key, **values)

    def reading(self) -> Any:
        """A unit of work for a lookup that writes nothing (the usual one when no read-only one was given)."""
        return (self.read_uow or self.uow)()

    async def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a synchronous use case off the event loop, with a fresh unit of work first."""
        return await self.call(use_case, self.uow(), *args, **kwargs)

    async def look(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a use case that only reads, with a reading unit of work: on SQLite it waits for no writer and
        holds up none (a lookup in a writing one takes the one write lock for its whole length)."""
        return await self.call(use_case, self.reading(), *args, **kwargs)

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run any blocking call (state store, queries) off the event loop, in our own pool (as to_thread
        would: the caller's context variables go along)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="baoxiu")
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(self._pool, partial(context.run, fn, *args, **kwargs))

    def close(self) -> None:
        for close in reversed(self.closers):
            close()
        self.closers.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None


def services(context: ContextTypes.DEFAULT_TYPE) -> BotServices:
    return context.application.bot_data["services"]
