"""A deterministic stand-in encoder for fast tests: hashed character n-grams, no model."""
from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np


class FakeEncoder:
    """Texts sharing character bigrams get similar vectors; counts calls so tests can see caching."""

    def __init__(self, name: str = "fake", dim: int = 256) -> None:
        self.name = name
        self.dim = dim
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            chars = text.lower()
            for i in range(max(len(chars) - 1, 1)):
                bucket = int(hashlib.md5(chars[i:i + 2].encode()).hexdigest(), 16) % self.dim
                vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def fake_gates(hybrid_bias: float = -6.0):
    """Relevance gates that suit FakeEncoder's scores (the calibrated ones suit only the real encoders)."""
    from knowledge_base.ranking import Gate, Mode

    per_mode = {Mode.HYBRID: Gate((10.0, 3.0), hybrid_bias, 0.5), Mode.DENSE: Gate((10.0,), -6.0, 0.5),
                Mode.BM25: Gate((3.0,), -2.0, 0.5)}
    return {(mode, lang): gate for lang in ("zh", "en") for mode, gate in per_mode.items()}


def fake_knowledge_base(articles_dir=None, cache=None):
    """A KnowledgeBase over the real (or given) articles with no model: for the bot's fast tests."""
    from knowledge_base.service import ARTICLES_DIR, KnowledgeBase

    encoder = FakeEncoder()
    return KnowledgeBase({"zh": encoder, "en": encoder}, articles_dir=articles_dir or ARTICLES_DIR,
                         cache=cache, gates=fake_gates(hybrid_bias=-9.0))  # stricter: 40 long articles
