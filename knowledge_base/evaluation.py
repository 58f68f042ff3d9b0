"""Retrieval metrics on a labelled query set: hit@1, hit@3, MRR per language and no-answer precision."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base.ranking import Mode
from knowledge_base.service import KnowledgeBase

EVAL_QUERIES = Path(__file__).resolve().parent / "eval" / "queries.tsv"
CALIBRATION_QUERIES = Path(__file__).resolve().parent / "calibration" / "queries.tsv"


@dataclass(frozen=True)
class Query:
    language: str
    expected: str | None  # None: an out-of-domain question that should get no article
    text: str


def load_queries(path: Path) -> list[Query]:
    """Tab-separated lang, expected id (or -), query; '#' lines are comments."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, expected, text = line.split("\t", 2)
        queries.append(Query(lang, None if expected == "-" else expected, text.strip()))
    return queries


@dataclass
class Scores:
    """Results for one language."""

    in_domain: int = 0
    hit1: int = 0
    hit3: int = 0
    reciprocal_ranks: float = 0.0
    out_of_domain: int = 0
    rejected: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        n, ood = max(self.in_domain, 1), max(self.out_of_domain, 1)
        return {"hit@1": self.hit1 / n, "hit@3": self.hit3 / n, "MRR": self.reciprocal_ranks / n,
                "no-answer": self.rejected / ood}


def evaluate(kb: KnowledgeBase, queries: list[Query], mode: Mode, top_k: int = 10,
             gated: bool = True) -> dict[str, Scores]:
    """Run every query through search (or, ungated, just the ranking) and score it, per language."""
    by_language: dict[str, Scores] = {}
    for query in queries:
        scores = by_language.setdefault(query.language, Scores())
        if gated:
            ids = [hit.id for hit in kb.search(query.text, top_k=top_k, mode=mode)]
        else:
            ids = [c.id for c in kb.candidates(query.text, mode)[:top_k]]
        if query.expected is None:
            scores.out_of_domain += 1
            scores.rejected += not ids
            if ids:
                scores.misses.append(f"{query.text} -> {ids[0]} (expected none)")
            continue
        scores.in_domain += 1
        rank = ids.index(query.expected) + 1 if query.expected in ids else None
        scores.hit1 += rank == 1
        scores.hit3 += rank is not None and rank <= 3
        scores.reciprocal_ranks += 1.0 / rank if rank else 0.0
        if rank != 1:
            scores.misses.append(f"{query.text} -> {ids[:3] or 'nothing'} (expected {query.expected})")
    return by_language
