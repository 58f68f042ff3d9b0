"""The tap bench's figures: taps per group, dead ends, repeated place questions, filed-ticket accuracy, in Markdown."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.tap_data import Place, names_full_place, place_matches
from bench.tap_owner import MAX_STEPS, Result

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- tap-bench:begin -->", "<!-- tap-bench:end -->"
DEAD_END_TAPS = MAX_STEPS + 1  # a dead end counts as one more answer than the owner was willing to give


@dataclass(frozen=True)
class Filed:
    """The ticket as stored: where, what, how urgent."""

    place: Place
    category: str
    priority: str


@dataclass
class VersionRun:
    name: str          # "before" / "after"
    label: str         # what the tree is (commit, or working tree)
    api: str
    results: list[Result]
    filed: dict[int, Filed]
    leftovers: int = 0  # drafts found open after a conversation (each then cancelled)


def taps(result: Result) -> int:
    return DEAD_END_TAPS if result.dead_end else result.taps


GROUPS = {
    "all messages": lambda c: True,
    "message names its place": names_full_place,
    "message does not name its place": lambda c: not names_full_place(c),
    "urgent": lambda c: c.urgent,
}


def _group_row(name: str, results: list[Result]) -> str:
    values = [taps(r) for r in results]
    dead = sum(1 for r in results if r.dead_end)
    if not values:
        return f"| {name} | 0 | — | — | — |"
    return f"| {name} | {len(values)} | {statistics.median(values):g} | {statistics.mean(values):.2f} | {dead} |"


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.0%})" if total else "—"


def accuracy(run: VersionRun) -> dict[str, tuple[int, int]]:
    place = category = both = urgency = 0
    for r in run.results:
        ticket = run.filed.get(r.ticket) if r.ticket is not None else None
        if ticket is None:
            continue
        p, c = place_matches(r.case.place, ticket.place), ticket.category == r.case.category
        place, category, both = place + p, category + c, both + (p and c)
        urgency += ticket.priority == r.case.urgency
    n = len(run.results)
    return {"place": (place, n), "category": (category, n), "both": (both, n), "urgency": (urgency, n)}


def restated(result: Result) -> int:
    """Place questions for a part the words already stated: the whole place, the building, or a unit they named."""
    return sum(1 for part in result.place_questions if part != "unit" or result.case.place.unit)


def named_place_questions(run: VersionRun) -> tuple[int, int, int]:
    """(place questions, messages asked, questions for a stated part) over messages naming their full place."""
    named = [r for r in run.results if names_full_place(r.case)]
    return (sum(len(r.place_questions) for r in named), sum(1 for r in named if r.place_questions),
            sum(restated(r) for r in named))


def named_questions(runs: list[VersionRun]) -> list[str]:
    """Each place question a message that named its full place got, with the part asked for."""
    lines = [f"- {run.name} {r.case.number}. {r.case.text[:40]}: asked for the {', the '.join(r.place_questions)}"
             f" (meant {_place(r.case.place)})"
             for run in runs for r in run.results if names_full_place(r.case) and r.place_questions]
    return lines or ["- none"]


def mismatches(run: VersionRun) -> list[str]:
    """Filed tickets whose place, category or urgency differ from what the owner meant."""
    lines = []
    for r in run.results:
        ticket = run.filed.get(r.ticket) if r.ticket is not None else None
        if ticket is None:
            continue
        wrong = []
        if not place_matches(r.case.place, ticket.place):
            wrong.append(f"place {_place(ticket.place)} (meant {_place(r.case.place)})")
        if ticket.category != r.case.category:
            wrong.append(f"category {ticket.category} (meant {r.case.category})")
        if ticket.priority != r.case.urgency:
            wrong.append(f"urgency {ticket.priority} (meant {r.case.urgency})")
        if wrong:
            lines.append(f"- {run.name} {r.case.number}. {r.case.text[:40]}: " + "; ".join(wrong))
    return lines


def _place(place: Place) -> str:
    return "-".join(p for p in (place.building, place.unit, place.room) if p) + (f" {place.area}" if place.area else "")


def version_table(run: VersionRun) -> list[str]:
    lines = [f"**{run.name}** ({run.label}; built with `{run.api}`)", "",
             "| messages | n | median taps | mean taps | dead ends |", "|---|---|---|---|---|"]
    for name, member in GROUPS.items():
        lines.append(_group_row(name, [r for r in run.results if member(r.case)]))
    asked, messages, stated = named_place_questions(run)
    acc = accuracy(run)
    filed = sum(1 for r in run.results if r.ticket is not None)
    lines += ["", f"- tickets filed: {filed}/{len(run.results)}; filed with the intended place "
              f"{_share(*acc['place'])}, category {_share(*acc['category'])}, both {_share(*acc['both'])} "
              f"(urgency {_share(*acc['urgency'])})",
              f"- place questions for messages that already named their full place: {asked} "
              f"(in {messages} of {sum(1 for r in run.results if names_full_place(r.case))} messages); of them "
              f"asking again for a part the message stated: {stated}",
              f"- category questions: {sum(r.category_questions for r in run.results)}; card corrections: "
              f"{sum(r.corrections for r in run.results)}; drafts left open after a conversation: {run.leftovers}"]
    return lines


def targets(run: VersionRun) -> str:
    overall = statistics.median(taps(r) for r in run.results)
    named = statistics.median(taps(r) for r in run.results if names_full_place(r.case))
    asked, _, stated = named_place_questions(run)
    verdict = lambda ok: "met" if ok else "missed"  # noqa: E731
    return (f"| {run.name} | {overall:g} ({verdict(overall <= 2)}) | {named:g} ({verdict(named <= 1)}) | "
            f"{asked} ({verdict(asked == 0)}) | {stated} ({verdict(stated == 0)}) |")


def differences(before: VersionRun, after: VersionRun) -> list[str]:
    lines = []
    for b, a in zip(before.results, after.results):
        if taps(b) != taps(a) or bool(b.dead_end) != bool(a.dead_end):
            mark = lambda r: f"dead end (after {r.taps})" if r.dead_end else f"{r.taps}"  # noqa: E731
            lines.append(f"- {b.case.number}. {b.case.text[:40]}: {mark(b)} → {mark(a)}")
    return lines or ["- none"]


def dead_ends(runs: list[VersionRun]) -> list[str]:
    lines = [f"- {run.name} {r.case.number}. {r.case.text[:40]}: {r.dead_end}"
             for run in runs for r in run.results if r.dead_end]
    return lines or ["- none"]


def write_section(markdown: str) -> None:
    """Replace only our section of docs/benchmarks.md (added at the end the first time)."""
    block = f"{BEGIN}\n{markdown.strip()}\n{END}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")

