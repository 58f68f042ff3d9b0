"""The catalog, stock, bill versions and ledger over one Session; stock moves by compare-and-set, never below zero."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from domain.billing.bill import Bill, Line, LineKind, Payer, WhoPays
from domain.billing.catalog import LabourRate, Part
from domain.billing.errors import UnknownPart
from domain.billing.ledger import Entry, LedgerEntry
from domain.billing.stock import MoveKind, StockMove, take
from domain.values import Category
from storage.models import BillRow, LabourRateRow, LedgerRow, PartRow, StockMoveRow

CAS_ATTEMPTS = 20  # a draw that keeps losing the race this often is a bug, not contention


def _part(row: PartRow) -> Part:
    return Part(row.code, row.name_zh, row.name_en, row.unit_zh, row.unit_en, row.price_fen, row.stock, row.low_at,
                tuple(Category(c) for c in row.categories or ()))


def _move(row: StockMoveRow) -> StockMove:
    return StockMove(row.part_code, MoveKind(row.kind), row.requested, row.before, row.after, row.at, row.actor_id,
                     row.ticket_id, row.low_at, row.id)


class SqlCatalogRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def parts(self) -> list[Part]:
        return [_part(r) for r in self.session.scalars(select(PartRow).order_by(PartRow.code))]

    def part(self, code: str) -> Part | None:
        row = self.session.get(PartRow, code)
        return _part(row) if row else None

    def put_part(self, part: Part) -> None:
        row = self.session.get(PartRow, part.code) or PartRow(code=part.code, stock=part.stock)
        row.name_zh, row.name_en, row.unit_zh, row.unit_en = part.name_zh, part.name_en, part.unit_zh, part.unit_en
        row.price_fen, row.low_at, row.categories = part.price_fen, part.low_at, [c.value for c in part.categories]
        self.session.add(row)
        self.session.flush()

    def rates(self) -> list[LabourRate]:
        rows = self.session.scalars(select(LabourRateRow).order_by(LabourRateRow.category))
        return [LabourRate(Category(r.category), r.callout_fen, r.hourly_fen) for r in rows]

    def rate(self, category: Category) -> LabourRate | None:
        row = self.session.get(LabourRateRow, category.value)
        return LabourRate(category, row.callout_fen, row.hourly_fen) if row else None

    def put_rate(self, rate: LabourRate) -> None:
        row = self.session.get(LabourRateRow, rate.category.value) or LabourRateRow(category=rate.category.value)
        row.callout_fen, row.hourly_fen = rate.callout_fen, rate.hourly_fen
        self.session.add(row)
        self.session.flush()

    def draw(self, code: str, wanted: int) -> tuple[int, int]:
        return self._cas(code, lambda level: level - take(level, wanted))

    def set_level(self, code: str, level: int) -> tuple[int, int]:
        return self._cas(code, lambda _: max(0, level))

    def _cas(self, code: str, new_level) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        """Read the level, write the new one only if nobody changed it meanwhile; otherwise read again."""
        for _ in range(CAS_ATTEMPTS):
            before = self.session.scalar(select(PartRow.stock).where(PartRow.code == code)
                                         .execution_options(populate_existing=True))
            if before is None:
                raise UnknownPart(f"no part {code}", part=code)
            after = new_level(before)
            done = self.session.execute(update(PartRow).where(PartRow.code == code, PartRow.stock == before)
                                        .values(stock=after).execution_options(synchronize_session=False))
            if done.rowcount == 1:  # type: ignore[attr-defined]
                self.session.expire_all()
                return before, after
        raise RuntimeError(f"stock of {code} kept changing under the draw")

    def add_move(self, move: StockMove) -> StockMove:
        row = StockMoveRow(part_code=move.part_code, kind=move.kind.value, requested=move.requested,
                           before=move.before, after=move.after, at=move.at, actor_id=move.actor_id,
                           ticket_id=move.ticket_id, low_at=move.low_at)
        self.session.add(row)
        self.session.flush()
        return _move(row)

    def moves(self, since: datetime | None = None, ticket_id: int | None = None) -> list[StockMove]:
        query = select(StockMoveRow).order_by(StockMoveRow.id)
        if since is not None:
            query = query.where(StockMoveRow.at >= since)
        if ticket_id is not None:
            query = query.where(StockMoveRow.ticket_id == ticket_id)
        return [_move(r) for r in self.session.scalars(query)]


def line_values(line: Line) -> dict:  # type: ignore[type-arg]
    return {**asdict(line), "kind": line.kind.value}


def _bill(row: BillRow) -> Bill:
    lines = tuple(Line(**{**d, "kind": LineKind(d["kind"])}) for d in row.lines)
    return Bill(row.ticket_id, row.version, lines, WhoPays(Payer(row.payer), row.previous_ticket_id), row.created_by,
                row.created_at, row.reason)


class SqlBillRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, bill: Bill) -> None:
        self.session.add(BillRow(ticket_id=bill.ticket_id, version=bill.version,
                                 lines=[line_values(x) for x in bill.lines], payer=bill.who_pays.payer.value,
                                 previous_ticket_id=bill.who_pays.previous_ticket_id, created_by=bill.created_by,
                                 created_at=bill.created_at, reason=bill.reason))
        self.session.flush()  # two versions of one number: the unique constraint refuses the second

    def versions(self, ticket_id: int) -> list[Bill]:
        rows = self.session.scalars(select(BillRow).where(BillRow.ticket_id == ticket_id).order_by(BillRow.version))
        return [_bill(r) for r in rows]


def ledger_entry(row: LedgerRow) -> LedgerEntry:
    return LedgerEntry(row.ticket_id, Entry(row.kind), row.bill_version, row.amount_fen, row.actor_id, row.at,
                       row.note, row.method, row.charge_id or "", row.id)


class SqlLedgerRepository:
    """Append and read; there is deliberately no way to change or remove an entry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, entry: LedgerEntry) -> LedgerEntry:
        row = LedgerRow(ticket_id=entry.ticket_id, kind=entry.kind.value, bill_version=entry.bill_version,
                        amount_fen=entry.amount_fen, actor_id=entry.actor_id, at=entry.at, note=entry.note,
                        method=entry.method, charge_id=entry.charge_id or None)
        self.session.add(row)
        self.session.flush()
        return ledger_entry(row)

    def for_ticket(self, ticket_id: int) -> list[LedgerEntry]:
        return [ledger_entry(r) for r in self.session.scalars(
            select(LedgerRow).where(LedgerRow.ticket_id == ticket_id).order_by(LedgerRow.id))]

    def since(self, at: datetime) -> list[LedgerEntry]:
        return [ledger_entry(r) for r in self.session.scalars(
            select(LedgerRow).where(LedgerRow.at >= at).order_by(LedgerRow.id))]
