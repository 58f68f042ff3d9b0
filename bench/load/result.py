"""What one load run measured (LoadResult), and the percentiles it is summarised by."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bench.load.sampler import Samples


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), nearest rank: a p95 of 20 values is the 19th, a value that happened."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Turn:
    """One update sent: its kind, the seconds to the bot's first answer (None: no answer in time)."""

    label: str
    latency: float | None
    visible: float | None = None   # a tap: seconds to the first new or edited message, when there was one
    lag: float = 0.0               # how late the generator sent it against its schedule
    at: float = 0.0                # when the sandbox received it (its clock)
    callback_id: str | None = None


@dataclass
class LoadResult:
    rate: float
    duration: float
    turns: list[Turn]
    refused: dict[str, int]                    # the bot's Bot API calls that got 4xx/5xx
    error_replies: int                         # answers that were the bot's "something went wrong"
    no_idle_user: int                          # slots that found every user still waiting (offered load lost)
    samples: dict[str, Samples] = field(default_factory=dict)
    rasa_fallbacks: int = 0                    # parses the rules parser answered because Rasa was too slow

    @property
    def answered(self) -> list[float]:
        return [t.latency for t in self.turns if t.latency is not None]

    @property
    def unanswered(self) -> int:
        return sum(1 for t in self.turns if t.latency is None)

    @property
    def throughput(self) -> float:
        return len(self.answered) / self.duration if self.duration else 0.0

    @property
    def errors(self) -> int:
        return self.unanswered + self.error_replies + sum(self.refused.values())

    def p(self, q: float) -> float:
        return percentile(self.answered, q)

    def by_label(self) -> Counter[str]:
        return Counter(t.label for t in self.turns)

    def memory(self, name: str, warm_share: float = 0.1) -> tuple[float, float]:
        """RSS (MiB) after warm-up (the first `warm_share` of the run) and at the end."""
        rss = self.samples.get(name, Samples()).rss_mib
        if not rss:
            return float("nan"), float("nan")
        return rss[min(len(rss) - 1, int(len(rss) * warm_share))], rss[-1]

    def cpu(self, name: str) -> float:
        cpu = self.samples.get(name, Samples()).cpu
        return sum(cpu) / len(cpu) if cpu else float("nan")
