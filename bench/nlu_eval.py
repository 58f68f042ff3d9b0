"""`make nlu-eval`: per-language accuracy on the held-out split for our pipeline, per-language models, Rasa's
default pipeline and the rules parser alone; writes the figures to docs/benchmarks.md (nlu section)."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from bench.nlu_models import language_split, parse_in_process, train_cached
from nlu.client import parse_from_rasa
from nlu.normalize import detect_language
from nlu.parse import Intent, Parse
from nlu.rules import RulesParser
from nlu.server import ROOT

SPLITS = {"test": ROOT / "nlu" / "data" / "test", "dev": ROOT / "nlu" / "data" / "dev"}
split_dir = SPLITS["test"]
OUR_CONFIG, BASELINE_CONFIG = ROOT / "nlu" / "config.yml", ROOT / "nlu" / "baseline_config.yml"
TARGETS = {"intent": 0.97, "category": 0.95, "building": 0.97, "room": 0.97, "urgency": 0.90}
COLUMNS = ["intent", "building", "unit", "room", "location", "category", "urgency"]


def load_split(lang: str) -> list[dict]:
    with open(split_dir / f"{lang}.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{k: (None if v == "-" else v) for k, v in row.items()} for row in rows]


def load_ood() -> list[str]:
    return [l.strip() for l in (split_dir / "ood_en.tsv").read_text(encoding="utf-8").splitlines()[1:] if l.strip()]


def score(rows: list[dict], parses: list[Parse]) -> dict:
    hits = {c: [] for c in COLUMNS}
    for row, p in zip(rows, parses):
        hits["intent"].append(p.intent.value == row["intent"])
        if row["intent"] != Intent.REPORT_PROBLEM.value:
            continue
        got = {"building": p.location.building, "unit": p.location.unit, "room": p.location.room}
        for part in ("building", "unit", "room"):
            hits[part].append(got[part] == row[part])
        hits["location"].append(all(got[k] == row[k] for k in got))
        hits["category"].append((p.category.value if p.category else None) == row["category"])
        hits["urgency"].append(p.urgency.value == row["urgency"])
    return {c: sum(h) / len(h) for c, h in hits.items() if h}


def ood_share(parses: list[Parse]) -> float:
    return sum(p.intent == Intent.REPORT_PROBLEM for p in parses) / len(parses)


def evaluate(name: str, parse_many) -> dict:
    """parse_many(texts) -> Parses; returns {'zh': scores, 'en': scores, 'ood': share}."""
    result = {lang: score(rows, parse_many([r["text"] for r in rows]))
              for lang, rows in (("zh", load_split("zh")), ("en", load_split("en")))}
    result["ood"] = ood_share(parse_many(load_ood()))
    print(f"{name}: {result}", file=sys.stderr)
    return result


def rasa_parser(model: Path):
    return lambda texts: [parse_from_rasa(t, r) for t, r in zip(texts, parse_in_process(model, texts))]


def routed_parser(models: dict):
    """Per-language models behind language detection."""
    def parse_many(texts: list[str]) -> list[Parse]:
        by_lang = {lang: [t for t in texts if detect_language(t) == lang] for lang in models}
        parsed = {lang: dict(zip(ts, rasa_parser(models[lang])(ts))) if ts else {} for lang, ts in by_lang.items()}
        return [parsed[detect_language(t)][t] for t in texts]
    return parse_many


def main() -> None:
    global split_dir
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "test"
    split_dir = SPLITS[split]
    from bench.nlu_bench import latency_section
    from bench.nlu_report import write_section

    ours, ours_time = train_cached("ours-bilingual", OUR_CONFIG, ROOT / "nlu" / "data" / "train")
    per_lang = {lang: train_cached(f"ours-{lang}", OUR_CONFIG, language_split(lang)) for lang in ("zh", "en")}
    baseline, baseline_time = train_cached("baseline-default", BASELINE_CONFIG, ROOT / "nlu" / "data" / "train")
    rules = RulesParser()
    results = {
        "ours, one bilingual model": evaluate("bilingual", rasa_parser(ours)),
        "ours, one model per language": evaluate("per-language", routed_parser({k: v[0] for k, v in per_lang.items()})),
        "Rasa default pipeline (baseline)": evaluate("baseline", rasa_parser(baseline)),
        "rules parser alone (degraded mode)": evaluate("rules", lambda ts: [rules.parse(t) for t in ts]),
    }
    times = {"ours, one bilingual model": ours_time, "Rasa default pipeline (baseline)": baseline_time,
             "ours, one model per language": sum(t for _, t in per_lang.values() if t) or None}
    if split == "test":
        write_section(results, times, latency_section())


if __name__ == "__main__":
    main()
