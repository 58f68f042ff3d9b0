"""N webhook workers on loopback behind nginx, on one PostgreSQL database, fed by the sandbox's webhook: for the
kill-the-leader test and `make scale-bench`. Every process started here is ended here (stop(), or kill())."""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from deploy.render_nginx import render
from sandbox import SandboxServer
from tests.e2e.scale.worker_process import PATH

ROOT = Path(__file__).resolve().parents[3]
SECRET = "scale-test-secret-0123456789"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_SECONDS = 90  # a worker imports the app, connects and warms up; under a loaded machine this can take a while


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, db_url: str, sandbox: SandboxServer, workdir: Path, workers: int = 3,
                 lease_seconds: float = 3.0, ports: list[int] | None = None, front_port: int | None = None) -> None:
        self.db_url, self.sandbox, self.workdir, self.lease = db_url, sandbox, workdir, lease_seconds
        self.ports = ports or [free_port() for _ in range(workers)]
        self.front_port = front_port or free_port()
        self.workers: list[subprocess.Popen[bytes] | None] = [None] * len(self.ports)
        self.nginx: subprocess.Popen[bytes] | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}{PATH}"

    def log(self, i: int) -> Path:
        return self.workdir / f"worker-{self.ports[i]}.log"

    def start_front(self) -> None:
        prefix = self.workdir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(render([f"127.0.0.1:{p}" for p in self.ports], [], f"127.0.0.1:{self.front_port}",
                               "/telegram/", standalone=str(prefix)))
        self.nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")],
                                      stdout=subprocess.DEVNULL, stderr=(prefix / "nginx.out").open("ab"))
        _wait(lambda: _answers(f"http://127.0.0.1:{self.front_port}/healthz"), 15, "nginx did not start",
              lambda: (prefix / "error.log").read_text() if (prefix / "error.log").exists() else "")

    def start_worker(self, i: int) -> None:
        args = [sys.executable, "-m", "tests.e2e.scale.worker_process", self.db_url, self.sandbox.bot_api_url,
                self.sandbox.file_api_url, self.sandbox.token, str(self.ports[i]), SECRET, str(self.lease)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.workers[i] = subprocess.Popen(args, cwd=ROOT, stdout=self.log(i).open("ab"), stderr=subprocess.STDOUT,
                                           env=env)

    def wait_ready(self, i: int) -> None:
        process = self.workers[i]
        assert process is not None
        _wait(lambda: process.poll() is None and _answers(f"http://127.0.0.1:{self.ports[i]}/healthz"),
              START_SECONDS, f"worker {self.ports[i]} did not start", lambda: self.log(i).read_text()[-3000:])

    def start_workers(self, count: int | None = None) -> None:
        for i in range(count or len(self.ports)):
            self.start_worker(i)
        for i in range(count or len(self.ports)):
            self.wait_ready(i)

    async def set_webhook(self) -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            answer = await http.post(f"{self.sandbox.bot_api_url}{self.sandbox.token}/setWebhook",
                                     json={"url": self.webhook_url, "secret_token": SECRET, "max_connections": 40})
        assert answer.json()["ok"], answer.text

    def leaders(self) -> list[int]:
        """Indexes of the live workers that say they lead."""
        found = []
        for i, port in enumerate(self.ports):
            process = self.workers[i]
            if process is None or process.poll() is not None:
                continue
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).json().get("leader"):
                    found.append(i)
            except httpx.HTTPError:
                continue
        return found

    async def wait_leader(self, seconds: float, without: int | None = None) -> int:
        """The one leader among the live workers (`without`: one being stopped, whose answer does not count)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            leaders = [i for i in await asyncio.to_thread(self.leaders) if i != without]
            if len(leaders) == 1:
                return leaders[0]
            await asyncio.sleep(0.1)
        raise AssertionError(f"no single leader within {seconds} s: {await asyncio.to_thread(self.leaders)}")

    def kill(self, i: int) -> None:
        process = self.workers[i]
        assert process is not None
        process.kill()  # SIGKILL: no post_stop, no finally; its database links close with the process
        process.wait(timeout=10)

    def terminate(self, i: int, seconds: float = 30.0) -> None:
        """SIGTERM, as systemd stops a worker: it stops taking updates, finishes its own, gives up the lock."""
        process = self.workers[i]
        assert process is not None
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=seconds)

    def stop(self) -> None:
        for process in self.workers:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            if process is not None:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _wait(check: Any, seconds: float, message: str, details: Any) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} within {seconds} s:\n{details()}")
        time.sleep(0.2)


def fresh_database(engine: Engine) -> None:
    """Every table dropped and migrated again to head: the run starts from nothing."""
    from storage.migrate import downgrade, upgrade

    downgrade(engine)
    upgrade(engine)
