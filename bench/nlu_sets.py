"""Evaluation sets for the NLU and what is measured on them, shared by `make nlu-eval` and the dev tuning aid.

A set is a TSV file in one of three shapes, read by its header:
- text, intent, building, unit, room, category, urgency: any intent (nlu/data/{dev,test}/{zh,en}.tsv);
- text, category, urgency: every row a report (nlu/data/heldout/{zh,en}.tsv, nlu/data/dev/reports_*.tsv);
- text: every row out of domain (ood_*.tsv).
`-` means absent.
"""
from __future__ import annotations

import csv
from pathlib import Path

from nlu.parse import REPORT_SURE, Intent, Parse

REPORT, OUT_OF_SCOPE = Intent.REPORT_PROBLEM.value, Intent.OUT_OF_SCOPE.value
LOCATION_PARTS = ("building", "unit", "room")


def load_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = [{k: (None if v == "-" else v) for k, v in row.items()} for row in rows if (row.get("text") or "").strip()]
    for row in rows:
        row.setdefault("intent", REPORT if "category" in row else OUT_OF_SCOPE)
    return rows


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def score(rows: list[dict], parses: list[Parse]) -> dict:
    """intent on every row; location parts where the set has them; category, urgency, urgent recall and report
    recall on the report rows; ood_report: the share of out-of-domain rows taken as reports. With the bot asking
    "Is this a repair request?" below REPORT_SURE (never for an urgent parse): report_asked, the share of report
    rows it would ask about; ood_report_sure, the share of out-of-domain rows it would take as reports unasked."""
    hits: dict[str, list[bool]] = {k: [] for k in ("intent", *LOCATION_PARTS, "location", "category", "urgency",
                                                   "urgent_recall", "report_recall", "ood_report",
                                                   "report_asked", "ood_report_sure")}
    unsure = lambda p: p.intent.value == REPORT and p.confidence < REPORT_SURE and p.urgency.value != "urgent"
    for row, p in zip(rows, parses):
        hits["intent"].append(p.intent.value == row["intent"])
        if row["intent"] == OUT_OF_SCOPE:
            hits["ood_report"].append(p.intent.value == REPORT)
            hits["ood_report_sure"].append(p.intent.value == REPORT and not unsure(p))
        if row["intent"] != REPORT:
            continue
        hits["report_recall"].append(p.intent.value == REPORT)
        hits["report_asked"].append(unsure(p))
        if "building" in row:
            got = {"building": p.location.building, "unit": p.location.unit, "room": p.location.room}
            for part in LOCATION_PARTS:
                hits[part].append(got[part] == row[part])
            hits["location"].append(all(got[k] == row[k] for k in LOCATION_PARTS))
        hits["category"].append((p.category.value if p.category else None) == row["category"])
        hits["urgency"].append(p.urgency.value == row["urgency"])
        if row["urgency"] == "urgent":
            hits["urgent_recall"].append(p.urgency.value == "urgent")
    shares = {k: v for k, v in ((k, _share(h)) for k, h in hits.items()) if v is not None}
    return {"rows": len(rows), **shares}


def unsure_report_tradeoff(reports: list[Parse], ood: list[Parse], thresholds: list[float]) -> list[dict]:
    """For each threshold t, with "report_problem below t" meaning the bot asks "Is this a repair request?":
    the share of real reports it would ask about (and of those, the ones not urgent: the bot need never ask
    about a danger sign), and the share of out-of-domain messages it would still take as a report without
    asking (of all out-of-domain messages)."""
    taken = [p.confidence for p in reports if p.intent.value == REPORT]
    false = [p.confidence for p in ood if p.intent.value == REPORT]
    return [{"threshold": t,
             "reports_asked": sum(c < t for c in taken) / max(1, len(reports)),
             "calm_reports_asked": sum(p.confidence < t for p in reports
                                       if p.intent.value == REPORT and p.urgency.value != "urgent") / max(1, len(reports)),
             "reports_straight": sum(c >= t for c in taken) / max(1, len(reports)),
             "ood_straight": sum(c >= t for c in false) / max(1, len(ood)),
             "ood_asked": sum(c < t for c in false) / max(1, len(ood))} for t in thresholds]
