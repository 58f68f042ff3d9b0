"""/stats' fees and parts on SQLite and PostgreSQL, against figures worked out by hand (and the in-memory reader)."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from domain.billing.adjust import Adjustment
from domain.insight import Fees, PartUse
from domain.periods import parse_period
from domain.usecases import billing, parts
from domain.usecases.tickets import NewTicket, claim, open_ticket, start
from domain.values import Category, Location, Priority
from storage.stats import SqlStatsReader
from tests.integration.storage.test_billing_storage import POLICY, _working_ticket
from tests.integration.storage.test_concurrent_claim import POLICIES

TZ = ZoneInfo("Asia/Shanghai")


def _history(uow_factory):  # type: ignore[no-untyped-def]
    """A flat's leak: 2 valves and 45 min (140.00), questioned, adjusted to 1 valve (115.00), approved and paid; a
    stairwell's leak: a hose, free to the owner (the estate pays); 2 tape rolls asked for on the stairwell's ticket."""
    clock, owner, staff, (tech,), flat = _working_ticket(uow_factory)
    billing.complete(uow_factory(), clock, POLICY, tech.id, flat, "换了角阀", (("VALVE15", 2),), 45)
    billing.dispute(uow_factory(), clock, owner.id, flat, "只换了一个")
    billing.adjust(uow_factory(), clock, staff.id, flat, Adjustment("确实只换了一个", {"VALVE15": 1}))
    billing.confirm(uow_factory(), clock, owner.id, flat, version=2)
    billing.pay(uow_factory(), clock, staff.id, flat)
    stairs = open_ticket(uow_factory(), clock, POLICIES, owner.id, NewTicket(
        Location("3", "2", None, "楼道", True), Category.PLUMBING, Priority.NORMAL, "楼道水管漏水")).ticket.id
    claim(uow_factory(), clock, tech.id, stairs)
    start(uow_factory(), clock, tech.id, stairs)
    parts.requisition(uow_factory(), clock, POLICY, tech.id, stairs, "TAPE", 2)
    billing.complete(uow_factory(), clock, POLICY, tech.id, stairs, "换了软管", (("HOSE60", 1),), None)
    return clock


def test_the_periods_fees_and_parts_match_those_worked_out_by_hand(engine: Engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    clock = _history(uow_factory)
    now = clock.now() + timedelta(seconds=1)
    report = SqlStatsReader(engine).report("e1", parse_period(["week"], now, TZ), now)
    assert report.fees == Fees(billed=2, due_fen=11500, paid_fen=11500, disputed=1)
    assert report.fees.unpaid_fen == 0
    assert [(p.code, p.taken, p.value_fen) for p in report.parts] == [("TAPE", 2, 400), ("VALVE15", 2, 5000),
                                                                      ("HOSE60", 1, 1850)]
    assert isinstance(report.parts[0], PartUse) and report.parts[1].name_zh == "角阀"
    earlier = SqlStatsReader(engine).report("e1", parse_period(["since=2020-01-01", "until=2020-01-31"], now, TZ), now)
    assert earlier.fees == Fees() and earlier.parts == []  # another period's tickets bring no money


def test_the_in_memory_reader_agrees_with_the_sql_on_the_same_history() -> None:
    from tests.fakes import FakeStatsReader, FakeUnitOfWork

    store = FakeUnitOfWork().store
    clock = _history(lambda: FakeUnitOfWork(store))
    now = clock.now() + timedelta(seconds=1)
    report = FakeStatsReader(store).report("e1", parse_period(["week"], now, TZ), now)
    assert report.fees == Fees(billed=2, due_fen=11500, paid_fen=11500, disputed=1)
    assert [(p.code, p.taken, p.value_fen) for p in report.parts] == [("TAPE", 2, 400), ("VALVE15", 2, 5000),
                                                                      ("HOSE60", 1, 1850)]


def test_the_export_gives_each_ticket_who_pays_its_newest_bill_what_was_paid_and_where_it_stands(
        engine: Engine, uow_factory) -> None:  # type: ignore[no-untyped-def]
    from domain.export import COLUMNS, rows

    clock = _history(uow_factory)
    now = clock.now() + timedelta(seconds=1)
    found = list(rows(SqlStatsReader(engine).export("e1", parse_period(["week"], now, TZ)), TZ))
    money = [dict(zip(COLUMNS, row)) for row in found]
    pick = ("payer", "bill_version", "fee_due_yuan", "fee_paid_yuan", "bill_state")
    assert [tuple(m[k] for k in pick) for m in money] == [("owner", 2, "115.00", "115.00", "paid"),
                                                          ("estate", 1, "0.00", "0.00", "awaiting_approval")]
