"""Tuning aid: intent accuracy of our bilingual pipeline on the dev split (never the test split), with its
errors, plus rules-parser accuracy. `.venv/bin/python -m bench.nlu_dev [extra.tsv ...]` (extra: text<TAB>intent)."""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from bench.nlu_models import train_cached
from bench.nlu_eval import rasa_parser
from nlu.rules import RulesParser
from nlu.server import ROOT

DEV = ROOT / "nlu" / "data" / "dev"


def rows(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header == ["text"]:
            return [(r[0], "out_of_scope") for r in reader if r and r[0].strip()]
        return [(r[0], r[1]) for r in reader if r and r[0].strip()]


def main() -> None:
    model, took = train_cached("ours-bilingual", ROOT / "nlu" / "config.yml", ROOT / "nlu" / "data" / "train")
    print(f"model {model.name} (trained in {took}s)")
    sets = {p.stem: rows(p) for p in (DEV / "en.tsv", DEV / "zh.tsv", DEV / "ood_en.tsv")}
    sets.update({Path(a).stem: rows(Path(a)) for a in sys.argv[1:]})
    rules = RulesParser()
    for name, data in sets.items():
        texts = [t for t, _ in data]
        ours = rasa_parser(model)(texts)
        rule = [rules.parse(t) for t in texts]
        ok = sum(p.intent.value == g for p, (_, g) in zip(ours, data))
        rok = sum(p.intent.value == g for p, (_, g) in zip(rule, data))
        print(f"{name}: ours {ok}/{len(data)} = {ok / len(data):.3f}   rules {rok}/{len(data)} = {rok / len(data):.3f}")
        confusion = Counter()
        for p, (t, g) in zip(ours, data):
            if p.intent.value != g:
                confusion[(g, p.intent.value)] += 1
                print(f"   {g:>15} -> {p.intent.value:<15} {p.confidence:.2f}  {t}")
        if confusion:
            print("   ", dict(confusion))


if __name__ == "__main__":
    main()
