"""Dense side of retrieval: article vectors cached on disk by model name and content hash."""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge_base.articles import Article
from knowledge_base.encoders import Encoder

logger = logging.getLogger(__name__)


class EmbeddingCache:
    """One .npy file per (model, article text) pair; None keeps vectors in memory only."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._memory: dict[str, np.ndarray] = {}

    @staticmethod
    def key(model_name: str, texts: Sequence[str]) -> str:
        digest = hashlib.sha256("\x1f".join([model_name, *texts]).encode("utf-8"))
        return digest.hexdigest()[:32]

    def vectors(self, encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
        key = self.key(encoder.name, texts)
        if key in self._memory:
            return self._memory[key]
        vectors = self._load(key, len(texts))
        if vectors is None:
            vectors = encoder.encode(texts, query=False)
            self._save(key, vectors)
        self._memory[key] = vectors
        return vectors

    def _load(self, key: str, rows: int) -> np.ndarray | None:
        if self.directory is None or not (path := self.directory / f"{key}.npy").exists():
            return None
        try:
            vectors = np.load(path)
        except (OSError, ValueError):
            logger.warning("embedding cache file %s unreadable; re-encoding", path)
            return None
        return vectors if vectors.shape[0] == rows else None

    def _save(self, key: str, vectors: np.ndarray) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{key}.{os.getpid()}.tmp.npy"
        np.save(temporary, vectors)
        os.replace(temporary, self.directory / f"{key}.npy")  # atomic: a reader never sees half a file


class DenseIndex:
    """All search texts of the given articles as rows; an article scores its best-matching row."""

    def __init__(self, encoder: Encoder, articles: Sequence[Article], cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.ids = [a.id for a in articles]
        blocks = [cache.vectors(encoder, a.search_texts()) for a in articles]
        self._starts = np.cumsum([0] + [len(b) for b in blocks[:-1]]).astype(np.intp)
        self._matrix = np.vstack(blocks) if blocks else np.zeros((0, 1), dtype=np.float32)

    def scores(self, query: str) -> dict[str, float]:
        """Cosine similarity of the query to each article's closest title or phrasing."""
        if not self.ids:
            return {}
        vector = self.encoder.encode([query], query=True)[0]
        similarities = self._matrix @ vector
        best = np.maximum.reduceat(similarities, self._starts)
        return dict(zip(self.ids, (float(s) for s in best)))
