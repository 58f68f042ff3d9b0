"""The technician table as a picture: a phone shows a drawn table better than aligned text in a proportional font."""
from __future__ import annotations

from typing import Callable

from matplotlib.figure import Figure

from domain.insight import StatsReport

ROWS = 15
COLUMNS = ("name", "jobs", "resolved", "median", "rating", "rework")


def technician_table(report: StatsReport, say: Callable[..., str]) -> Figure:
    lines = report.technicians[:ROWS]
    cells = [[t.name, str(t.jobs), str(t.resolved), _num(t.resolve.median, "{:.1f}"),
              _num(t.average_rating, "{:.1f}") + (f" ({t.rated})" if t.rated else ""),
              _num(t.rework_rate, "{:.0%}")] for t in lines]
    fig = Figure(figsize=(7.2, 0.55 + 0.36 * (len(cells) + 1)), layout="constrained")
    ax = fig.subplots()
    ax.axis("off")
    more = len(report.technicians) - len(lines)
    ax.set_title(say("chart.technicians") + (say("chart.more", count=more) if more > 0 else ""), loc="left")
    table = ax.table(cellText=cells, colLabels=[say(f"chart.col.{c}") for c in COLUMNS], loc="upper center",
                     cellLoc="center", colWidths=[0.26, 0.12, 0.14, 0.16, 0.17, 0.15])
    table.auto_set_font_size(False)
    table.set_fontsize(13)
    table.scale(1, 1.9)
    for (row, _), cell in table.get_celld().items():
        cell.set_edgecolor("#cccccc")
        if row == 0:
            cell.set_facecolor("#e8eef7")
            cell.set_text_props(fontweight="bold")
        elif row % 2 == 0:
            cell.set_facecolor("#f7f7f7")
    return fig


def _num(value: float | None, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)
