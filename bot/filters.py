"""Parse /tickets filters such as `open building=3 category=plumbing since=2026-11-01`."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput
from domain.lifecycle import Status
from domain.people import Person
from domain.ports import TicketFilter
from domain.values import Category, Priority

KEYS = ("status", "category", "building", "priority", "tech", "since", "until")


def parse_filters(words: list[str], technicians: list[Person], tz: ZoneInfo) -> TicketFilter:
    """Each word is `open` or key=value; an unknown key or value raises InvalidInput naming it."""
    criteria = TicketFilter()
    for word in words:
        if word.lower() == "open":
            criteria = replace(criteria, open_only=True)
            continue
        key, _, value = word.partition("=")
        key = key.lower()
        if key not in KEYS or not value:
            raise InvalidInput(f"unknown filter {word}", filter=word, keys=", ".join(("open",) + KEYS))
        criteria = _apply(criteria, key, value, technicians, tz, word)
    return criteria


def _apply(c: TicketFilter, key: str, value: str, techs: list[Person], tz: ZoneInfo, word: str) -> TicketFilter:
    try:
        if key == "status":
            return replace(c, statuses=frozenset(Status(v) for v in value.split(",")))
        if key == "category":
            return replace(c, category=Category(value))
        if key == "priority":
            return replace(c, priority=Priority(value))
        if key == "building":
            return replace(c, building=value.upper() if value.isalpha() else value)
        if key == "tech":
            return replace(c, technician_id=_technician(value, techs))
        day = datetime.combine(date.fromisoformat(value), time(0), tz)
        return replace(c, since=day) if key == "since" else replace(c, until=day + timedelta(days=1))
    except (ValueError, LookupError):
        raise InvalidInput(f"bad value in {word}", filter=word, keys=", ".join(("open",) + KEYS)) from None


def _technician(value: str, techs: list[Person]) -> int:
    """A technician by person id, chat id or (part of) name."""
    for p in techs:
        if value in (str(p.id), str(p.chat_id)) or value.lower() in p.name.lower():
            return p.id or 0
    raise LookupError(value)
