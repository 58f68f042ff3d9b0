"""Each action a person can take, as a call of its use case with sensible arguments; shared by the matrix tests."""
from __future__ import annotations

from typing import Callable

from domain.authorization import SYSTEM_ONLY, VIEW
from domain.lifecycle import NON_TRANSITIONS, TRANSITIONS, Action, Status
from domain.billing.adjust import Adjustment
from domain.billing.bill import Bill, Line, LineKind, Payer, WhoPays
from domain.billing.ledger import Entry, LedgerEntry
from domain.usecases import billing, incidents, parts
from domain.usecases import queries as q
from domain.usecases import tickets as uc
from tests.fakes import World


def billed(w: World, ticket_id: int, approved: bool = False) -> int:
    """Give the ticket a bill of ¥30 awaiting approval (or approved), and the catalog; returns the ticket."""
    from app.catalog_seed import seed_catalog

    seed_catalog(w.uow)
    with w.uow:
        if not w.uow.bills.versions(ticket_id):
            w.uow.bills.add(Bill(ticket_id, 1, (Line(LineKind.CALLOUT, 3000),), WhoPays(Payer.OWNER), None,
                                 w.clock.now()))
            w.uow.ledger.append(LedgerEntry(ticket_id, Entry.CHARGE, 1, 3000, None, w.clock.now()))
            if approved:
                w.uow.ledger.append(LedgerEntry(ticket_id, Entry.APPROVE, 1, 3000, None, w.clock.now()))
        w.uow.commit()
    return ticket_id

CALLS: dict[Action | str, Callable[[World, int, int], object]] = {
    VIEW: lambda w, a, t: q.view_ticket(w.uow, a, t),
    Action.TRIAGE: lambda w, a, t: uc.triage(w.uow, w.clock, a, t),
    Action.REJECT: lambda w, a, t: uc.reject(w.uow, w.clock, a, t, "不是报修"),
    Action.ASSIGN: lambda w, a, t: uc.assign(w.uow, w.clock, a, t, w.builder),
    Action.CLAIM: lambda w, a, t: uc.claim(w.uow, w.clock, a, t),
    Action.ACCEPT: lambda w, a, t: uc.accept(w.uow, w.clock, a, t),
    Action.DECLINE: lambda w, a, t: uc.decline(w.uow, w.clock, a, t, "没空"),
    Action.START: lambda w, a, t: uc.start(w.uow, w.clock, a, t),
    Action.HOLD: lambda w, a, t: uc.hold(w.uow, w.clock, a, t, "等配件"),
    Action.RESUME: lambda w, a, t: uc.resume(w.uow, w.clock, a, t),
    Action.COMPLETE: lambda w, a, t: uc.complete(w.uow, w.clock, a, t, "修好了"),
    Action.CONFIRM: lambda w, a, t: uc.confirm(w.uow, w.clock, a, t),
    Action.REJECT_COMPLETION: lambda w, a, t: uc.reject_completion(w.uow, w.clock, a, t, "没修好"),
    Action.RATE: lambda w, a, t: uc.rate(w.uow, w.clock, a, t, 5),
    Action.CANCEL: lambda w, a, t: uc.cancel(w.uow, w.clock, a, t, "不需要了"),
    Action.REOPEN: lambda w, a, t: uc.reopen(w.uow, w.clock, w.policies, a, t, "又坏了"),
    Action.CLOSE: lambda w, a, t: uc.close(w.uow, w.clock, a, t),
    Action.COMMENT: lambda w, a, t: uc.comment(w.uow, w.clock, a, t, "请尽快"),
    Action.ATTACH: lambda w, a, t: uc.attach(w.uow, w.clock, a, t, "photo-1"),
    Action.URGE: lambda w, a, t: uc.urge(w.uow, w.clock, w.policies, a, t),
    Action.CHECK_IN: lambda w, a, t: uc.check_in(w.uow, w.clock, w.estate, 200, a, t, (31.23, 121.47)),
    Action.BILL_DISPUTE: lambda w, a, t: billing.dispute(w.uow, w.clock, a, billed(w, t), "太贵了"),
    Action.BILL_ADJUST: lambda w, a, t: billing.adjust(w.uow, w.clock, a, billed(w, t), Adjustment("减免", total_fen=0)),
    Action.BILL_APPROVE: lambda w, a, t: billing.confirm(w.uow, w.clock, a, billed(w, t)),
    Action.PAY: lambda w, a, t: billing.pay(w.uow, w.clock, a, billed(w, t, approved=True)),
    Action.REQUISITION: lambda w, a, t: parts.requisition(w.uow, w.clock, w.policies.billing, a, billed(w, t), "TAPE", 1),
    Action.LINK: lambda w, a, t: incidents.link(w.uow, w.clock, a, t, another_report(w)),
    Action.UNLINK: lambda w, a, t: incidents.unlink(w.uow, w.clock, a, t),
}


def another_report(w: World) -> int:
    """An open ticket of another home, for a ticket to be linked under."""
    return w.report(owner=w.owner3, home="7-1-903")


# What a ticket needs before the action can be tried on it: only a linked report can be unlinked.
PREPARE: dict[Action | str, Callable[[World, int], object]] = {
    Action.UNLINK: lambda w, t: incidents.link(w.uow, w.clock, w.dispatcher, t, another_report(w)),
}


def ticket_for(w: World, action: Action | str, state: Status) -> int:
    """A ticket in `state`, ready for `action`."""
    tid = w.ticket_in(state)
    if action in PREPARE:
        PREPARE[action](w, tid)
    return tid

CASES = sorted({(a, s) for (s, a) in TRANSITIONS if a not in SYSTEM_ONLY}
               | {(a, s) for a, states in NON_TRANSITIONS.items() if a not in SYSTEM_ONLY for s in states}
               | {(VIEW, s) for s in Status}, key=lambda c: (str(c[0]), c[1].value))
