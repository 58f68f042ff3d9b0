"""The real bot, over HTTP, against the sandbox: demo data, a fresh database per test, the rules NLU."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import AsyncIterator, Callable

import pytest

from app.bootstrap import bootstrap, build_core
from app.config import Config, load_config
from bot.app import build_application
from bot.ports import Parser
from nlu.rules import RulesParser
from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient
from tests.fakes import FakeClock, without_quiet_hours

STAFF_GROUP = -1001


class BotUnderTest:
    """Start and stop the PTB application the way run_polling does, inside the test's loop."""

    def __init__(self, db_url: str, sandbox: SandboxServer, configure: Callable[[Config], Config] | None = None,
                 nlu: Parser | None = None) -> None:
        """`configure` changes config.yml's settings for this bot (a payment provider token, say); `nlu` replaces
        the rules parser (the fault tests give it the production one, with Rasa down or slow)."""
        self.db_url, self.sandbox, self.configure, self.nlu = db_url, sandbox, configure, nlu
        self.application = None
        self.clock = FakeClock(datetime.now(timezone.utc))  # real time, until a test moves it

    async def start(self) -> None:
        config = without_quiet_hours(load_config())
        core = build_core(self.configure(config) if self.configure else config, self.db_url, clock=self.clock)
        self.core = core  # the fault tests reach its engine
        svc = bootstrap(core, self.nlu or RulesParser(), STAFF_GROUP)  # the voice tests switch speech on
        self.application = build_application(svc, self.sandbox.token, self.sandbox.bot_api_url,
                                             self.sandbox.file_api_url, sandbox=True)
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0.0, timeout=2)

    async def stop(self) -> None:
        app, self.application = self.application, None
        await app.updater.stop()
        await app.stop()
        await app.post_stop(app)  # as run_polling does: the outbox sender and the dispatcher stop
        await app.shutdown()
        app.bot_data["services"].close()


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[BotUnderTest]:
    running = BotUnderTest(f"sqlite:///{tmp_path}/e2e.db", sandbox)
    await running.start()
    yield running
    if running.application is not None:
        await running.stop()


@pytest.fixture
async def tg(sandbox: SandboxServer, bot: BotUnderTest) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=10) as client:
        yield client
