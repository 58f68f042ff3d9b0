"""Run Rasa (`rasa run --enable-api` from .venv-rasa) as a child process on loopback: start, health-check, stop."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Optional

import httpx

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
CURRENT_MODEL = ROOT / "nlu" / "models" / "current.tar.gz"
LOG_FILE = ROOT / "data" / "rasa.log"
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
             "PYTHONWARNINGS": "ignore"}


class RasaServerError(RuntimeError):
    """The server could not be started; the message says why and ends with the log tail."""


def rasa_env() -> dict:
    """The environment `rasa` needs to import our custom components (nlu.components) from the repo root."""
    env = {**os.environ, **QUIET_ENV}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log written)"


class RasaServer:
    """Context manager; leaves alone a server that was already running when start() was called."""

    def __init__(self, cfg_nlu, model: Path = CURRENT_MODEL, log_file: Path = LOG_FILE, rasa_bin: Path = RASA_BIN) -> None:
        self.host, self.port = cfg_nlu.host, cfg_nlu.port
        self.startup_timeout = cfg_nlu.startup_timeout_seconds
        self.model, self.log_file, self.rasa_bin = Path(model), Path(log_file), Path(rasa_bin)
        self._process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def is_running(self) -> bool:
        """True when a Rasa server with a loaded model answers on host:port."""
        try:
            response = httpx.get(f"{self.url}/status", timeout=1.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    def start(self) -> "RasaServer":
        if self.is_running():
            logger.info("Rasa already running at %s; using it", self.url)
            return self
        for path, hint in ((self.rasa_bin, "run 'make setup' to build .venv-rasa"),
                           (self.model, "run 'make setup' to train the NLU model")):
            if not path.exists():
                raise RasaServerError(f"{path} is missing: {hint}")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [str(self.rasa_bin), "run", "--enable-api", "--interface", self.host, "--port", str(self.port),
                   "--model", str(self.model), "--log-file", str(self.log_file)]
        logger.info("starting Rasa on %s (log: %s)", self.url, self.log_file)
        with open(self.log_file, "ab") as log:
            self._process = subprocess.Popen(command, cwd=ROOT, env=rasa_env(), stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise RasaServerError(f"Rasa exited with code {self._process.returncode}:\n{log_tail(self.log_file)}")
            if self.is_running():
                logger.info("Rasa ready at %s", self.url)
                return
            time.sleep(0.5)
        self.stop()
        raise RasaServerError(f"Rasa was not ready within {self.startup_timeout:.0f}s:\n{log_tail(self.log_file)}")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM to the server's process group, then SIGKILL if it has not gone within the timeout."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.warning("Rasa did not stop within %.0fs; killing it", timeout)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    @property
    def owns_process(self) -> bool:
        return self._process is not None

    def __enter__(self) -> "RasaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
