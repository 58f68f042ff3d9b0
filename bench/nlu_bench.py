"""Parse latency through the Rasa server (the production path: HTTP client -> rasa run) and of the rules parser."""
from __future__ import annotations

import statistics
import sys
import time

from app.config import load_config
from nlu.client import RasaHttpParser
from nlu.rules import RulesParser
from nlu.server import RasaServer

ROUNDS = 3


def _timed(parse, texts: list[str]) -> list[float]:
    times = []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            parse(text)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {"n": len(ms), "p50": statistics.median(ordered), "p95": ordered[int(0.95 * (len(ordered) - 1))],
            "max": ordered[-1]}


def latency_section() -> dict:
    from bench.nlu_eval import SPLITS
    from bench.nlu_sets import load_rows

    texts = [r["text"] for name in ("zh.tsv", "en.tsv", "ood_en.tsv") for r in load_rows(SPLITS["test"] / name)]
    cfg = load_config().nlu
    with RasaServer(cfg) as server:
        client = RasaHttpParser(server.url, timeout_seconds=5.0)
        client.parse("warm up")
        rasa = _summary(_timed(client.parse, texts))
        client.close()
    rules = _summary(_timed(RulesParser().parse, texts))
    result = {"rasa": rasa, "rules": rules}
    print(f"latency: {result}", file=sys.stderr)
    return result


if __name__ == "__main__":
    print(latency_section())
