"""Train and query Rasa models for the NLU evaluation, cached by a hash of everything that shapes them."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from pathlib import Path

import yaml

from nlu.normalize import detect_language
from nlu.server import ROOT, rasa_env

EVAL_DIR = ROOT / "nlu" / "models" / "eval"
TRAIN_DIR = ROOT / "nlu" / "data" / "train"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
OUR_SOURCES = ["nlu/normalize.py", "nlu/lexicon.py", "nlu/category.py", "nlu/extract.py", "nlu/guard.py", "nlu/polarity.py", "nlu/components/tokenizer.py",
               "nlu/components/extractor.py", "nlu/components/guard.py"]


def fingerprint(config: Path, data_dir: Path) -> str:
    """Config, data and Rasa's pin; our component sources only for pipelines that use them."""
    sources = ["nlu/requirements-rasa.txt"] + (OUR_SOURCES if "nlu.components" in config.read_text() else [])
    digest = hashlib.sha256()
    for path in [config, *sorted(data_dir.glob("*.yml")), *(ROOT / p for p in sources)]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def language_split(lang: str) -> Path:
    """A copy of the training data holding only one language's examples (lexicon kept whole)."""
    out = EVAL_DIR / f"data-{lang}"
    out.mkdir(parents=True, exist_ok=True)
    for source in TRAIN_DIR.glob("*.yml"):
        doc = yaml.safe_load(source.read_text(encoding="utf-8"))
        for entry in doc.get("nlu", []):
            if "intent" in entry:
                lines = [l for l in entry["examples"].splitlines() if l.strip().startswith("- ")]
                plain = lambda l: re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", l.strip()[2:])
                keep = [l for l in lines if detect_language(plain(l)) == lang]
                entry["examples"] = "\n".join(keep) + "\n"
        doc["nlu"] = [e for e in doc.get("nlu", []) if "intent" not in e or e["examples"].strip()]
        (out / source.name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def train_cached(name: str, config: Path, data_dir: Path) -> tuple[Path, float | None]:
    """The model file and how long its training took (measured when it was trained, kept beside it)."""
    model = EVAL_DIR / f"{name}-{fingerprint(config, data_dir)}.tar.gz"
    took = EVAL_DIR / f"{model.name[:-len('.tar.gz')]}.seconds"
    if model.exists():
        return model, float(took.read_text()) if took.exists() else None
    EVAL_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(EVAL_DIR / f"{name}-train.log", "w") as log:
        subprocess.run([str(ROOT / ".venv-rasa" / "bin" / "rasa"), "train", "nlu", "--config", str(config),
                        "--nlu", str(data_dir), "--out", str(EVAL_DIR), "--fixed-model-name", model.name[:-7]],
                       cwd=ROOT, env={**rasa_env(), "RASA_CACHE_DIRECTORY": str(EVAL_DIR / ".cache")},
                       stdout=log, stderr=subprocess.STDOUT, check=True)
    took.write_text(f"{time.monotonic() - started:.1f}")
    return model, float(took.read_text())


def parse_in_process(model: Path, texts: list[str]) -> list[dict]:
    """/model/parse results for each text, from one Rasa agent loaded in .venv-rasa."""
    stdin = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts)
    done = subprocess.run([str(RASA_PY), "-W", "ignore", "-m", "nlu.tools.dump_parses", str(model)], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=rasa_env(), check=True)
    results = [json.loads(l) for l in done.stdout.splitlines() if l.startswith("{")]
    if len(results) != len(texts):
        raise RuntimeError(f"expected {len(texts)} parses, got {len(results)}:\n{done.stderr[-2000:]}")
    return results
