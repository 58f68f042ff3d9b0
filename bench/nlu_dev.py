"""Tuning aid: our bilingual pipeline and the rules parser on the development sets (nlu/data/dev/, dev/blind/ and the
seen heldout/; never test/ or heldout2/), with errors, plus the unsure-report threshold trade-off. `.venv/bin/python -m bench.nlu_dev [extra.tsv ...]` (any set shape of
bench/nlu_sets.py; text<TAB>intent works too)."""
from __future__ import annotations

import sys
from pathlib import Path

from bench.nlu_eval import DEV_FOLDERS, rasa_parser
from bench.nlu_models import train_cached
from bench.nlu_sets import REPORT, load_rows, score, unsure_report_tradeoff
from nlu.rules import RulesParser
from nlu.server import ROOT

THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]


def show_errors(rows: list[dict], parses: list) -> None:
    for row, p in zip(rows, parses):
        wrong = [f"intent {p.intent.value} {p.confidence:.2f}"] if p.intent.value != row["intent"] else []
        if row["intent"] == REPORT and "category" in row:
            got = p.category.value if p.category else None
            wrong += [f"category {got}/{p.category_confidence:.2f}"] if got != row["category"] else []
            wrong += [f"urgency {p.urgency.value}"] if p.urgency.value != row["urgency"] else []
        if wrong:
            print(f"   want {row['intent']}: {', '.join(wrong):40}  {row['text']}")


def main() -> None:
    model, took = train_cached("ours-bilingual", ROOT / "nlu" / "config.yml", ROOT / "nlu" / "data" / "train")
    print(f"model {model.name} (trained in {took}s)")
    sets = {f"{p.parent.name}/{p.stem}": load_rows(p) for folder in DEV_FOLDERS for p in sorted(folder.glob("*.tsv"))}
    sets.update({Path(a).stem: load_rows(Path(a)) for a in sys.argv[1:]})
    rules, ours = RulesParser(), rasa_parser(model)
    texts = sorted({row["text"] for rows in sets.values() for row in rows})
    parsed = dict(zip(texts, ours(texts)))
    reports, ood = [], []
    for name, rows in sets.items():
        mine = [parsed[r["text"]] for r in rows]
        theirs = [rules.parse(r["text"]) for r in rows]
        figures = ", ".join(f"{k} {v:.3f}" for k, v in score(rows, mine).items() if k != "rows")
        print(f"{name} ({len(rows)}): {figures}\n   rules: intent {score(rows, theirs)['intent']:.3f}")
        show_errors(rows, mine)
        reports += [p for r, p in zip(rows, mine) if r["intent"] == REPORT]
        ood += [p for r, p in zip(rows, mine) if r["intent"] == "out_of_scope"]
    print(f"unsure-report threshold on dev ({len(reports)} reports, {len(ood)} out-of-domain):")
    for row in unsure_report_tradeoff(reports, ood, THRESHOLDS):
        print("   t={threshold:.2f}: reports asked {reports_asked:.1%} ({calm_reports_asked:.1%} not urgent), "
              "straight {reports_straight:.1%}; "
              "OOD taken straight {ood_straight:.1%}, asked {ood_asked:.1%}".format(**row))


if __name__ == "__main__":
    main()
