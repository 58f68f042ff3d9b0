"""The stand a load run needs: a database (SQLite file or a PostgreSQL database of its own, made and dropped
here), the sandbox, and the bot in its own process; with Rasa started once for all runs by the caller."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from bench.load.population import User, seed
from sandbox import SandboxServer, demo_personas

ROOT = Path(__file__).resolve().parents[2]
STAFF_GROUP = -1001
READY_S = 240.0
PG_ADMIN = ["-h", "127.0.0.1", "-U", "postgres"]


@contextlib.contextmanager
def database(kind: str, folder: Path, name: str = "test_load") -> Iterator[str]:
    """A fresh database URL: a SQLite file in `folder`, or PostgreSQL database `name`, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'load.db'}"
        return
    subprocess.run(["dropdb", *PG_ADMIN, "--if-exists", name], check=True, timeout=60)
    subprocess.run(["createdb", *PG_ADMIN, name], check=True, timeout=60)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run(["dropdb", *PG_ADMIN, "--if-exists", "--force", name], check=False, timeout=60)


class BotProcess:
    """`python -m bench.load.bot_process` against the sandbox; its log goes to `log`."""

    def __init__(self, db_url: str, sandbox: SandboxServer, log: Path, rasa_port: int | None) -> None:
        self.command = [sys.executable, "-m", "bench.load.bot_process", "--db", db_url,
                        "--bot-api-url", sandbox.bot_api_url, "--file-api-url", sandbox.file_api_url,
                        "--token", sandbox.token] + (["--rasa-port", str(rasa_port)] if rasa_port else [])
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> int:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + READY_S
        while b"READY" not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"the bot did not start within {READY_S:.0f} s:\n{tail}")
            await asyncio.sleep(0.2)
        return self.process.pid

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextlib.asynccontextmanager
async def stand(kind: str, people: list[User], folder: Path, rasa_port: int | None,
                db_name: str = "test_load") -> AsyncIterator[tuple[SandboxServer, int]]:
    """Seed a fresh database, start the sandbox and the bot; yields the sandbox and the bot's pid."""
    folder.mkdir(parents=True, exist_ok=True)
    with database(kind, folder, db_name) as url:
        await asyncio.to_thread(seed, url, people)
        sandbox = SandboxServer(demo_personas(), staff_group_id=STAFF_GROUP, port=0)
        await sandbox.start()
        bot = BotProcess(url, sandbox, folder / f"bot-{kind}.log", rasa_port)
        try:
            yield sandbox, await bot.start()
        finally:
            bot.stop()
            await sandbox.stop()
