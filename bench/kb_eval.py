"""`make kb-eval`: hit@1, hit@3, MRR and no-answer precision per language, dense vs BM25 vs hybrid."""
from __future__ import annotations

import argparse
import sys

from kb_common import SETUPS, build, configured_setup, write_part

from knowledge_base.evaluation import CALIBRATION_QUERIES, EVAL_QUERIES, Query, evaluate, load_queries
from knowledge_base.ranking import Mode

HEADER = "| encoders | mode | lang | hit@1 | hit@3 | MRR | out-of-domain with no article |\n|---|---|---|---|---|---|---|"


def table(queries: list[Query], setups: dict[str, dict[str, str]], misses: list[str]) -> str:
    rows = [HEADER]
    live = configured_setup()
    for name, models in setups.items():
        kb = build(models)
        label = f"**{name}** (configured)" if models == live else name
        for mode in Mode:
            results = evaluate(kb, queries, mode)
            for lang in ("zh", "en"):
                s = results[lang]
                r = s.row()
                rows.append(f"| {label} | {mode.value} | {lang} | {r['hit@1']:.2f} | {r['hit@3']:.2f} | "
                            f"{r['MRR']:.2f} | {s.rejected}/{s.out_of_domain} ({r['no-answer']:.2f}) |")
                if models == live and mode is Mode.HYBRID:
                    misses.extend(f"`{lang}` {m}" for m in s.misses)
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    eval_queries, calibration_queries = load_queries(EVAL_QUERIES), load_queries(CALIBRATION_QUERIES)
    eval_misses: list[str] = []
    held_out = table(eval_queries, SETUPS, eval_misses)
    development_misses: list[str] = []
    development = table(calibration_queries, SETUPS, development_misses)
    counts = {lang: sum(q.language == lang and q.expected is not None for q in eval_queries) for lang in ("zh", "en")}
    ood = {lang: sum(q.language == lang and q.expected is None for q in eval_queries) for lang in ("zh", "en")}
    markdown = "\n\n".join([
        "### Retrieval quality (`make kb-eval`)",
        f"Evaluation set `knowledge_base/eval/queries.tsv`: {counts['zh']} zh and {counts['en']} en in-domain "
        f"queries (2 per article per language) and {ood['zh']} + {ood['en']} out-of-domain questions. "
        "Search returns only hits that pass the calibrated relevance gate, so a query whose right article is "
        "gated out counts as a miss. MRR is over the top 10.",
        held_out,
        "Misses of the configured hybrid setup on the evaluation set (query -> returned ids):",
        "\n".join(f"- {m}" for m in eval_misses) or "- none",
        "Calibration (development) set `knowledge_base/calibration/queries.tsv`, which the gates were fitted on "
        "and the encoder setup was chosen by (optimistic by construction):",
        development,
    ])
    print(markdown)
    print("\nCalibration-set misses of the configured hybrid setup:", *development_misses, sep="\n- ")
    if not args.no_write:
        write_part("eval", markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
