"""The two versions under test: a detached worktree of the old commit, and one bot process per version."""
from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from bench.tap_data import Place
from bench.tap_report import Filed

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
LAUNCHER = ROOT / "bench" / "tap_bot.py"
READY_S = 240.0   # imports, the knowledge base's models and the warm-up, on a busy 2-core host
STOP_S = 20.0


def git(*args: str, retries: int = 20) -> str:
    """git in the main checkout; waits out another person's index.lock instead of failing."""
    for _ in range(retries):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.strip()
        if "lock" not in done.stderr:
            raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
        time.sleep(1.0)
    raise RuntimeError(f"git {' '.join(args)}: the lock stayed")


@contextlib.contextmanager
def worktree(commit: str, folder: Path) -> Iterator[Path]:
    """A detached checkout of `commit`, removed afterwards whatever happens; never committed."""
    path = folder / f"tree-{commit}"
    git("worktree", "add", "--detach", str(path), commit)
    try:
        yield path
    finally:
        try:
            git("worktree", "remove", "--force", str(path))
        except RuntimeError:
            shutil.rmtree(path, ignore_errors=True)
            git("worktree", "prune")


class BotProcess:
    """One version of the bot in its own interpreter, with cwd and PYTHONPATH its own tree."""

    started: list[subprocess.Popen[bytes]] = []  # every process this run started, for kill_leftovers()

    def __init__(self, tree: Path, folder: Path, sandbox_urls: tuple[str, str], token: str,
                 rasa_port: int | None = None) -> None:
        self.tree, self.db, self.log = tree, folder / "bot.db", folder / "bot.log"
        self.rasa_port = rasa_port
        self.urls, self.token = sandbox_urls, token
        self.process: subprocess.Popen[bytes] | None = None
        self.api = ""

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(self.tree), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        command = [str(PYTHON), "-P", str(LAUNCHER), "--bot-api-url", self.urls[0], "--file-api-url", self.urls[1],
                   "--token", self.token, "--db", str(self.db), "--kb-cache", str(ROOT / "data" / "kb_cache")]
        if self.rasa_port is not None:
            command += ["--rasa-port", str(self.rasa_port)]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=self.tree, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        BotProcess.started.append(self.process)
        began = time.monotonic()
        while "READY" not in (text := self.log.read_text(errors="replace")):
            if self.process.poll() is not None or time.monotonic() - began > READY_S:
                raise RuntimeError(f"the bot in {self.tree} did not start:\n{text[-3000:]}")
            await asyncio.sleep(0.2)
        self.api = text.split("READY", 1)[1].split()[0]

    async def stop(self) -> None:
        """SIGTERM, then SIGKILL after STOP_S; only this process (and its own group). Waits without blocking the
        loop, so the sandbox in this process can still answer the bot's last getUpdates."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_S
        while self.process.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_S)

    def _query(self, sql: str, *args: object) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)) as db:
            return db.execute(sql, args).fetchall()

    def open_draft(self, chat_id: int) -> bool:
        return bool(self._query("SELECT 1 FROM chat_states WHERE chat_id = ? AND kind = 'report'", chat_id))

    def tickets(self, numbers: list[int]) -> dict[int, Filed]:
        rows = self._query("SELECT id, building, unit, room, area, category, priority FROM tickets") if numbers else []
        return {r[0]: Filed(Place(r[1], r[2], r[3], r[4]), r[5], r[6]) for r in rows if r[0] in numbers}


def kill_leftovers() -> None:
    """Last resort (an interrupted run): SIGKILL any bot this run started that is still alive, by its own id."""
    for process in BotProcess.started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_S)
