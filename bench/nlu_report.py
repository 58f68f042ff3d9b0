"""Write the NLU figures into docs/benchmarks.md between the nlu markers, leaving other sections alone."""
from __future__ import annotations

import datetime
from pathlib import Path

from nlu.server import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- nlu:begin -->", "<!-- nlu:end -->"
COLS = [("intent", "intent"), ("building", "building"), ("unit", "unit"), ("room", "room"),
        ("location", "bldg+unit+room"), ("category", "category"), ("urgency", "urgency")]


def _table(results: dict, times: dict) -> list[str]:
    lines = ["| engine | lang | " + " | ".join(label for _, label in COLS) + " | OOD→report | train s |",
             "|---" * (len(COLS) + 4) + "|"]
    for name, res in results.items():
        for lang in ("zh", "en"):
            cells = [f"{res[lang].get(key, float('nan')):.3f}" for key, _ in COLS]
            ood = f"{res['ood']:.1%}" if lang == "en" else ""
            took = times.get(name)
            lines.append(f"| {name} | {lang} | " + " | ".join(cells) + f" | {ood} | {f'{took:.0f}' if took and lang == 'zh' else ''} |")
    return lines


def write_section(results: dict, times: dict, latency: dict) -> None:
    rasa, rules = latency["rasa"], latency["rules"]
    body = [
        BEGIN, "## NLU (`make nlu-eval`)", "",
        f"Measured {datetime.date.today().isoformat()} on the held-out split `nlu/data/test/` (zh and en: intent on every",
        "row; building/unit/room exact match, category and urgency on the report_problem rows). OOD→report is the",
        "share of out-of-domain English requests (`ood_en.tsv`: banking, travel, small talk, device commands)",
        "classified as report_problem. Targets: intent ≥ 0.97, category ≥ 0.95, building and room ≥ 0.97,",
        "urgency ≥ 0.90, OOD→report ≤ 2%, p95 ≤ 50 ms. Train s is the training time when the model was",
        "(re)trained in this run (blank: cached).", "",
        *_table(results, times), "",
        f"Parse latency through the server (HTTP client → `rasa run`, {rasa['n']} parses): p50 {rasa['p50']:.1f} ms,",
        f"p95 {rasa['p95']:.1f} ms, max {rasa['max']:.1f} ms. Rules parser alone: p50 {rules['p50']:.2f} ms,",
        f"p95 {rules['p95']:.2f} ms.", "", END,
    ]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + "\n".join(body) + text[text.index(END) + len(END):]
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else "") + "\n".join(body) + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
