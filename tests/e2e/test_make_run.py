"""`python -m app` with no token, as `make run` starts it: Rasa, the sandbox and the bot on demo data."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from sandbox.client import SandboxClient
from tests.e2e.bot.helpers import tap, ticket_number, with_button

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.rasa, pytest.mark.model]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The whole service in a subprocess, on its own ports and database; stopped with Ctrl-C (SIGINT)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["sandbox"]["port"], config["nlu"]["port"] = free_port(), free_port()
    config["web"]["port"] = free_port()  # the web chat too: a make run elsewhere on the machine holds 8081
    config["web"]["public_url"] = f"http://127.0.0.1:{config['web']['port']}"
    # The owner's news is checked at once, at whatever hour the tests run; quiet hours would hold it till 08:00
    # Shanghai time (they are tested on their own, with a clock, in tests/unit/*/test_quiet_hours.py).
    config["bot"]["quiet_hours"]["enabled"] = False
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["SANDBOX_DATABASE_URL"] = f"sqlite:///{tmp_path}/run.db"
    log = (tmp_path / "run.log").open("w+")
    process = subprocess.Popen([sys.executable, "-m", "app", "--config", str(tmp_path / "config.yml")], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while "Press Ctrl-C" not in (tmp_path / "run.log").read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the service did not start:\n" + (tmp_path / "run.log").read_text()[-3000:])
        time.sleep(0.5)
    yield f"http://127.0.0.1:{config['sandbox']['port']}", config["nlu"]["port"], process, tmp_path / "run.log"
    if process.poll() is None:
        process.kill()


async def test_the_service_runs_on_demo_data_an_owner_files_and_2001_claims_then_ctrl_c_stops_it(service) -> None:  # type: ignore[no-untyped-def]
    url, nlu_port, process, _log = service
    async with SandboxClient(url, timeout=20) as tg:
        assert len(await tg.personas()) == 8
        await tg.send_text(1001, "3栋2单元1801 卫生间地漏反水，有异味")
        summary = await with_button(tg, 1001, "r:submit")  # the summary card, with or without a self-help tip
        ticket = ticket_number((await tap(tg, 1001, summary, "r:submit", "#")).text)
        job = await with_button(tg, 2001, f"t:claim:{ticket}")
        await tap(tg, 2001, job, f"t:claim:{ticket}", f"#{ticket}")
        await tg.wait_for_text(1001, f"#{ticket}", "张师傅")
    web = next(line.split(": ", 1)[1].split()[0] for line in _log.read_text().splitlines()
               if line.startswith("Residents without Telegram: "))  # make run prints the web chat's URL
    with urllib.request.urlopen(web.replace("/web/", "/web/help"), timeout=10) as help_page:
        assert help_page.status == 200 and "二维码" in help_page.read().decode()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", nlu_port)) != 0, "Rasa is still listening after Ctrl-C"
