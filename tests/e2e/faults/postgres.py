"""A private PostgreSQL cluster for one test (initdb into a temporary folder, its own port), to restart at will:
the machine's own cluster is shared and is never touched."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

WAIT_SECONDS = 60


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian keeps it out of PATH), or the one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """initdb, start, restart and stop one throwaway cluster; as root, the server runs as user postgres."""

    def __init__(self, bin_dir: Path, port: int) -> None:
        self.bin, self.port = bin_dir, port
        # Not pytest's tmp_path: its parents are root's alone, and the server may run as postgres.
        self.root = Path(tempfile.mkdtemp(prefix="baoxiu-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = WAIT_SECONDS) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stdout[-1500:]} {done.stderr[-1500:]}"
                               f"\n{self.log.read_text()[-1500:] if self.log.exists() else ''}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        # fsync off: a test's data need not survive a power cut, and the 2 cores are shared.
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t",
                  str(WAIT_SECONDS), "start")

    def restart(self) -> None:
        """Fast: every session is cut off at once, as when the server restarts under the bot."""
        # -l again: without it the new server writes to our pipe, which then never ends.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", str(WAIT_SECONDS),
                  "restart")

    def stop(self) -> None:
        """Fast: every session is cut off at once; the data stays for start()."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", str(WAIT_SECONDS), "stop")

    def destroy(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass  # not running
        shutil.rmtree(self.root, ignore_errors=True)


def private_postgres_or_skip() -> PrivatePostgres:
    """Skipped (with the reason) only where no server is installed; under CI=true that is a failure."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        reason = "PostgreSQL's initdb is not installed (apt-get install postgresql): the restart test cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return PrivatePostgres(bin_dir, free_port())
