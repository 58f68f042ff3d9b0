"""The real bot with its web channel, against the sandbox, and a phone-sized headless Chromium for the page."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from app.bootstrap import bootstrap, build_core
from app.config import load_config
from app.web_wiring import web_settings
from bot.app import build_application
from nlu.rules import RulesParser
from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient
from tests.e2e.bot.conftest import STAFF_GROUP, BotUnderTest
from tests.e2e.test_make_run import free_port
from tests.fakes import without_quiet_hours
from web.app import attach, build_channel
from web.channel import WebChannel

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


class WebBotUnderTest(BotUnderTest):
    """The bot as `make run` wires it in sandbox mode: the web channel's router in its Bot API path and the
    web server started by its post_init, on a free port that the invite links name."""

    def __init__(self, db_url: str, sandbox: SandboxServer, secret_file: Path, rate_per_minute: int = 30) -> None:
        super().__init__(db_url, sandbox)
        self.secret_file, self.rate_per_minute = secret_file, rate_per_minute
        self.channel: WebChannel | None = None

    @property
    def web_url(self) -> str:
        assert self.channel is not None
        return self.channel.config.public_url

    async def start(self) -> None:
        config = without_quiet_hours(load_config())
        core = build_core(config, self.db_url, clock=self.clock)
        svc = bootstrap(core, RulesParser(), STAFF_GROUP)
        port = free_port()
        settings = replace(web_settings(config.web), port=port, public_url=f"http://127.0.0.1:{port}",
                           rate_per_minute=self.rate_per_minute)
        self.channel = build_channel(settings, svc, core.engine, self.secret_file)
        self.application = build_application(svc, self.sandbox.token, self.sandbox.bot_api_url,
                                             self.sandbox.file_api_url, sandbox=True, channels=self.channel.router)
        attach(self.application, self.channel)
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()
        await self.application.updater.start_polling(poll_interval=0.0, timeout=2)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(sandbox: SandboxServer, tmp_path: Path) -> AsyncIterator[WebBotUnderTest]:
    running = WebBotUnderTest(f"sqlite:///{tmp_path}/web-e2e.db", sandbox, tmp_path / "web_secret")
    await running.start()
    yield running
    if running.application is not None:
        await running.stop()


@pytest.fixture
async def tg(sandbox: SandboxServer, bot: WebBotUnderTest) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=15) as client:
        yield client


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests (`make setup` installs it)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or `make setup`)")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        await browser.close()
