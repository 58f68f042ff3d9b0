"""Statistics and exports for staff: figures computed by the stats reader, for a period they name."""
from __future__ import annotations

from typing import Iterator
from zoneinfo import ZoneInfo

from domain.export import ExportTicket
from domain.insight import StatsReport
from domain.periods import Period, parse_period
from domain.ports import Clock, StatsReader, UnitOfWork
from domain.usecases.queries import _staff


def _staff_estate(uow: UnitOfWork, actor_id: int) -> str:
    with uow:
        return _staff(uow, actor_id).estate_id


def ticket_stats(uow: UnitOfWork, reader: StatsReader, clock: Clock, actor_id: int, words: list[str],
                 tz: ZoneInfo) -> StatsReport:
    """The staff member's estate over the period `words` name (InvalidInput if they name none)."""
    estate_id = _staff_estate(uow, actor_id)
    now = clock.now()
    return reader.report(estate_id, parse_period(words, now, tz), now)


def export_tickets(uow: UnitOfWork, reader: StatsReader, clock: Clock, actor_id: int | None, words: list[str],
                   tz: ZoneInfo, estate_id: str | None = None) -> tuple[Period, Iterator[ExportTicket]]:
    """The period's tickets for a staff member, or (actor_id None: the command line, which has the config) the estate's."""
    if actor_id is not None:
        estate_id = _staff_estate(uow, actor_id)
    assert estate_id is not None, "the command line names its estate"
    period = parse_period(words, clock.now(), tz)
    return period, reader.export(estate_id, period)
