"""The stats reader in SQL: aggregate queries in read-only snapshots (the figures in one, the money beside it in
another); no ticket is loaded into Python."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from domain.billing.ledger import LedgerEntry
from domain.export import ExportTicket
from domain.insight import (FUNNEL, Compliance, Deflection, Fees, PartUse, Spread, StatsReport, TechnicianLine,
                            TrendPoint)
from domain.lifecycle import Action
from domain.periods import Period
from domain.recurrence import Recurrence, RecurrencePolicy
from storage import mapping as m
from storage.db import make_read_session_factory
from storage.billing import ledger_entry
from storage.models import KbOutcomeRow, LedgerRow, PersonRow, TicketEventRow, TicketRow
from storage.recurrence import recurring
from storage.stats_money import fees, parts_used
from storage.stats_phases import OVERALL, phase_figures, phases
from storage.stats_sql import compliance, overdue

MOMENTS = (Action.ASSIGN.value, Action.CLAIM.value, Action.HOLD.value, Action.RESUME.value)
EXPORT_BATCH = 500


class SqlStatsReader:
    def __init__(self, engine: Engine) -> None:
        self.sessions = make_read_session_factory(engine)
        self.dialect = engine.dialect.name

    def report(self, estate_id: str, period: Period, now: datetime) -> StatsReport:
        """The timeline's figures in one snapshot and, on a second connection beside it (the database's other
        core), the counts, deadlines, self-help and money in another: a report filed between the two may show in
        one and not the other, which a statistic can bear and a 2-second answer needs."""
        where = (TicketRow.estate_id == estate_id, TicketRow.created_at >= period.start,
                 TicketRow.created_at < period.end)
        with ThreadPoolExecutor(1) as side:
            aside = side.submit(self._aside, where, period, now)
            with self.sessions() as s:
                found = phase_figures(s, self.dialect, phases(self.dialect, where, period))
            counts, totals, deflection, (money, parts), people = aside.result()
        by_technician = {k: spread for (g, k), spread in found.items() if g == "technician"}
        technicians = sorted((replace(line, resolve=by_technician.get(line.technician_id, Spread())) for line in people),
                             key=lambda line: (-line.jobs, line.name))
        funnel, trend, assign, resolve = self._phases(found, period, counts)
        return StatsReport(
            period=period, total=sum(n for *_, n in counts), by_status=_sum(counts, 0),
            by_category=_sum(counts, 1), by_building=_sum(counts, 2), funnel=funnel,
            cancelled=_sum(counts, 0).get("cancelled", 0), sla=totals["sla"], assign=assign, resolve=resolve,
            trend=trend, technicians=technicians, deflection=deflection,
            average_rating=totals["rating"], rated=totals["rated"], reworked=totals["reworked"],
            overdue_now=totals["overdue"], fees=money, parts=parts)

    def _aside(self, where: tuple[Any, ...], period: Period, now: datetime) -> tuple[
            list[Any], dict[str, Any], list[Deflection], tuple[Fees, list[PartUse]], list[TechnicianLine]]:
        """Everything that needs no timeline; the technicians' lines get their resolve times from the phases."""
        with self.sessions() as s:
            counts = s.execute(select(TicketRow.status, TicketRow.category, TicketRow.building, func.count())
                               .where(*where).group_by(TicketRow.status, TicketRow.category, TicketRow.building)).all()
            return (list(counts), self._totals(s, where, now), self._deflection(s, period),
                    (fees(s, where), parts_used(s, where)), self._technicians(s, where, {}))

    def recurring(self, estate_id: str, policy: RecurrencePolicy, now: datetime) -> list[Recurrence]:
        with self.sessions() as s:
            return recurring(s, estate_id, policy, now)

    def _totals(self, s: Session, where: tuple[Any, ...], now: datetime) -> dict[str, Any]:
        t = TicketRow
        pairs = [compliance(t.accepted_at, t.response_due_at, now), compliance(t.started_at, t.arrival_due_at, now),
                 compliance(t.completed_at, t.resolution_due_at, now)]
        row = s.execute(select(*(c for pair in pairs for c in pair), func.avg(t.rating), func.count(t.rating),
                               func.sum(case((t.rework_count > 0, 1), else_=0)),
                               func.sum(case((overdue(now), 1), else_=0))).where(*where)).one()
        sla = {name: Compliance(int(row[2 * i] or 0), int(row[2 * i + 1] or 0))
               for i, name in enumerate(("response", "arrival", "resolution"))}
        return {"sla": sla, "rating": None if row[6] is None else float(row[6]), "rated": int(row[7]),
                "reworked": int(row[8] or 0), "overdue": int(row[9] or 0)}

    def _phases(self, found: dict[tuple[str, Any], Spread], period: Period,
                counts: list[Any]) -> tuple[dict[str, int], list[TrendPoint], Spread, Spread]:
        """The funnel, the trend and the overall times from the phases' figures."""
        get = lambda g, k: found.get((g, k), Spread())  # noqa: E731
        funnel = {"reported": sum(n for *_, n in counts), **{name: get(f"funnel:{name}", 0).count for name in FUNNEL[1:]}}
        trend = [TrendPoint(edge, get("reported", i).count, get("assign", i), get("resolve", i))
                 for i, edge in enumerate(period.buckets())]
        return funnel, trend, get("assign", OVERALL), get("resolve", OVERALL)

    def _technicians(self, s: Session, where: tuple[Any, ...], resolve: dict[Any, Spread]) -> list[TechnicianLine]:
        t = TicketRow
        rows = s.execute(select(t.technician_id, PersonRow.name, func.count(), func.count(t.completed_at),
                                func.avg(t.rating), func.count(t.rating), func.sum(case((t.rework_count > 0, 1), else_=0)))
                         .join(PersonRow, PersonRow.id == t.technician_id).where(*where, t.technician_id.is_not(None))
                         .group_by(t.technician_id, PersonRow.name))
        lines = [TechnicianLine(tid, name, int(jobs), int(done), resolve.get(tid, Spread()),
                                None if rating is None else float(rating), int(rated), int(rework or 0))
                 for tid, name, jobs, done, rating, rated, rework in rows]
        return sorted(lines, key=lambda line: (-line.jobs, line.name))

    def _deflection(self, s: Session, period: Period) -> list[Deflection]:
        k = KbOutcomeRow
        rows = s.execute(select(k.category, k.outcome, func.count()).where(k.at >= period.start, k.at < period.end)
                         .group_by(k.category, k.outcome))
        found: dict[str, dict[str, int]] = {}
        for category, outcome, n in rows:
            found.setdefault(category or "other", {})[outcome] = int(n)
        return [Deflection(c, o.get("shown", 0), o.get("deflected", 0), o.get("needed_repair", 0))
                for c, o in sorted(found.items())]

    def export(self, estate_id: str, period: Period) -> Iterator[ExportTicket]:
        owner, tech = aliased(PersonRow), aliased(PersonRow)
        query = select(TicketRow, owner.name, owner.phone, tech.name).join(owner, owner.id == TicketRow.owner_id)\
            .outerjoin(tech, tech.id == TicketRow.technician_id)\
            .where(TicketRow.estate_id == estate_id, TicketRow.created_at >= period.start,
                   TicketRow.created_at < period.end).order_by(TicketRow.created_at, TicketRow.id)
        with self.sessions() as s:
            for batch in s.execute(query.execution_options(yield_per=EXPORT_BATCH)).partitions():
                ids = [row.id for row, *_ in batch]
                moments, ledger = self._moments(s, ids), self._ledger(s, ids)
                for row, owner_name, phone, tech_name in batch:
                    yield ExportTicket(m.ticket_from_row(row, []), owner_name, phone, tech_name,
                                       tuple(moments.get(row.id, ())), tuple(ledger.get(row.id, ())))
                s.expunge_all()

    def _ledger(self, s: Session, ids: list[int]) -> dict[int, list[LedgerEntry]]:
        found: dict[int, list[LedgerEntry]] = {}
        for row in s.scalars(select(LedgerRow).where(LedgerRow.ticket_id.in_(ids)).order_by(LedgerRow.id)):
            found.setdefault(row.ticket_id, []).append(ledger_entry(row))
        return found

    def _moments(self, s: Session, ids: list[int]) -> dict[int, list[tuple[Action, datetime]]]:
        e = TicketEventRow
        found: dict[int, list[tuple[Action, datetime]]] = {}
        for ticket_id, action, at in s.execute(select(e.ticket_id, e.action, e.at).where(
                and_(e.ticket_id.in_(ids), e.action.in_(MOMENTS))).order_by(e.ticket_id, e.at, e.id)):
            found.setdefault(ticket_id, []).append((Action(action), at))
        return found


def _sum(rows: list[Any], index: int) -> dict[Any, int]:
    found: dict[Any, int] = {}
    for row in rows:
        found[row[index]] = found.get(row[index], 0) + int(row[-1])
    return found
