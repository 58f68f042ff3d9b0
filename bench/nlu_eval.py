"""`make nlu-eval`: our pipeline, one model per language, Rasa's default pipeline and the rules parser alone on
every evaluation set, each with its role (held out: nlu/data/test/ and nlu/data/heldout2/, measured once; seen,
demoted to development: nlu/data/heldout/; development: nlu/data/dev/blind/ and our own negatives), plus the
unsure-report threshold on the development sets; writes docs/benchmarks.md (nlu)."""
from __future__ import annotations

import sys
from pathlib import Path

from bench.nlu_models import language_split, parse_in_process, train_cached
from bench.nlu_sets import REPORT, load_rows, score, unsure_report_tradeoff
from nlu.client import parse_from_rasa
from nlu.normalize import detect_language
from nlu.parse import Parse
from nlu.rules import RulesParser
from nlu.server import ROOT

DATA = ROOT / "nlu" / "data"
SPLITS = {"test": DATA / "test", "dev": DATA / "dev"}
OUR_CONFIG, BASELINE_CONFIG = ROOT / "nlu" / "config.yml", ROOT / "nlu" / "baseline_config.yml"
DEPLOYED = "ours, one bilingual model"
THRESHOLDS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]
# Report/out-of-domain sets in category/urgency shape beside the split: (name, folder, role).
EXTRA_SETS = [("heldout", DATA / "heldout", "seen, demoted to development"),
              ("blind", DATA / "dev" / "blind", "development (blind-written)"),
              ("heldout2", DATA / "heldout2", "held out, measured once")]
ROLES = {"test": "held out (old split)", "own negatives": "development (our own negatives' 20%)",
         **{name: role for name, _, role in EXTRA_SETS}}
# Development data for the unsure-report threshold: never test/ or heldout2/.
DEV_FOLDERS = [DATA / "dev", DATA / "dev" / "blind", DATA / "heldout"]


def eval_sets(split: str) -> dict[str, list[dict]]:
    """'<split> <lang>' rows (every intent), plus the report and out-of-domain sets: the split's own ood_en,
    every EXTRA_SETS folder that exists, and our own negatives' held-out 20%."""
    found = {}
    for lang in ("zh", "en"):
        found[f"{split} {lang}"] = SPLITS[split] / f"{lang}.tsv"
        found[f"{split} ood_{lang}"] = SPLITS[split] / f"ood_{lang}.tsv"
        for name, folder, _ in EXTRA_SETS:
            if (folder / "README.md").exists():
                found[f"{name} {lang}"] = folder / f"{lang}.tsv"
                found[f"{name} ood_{lang}"] = folder / f"ood_{lang}.tsv"
        found[f"own negatives {lang}"] = DATA / "dev" / f"ood_own_{lang}.tsv"
    return {name: load_rows(path) for name, path in found.items() if path.exists()}


def evaluate(name: str, parse_many, sets: dict[str, list[dict]]) -> dict[str, dict]:
    """parse_many(texts) -> Parses, called once over every text; returns {set name: scores}."""
    texts = sorted({row["text"] for rows in sets.values() for row in rows})
    parsed = dict(zip(texts, parse_many(texts)))
    result = {set_name: score(rows, [parsed[r["text"]] for r in rows]) for set_name, rows in sets.items()}
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


def threshold_tradeoff(model: Path) -> dict:
    """The unsure-report trade-off of the deployed model on every dev set (tuning data, never held out)."""
    rows = [row for folder in DEV_FOLDERS for path in sorted(folder.glob("*.tsv")) for row in load_rows(path)]
    parses = dict(zip([r["text"] for r in rows], rasa_parser(model)([r["text"] for r in rows])))
    reports = [parses[r["text"]] for r in rows if r["intent"] == REPORT]
    ood = [parses[r["text"]] for r in rows if r["intent"] == "out_of_scope"]
    return {"reports": len(reports), "ood": len(ood), "rows": unsure_report_tradeoff(reports, ood, THRESHOLDS)}


def main() -> None:
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "test"
    from bench.nlu_bench import latency_section
    from bench.nlu_report import write_section

    sets = eval_sets(split)
    ours, ours_time = train_cached("ours-bilingual", OUR_CONFIG, DATA / "train")
    per_lang = {lang: train_cached(f"ours-{lang}", OUR_CONFIG, language_split(lang)) for lang in ("zh", "en")}
    baseline, baseline_time = train_cached("baseline-default", BASELINE_CONFIG, DATA / "train")
    rules = RulesParser()
    results = {
        DEPLOYED: evaluate("bilingual", rasa_parser(ours), sets),
        "ours, one model per language": evaluate("per-language", routed_parser({k: v[0] for k, v in per_lang.items()}),
                                                 sets),
        "Rasa default pipeline (baseline)": evaluate("baseline", rasa_parser(baseline), sets),
        "rules parser alone (degraded mode)": evaluate("rules", lambda ts: [rules.parse(t) for t in ts], sets),
    }
    times = {DEPLOYED: ours_time, "Rasa default pipeline (baseline)": baseline_time,
             "ours, one model per language": sum(t for _, t in per_lang.values() if t) or None}
    tradeoff = threshold_tradeoff(ours)
    print(f"threshold: {tradeoff}", file=sys.stderr)
    if split == "test":
        write_section(results, times, latency_section(), tradeoff)


if __name__ == "__main__":
    main()
