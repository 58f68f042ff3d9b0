"""Staff insight: /stats (a short summary, then PNG charts) and /export (the period's tickets as XLSX and CSV)."""
from __future__ import annotations

import asyncio
import io
import logging
from html import escape
from datetime import timedelta
from typing import Callable, Iterable

from telegram import InputFile, InputMediaPhoto, Update
from telegram.ext import ContextTypes

from bot import planning, render
from bot.bill_view import money, part_name, unit
from bot.common import reply
from bot.i18n import Catalogs
from bot.services import BotServices, services
from bot.staff import staff_only
from domain import export as ex
from domain.errors import InvalidInput
from domain.insight import Compliance, StatsReport
from domain.lifecycle import Status
from domain.periods import ROLLING_DAYS, Period
from domain.usecases.outbox import undelivered_count
from domain.usecases.planning import recurring_problems
from domain.usecases.stats import export_tickets, ticket_stats
from domain.values import Language

logger = logging.getLogger(__name__)
FORMATS = ("xlsx", "csv")


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats [today|week|month|year|N|YYYY-MM|since=… until=…]: figures, then charts."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, lang = services(context), me.language
    if svc.stats is None:
        await reply(update, svc.t(lang, "stats.unavailable"))
        return
    # The three at once: the recurring problems' query need not wait for the period's figures.
    found = await asyncio.gather(
        svc.run(ticket_stats, svc.stats, svc.clock, me.person.id, list(context.args or []), svc.tz),  # type: ignore[union-attr]
        svc.run(undelivered_count, me.person.id),  # type: ignore[union-attr]
        svc.run(recurring_problems, svc.stats, svc.clock, me.person.id, svc.policies.recurrence),  # type: ignore[union-attr]
        return_exceptions=True)
    if isinstance(found[0], InvalidInput):
        await reply(update, svc.t(lang, "stats.bad_period"))
        return
    for outcome in found:
        if isinstance(outcome, BaseException):
            raise outcome
    report, undelivered, recurring = found
    await reply(update, summary(svc, lang, report) + money_section(svc, lang, report)
                + planning.stats_section(svc, lang, recurring)
                + (svc.t(lang, "staff.stats_undelivered", count=undelivered) if undelivered else ""))
    await _send_charts(update, svc, lang, report)


async def _send_charts(update: Update, svc: BotServices, lang: Language, report: StatsReport) -> None:
    from reports.elsewhere import render as draw  # drawn in a child process: matplotlib holds the GIL
    from reports.fonts import MissingCjkFont

    try:
        pngs = await draw(report, svc.catalogs.phrases(lang), period_name(svc, lang, report.period))
    except MissingCjkFont:
        logger.error("no CJK font for the charts", exc_info=True)
        await reply(update, svc.t(lang, "stats.no_font"))
        return
    except Exception:
        logger.exception("charts failed")
        await reply(update, svc.t(lang, "stats.charts_failed"))
        return
    if not pngs or update.effective_message is None:
        return
    caption = svc.t(lang, "stats.charts", period=period_name(svc, lang, report.period))
    if len(pngs) == 1:
        await update.effective_message.reply_photo(pngs[0][1], caption=caption)
        return
    await update.effective_message.reply_media_group(
        [InputMediaPhoto(png, caption=caption if n == 0 else None, filename=f"{name}.png")
         for n, (name, png) in enumerate(pngs)])


def summary(svc: BotServices, lang: Language, r: StatsReport) -> str:
    statuses = ", ".join(f"{render.status_label(Status(k), lang)} {v}" for k, v in sorted(r.by_status.items())) or "—"
    categories = ", ".join(f"{render.category_label(svc, lang, k)} {v}"
                           for k, v in sorted(r.by_category.items(), key=lambda kv: -kv[1])) or "—"
    return svc.t(lang, "stats.summary", period=period_name(svc, lang, r.period), total=r.total, statuses=statuses,
                 categories=categories, **{d: _share(r.sla.get(d)) for d in ("response", "arrival", "resolution")},
                 assign=_hours(r.assign.median), resolve=_hours(r.resolve.median), resolve_p90=_hours(r.resolve.p90),
                 rating=f"{r.average_rating:.2f}" if r.average_rating is not None else "—", rated=r.rated,
                 reworked=r.reworked, overdue=r.overdue_now)


def money_section(svc: BotServices, lang: Language, r: StatsReport) -> str:
    """Fees and parts of the period's tickets; nothing when none was billed and no part was used."""
    lines = []
    if r.fees.billed:
        lines.append(svc.t(lang, "stats.fees", billed=r.fees.billed, due=money(lang, r.fees.due_fen),
                           paid=money(lang, r.fees.paid_fen), unpaid=money(lang, r.fees.unpaid_fen),
                           disputed=r.fees.disputed))
    if r.parts:
        used = (svc.t(lang, "stats.part", name=escape(part_name(lang, p)), taken=p.taken, unit=escape(unit(lang, p)),
                      value=money(lang, p.value_fen)) for p in r.parts)
        lines.append(svc.t(lang, "stats.parts", parts="、".join(used) if lang is Language.ZH else ", ".join(used)))
    return "".join("\n\n" + line for line in lines)


def period_name(svc: BotServices | Catalogs, lang: Language, period: Period) -> str:
    t = svc.t if isinstance(svc, BotServices) else lambda language, key, **v: svc.text(language, key, **v)
    if period.name in ROLLING_DAYS:
        return t(lang, f"stats.period.{period.name}")
    if period.name.isdecimal():
        return t(lang, "stats.period.days", days=int(period.name))
    if period.name.startswith("since="):
        last = (period.end - timedelta(microseconds=1)).astimezone(period.tz)
        return t(lang, "stats.period.range", start=period.start.astimezone(period.tz).date(), end=last.date())
    return period.name


def _share(c: Compliance | None) -> str:
    return f"{c.share:.0%}" if c is not None and c.share is not None else "—"


def _hours(h: float | None) -> str:
    return f"{h:.1f}" if h is not None else "—"


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [period]: the period's tickets, every field, as XLSX and as CSV."""
    me = await staff_only(update, context)
    if me is None:
        return
    svc, lang = services(context), me.language
    if svc.stats is None or update.effective_message is None:
        await reply(update, svc.t(lang, "stats.unavailable"))
        return
    try:
        files = [await svc.call(export_file, svc, lang, me.person.id, list(context.args or []), fmt)  # type: ignore[union-attr]
                 for fmt in FORMATS]
    except InvalidInput:
        await reply(update, svc.t(lang, "stats.bad_period") + "\n" + svc.t(lang, "usage.export"))
        return
    if not files[0][3]:
        await reply(update, svc.t(lang, "export.empty"))
        return
    for fmt, (period, name, data, count) in zip(FORMATS, files):
        caption = svc.t(lang, "export.caption", period=period_name(svc, lang, period), count=count, format=fmt.upper())
        await update.effective_message.reply_document(InputFile(data, filename=name), caption=caption)


def export_file(svc: BotServices, lang: Language, actor_id: int, words: list[str],
                fmt: str) -> tuple[Period, str, bytes, int]:
    """(period, file name, bytes, tickets) in one format; blocking: run it in a thread."""
    period, tickets = export_tickets(svc.uow(), svc.stats, svc.clock, actor_id, words, svc.tz)  # type: ignore[arg-type]
    out = io.BytesIO()
    count = write_export(out, fmt, svc.catalogs, lang, period, tickets)
    return period, file_name(period, fmt), out.getvalue(), count


def write_export(out: io.BufferedIOBase | io.BytesIO, fmt: str, catalogs: Catalogs, lang: Language, period: Period,
                 tickets: Iterable[ex.ExportTicket]) -> int:
    """Write the export in `fmt` to `out` with the reader's headers and words; the number of tickets."""
    from reports.sheets import write_csv, write_xlsx

    headers = [catalogs.text(lang, f"export.col.{c}") for c in ex.COLUMNS]
    rows = ex.rows(tickets, period.tz, labels(catalogs, lang))
    if fmt == "xlsx":
        return write_xlsx(out, catalogs.text(lang, "export.sheet"), headers, rows)  # type: ignore[arg-type]
    return write_csv(out, headers, rows)  # type: ignore[arg-type]


def labels(catalogs: Catalogs, lang: Language) -> Callable[[str, str], str]:
    def label(kind: str, value: str) -> str:
        if kind == "status":
            return render.status_label(Status(value), lang)
        key = {"category": "cat", "priority": "prio", "yes_no": "export", "payer": "export.payer",
               "bill_state": "export.bill_state"}[kind]
        return catalogs.text(lang, f"{key}.{value}")
    return label


def file_name(period: Period, fmt: str) -> str:
    last = (period.end - timedelta(microseconds=1)).astimezone(period.tz).date()
    return f"baoxiu-{period.start.astimezone(period.tz).date()}_{last}.{fmt}"
