"""The load bench's figures as Markdown for docs/benchmarks.md."""
from __future__ import annotations

import argparse
import datetime

from bench.load.result import LoadResult, percentile

TARGET_P95_S, TARGET_RATE, MEMORY_GROWTH = 0.300, 40, 0.10
HEADER = ("| database | offered /s | sent | achieved /s | p50 ms | p95 ms | p99 ms | tap visible p95 ms "
          "| no answer | error replies | 4xx/5xx | bot CPU % | bot RSS MiB warm → end | Rasa CPU % "
          "| Rasa RSS MiB | Rasa too slow (rules answered) | sandbox CPU % | generator CPU % | send lag p95 ms | load avg |")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def row(kind: str, r: LoadResult, load: str) -> str:
    warm, end = r.memory("bot")
    rasa_warm, rasa_end = r.memory("rasa")
    visible = [t.visible for t in r.turns if t.visible is not None]
    refused = sum(r.refused.values())
    return (f"| {kind} | {r.rate:g} | {len(r.turns)} | {r.throughput:.1f} | {_ms(r.p(50))} | {_ms(r.p(95))} "
            f"| {_ms(r.p(99))} | {_ms(percentile(visible, 95)) if visible else '-'} | {r.unanswered} "
            f"| {r.error_replies} | {refused} | {r.cpu('bot'):.0f} | {warm:.0f} → {end:.0f} "
            f"| {r.cpu('rasa'):.0f} | {rasa_end:.0f} | {r.rasa_fallbacks} | {r.cpu('sandbox'):.0f} | {r.cpu('generator'):.0f} "
            f"| {_ms(percentile([t.lag for t in r.turns], 95))} | {load} |")


def _mix(r: LoadResult) -> str:
    counts = r.by_label().most_common()
    return ", ".join(f"{label} {n}" for label, n in counts)


def section(runs: list[tuple[str, LoadResult, str]], args: argparse.Namespace) -> str:
    lines = [
        f"## Load: {args.title} (`make load-bench`, issue #14)", "",
        f"Measured {datetime.date.today().isoformat()} on this 2-core machine: {args.users} simulated users "
        f"({'Rasa NLU in the loop, rules parser behind it' if not args.no_rasa else 'rules NLU'}), "
        f"{args.messages} updates per run offered open-loop at a fixed mean rate (Poisson arrivals), each given "
        "to a user not waiting for an answer. The real bot runs in its own process (`bench/load/bot_process.py`) "
        "against the sandbox, on a fresh database seeded with the demo plus the register's owners, who register "
        "in chat by sharing their phone. Owners report in zh and en and tap the follow-ups (submit, their home, "
        "a category, confirm, rate); technicians /jobs, claim, /begin, /done through the form; staff /tickets, "
        "/overdue, /ticket, /stats. Latency is from the update reaching the sandbox to the bot's first answer "
        "(a tap: its callback answer; \"tap visible\": the first new or edited message), both on the sandbox's "
        "clock. No answer within 10 s is an error, as is the bot's \"something went wrong\" and any 4xx/5xx the "
        "sandbox gave the bot's calls. CPU % is of one core, sampled each second; RSS after warm-up (10 % into "
        "the run) and at the end.", "",
        f"Targets: p95 ≤ {_ms(TARGET_P95_S)} ms at {TARGET_RATE}/s on one worker, zero errors, RSS growth after "
        f"warm-up ≤ {MEMORY_GROWTH:.0%}.", "",
        HEADER, "|" + "---|" * (HEADER.count("|") - 1),
        *(row(kind, r, load) for kind, r, load in runs), "",
        "Mix of the last run: " + (_mix(runs[-1][1]) if runs else "-"),
    ]
    return "\n".join(lines)
