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
