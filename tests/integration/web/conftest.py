"""The web channel against a real Application and the sandbox: the same bot, a browser as an HTTP client."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import AsyncIterator, Callable

import pytest

from app.bootstrap import bootstrap, build_core
from app.config import Config, load_config
from bot.app import build_application
from nlu.rules import RulesParser
from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient
from tests.fakes import FakeClock, without_quiet_hours
from web.app import attach, build_channel
from web.channel import WebChannel
from web.settings import WebSettings

STAFF_GROUP = -1001


class WebBot:
    """The bot with its web channel, started as run_polling would (the web server on a free port)."""

    def __init__(self, db_url: str, sandbox: SandboxServer, secret: Path, settings: WebSettings,
                 configure: Callable[[Config], Config] | None = None) -> None:
        self.db_url, self.sandbox, self.secret, self.settings = db_url, sandbox, secret, settings
        self.configure = configure or (lambda config: config)
        self.clock = FakeClock(datetime.now(timezone.utc))
        self.application = None
        self.channel: WebChannel | None = None

    @property
    def url(self) -> str:
        assert self.channel is not None
        return f"http://127.0.0.1:{self.channel.port}"

    async def start(self) -> None:
        core = build_core(self.configure(without_quiet_hours(load_config())), self.db_url, clock=self.clock)
        svc = bootstrap(core, RulesParser(), STAFF_GROUP)
        assert core.engine is not None
        self.channel = build_channel(self.settings, svc, core.engine, self.secret)
        self.application = build_application(svc, self.sandbox.token, self.sandbox.bot_api_url,
                                             self.sandbox.file_api_url, sandbox=True, channels=self.channel.router)
        attach(self.application, self.channel)
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0.0, timeout=2)

    async def stop(self) -> None:
        app, self.application = self.application, None
        await app.updater.stop()
        await app.stop()
        await app.post_stop(app)
        await app.shutdown()
        app.bot_data["services"].close()

    @property
    def svc(self):  # type: ignore[no-untyped-def]
        assert self.application is not None
        return self.application.bot_data["services"]


def web_settings(**changes: object) -> WebSettings:
    base = dict(host="127.0.0.1", port=0, public_url="http://127.0.0.1", rate_per_minute=60)
    return WebSettings(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def settings() -> WebSettings:
    return web_settings()


@pytest.fixture
def configure() -> Callable[[Config], Config] | None:
    """config.yml as it is; a test module overrides this fixture to change it (a payment token, say)."""
    return None


@pytest.fixture
async def webbot(sandbox: SandboxServer, tmp_path: Path, settings: WebSettings,
                 configure: Callable[[Config], Config] | None) -> AsyncIterator[WebBot]:
    running = WebBot(f"sqlite:///{tmp_path}/web.db", sandbox, tmp_path / "web_secret", settings, configure)
    await running.start()
    yield running
    if running.application is not None:
        await running.stop()


@pytest.fixture
async def tg(sandbox: SandboxServer, webbot: WebBot) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=10) as client:
        yield client
