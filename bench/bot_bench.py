"""`make bot-bench`: how long `make run` takes to serve, and how fast the bot answers a report.

Starts the service the way `make run` does (no token: Rasa, the sandbox, the bot, demo data) three times,
each on its own ports and database; in each run 1001 sends 10 reports and we time the first reply to each.
Writes the medians and p95 to docs/benchmarks.md between the bot markers.
"""
from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from sandbox.client import SandboxClient
from tests.e2e.test_make_run import free_port

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bot:begin -->", "<!-- bot:end -->"
RUNS, REPORTS = 3, 10
TEXTS = ["3栋2单元1801 卫生间水龙头一直滴水", "客厅的灯不亮了", "厨房下水道堵了", "空调不制冷", "卧室窗户关不严"]


def start_service(folder: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["sandbox"]["port"], config["nlu"]["port"] = free_port(), free_port()
    (folder / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["SANDBOX_DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
    log = folder / "run.log"
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "app", "--config", str(folder / "config.yml")], cwd=ROOT,
                               env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    while "Press Ctrl-C" not in log.read_text():
        if process.poll() is not None or time.perf_counter() - began > 300:
            raise RuntimeError("the service did not start:\n" + log.read_text()[-2000:])
        time.sleep(0.1)
    return process, f"http://127.0.0.1:{config['sandbox']['port']}", time.perf_counter() - began


async def reply_times(url: str) -> list[float]:
    """Seconds from an owner's report to the bot's first answer; each draft is cancelled before the next."""
    times = []
    async with SandboxClient(url, timeout=30) as tg:
        for i in range(REPORTS):
            after = await tg.last_message_id(1001)
            sent = time.perf_counter()
            await tg.send_text(1001, TEXTS[i % len(TEXTS)])
            answer = await tg.wait_for_message(1001, after_id=after)
            times.append(time.perf_counter() - sent)
            await asyncio.sleep(0.3)  # let the rest of the answer arrive before cancelling
            after = await tg.last_message_id(1001)
            await tg.send_text(1001, "/report")  # a fresh draft replaces the open one
            await tg.wait_for_message(1001, after_id=after)
            assert answer.message_id > 0
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> None:
    startups, replies = [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            process, url, startup = start_service(Path(folder))
            try:
                startups.append(startup)
                replies += asyncio.run(reply_times(url))
            finally:
                process.send_signal(signal.SIGINT)
                process.wait(timeout=60)
    write(startups, replies)


def write(startups: list[float], replies: list[float]) -> None:
    table = (f"{BEGIN}\n## The bot (`make bot-bench`)\n\n"
             f"From starting the service as `make run` does (no token: Rasa, the sandbox and the bot on demo data; "
             f"setup already done) to ready, over {len(startups)} starts, and from an owner's report to the bot's "
             f"first answer through the sandbox (Rasa NLU + knowledge-base search), over {len(replies)} reports, "
             f"measured in the same run on this 2-core machine.\n\n"
             f"| measure | median | p95 | max |\n|---|---|---|---|\n"
             f"| start to ready (s) | {statistics.median(startups):.1f} | — | {max(startups):.1f} |\n"
             f"| report to first reply (ms) | {1000 * statistics.median(replies):.0f} | {1000 * p95(replies):.0f} | "
             f"{1000 * max(replies):.0f} |\n{END}")
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + table + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + table + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
