"""PNG charts of a StatsReport, sized for a phone (1080 px wide), labelled in the reader's language.

Figures are made with matplotlib's object API on the Agg canvas (no pyplot, no global figure state), so they can
be drawn in a worker thread; `say(key, **values)` gives every word on them."""
from __future__ import annotations

import io
import threading
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from domain.insight import DEADLINES, FUNNEL, StatsReport  # noqa: E402
from reports.fonts import cjk_font  # noqa: E402
from reports.tables import technician_table  # noqa: E402

Say = Callable[..., str]
WIDTH, DPI = 7.2, 150  # 1080 px
BLUE, ORANGE, GREEN, GREY = "#2f6db5", "#e07b24", "#3a9a5b", "#9aa3ad"
_lock = threading.Lock()  # rcParams are process-wide; one chart at a time keeps them stable


def render(report: StatsReport, say: Say, period: str) -> list[tuple[str, bytes]]:
    """(name, PNG bytes) for each chart the period has data for; MissingCjkFont when Chinese cannot be drawn.
    `period` is the period as the reader calls it ("近 7 天", "2025-03")."""
    charts: list[tuple[str, Callable[[StatsReport, Say], Figure]]] = [("volume", volume), ("flow", flow)]
    if report.assign.count or report.resolve.count:
        charts.append(("times", times))
    if report.technicians:
        charts.append(("technicians", technician_table))
    if report.deflection:
        charts.append(("selfhelp", selfhelp))
    if not report.total:
        charts = charts[2:]
    with _lock, matplotlib.rc_context(_style()):
        return [(name, _png(draw(report, lambda key, **v: say(key, **{"period": period, **v}))))
                for name, draw in charts]


def _style() -> dict[str, Any]:
    return {"font.family": [cjk_font(), "DejaVu Sans"], "font.size": 13, "axes.titlesize": 15,
            "axes.titleweight": "bold", "axes.spines.top": False, "axes.spines.right": False,
            "axes.unicode_minus": False, "figure.dpi": DPI}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _bars(ax: Any, labels: list[str], values: list[float], color: str, text: list[str] | None = None) -> None:
    """Horizontal bars, largest on top, each with its number at its end."""
    ax.barh(labels[::-1], values[::-1], color=color)
    top = max(values, default=0) or 1
    for y, (v, t) in enumerate(zip(values[::-1], (text or [str(v) for v in values])[::-1])):
        ax.text(v + top * 0.02, y, t, va="center", fontsize=12)
    ax.set_xlim(0, top * 1.25)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)


def volume(report: StatsReport, say: Say) -> Figure:
    cats = sorted(report.by_category.items(), key=lambda kv: -kv[1])
    blds = sorted(report.by_building.items(), key=lambda kv: -kv[1])[:24]  # an estate has a few dozen at most
    fig = Figure(figsize=(WIDTH, 3.2 + 0.42 * (len(cats) + len(blds))), layout="constrained")
    fig.suptitle(say("chart.volume", total=report.total), fontsize=16, fontweight="bold")
    top, bottom = fig.subplots(2, 1, height_ratios=[max(len(cats), 1), max(len(blds), 1)])
    _bars(top, [say(f"cat.{c}") for c, _ in cats], [n for _, n in cats], BLUE)
    top.set_title(say("chart.by_category"), loc="left")
    _bars(bottom, [say("chart.building", name=b) if b else say("chart.shared_areas") for b, _ in blds],
          [n for _, n in blds], ORANGE)
    bottom.set_title(say("chart.by_building"), loc="left")
    return fig


def flow(report: StatsReport, say: Say) -> Figure:
    fig = Figure(figsize=(WIDTH, 7.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=[len(FUNNEL), len(DEADLINES) + 0.5])
    reported = report.funnel.get("reported", 0) or 1
    counts = [report.funnel.get(stage, 0) for stage in FUNNEL]
    _bars(top, [say(f"chart.stage.{s}") for s in FUNNEL], counts, BLUE,
          [f"{n}  ({n / reported:.0%})" for n in counts])
    top.set_title(say("chart.funnel", cancelled=report.cancelled), loc="left")
    shares = [report.sla[d].share if d in report.sla else None for d in DEADLINES]
    _bars(bottom, [say(f"chart.deadline.{d}") for d in DEADLINES], [100 * (s or 0) for s in shares], GREEN,
          [f"{s:.0%}  ({report.sla[d].met}/{report.sla[d].met + report.sla[d].missed})" if s is not None else "—"
           for d, s in zip(DEADLINES, shares)])
    bottom.set_xlim(0, 125)
    bottom.set_title(say("chart.sla"), loc="left")
    return fig


def times(report: StatsReport, say: Say) -> Figure:
    """Reports per point, then median and p90 hours to assign and to resolve per point: the trend."""
    fig = Figure(figsize=(WIDTH, 10))
    fig.subplots_adjust(left=0.12, right=0.97, top=0.96, bottom=0.09, hspace=0.32)
    axes = fig.subplots(3, 1, sharex=True, height_ratios=[1, 2, 2])
    tz, grain = report.period.tz, report.period.grain.value
    starts = [p.start.astimezone(tz) for p in report.trend]
    ends = starts[1:] + [report.period.end.astimezone(tz)]
    x = [a + (b - a) / 2 for a, b in zip(starts, ends)]  # each point in the middle of its hour, day, week or month
    axes[0].bar(x, [p.reported for p in report.trend], width=[(b - a) * 0.8 for a, b in zip(starts, ends)],
                color=GREY)
    axes[0].set_title(say("chart.reported_per", grain=say(f"chart.grain.{grain}")), loc="left")
    for ax, key, overall in ((axes[1], "assign", report.assign), (axes[2], "resolve", report.resolve)):
        # p90 hollow and under the median: where the two are equal (few tickets) the median still shows inside
        # it; markers are not clipped, so a point at either end of the period is drawn whole
        for stat, style in (("median", dict(marker="o", color=BLUE, lw=2.2, ms=6, zorder=3, clip_on=False)),
                            ("p90", dict(marker="s", color=ORANGE, lw=1.8, ls="--", ms=10, mfc="white",
                                         mew=1.8, zorder=2, clip_on=False))):
            points = [(at, getattr(getattr(p, key), stat)) for at, p in zip(x, report.trend)]
            known = [(at, v) for at, v in points if v is not None]  # a point with no tickets is a gap, not a zero
            ax.plot([at for at, _ in known], [v for _, v in known], label=say(f"chart.{stat}"), **style)
        ax.set_title(say(f"chart.to_{key}", median=_h(overall.median), p90=_h(overall.p90), count=overall.count),
                     loc="left")
        ax.set_ylabel(say("chart.hours"))
        ax.set_ylim(0, max(overall.p90 or 0, *(getattr(p, key).p90 or 0 for p in report.trend), 0.1) * 1.45)
        ax.grid(axis="y", color="#dddddd")
        ax.legend(loc="upper left", fontsize=11, frameon=False, ncols=2)  # headroom above the lines keeps it clear
    if starts:
        axes[2].set_xlim(starts[0], ends[-1])
    axes[2].xaxis.set_major_formatter(matplotlib.dates.DateFormatter({"hour": "%H:00", "month": "%Y-%m"}.get(grain, "%m-%d"), tz=tz))
    for label in axes[2].get_xticklabels():
        label.set(rotation=45, ha="right")
    return fig


def selfhelp(report: StatsReport, say: Say) -> Figure:
    rows = sorted(report.deflection, key=lambda d: -d.shown)
    fig = Figure(figsize=(WIDTH, 2.2 + 0.55 * len(rows)), layout="constrained")
    ax = fig.subplots()
    _bars(ax, [say(f"cat.{d.category}") if d.category != "other" else say("chart.other") for d in rows],
          [100 * (d.rate or 0) for d in rows], GREEN,
          [say("chart.deflected", rate=f"{d.rate:.0%}" if d.rate is not None else "—", fixed=d.deflected,
               decided=d.deflected + d.needed_repair, shown=d.shown) for d in rows])
    ax.set_xlim(0, 160)
    ax.set_title(say("chart.selfhelp"), loc="left")
    return fig


def _h(hours: float | None) -> str:
    return "—" if hours is None else f"{hours:.1f}"
