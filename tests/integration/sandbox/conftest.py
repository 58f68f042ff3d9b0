"""Fixtures: a sandbox in its own thread, a control client, and the tiny echo bot polling it."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from telegram.ext import Application

from sandbox import SandboxServer, demo_personas
from sandbox.client import SandboxClient
from tests.integration.sandbox.echo_bot import build_echo_bot, start_polling, stop_polling


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(demo_personas(), port=0).running_in_thread() as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session")
async def tg(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(sandbox.url, timeout=10.0) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def echo_bot(sandbox: SandboxServer) -> AsyncIterator[Application]:
    app = build_echo_bot(sandbox)
    await start_polling(app)
    yield app
    await stop_polling(app)
