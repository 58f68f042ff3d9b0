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
from sandbox.server import DEFAULT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
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


class Child:
    """A Python module run in its own process (and session), ready once its log says READY."""

    def __init__(self, command: list[str], log: Path) -> None:
        self.command, self.log = [sys.executable, "-m", *command], log
        self.process: subprocess.Popen[bytes] | None = None

    def ready_line(self) -> str:
        return next(line for line in self.log.read_text(errors="replace").splitlines() if line.startswith("READY"))

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
                raise RuntimeError(f"{self.command[2]} did not start within {READY_S:.0f} s:\n{tail}")
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


class Stand:
    """What a run drives: the sandbox's URL, and the processes to sample."""

    def __init__(self, url: str, pids: dict[str, int], bot_log: Path) -> None:
        self.url, self.pids, self.bot_log = url, pids, bot_log


@contextlib.asynccontextmanager
async def stand(kind: str, people: list[User], folder: Path, rasa_port: int | None,
                db_name: str = "test_load") -> AsyncIterator[Stand]:
    """Seed a fresh database, start the sandbox and the bot, each in its own process."""
    folder.mkdir(parents=True, exist_ok=True)
    with database(kind, folder, db_name) as db_url:
        await asyncio.to_thread(seed, db_url, people)
        sandbox = Child(["bench.load.sandbox_process"], folder / "sandbox.log")
        children = [sandbox]
        try:
            sandbox_pid = await sandbox.start()
            url = sandbox.ready_line().split()[1]
            bot = Child(["bench.load.bot_process", "--db", db_url, "--bot-api-url", f"{url}/bot",
                         "--file-api-url", f"{url}/file/bot", "--token", DEFAULT_TOKEN]
                        + (["--rasa-port", str(rasa_port)] if rasa_port else []), folder / f"bot-{kind}.log")
            children.append(bot)
            bot_pid = await bot.start()
            yield Stand(url, {"bot": bot_pid, "sandbox": sandbox_pid}, bot.log)
        finally:
            for child in reversed(children):
                child.stop()
