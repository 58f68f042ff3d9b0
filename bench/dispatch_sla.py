"""The simulator's service levels: each ticket's deadlines from config.yml through the domain's own SlaPolicy.

A run's day i is the calendar day START + i in the estate's time zone, so business hours (normal and low count
only working minutes), Sundays and holidays fall as they would in the bot. A ticket breaches its SLA when it
misses any of its deadlines: response (a technician accepted or claimed it), arrival (the work begun on site)
or resolution (the work done), as the bot's sweep escalates each of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.sla import SlaPolicy
from domain.values import Priority

START = date(2026, 3, 2)  # a Monday; the runs cover early spring, 清明 (5 April) and 劳动节 (1 May) included


@dataclass(frozen=True)
class Due:
    """Minutes from the day's midnight by which each thing must have happened (None: no such deadline)."""

    response: float
    arrival: float | None
    resolution: float

    def missed(self, accepted: float | None, on_site: float | None, done: float | None) -> bool:
        """Any deadline missed; None for an event means it never happened."""
        late = lambda at, due: due is not None and (at is None or at > due + 1e-9)  # noqa: E731
        return late(accepted, self.response) or late(on_site, self.arrival) or late(done, self.resolution)


def midnight(index: int, timezone: str) -> datetime:
    return datetime.combine(START + timedelta(days=index), datetime.min.time(), ZoneInfo(timezone))


def deadlines(arrivals: dict[int, tuple[float, Priority]], policy: SlaPolicy, day_start: datetime) -> dict[int, Due]:
    """Per ticket (id -> (arrival minute, priority)), its deadlines in minutes from `day_start`."""
    def minutes(when: datetime | None) -> float | None:
        return None if when is None else (when - day_start).total_seconds() / 60

    out = {}
    for tid, (arrival, priority) in arrivals.items():
        opened = day_start + timedelta(minutes=arrival)
        out[tid] = Due(minutes(policy.response_due(priority, opened)) or 0.0,
                       minutes(policy.arrival_due(priority, opened)),
                       minutes(policy.resolution_due(priority, opened)) or 0.0)
    return out
