"""The parts catalog, labour rates and stock (物料申领), as staff and technicians use them from chat."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.authorization import authorize
from domain.billing.catalog import LabourRate, Part, RateKind, search
from domain.billing.ports import BillingPolicy
from domain.billing.stock import MoveKind, StockMove, alert_level, take
from domain.billing.errors import UnknownPart
from domain.errors import InvalidInput, PermissionDenied
from domain.lifecycle import Action
from domain.people import Person, Role
from domain.ports import Clock, UnitOfWork
from domain.usecases.common import TicketChange, load_actor, load_ticket
from domain.values import Category

MAX_QUANTITY = 999


@dataclass(frozen=True)
class StockReport:
    parts: list[Part]
    used: dict[str, int]  # part code -> units drawn in the period
    short: dict[str, int]  # part code -> units asked for that the shelf did not have
    since: datetime
    low_default: int


def find_parts(uow: UnitOfWork, actor_id: int, words: str = "") -> list[Part]:
    """The catalog (or the parts matching `words`), for technicians and staff."""
    with uow:
        _working(load_actor(uow, actor_id))
        parts = uow.catalog.parts()
        return search(parts, words, limit=len(parts)) if words.strip() else parts


def rates(uow: UnitOfWork, actor_id: int) -> list[LabourRate]:
    with uow:
        _working(load_actor(uow, actor_id))
        return uow.catalog.rates()


def set_price(uow: UnitOfWork, actor_id: int, code: str, price_fen: int) -> tuple[Part, Part]:
    """Staff change a part's unit price; bills already issued keep the price they were priced at."""
    with uow:
        _staff(load_actor(uow, actor_id))
        before = _part(uow, code)
        after = replace(before, price_fen=price_fen)
        uow.catalog.put_part(after)
        uow.commit()
        return before, after


def set_rate(uow: UnitOfWork, actor_id: int, category: Category, kind: RateKind, fen: int) -> LabourRate:
    with uow:
        _staff(load_actor(uow, actor_id))
        rate = uow.catalog.rate(category) or LabourRate(category)
        rate = replace(rate, **{"hourly_fen" if kind is RateKind.HOURLY else "callout_fen": fen})
        uow.catalog.put_rate(rate)
        uow.commit()
        return rate


def restock(uow: UnitOfWork, clock: Clock, policy: BillingPolicy, actor_id: int, code: str, quantity: int,
            counted: bool = False) -> StockMove:
    """Staff put `quantity` on the shelf, or (counted) set the level to what a count found."""
    if not 0 <= quantity <= 100_000:
        raise InvalidInput("quantity out of range", field="quantity", value=quantity)
    with uow:
        actor = load_actor(uow, actor_id)
        _staff(actor)
        part = _part(uow, code)
        before, after = uow.catalog.set_level(part.code, quantity if counted else part.stock + quantity)
        move = uow.catalog.add_move(StockMove(part.code, MoveKind.COUNTED if counted else MoveKind.RECEIVED,
                                              quantity, before, after, clock.now(), actor.id,
                                              low_at=alert_level(part, policy.low_stock)))
        uow.commit()
        return move


def requisition(uow: UnitOfWork, clock: Clock, policy: BillingPolicy, actor_id: int, ticket_id: int, code: str,
                quantity: int) -> TicketChange:
    """A technician draws parts for their job; a shortfall is recorded with the draw and flagged, never hidden."""
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput("quantity out of range", field="quantity", value=quantity)
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, Action.REQUISITION, ticket)
        part = _part(uow, code)
        event = ticket.apply(Action.REQUISITION, actor.id, actor.role, clock.now(), f"{part.code} ×{quantity}")
        draw(uow, policy, part, quantity, MoveKind.REQUISITION, actor.id, ticket.id, event.at)
        uow.tickets.append_events(ticket)
        uow.commit()
        return TicketChange(ticket, event)


def draw(uow: UnitOfWork, policy: BillingPolicy, part: Part, quantity: int, kind: MoveKind, actor_id: int | None,
         ticket_id: int | None, at: datetime) -> StockMove:
    """Take what the shelf has of `quantity` (atomically, so two draws never share the last unit) and record it."""
    before, after = uow.catalog.draw(part.code, quantity)
    return uow.catalog.add_move(StockMove(part.code, kind, quantity, before, after, at, actor_id, ticket_id,
                                          alert_level(part, policy.low_stock)))


def stock_report(uow: UnitOfWork, clock: Clock, policy: BillingPolicy, actor_id: int, days: int = 30) -> StockReport:
    """Levels now, and what was drawn (and missing) in the last `days` days."""
    if not 1 <= days <= 366:
        raise InvalidInput("days out of range", field="days", value=days)
    since = clock.now() - timedelta(days=days)
    with uow:
        _working(load_actor(uow, actor_id))
        used: Counter[str] = Counter()
        short: Counter[str] = Counter()
        for move in uow.catalog.moves(since=since):
            if move.kind in (MoveKind.USED, MoveKind.REQUISITION):
                used[move.part_code] += move.taken
                short[move.part_code] += move.shortfall
        return StockReport(uow.catalog.parts(), dict(used), {k: v for k, v in short.items() if v}, since,
                           policy.low_stock)


def _staff(actor: Person) -> None:
    if not actor.is_staff:
        raise PermissionDenied("staff only", action="catalog")


def _working(actor: Person) -> None:
    if not (actor.is_staff or actor.role is Role.TECHNICIAN):
        raise PermissionDenied("technicians and staff only", action="catalog")


def _part(uow: UnitOfWork, code: str) -> Part:
    part = uow.catalog.part(code.strip().upper())
    if part is None:
        raise UnknownPart(f"no part {code}", part=code)
    return part


def parts_for_ticket(uow: UnitOfWork, actor_id: int, ticket_id: int, words: str = "") -> list[Part]:
    """What to offer at /done: the parts matching `words`, or those for the ticket's kind of repair first."""
    with uow:
        actor, ticket = load_actor(uow, actor_id), load_ticket(uow, ticket_id)
        authorize(actor, Action.COMPLETE, ticket)
        parts = [p for p in uow.catalog.parts() if p.stock > 0 or words]
        if words.strip():
            found = {p.code: p for term in words.replace("，", ",").split(",") for p in search(parts, term)}
            return list(found.values())
        return sorted(parts, key=lambda p: (ticket.category not in p.categories, p.code))
