"""The load generator itself (bench/load): a short, slow run against the real bot in its own process."""
from __future__ import annotations

import asyncio
from pathlib import Path

from bench.load import measure, population
from bench.load.stand import stand

MESSAGES, RATE, USERS = 60, 5.0, 16


async def _run(folder: Path):  # type: ignore[no-untyped-def]
    people = population(USERS)
    async with stand("sqlite", people, folder, rasa_port=None) as running:
        return await asyncio.wait_for(measure(running.url, people, RATE, MESSAGES, pids=running.pids),
                                      timeout=MESSAGES / RATE + 60)


def test_every_message_the_generator_sends_at_a_low_rate_gets_an_answer_from_the_real_bot(tmp_path: Path) -> None:
    result = asyncio.run(_run(tmp_path))
    labels = result.by_label()
    assert len(result.turns) + result.no_idle_user == MESSAGES
    assert result.unanswered == 0, [t.label for t in result.turns if t.latency is None]
    assert result.error_replies == 0 and not result.refused
    assert labels["contact"] > 0 and labels["report text"] > 0, labels   # owners registered and reported
    assert any(label.startswith("tap ") for label in labels), labels    # and answered a follow-up button
    assert all(t.latency is not None and 0 <= t.latency < 10 for t in result.turns)
    assert result.samples["bot"].rss_mib, "the bot's memory was sampled"
