"""Fixtures for the page tests: a sandbox, the tiny echo bot, and a headless Debian Chromium page."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright, expect
from telegram.ext import Application

from sandbox import SandboxServer, demo_personas
from tests.integration.sandbox.echo_bot import build_echo_bot, start_polling, stop_polling

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(demo_personas(), port=0).running_in_thread() as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def echo_bot(sandbox: SandboxServer) -> AsyncIterator[Application]:
    app = build_echo_bot(sandbox)
    await start_polling(app)
    yield app
    await stop_polling(app)


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Debian Chromium for the session; each test gets a fresh context."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests; `make setup` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or `make setup`)")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser, sandbox: SandboxServer) -> AsyncIterator[Page]:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        expect.set_options(timeout=10_000)
        await page.goto(sandbox.url + "/")
        yield page
    finally:
        await context.close()
