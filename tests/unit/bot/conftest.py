"""The real handlers, offline: fakes for every port through app.bootstrap, a fake Bot API, process_update."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, AsyncIterator

import pytest

from app.bootstrap import bootstrap, build_core
from app.config import for_sandbox, load_config
from bot.app import build_application
from bot.services import BotServices
from nlu.rules import RulesParser
from tests.fakes import FakeChatStates, FakeClock, FakeKbOutcomes, FakeStatsReader, FakeStore, FakeUnitOfWork
from tests.unit.bot.offline import OfflineRequest, Sent, UpdateFactory, as_update

STAFF_GROUP = -1001
OWNER, EN_OWNER, OTHER_OWNER, PLUMBER, STAFF = 1001, 1002, 1003, 2001, 3001


@dataclass
class OfflineBot:
    """Say and tap as a user; read what the bot sent back."""

    application: Any
    request: OfflineRequest
    store: FakeStore
    updates: UpdateFactory = field(default_factory=UpdateFactory)

    @property
    def svc(self) -> BotServices:
        return self.application.bot_data["services"]

    async def send(self, data: dict[str, Any]) -> list[Sent]:
        """Process one update, run a dispatch round and deliver what both put in the outbox, as the running bot does
        at once."""
        before = len(self.request.sent)
        await self.application.process_update(as_update(data, self.application.bot))
        await self.application.bot_data["dispatcher"].round()  # as the running bot does after each update
        await self.application.bot_data["sender"].flush()
        return [s for s in self.request.sent[before:] if s.method != "answerCallbackQuery"]

    async def say(self, user: int, text: str, language_code: str | None = "zh") -> list[Sent]:
        return await self.send(self.updates.text(user, text, language_code))

    async def tap(self, user: int, data: str) -> list[Sent]:
        return await self.send(self.updates.tap(user, data))

    async def work_done(self, ticket: int, tech: int = 2001, notes: str = "换了阀门") -> list[Sent]:
        """The technician claims, begins and reports the job done with nothing more (no parts, time, photos)."""
        await self.say(tech, f"/claim {ticket}")
        await self.say(tech, f"/begin {ticket}")
        await self.say(tech, f"/done {ticket} {notes}")
        for step in ("parts", "minutes"):
            await self.tap(tech, f"d:skip:{step}")
        return await self.tap(tech, "d:skip:photos")

    async def photo(self, user: int, file_id: str, caption: str | None = None) -> list[Sent]:
        return await self.send(self.updates.photo(user, file_id, caption))

    def to(self, chat_id: int, sent: list[Sent]) -> list[Sent]:
        return [s for s in sent if s.chat_id == chat_id]

    def tickets(self) -> list[Any]:
        return sorted(self.store.tickets.values(), key=lambda t: t.id)


@pytest.fixture
async def offline() -> AsyncIterator[OfflineBot]:
    store = FakeStore()
    core = build_core(for_sandbox(load_config()), None, clock=FakeClock(), uow=lambda: FakeUnitOfWork(store))
    svc = bootstrap(core, RulesParser(), STAFF_GROUP, states=FakeChatStates(), kb_outcomes=FakeKbOutcomes(),
                    stats=FakeStatsReader(store))
    request = OfflineRequest()
    application = build_application(svc, "123456:OFFLINE", request=request)
    await application.initialize()
    yield OfflineBot(application, request, store)
    await application.shutdown()
