"""The real bot as its own process (tests/e2e/outbox/bot_process.py) on any database URL: killed, restarted."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox import SandboxServer
from sandbox.client import SandboxClient

ROOT = Path(__file__).resolve().parents[3]
LEASE_SECONDS = 3  # a killed sender's claims come back this soon (the one test hook of bot_process.py)
START_SECONDS = 60


class BotProcess:
    """start() again after kill() is the restart; every start appends to one log."""

    def __init__(self, sandbox: SandboxServer, db_url: str, log: Path, lease_seconds: float = LEASE_SECONDS) -> None:
        self.sandbox, self.db_url, self.log, self.lease_seconds = sandbox, db_url, log, lease_seconds
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    async def start(self, tg: SandboxClient) -> None:
        before = (await tg.stats())["calls"].get("getUpdates", 0)
        args = [sys.executable, "-m", "tests.e2e.outbox.bot_process", self.db_url, self.sandbox.bot_api_url,
                self.sandbox.file_api_url, self.sandbox.token, str(self.lease_seconds)]
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_SECONDS
        while (await tg.stats())["calls"].get("getUpdates", 0) <= before:  # polling: it is up
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the bot process did not start:\n" + self.tail())
            await asyncio.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no post_stop, no finally, nothing marked."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)
        self.kills += 1

    def stop(self) -> None:
        """At the end of a test: SIGKILL too (no test needs its graceful stop, which takes seconds)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""
